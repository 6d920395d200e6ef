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
#include <utility>
#include <vector>

namespace conduit::crm {

struct AccessScope;

// An unread count that stops counting at kUnreadCap: "99+" rather than a scan of the store.
struct UnreadCount {
    std::int64_t count = 0;   // exact when !capped
    bool capped = false;      // at least `cap` unread
    std::int64_t cap = kCap;
    std::string label() const { return capped ? std::to_string(cap - 1) + "+" : std::to_string(count); }
    static constexpr std::int64_t kCap = 100;
};

// What "mark all read" changed for one user, enough to put it back (Undo).
struct ReadUndo {
    sdk::Id user = 0;
    std::int64_t previousWatermark = 0;
    std::int64_t watermark = 0;                            // the one mark-all-read set
    std::vector<std::pair<std::int64_t, bool>> marks;      // (event, read) marks it replaced
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
    // The same, returning what it replaced; undo() puts that back (marks made in between on
    // events up to the new watermark are replaced too).
    ReadUndo markAllReadUndoable(sdk::Id user);
    void undo(const ReadUndo& undo);

    // The ids among `eventIds` this user has read; what the user wrote always reads as read,
    // whatever was marked. Two queries per 100 ids.
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
    // The whole feed's count with a cap of one's own (a question before marking all read says
    // how many, "1 500", not "99+"). Reads at most `cap` rows.
    UnreadCount unreadCountUpTo(sdk::Id user, std::int64_t cap, const AccessScope* viewer = nullptr);

    std::int64_t watermark(sdk::Id user);  // 0: never marked all read

private:
    UnreadCount countUnread(sdk::Id user, const SubjectRef* subject, const AccessScope* viewer, std::int64_t cap);
    template <typename F>
    auto run(F&& unit);  // one unit of work; a session that died while idle gets one more try

    Database db_;
    Clock clock_;
};

}  // namespace conduit::crm
