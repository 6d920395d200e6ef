#include <conduit/crm/parties/host_counterparty.hpp>

#include <conduit/crm/parties/field_problem.hpp>

#include <algorithm>
#include <cctype>

namespace conduit::crm::parties {
namespace {

// The host keeps no country: the language the customer is written to says it for Polish and
// Russian ones; for others an international phone number does, else the installation's.
std::string countryOf(const sdk::Counterparty& c, const std::string& fallback) {
    if (c.language == "pl") return "PL";
    if (c.language == "ru") return "RU";
    if (auto byPhone = countryOfNumber(c.contactPhone); !byPhone.empty()) return byPhone;
    return fallback;
}

// A host's tax id field holds whatever its users typed: "PL5260250274", "7707083893", a VAT id
// of another country. The kind is read from the country and the number of digits.
std::optional<TaxId> taxIdOf(const std::string& text, const std::string& country) {
    std::string digits;
    for (char ch : text)
        if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
    const bool polish = country == "PL" || text.rfind("PL", 0) == 0;
    std::optional<TaxIdKind> kind;
    if (polish && digits.size() == 10) kind = TaxIdKind::PlNip;
    else if (country == "RU" && (digits.size() == 10 || digits.size() == 12)) kind = TaxIdKind::RuInn;
    if (!kind || taxIdProblem(*kind, text)) return std::nullopt;
    return parseTaxId(*kind, text);
}

}  // namespace

HostConversion fromHostCounterparty(const sdk::Counterparty& c, const std::string& fallbackCountry) {
    HostConversion out;
    Party& p = out.party;
    const auto country = countryOf(c, fallbackCountry);
    p.kind = c.kind == sdk::CounterpartyKind::Person ? PartyKind::Person : PartyKind::Company;
    p.fullName = c.name;
    p.hostId = c.id;
    p.language = c.language;
    p.roles = roleBit(PartyRole::Customer);
    if (!c.taxId.empty()) {
        if (auto tax = taxIdOf(c.taxId, country)) p.taxIds.push_back(*tax);
        else out.skipped.push_back("tax id '" + c.taxId + "': not a valid NIP or INN");
    }
    if (!c.city.empty() || !c.address.empty()) {
        Address a;
        a.purpose = AddressPurpose::Legal;
        a.country = country;
        a.city = c.city;
        a.street = c.address;
        p.addresses.push_back(a);
    }
    if (!c.contactPhone.empty()) {
        if (!phoneProblem(c.contactPhone, country)) p.phones.push_back({parsePhone(c.contactPhone, country), c.contactName});
        else out.skipped.push_back("phone '" + c.contactPhone + "': not a phone number");
    }
    if (!c.contactEmail.empty()) {
        if (!emailProblem(c.contactEmail)) p.emails.push_back({parseEmail(c.contactEmail), c.contactName});
        else out.skipped.push_back("e-mail '" + c.contactEmail + "': not an address");
    }
    return out;
}

CommercialTerms fromHostTerms(const sdk::CommercialTerms& terms) {
    CommercialTerms t;
    t.turnoverLastYear = terms.turnoverLastYear;
    t.turnoverThisYear = terms.turnoverThisYear;
    t.creditLimit = terms.creditLimit;
    t.discountBasisPoints = terms.discountBasisPoints;
    t.paymentTermDays = terms.paymentTermDays;
    return t;
}

}  // namespace conduit::crm::parties
