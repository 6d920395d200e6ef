#include <conduit/crm/foundation/formatter.hpp>

#include "icu_support.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/numberformatter.h>
#include <unicode/reldatefmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace conduit::crm {
namespace {

namespace num = icu::number;

using icu_support::check;
using icu_support::toUtf8;

UDate toUDate(sdk::TimePoint t) { return static_cast<double>(t.time_since_epoch().count()) * 1000.0; }
UDate toUDate(sdk::Date d) { return toUDate(sdk::TimePoint(d)); }

// Minor units as an exact decimal string ("-12360.05"), so no binary fraction ever touches money.
std::string decimalOf(std::int64_t minor) {
    const bool negative = minor < 0;
    // Unsigned magnitude: -INT64_MIN does not fit in int64.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2) cents.insert(0, 1, '0');
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

// Uppercased ISO code; ICU would accept other shapes and print them verbatim, hiding a data bug.
std::string currencyCode(const std::string& code) {
    std::string upper = code;
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const bool letters = upper.size() == 3 && std::all_of(upper.begin(), upper.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!letters) throw std::invalid_argument("currency '" + code + "' is not a three-letter ISO 4217 code");
    return upper;
}

std::string formatted(const num::FormattedNumber& result, UErrorCode& status) {
    const icu::UnicodeString text = result.toString(status);
    check(status, "number formatting");
    return toUtf8(text);
}

}  // namespace

struct Formatter::Impl {
    icu::Locale locale;
    num::LocalizedNumberFormatter integers;
    std::mutex mutex;  // guards everything below: ICU date and relative formatters are not thread-safe
    std::unique_ptr<icu::SimpleDateFormat> longDate, shortDate, dateTime, time;
    std::unique_ptr<icu::RelativeDateTimeFormatter> relative;

    Impl(const Locale& l, const icu::TimeZone& zone);
    std::unique_ptr<icu::SimpleDateFormat> pattern(icu::DateTimePatternGenerator& generator, const char* skeleton,
                                                   const icu::TimeZone& zone) const;
};

Formatter::Impl::Impl(const Locale& l, const icu::TimeZone& zone)
    : locale(l.icuName().c_str()), integers(num::NumberFormatter::withLocale(locale)) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::DateTimePatternGenerator> generator(icu::DateTimePatternGenerator::createInstance(locale, status));
    check(status, "date pattern generator");
    // Calendar dates are UTC midnights, so they are formatted in GMT and never shift a day.
    const std::unique_ptr<icu::TimeZone> gmt(icu::TimeZone::getGMT()->clone());
    longDate = pattern(*generator, "dMMMMy", *gmt);
    shortDate = pattern(*generator, "ddMMy", *gmt);
    dateTime = pattern(*generator, "ddMMyHHmm", zone);
    time = pattern(*generator, "HHmm", zone);
    relative = std::make_unique<icu::RelativeDateTimeFormatter>(locale, nullptr, UDAT_STYLE_LONG,
                                                                 UDISPCTX_CAPITALIZATION_NONE, status);
    check(status, "relative date formatter");
}

std::unique_ptr<icu::SimpleDateFormat> Formatter::Impl::pattern(icu::DateTimePatternGenerator& generator,
                                                                const char* skeleton, const icu::TimeZone& zone) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString best = generator.getBestPattern(icu::UnicodeString(skeleton), status);
    check(status, "date pattern lookup");
    auto format = std::make_unique<icu::SimpleDateFormat>(best, locale, status);
    check(status, "date format creation");
    // Proleptic Gregorian like std::chrono, so dates before 1582 print as the same day.
    auto calendar = std::make_unique<icu::GregorianCalendar>(zone, locale, status);
    calendar->setGregorianChange(U_DATE_MIN, status);
    check(status, "date format calendar");
    format->adoptCalendar(calendar.release());
    return format;
}

