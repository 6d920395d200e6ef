// A user's IANA time zone as a cheap value, and the local-calendar questions the CRM asks of it
// (what day is it there, when does that day start, which instant is 08:00 there) — all answered by ICU.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <conduit/sdk/values.hpp>
#include <unicode/uversion.h>

#include "conduit/crm/foundation/locale.hpp"

U_NAMESPACE_BEGIN
class TimeZone;
U_NAMESPACE_END

namespace conduit::crm {

// Copies share one immutable icu::TimeZone, so a TimeZone can be passed by value freely and
// used from many threads at once (only const ICU methods are ever called on it).
class TimeZone {
public:
    // Throws std::invalid_argument when ICU does not know the id (it would otherwise silently
    // become "Etc/Unknown", i.e. UTC, and every local time would be off without anyone noticing).
    static TimeZone named(std::string_view iana);
    // Where the suite's users of that language usually are: Moscow for Russian, Warsaw otherwise.
    static TimeZone defaultFor(Language language);

    std::string id() const;

    // UTC offset in effect at that instant, DST included.
    std::chrono::seconds offsetAt(sdk::TimePoint at) const;
    // The calendar date on the wall in this zone at that instant.
    sdk::Date localDate(sdk::TimePoint at) const;
    // The first instant of that local day: a "today" filter is [startOfDay(d), startOfDay(d + 1)).
    sdk::TimePoint startOfDay(sdk::Date day) const;
    // The instant the local clock shows hour:minute on that day (hour 0..23, minute 0..59, else
    // std::invalid_argument). A wall time skipped by a DST gap gives the first valid instant after
    // the gap (02:30 on a spring-forward day in Warsaw → 03:00 CEST); a wall time that occurs twice
    // in an overlap gives the earlier instant (the one still in summer time).
    sdk::TimePoint at(sdk::Date day, int hour, int minute) const;

    // For the formatter, which hands the zone to ICU date formats.
    const icu::TimeZone& icuZone() const { return *zone_; }

    friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.id() == b.id(); }

private:
    explicit TimeZone(std::shared_ptr<const icu::TimeZone> zone) : zone_(std::move(zone)) {}
    std::shared_ptr<const icu::TimeZone> zone_;
};

// The installation's zone: the IANA id an administrator set (setting kTimeZoneSetting) when it
// names a zone, otherwise the home zone of the installation's language. Never throws.
inline constexpr const char* kTimeZoneSetting = "crm.time_zone";
TimeZone installationZone(std::string_view setting, std::string_view locale);

}  // namespace conduit::crm
