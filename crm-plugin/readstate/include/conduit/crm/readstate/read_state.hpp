// Which feed events each user has read: mark read/unread, mark all read, look up a list of ids
// and count what is unread, capped so the count stays cheap on a store of ten million events.
#pragma once

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/subject.hpp>

#include <conduit/sdk/services.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace conduit::crm {

struct AccessScope;

// An unread count that stops counting at kUnreadCap: "99+" rather than a scan of the store.
struct UnreadCount {
    std::int64_t count = 0;   // exact when !capped
    bool capped = false;      // at least kUnreadCap unread
    std::string label() const { return capped ? std::to_string(kCap - 1) + "+" : std::to_string(count); }
    static constexpr std::int64_t kCap = 100;
};

// State is a watermark per user (events up to an id are read) plus per-event marks that differ
// from it. The tables come from migration 003, applied by EventStore::open: open the store first.
//
// Thread-safety: every member may be called from any thread (its own small session pool).
// Errors: ConnectionError / StoreError as the event store throws them.
class ReadState {
public:
    // `clock` stamps when a user marked everything read.
    explicit ReadState(const sdk::DatabaseLocation& where, std::size_t sessions = 2, Clock clock = systemClock());
    ~ReadState();
    ReadState(const ReadState&) = delete;
    ReadState& operator=(const ReadState&) = delete;

    void markRead(sdk::Id user, std::int64_t eventId);
    void markUnread(sdk::Id user, std::int64_t eventId);
    // Everything recorded so far is read for this user (events written later stay unread).
    // Returns the new watermark (the newest event id; 0 on an empty store).
    std::int64_t markAllRead(sdk::Id user);

    // The ids among `eventIds` this user has read. One query per 100 ids.
    std::set<std::int64_t> readAmong(sdk::Id user, const std::vector<std::int64_t>& eventIds);
    // The same as one flag per id, in order (the shape notify::ReadFilter takes for digests).
    std::vector<bool> readFlags(sdk::Id user, const std::vector<std::int64_t>& eventIds);
    bool isRead(sdk::Id user, std::int64_t eventId) { return readAmong(user, {eventId}).count(eventId) > 0; }

    // Unread events of the whole feed for this user, not counting events the user wrote nor
    // deleted ones, nor, with `viewer`, events the user may not see (the feed's own conditions).
    // Reads at most UnreadCount::kCap visible rows (ROWS), whatever the store's size.
    UnreadCount unreadCount(sdk::Id user, const AccessScope* viewer = nullptr);
    // The same among one subject's events (a project, a company, a task, ...): reads that
    // subject's index range, as its feed page does, never the rest of the store.
    UnreadCount unreadCount(sdk::Id user, const SubjectRef& subject, const AccessScope* viewer = nullptr);

    std::int64_t watermark(sdk::Id user);  // 0: never marked all read

private:
    UnreadCount countUnread(sdk::Id user, const SubjectRef* subject, const AccessScope* viewer);
    template <typename F>
    auto run(F&& unit);  // one unit of work; a session that died while idle gets one more try

    Database db_;
    Clock clock_;
};

}  // namespace conduit::crm
