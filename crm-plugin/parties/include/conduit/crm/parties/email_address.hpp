// An e-mail address as the catalogue keeps it: trimmed and lower-cased (the key duplicates and
// mailings are matched by), with an internationalised domain kept readable and checked as IDNA.
#pragma once

#include <conduit/crm/parties/field_problem.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace conduit::crm::parties {

struct EmailAddress {
    std::string address;  // "anna.nowak@przyklad.pl", lower-case, UTF-8 domain as written

    friend bool operator==(const EmailAddress&, const EmailAddress&) = default;
};

// The problem with `text` as one mailbox address, none when it is one. Refused: no or several
// "@", spaces, quotes or angle brackets (a display name is a separate field), a local part over
// 64 bytes, empty or doubled dots, a domain without a dot or that IDNA (UTS #46) refuses.
std::optional<FieldProblem> emailProblem(std::string_view text);

// The normalised address; throws FieldError (field "email") when `text` is none.
EmailAddress parseEmail(std::string_view text);

}  // namespace conduit::crm::parties
