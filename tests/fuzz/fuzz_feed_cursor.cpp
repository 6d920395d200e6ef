// libFuzzer: FeedCursor::parse, the keyset position forms keep as text. Any bytes give nullopt or
// a cursor whose text form parses back to itself.
#include <conduit/crm/timeline/feed.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using conduit::crm::FeedCursor;
    const auto cursor = FeedCursor::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!cursor) return 0;
    const auto again = FeedCursor::parse(cursor->toString());
    if (!again || !(*again == *cursor)) std::abort();
    return 0;
}
