// libFuzzer target: the catalogue's field parsers (tax ids, phones, e-mails, match keys) never
// crash, and what one of them accepts it accepts again in its normalised form unchanged.
#include <conduit/crm/parties/email_address.hpp>
#include <conduit/crm/parties/match_key.hpp>
#include <conduit/crm/parties/phone_number.hpp>
#include <conduit/crm/parties/tax_id.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace conduit::crm::parties;

namespace {

void taxIds(std::string_view text) {
    for (auto kind : {TaxIdKind::PlNip, TaxIdKind::PlRegon, TaxIdKind::RuInn, TaxIdKind::RuKpp, TaxIdKind::RuOgrn,
                      TaxIdKind::RuOgrnip}) {
        if (taxIdProblem(kind, text)) continue;
        const TaxId id = parseTaxId(kind, text);
        if (parseTaxId(kind, id.value) != id || taxIdProblem(kind, displayText(id))) std::abort();
    }
}

void phone(std::string_view text) {
    if (phoneProblem(text, "PL")) return;
    const PhoneNumber p = parsePhone(text, "PL");
    if (p.e164.empty() || p.e164[0] != '+' || parsePhone(p.e164, "RU").e164 != p.e164) std::abort();
    (void)displayText(p, "RU");
}

void email(std::string_view text) {
    if (emailProblem(text)) return;
    const EmailAddress a = parseEmail(text);
    if (parseEmail(a.address) != a) std::abort();
}

void keys(std::string_view text) {
    const std::string person = personNameKey(text);
    if (personNameKey(person) != person) std::abort();  // a key is its own key
    (void)companyNameKey(text);
    (void)looseKey(person);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    taxIds(text);
    phone(text);
    email(text);
    keys(text);
    return 0;
}
