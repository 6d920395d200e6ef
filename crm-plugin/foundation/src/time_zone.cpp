#include <conduit/crm/foundation/time_zone.hpp>

#include "icu_support.hpp"

#include <conduit/crm/foundation/locale.hpp>

#include <stdexcept>

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace conduit::crm {
namespace {

constexpr double kMillisPerSecond = 1000.0;

UDate toUDate(sdk::TimePoint t) { return static_cast<double>(t.time_since_epoch().count()) * kMillisPerSecond; }

sdk::TimePoint fromUDate(UDate d) {
    // UDate is whole milliseconds for every instant we produce; floor keeps pre-1970 instants right.
    return std::chrono::floor<std::chrono::seconds>(
        std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(static_cast<std::int64_t>(d))));
}

using icu_support::check;
using icu_support::toUtf8;

// A Gregorian calendar in the zone, configured for the DST policy documented on TimeZone::at.
std::unique_ptr<icu::Calendar> calendarIn(const icu::TimeZone& zone) {
    UErrorCode status = U_ZERO_ERROR;
    auto calendar = std::make_unique<icu::GregorianCalendar>(zone, status);
    check(status, "calendar creation");
    // The proleptic Gregorian calendar, as std::chrono uses: no Julian switch in 1582.
    calendar->setGregorianChange(U_DATE_MIN, status);
    check(status, "calendar setup");
    calendar->setSkippedWallTimeOption(UCAL_WALLTIME_NEXT_VALID);
    calendar->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);
    return calendar;
}

sdk::TimePoint localWallTime(const icu::TimeZone& zone, sdk::Date day, int hour, int minute) {
    const std::chrono::year_month_day ymd{day};
    auto calendar = calendarIn(zone);
    calendar->clear();
    // The extended year so that years before 1 AD are not read as an era-relative year.
    calendar->set(UCAL_EXTENDED_YEAR, static_cast<int>(ymd.year()));
    calendar->set(UCAL_MONTH, static_cast<int>(unsigned(ymd.month())) - 1);
    calendar->set(UCAL_DATE, static_cast<int>(unsigned(ymd.day())));
    calendar->set(UCAL_HOUR_OF_DAY, hour);
    calendar->set(UCAL_MINUTE, minute);
    UErrorCode status = U_ZERO_ERROR;
    const UDate when = calendar->getTime(status);
    check(status, "wall time conversion");
    return fromUDate(when);
}

}  // namespace

TimeZone TimeZone::named(std::string_view iana) {
    const auto id = icu::UnicodeString::fromUTF8(icu::StringPiece(iana.data(), static_cast<std::int32_t>(iana.size())));
    std::shared_ptr<const icu::TimeZone> zone(icu::TimeZone::createTimeZone(id));
    if (!zone) throw std::runtime_error("ICU could not create a time zone");
    icu::UnicodeString resolved;
    zone->getID(resolved);
    if (iana.empty() || resolved == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID))
        throw std::invalid_argument("unknown time zone '" + std::string(iana) +
                                    "': expected an IANA zone id such as Europe/Warsaw");
    return TimeZone(std::move(zone));
}

TimeZone TimeZone::defaultFor(Language language) {
    return named(language == Language::Ru ? "Europe/Moscow" : "Europe/Warsaw");
}

std::string TimeZone::id() const {
    icu::UnicodeString id;
    zone_->getID(id);
    return toUtf8(id);
}

std::chrono::seconds TimeZone::offsetAt(sdk::TimePoint at) const {
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone_->getOffset(toUDate(at), false, raw, dst, status);
    check(status, "zone offset");
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(raw + dst));
}

sdk::Date TimeZone::localDate(sdk::TimePoint at) const {
    auto calendar = calendarIn(*zone_);
    UErrorCode status = U_ZERO_ERROR;
    calendar->setTime(toUDate(at), status);
    const int year = calendar->get(UCAL_EXTENDED_YEAR, status);
    const int month = calendar->get(UCAL_MONTH, status) + 1;
    const int day = calendar->get(UCAL_DATE, status);
    check(status, "local date");
    return std::chrono::sys_days{std::chrono::year{year} / static_cast<unsigned>(month) / static_cast<unsigned>(day)};
}

sdk::TimePoint TimeZone::startOfDay(sdk::Date day) const { return localWallTime(*zone_, day, 0, 0); }

sdk::TimePoint TimeZone::at(sdk::Date day, int hour, int minute) const {
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
        throw std::invalid_argument("wall time " + std::to_string(hour) + ":" + std::to_string(minute) +
                                    " is out of range (hours 0..23, minutes 0..59)");
    return localWallTime(*zone_, day, hour, minute);
}

TimeZone installationZone(std::string_view setting, std::string_view locale) {
    if (!setting.empty()) {
        try {
            return TimeZone::named(setting);
        } catch (const std::invalid_argument&) {
            // An unknown id falls through: a typo must not stop the CRM (the plugin logs it).
        }
    }
    return TimeZone::defaultFor(Locale::of(locale).language());
}

}  // namespace conduit::crm
