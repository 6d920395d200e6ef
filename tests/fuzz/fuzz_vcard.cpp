// libFuzzer target: readVCards survives any bytes, and the cards it read, written as 3.0, as 4.0
// and as 3.0 in windows-1251, read back as the same cards with the same names, e-mails and phones.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conduit/crm/exchange/vcard_reader.hpp"
#include "conduit/crm/exchange/vcard_writer.hpp"

using namespace conduit::crm::exchange;

namespace {

bool sameCard(const ContactRecord& a, const ContactRecord& b) {
    return a.formattedName == b.formattedName && a.familyName == b.familyName && a.givenName == b.givenName &&
           a.organisation == b.organisation && a.emails == b.emails && a.phones == b.phones &&
           a.messengers == b.messengers && a.isCompany == b.isCompany && a.photo == b.photo;
}

void expectReadBack(const ContactFile& first, const VCardWriteOptions& options) {
    const auto again = readVCards(writeVCards(first.records, options));
    if (again.records.size() != first.records.size()) std::abort();
    for (std::size_t i = 0; i < first.records.size(); ++i)
        if (!sameCard(first.records[i], again.records[i])) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    VCardReadOptions options;
    options.maxCards = 64;
    const auto first = readVCards(bytes, options);
    expectReadBack(first, {VCardVersion::V3_0, ""});
    expectReadBack(first, {VCardVersion::V4_0, ""});
    expectReadBack(first, {VCardVersion::V3_0, "windows-1251"});
    return 0;
}
