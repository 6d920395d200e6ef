// Turns a FeedFilter into one prepared, bound, ROWS-limited keyset query over CRM_EVENT and runs
// it. Picks the DESCENDING index that drives the page and keeps the optimizer off the others.
#pragma once

#include "store/feed.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace conduit::crm {

class FeedQuery {
public:
    static constexpr std::size_t kMaxLimit = 1000;

    FeedQuery(const FeedFilter& filter, std::optional<FeedCursor> after, std::size_t limit);

    // The SQL text (fixed fragments only: user values are always bound parameters).
    const std::string& sql() const { return sql_; }
    // Runs on `s` and ends the read transaction, so the next page sees newly committed events.
    FeedPage run(soci::session& s) const;

private:
    FeedFilter filter_;
    std::optional<FeedCursor> after_;
    std::size_t limit_;
    std::string sql_;
};

// Attachment metadata (no content) of events in `page`, filled in place.
void loadAttachmentMetadata(soci::session& s, std::vector<Event>& events);

}  // namespace conduit::crm
