// What the catalogue editor's typed text means as catalogue values: lists of phones and e-mails
// split at ";", a birthday typed as "12.05", "12.05.1984" or "1984-05-12", tags split at ",".
#pragma once

#include <conduit/crm/parties/field_problem.hpp>
#include <conduit/crm/parties/memorable_date.hpp>

#include <QString>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace conduit::forms {

// Items separated by ";" or new lines, trimmed, empty ones dropped.
std::vector<std::string> splitItems(const QString& text);
// Tags separated by "," or ";", trimmed, without repeats.
std::set<std::string> splitTags(const QString& text);

// A typed day: nothing typed (neither date nor problem), a date (its validity is the core's
// check), or text no date can be read from (DateInvalid).
struct TypedDate {
    std::optional<crm::parties::MemorableDate> date;
    std::optional<crm::parties::FieldProblem> problem;
};
TypedDate readMemorableDate(const QString& text, crm::parties::MemorableDateKind kind);
// As the editor shows a stored date again: "12.05.1984", "03.11".
QString memorableDateInput(const crm::parties::MemorableDate& date);

}  // namespace conduit::forms
