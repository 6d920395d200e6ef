// libFuzzer: one line of the adapters' overflow journal. Any bytes parse into a HostChange or are
// refused with JournalFormatError (or nlohmann's parse error); a parsed change round-trips.
#include "host_change_json.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace conduit::adapters;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    HostChange change;
    try {
        change = parseJsonLine(line);
    } catch (const JournalFormatError&) {
        return 0;
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    // Written back, it is one line and reads back as the same JSON.
    const std::string again = toJsonLine(change);
    if (again.find('\n') != std::string::npos) std::abort();
    const HostChange twice = parseJsonLine(again);
    if (toJson(twice) != toJson(change)) std::abort();
    return 0;
}
