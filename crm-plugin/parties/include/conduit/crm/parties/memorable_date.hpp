// A date people are remembered on (a birthday, a name day, a firm's anniversary): day and month,
// the year when known, and what the date is, so a planner can remind and a salutation can count.
#pragma once

#include <conduit/crm/parties/field_problem.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace conduit::crm::parties {

enum class MemorableDateKind { Birthday, NameDay, Anniversary, Other };

struct MemorableDate {
    MemorableDateKind kind = MemorableDateKind::Birthday;
    unsigned month = 1, day = 1;  // 29 February is allowed without a year
    std::optional<int> year;
    std::string label;  // MemorableDateKind::Other: what it is, as the user wrote it

    friend bool operator==(const MemorableDate&, const MemorableDate&) = default;
};

// The problem with day/month/year as a memorable date, none when it is one: 30 February, a
// 29 February in a year that has none, month 13; a birthday after `today` (a local date).
std::optional<FieldProblem> memorableDateProblem(MemorableDateKind kind, unsigned day, unsigned month,
                                                 std::optional<int> year, std::chrono::year_month_day today);

// The date's next occurrence on or after `from` (a local date): a 29 February without a leap
// year falls on 28 February, as people celebrate it.
std::chrono::year_month_day nextOccurrence(const MemorableDate& date, std::chrono::year_month_day from);

// The age or count of years the date reaches at `on`, when its year is known.
std::optional<int> yearsAt(const MemorableDate& date, std::chrono::year_month_day on);

std::string_view toString(MemorableDateKind kind);  // "birthday", "name_day", "anniversary", "other"
std::optional<MemorableDateKind> memorableDateKindFromString(std::string_view code);

}  // namespace conduit::crm::parties
