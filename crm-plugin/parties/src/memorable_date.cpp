#include <conduit/crm/parties/memorable_date.hpp>

namespace conduit::crm::parties {
namespace {

using namespace std::chrono;

// A 29 February in a year without one is kept on the 28th.
year_month_day inYear(const MemorableDate& date, year y) {
    const year_month_day exact{y, month{date.month}, day{date.day}};
    if (exact.ok()) return exact;
    return year_month_day_last{y, month_day_last{month{date.month}}};
}

}  // namespace

std::optional<FieldProblem> memorableDateProblem(MemorableDateKind kind, unsigned d, unsigned m, std::optional<int> y,
                                                 year_month_day today) {
    if (m < 1 || m > 12 || d < 1 || d > 31) return FieldProblem::DateInvalid;
    if (y) {
        if (*y < 1800 || *y > 9999) return FieldProblem::DateInvalid;
        const year_month_day full{year{*y}, month{m}, day{d}};
        if (!full.ok()) return FieldProblem::DateInvalid;
        if (kind == MemorableDateKind::Birthday && sys_days{full} > sys_days{today}) return FieldProblem::DateInFuture;
        return std::nullopt;
    }
    // Without a year the date must exist in some year: 29 February does, 30 February never.
    if (!year_month_day{year{2000}, month{m}, day{d}}.ok()) return FieldProblem::DateInvalid;
    return std::nullopt;
}

year_month_day nextOccurrence(const MemorableDate& date, year_month_day from) {
    const year_month_day thisYear = inYear(date, from.year());
    if (sys_days{thisYear} >= sys_days{from}) return thisYear;
    return inYear(date, from.year() + years{1});
}

std::optional<int> yearsAt(const MemorableDate& date, year_month_day on) {
    if (!date.year) return std::nullopt;
    int n = static_cast<int>(on.year()) - *date.year;
    if (sys_days{inYear(date, on.year())} > sys_days{on}) --n;
    if (n < 0) return std::nullopt;
    return n;
}

std::string_view toString(MemorableDateKind kind) {
    switch (kind) {
        case MemorableDateKind::Birthday: return "birthday";
        case MemorableDateKind::NameDay: return "name_day";
        case MemorableDateKind::Anniversary: return "anniversary";
        case MemorableDateKind::Other: return "other";
    }
    return "other";
}

std::optional<MemorableDateKind> memorableDateKindFromString(std::string_view code) {
    for (auto k : {MemorableDateKind::Birthday, MemorableDateKind::NameDay, MemorableDateKind::Anniversary,
                   MemorableDateKind::Other})
        if (toString(k) == code) return k;
    return std::nullopt;
}

}  // namespace conduit::crm::parties
