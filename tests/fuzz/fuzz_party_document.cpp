// libFuzzer target: a party's stored document read back (a file damaged or written by another
// version) and a host counterparty's typed fields never crash the catalogue, and a document it
// reads it writes again unchanged.
#include "party_document.hpp"

#include <conduit/crm/parties/host_counterparty.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace conduit::crm::parties;

namespace {

void storedDocument(const std::string& bytes) {
    const auto json = nlohmann::json::parse(bytes, nullptr, false);
    if (!json.is_object()) return;
    Party p;
    try {
        detail::fromDocument(json, p);
    } catch (const nlohmann::json::exception&) {
        return;  // a field of the wrong type: the store reports the row, it does not crash
    }
    (void)detail::keysOf(p);
    (void)detail::nameFold(p);
    Party again;
    detail::fromDocument(detail::toDocument(p), again);
    if (!(again == p)) std::abort();
}

// The input split at newlines into the fields a host's users type.
void hostCounterparty(const std::string& bytes) {
    std::string parts[6];
    std::size_t i = 0;
    for (char ch : bytes) {
        if (ch == '\n' && i < 5) ++i;
        else parts[i] += ch;
    }
    conduit::sdk::Counterparty c;
    c.id = 1;
    c.name = parts[0];
    c.taxId = parts[1];
    c.contactPhone = parts[2];
    c.contactEmail = parts[3];
    c.city = parts[4];
    c.language = parts[5];
    const auto converted = fromHostCounterparty(c, "PL");
    if (converted.party.hostId != 1) std::abort();
    (void)detail::keysOf(converted.party);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    storedDocument(bytes);
    hostCounterparty(bytes);
    return 0;
}
