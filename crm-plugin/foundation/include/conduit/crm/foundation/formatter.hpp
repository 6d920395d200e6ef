// Every number, amount, date and time the CRM shows a user, written as that user's language and
// time zone write it — the one place the project turns values into text, all of it done by ICU.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <conduit/sdk/values.hpp>

#include "conduit/crm/foundation/locale.hpp"
#include "conduit/crm/foundation/time_zone.hpp"

namespace conduit::crm {

// Cheap to copy (copies share the ICU formatters) and safe to use from many threads at once:
// the ICU date and relative formatters are not thread-safe, so they sit behind one mutex;
// number formatters are immutable in ICU and are used without locking.
// All results are UTF-8 and contain ICU's own spacing (U+00A0 / U+202F), never plain spaces
// where the locale wants a non-breaking one.
class Formatter {
public:
    Formatter(Locale locale, TimeZone zone);

    // `minor` is hundredths of the currency for every currency (the suite only uses PLN, RUB,
    // EUR and USD, which all have two minor digits); always printed with two fraction digits.
    // Throws std::invalid_argument when `currency` is not three ASCII letters.
    std::string money(const sdk::Money& amount) const;
    std::string number(std::int64_t value) const;
    // Rounded half-up (what people expect on a printout), 0..15 fraction digits, else std::invalid_argument.
    std::string number(double value, int fractionDigits) const;

    // Dates are calendar dates: no time zone is applied to them.
    std::string date(sdk::Date day) const;       // long: "12 stycznia 2026"
    std::string shortDate(sdk::Date day) const;  // "12.01.2026", en: "12/01/2026"
    // "12.01.2026 – 15.01.2026"; a single short date when from == to.
    std::string dateRange(sdk::Date from, sdk::Date to) const;

    // Instants are shown on the user's wall clock, without any zone name.
    std::string dateTime(sdk::TimePoint at) const;  // "12.01.2026, 14:30"
    std::string time(sdk::TimePoint at) const;      // "14:30"

    // "today", "tomorrow", "yesterday", otherwise "in 2 days" / "2 days ago" (never "the day after tomorrow").
    std::string relativeDays(int days) const;

    const Locale& locale() const { return locale_; }
    const TimeZone& zone() const { return zone_; }

private:
    struct Impl;
    Locale locale_;
    TimeZone zone_;
    std::shared_ptr<Impl> impl_;
};

// One shared Formatter per language and zone, built on first use and kept for the process (ICU
// formatters cost far more to build than to use; readers of a mail or a feed page share them).
const Formatter& formatterFor(const Locale& locale, const TimeZone& zone);

}  // namespace conduit::crm
