// libFuzzer target: the LDIF reader and the attribute map a user edits never crash, give only
// valid UTF-8 text, and place every problem on a line the input has.
#include <conduit/crm/exchange/attribute_map.hpp>
#include <conduit/crm/exchange/ldif_reader.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace conduit::crm;
using namespace conduit::crm::exchange;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void checkProblems(const std::vector<ExchangeProblem>& problems, std::size_t lines) {
    for (const auto& p : problems) {
        check(p.line <= lines);
        check(isValidUtf8(p.field) && isValidUtf8(p.detail));
    }
}

void checkRecord(const ContactRecord& r, std::size_t lines) {
    check(r.line >= 1 && r.line <= lines);
    for (const auto* text : {&r.sourceId, &r.formattedName, &r.givenName, &r.familyName, &r.additionalNames,
                             &r.organisation, &r.department, &r.jobTitle, &r.note, &r.language})
        check(isValidUtf8(*text));
    for (const auto& [name, value] : r.extra) check(isValidUtf8(value));
    for (const auto& a : r.addresses) check(isValidUtf8(a.street) && isValidUtf8(a.city));
    checkProblems(r.problems, lines);
}

void ldif(std::string_view text) {
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    const ContactFile file = readLdif(text);
    for (const auto& r : file.records) checkRecord(r, lines);
    checkProblems(file.problems, lines);
}

void map(std::string_view text) {
    std::vector<ExchangeProblem> problems;
    try {
        const AttributeMap read = AttributeMap::fromJson(text, problems);
        std::vector<ExchangeProblem> again;
        check(AttributeMap::fromJson(read.toJson(), again) == read);
    } catch (const ExchangeError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ldif(text);
    if (!text.empty() && text.front() == '{') map(text);
    return 0;
}
