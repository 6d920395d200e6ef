// A company's or person's tax and registry number (Polish NIP and REGON, Russian INN, KPP, OGRN
// and OGRNIP), normalised to its digits and accepted only when its check digit holds.
#pragma once

#include <conduit/crm/parties/field_problem.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace conduit::crm::parties {

enum class TaxIdKind {
    PlNip,     // 10 digits, weighted mod 11; "PL" prefix and dashes accepted
    PlRegon,   // 9 digits (a firm) or 14 (a local unit), weighted mod 11
    RuInn,     // 10 digits (an organisation) or 12 (a person), weighted mod 11 mod 10
    RuKpp,     // 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits; no check digit
    RuOgrn,    // 13 digits: the first 12 mod 11 mod 10
    RuOgrnip,  // 15 digits: the first 14 mod 13 mod 10
};

struct TaxId {
    TaxIdKind kind = TaxIdKind::PlNip;
    std::string value;  // normalised: digits only (KPP: digits and capitals), no prefix or separators

    friend bool operator==(const TaxId&, const TaxId&) = default;
};

// The stable code of a kind for storage and the editor's field names: "nip", "regon", "inn",
// "kpp", "ogrn", "ogrnip"; and back.
std::string_view toString(TaxIdKind kind);
std::optional<TaxIdKind> taxIdKindFromString(std::string_view code);

// The problem with `text` as a tax id of `kind`, none when it is valid. Spaces, dashes, dots
// and a "PL" prefix on a NIP are separators people write, not errors.
std::optional<FieldProblem> taxIdProblem(TaxIdKind kind, std::string_view text);

// The normalised tax id; throws FieldError (field = toString(kind)) when it is not valid.
TaxId parseTaxId(TaxIdKind kind, std::string_view text);

// As people read it: NIP "526-025-02-74", the others as their digits.
std::string displayText(const TaxId& id);

}  // namespace conduit::crm::parties
