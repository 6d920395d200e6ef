// libFuzzer target: decodeFile and toUtf8 give valid UTF-8 for any bytes, and text a code page
// could hold reads back the same after fromUtf8.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conduit/crm/exchange/codepage.hpp"
#include "conduit/crm/foundation/text.hpp"

using namespace conduit::crm::exchange;

namespace {

constexpr std::array<std::string_view, 9> kCharsets{"windows-1250", "windows-1251", "windows-1252", "ISO-8859-2",
                                                    "KOI8-R", "UTF-16LE", "UTF-16BE", "UTF-8", "us-ascii"};

void expectRoundTrip(std::string_view text, std::string_view charset) {
    const auto encoded = fromUtf8(text, charset);
    if (!encoded.ok() || text.substr(0, 3) == "\xEF\xBB\xBF") return;
    const auto decoded = toUtf8(encoded.bytes, charset);
    if (!decoded.ok() || decoded.text != text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto charset = kCharsets[data[0] % kCharsets.size()];
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto file = decodeFile(bytes);
    if (!conduit::crm::isValidUtf8(file.text) || file.encoding.empty()) std::abort();
    const auto forced = decodeFile(bytes, charset);
    if (!conduit::crm::isValidUtf8(forced.text)) std::abort();
    const auto converted = toUtf8(bytes, charset);
    if (!conduit::crm::isValidUtf8(converted.text)) std::abort();
    expectRoundTrip(file.text, charset);
    expectRoundTrip(converted.text, charset);
    return 0;
}