Formatter::Formatter(Locale locale, TimeZone zone)
    : locale_(locale), zone_(std::move(zone)), impl_(std::make_shared<Impl>(locale_, zone_.icuZone())) {}

std::string Formatter::money(const sdk::Money& amount) const {
    UErrorCode status = U_ZERO_ERROR;
    const std::string code = currencyCode(amount.currency);
    const icu::CurrencyUnit currency(icu::StringPiece(code.c_str()), status);
    check(status, "currency lookup");
    const std::string decimal = decimalOf(amount.minor);
    const auto result = num::NumberFormatter::withLocale(impl_->locale)
                            .unit(currency)
                            .precision(num::Precision::fixedFraction(2))
                            .formatDecimal(icu::StringPiece(decimal.c_str()), status);
    return formatted(result, status);
}

std::string Formatter::number(std::int64_t value) const {
    UErrorCode status = U_ZERO_ERROR;
    return formatted(impl_->integers.formatInt(value, status), status);
}

std::string Formatter::number(double value, int fractionDigits) const {
    if (fractionDigits < 0 || fractionDigits > 15)
        throw std::invalid_argument("fraction digits must be 0..15, got " + std::to_string(fractionDigits));
    UErrorCode status = U_ZERO_ERROR;
    const auto result = num::NumberFormatter::withLocale(impl_->locale)
                            .precision(num::Precision::fixedFraction(fractionDigits))
                            .roundingMode(UNUM_ROUND_HALFUP)
                            .formatDouble(value, status);
    return formatted(result, status);
}

namespace {
std::string formatDate(std::mutex& mutex, const icu::SimpleDateFormat& format, UDate when) {
    icu::UnicodeString out;
    std::lock_guard lock(mutex);
    format.format(when, out);
    return toUtf8(out);
}
}  // namespace

std::string Formatter::date(sdk::Date day) const { return formatDate(impl_->mutex, *impl_->longDate, toUDate(day)); }

std::string Formatter::shortDate(sdk::Date day) const {
    return formatDate(impl_->mutex, *impl_->shortDate, toUDate(day));
}

std::string Formatter::dateRange(sdk::Date from, sdk::Date to) const {
    if (from == to) return shortDate(from);
    return shortDate(from) + " \u2013 " + shortDate(to);
}

std::string Formatter::dateTime(sdk::TimePoint at) const {
    return formatDate(impl_->mutex, *impl_->dateTime, toUDate(at));
}

std::string Formatter::time(sdk::TimePoint at) const { return formatDate(impl_->mutex, *impl_->time, toUDate(at)); }

std::string Formatter::relativeDays(int days) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out;
    std::lock_guard lock(impl_->mutex);
    if (days >= -1 && days <= 1) {
        // The named days; the numeric form would say "in 1 day".
        const UDateDirection direction = days == 0 ? UDAT_DIRECTION_THIS : days > 0 ? UDAT_DIRECTION_NEXT : UDAT_DIRECTION_LAST;
        out = impl_->relative->formatToValue(direction, UDAT_ABSOLUTE_DAY, status).toString(status);
    } else {
        // Numeric so that ±2 reads "in 2 days", not "the day after tomorrow".
        out = impl_->relative->formatNumericToValue(days, UDAT_REL_UNIT_DAY, status).toString(status);
    }
    check(status, "relative date formatting");
    return toUtf8(out);
}

const Formatter& formatterFor(const Locale& locale, const TimeZone& zone) {
    static std::mutex mutex;
    // Never destroyed: a plugin's statics outlive nothing reliably at exit, and ICU may be gone.
    static auto* cache = new std::map<std::pair<Language, std::string>, Formatter>();
    std::lock_guard lock(mutex);
    const auto key = std::make_pair(locale.language(), zone.id());
    auto it = cache->find(key);
    if (it == cache->end()) it = cache->emplace(key, Formatter(locale, zone)).first;
    return it->second;
}

}  // namespace conduit::crm
