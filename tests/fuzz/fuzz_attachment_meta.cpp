// libFuzzer: attachment metadata from people's files: sniffSheetMediaType (the bytes decide the
// type), safeFileName (hostile names) and isValidUtf8. Checks the promises of each.
#include <conduit/crm/entries/user_events.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace conduit::crm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    if (const auto type = sniffSheetMediaType(bytes)) {
        if (*type != "application/pdf" && *type != "image/jpeg" && *type != "image/png" && *type != "image/tiff") std::abort();
    }

    const std::string name = safeFileName(bytes);
    if (name.empty() || name.size() > 200 || !isValidUtf8(name)) std::abort();
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' ||
            c == '>' || c == '|')
            std::abort();
    if (name.front() == '.' || name.front() == ' ' || name.back() == '.' || name.back() == ' ') std::abort();
    if (safeFileName(name) != name) std::abort();  // already safe stays as it is

    // isValidUtf8 agrees with a decode through std::u8string-free reference: every prefix of a
    // valid string that ends on a character boundary is valid too.
    if (isValidUtf8(bytes)) {
        for (std::size_t i = 0; i <= bytes.size(); ++i) {
            const bool boundary = i == bytes.size() || (static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80;
            if (boundary && !isValidUtf8(bytes.substr(0, i))) std::abort();
        }
    }
    return 0;
}
