#include <conduit/crm/readstate/read_state.hpp>

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <chrono>

namespace conduit::crm {
namespace {

long long watermarkIn(soci::session& s, long long user) {
    long long upTo = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT UP_TO_ID FROM CRM_READ_WATERMARK WHERE USER_ID = :u", soci::use(user), soci::into(upTo, ind);
    return s.got_data() && ind == soci::i_ok ? upTo : 0;
}

// The mark that differs from the watermark, or none when the watermark already says it.
void setMark(soci::session& s, long long user, long long eventId, bool read) {
    const bool coveredByWatermark = eventId <= watermarkIn(s, user);
    if (coveredByWatermark == read) {
        s << "DELETE FROM CRM_READ_MARK WHERE USER_ID = :u AND EVENT_ID = :e", soci::use(user), soci::use(eventId);
    } else {
        const int flag = read ? 1 : 0;
        s << "UPDATE OR INSERT INTO CRM_READ_MARK (USER_ID, EVENT_ID, IS_READ) VALUES (:u, :e, :r) MATCHING (USER_ID, EVENT_ID)",
            soci::use(user), soci::use(eventId), soci::use(flag);
    }
}

}  // namespace

ReadState::ReadState(const sdk::DatabaseLocation& where, std::size_t sessions, Clock clock)
    : db_(where, sessions), clock_(std::move(clock)) {}
ReadState::~ReadState() = default;

template <typename F>
auto ReadState::run(F&& unit) {
    return inTransaction(db_, "read state", std::forward<F>(unit), OnLostConnection::RetryOnce);
}

void ReadState::markRead(sdk::Id user, std::int64_t eventId) {
    run([&](soci::session& s) { setMark(s, user, eventId, true); });
}

void ReadState::markUnread(sdk::Id user, std::int64_t eventId) {
    run([&](soci::session& s) { setMark(s, user, eventId, false); });
}

std::int64_t ReadState::markAllRead(sdk::Id user) { return markAllReadUndoable(user).watermark; }

ReadUndo ReadState::markAllReadUndoable(sdk::Id user) {
    return run([&](soci::session& s) -> ReadUndo {
        const long long u = user;
        ReadUndo undo;
        undo.user = user;
        undo.previousWatermark = watermarkIn(s, u);
        long long newest = 0;
        soci::indicator ind = soci::i_null;
        s << "SELECT MAX(ID) FROM CRM_EVENT", soci::into(newest, ind);  // the primary key's last entry
        if (ind != soci::i_ok) newest = 0;
        newest = std::max(newest, watermarkIn(s, u));  // never moves back
        std::tm now = rows::toTm(clock_());
        s << "UPDATE OR INSERT INTO CRM_READ_WATERMARK (USER_ID, UP_TO_ID, MARKED_AT) VALUES (:u, :w, :t) MATCHING (USER_ID)",
            soci::use(u), soci::use(newest), soci::use(now);
        // Marks at or below the watermark said "read" (now implied) or "unread" (now overruled);
        // kept in the undo first.
        {
            long long eventId = 0;
            int flag = 0;
            soci::statement st = (s.prepare << "SELECT EVENT_ID, IS_READ FROM CRM_READ_MARK WHERE USER_ID = :u AND EVENT_ID <= :w",
                                  soci::use(u), soci::use(newest), soci::into(eventId), soci::into(flag));
            st.execute();
            while (st.fetch()) undo.marks.emplace_back(eventId, flag != 0);
        }
        s << "DELETE FROM CRM_READ_MARK WHERE USER_ID = :u AND EVENT_ID <= :w", soci::use(u), soci::use(newest);
        undo.watermark = newest;
        return undo;
    });
}

void ReadState::undo(const ReadUndo& undo) {
    run([&](soci::session& s) {
        const long long u = undo.user, upTo = undo.watermark, previous = undo.previousWatermark;
        std::tm now = rows::toTm(clock_());
        s << "DELETE FROM CRM_READ_MARK WHERE USER_ID = :u AND EVENT_ID <= :w", soci::use(u), soci::use(upTo);
        s << "UPDATE OR INSERT INTO CRM_READ_WATERMARK (USER_ID, UP_TO_ID, MARKED_AT) VALUES (:u, :w, :t) MATCHING (USER_ID)",
            soci::use(u), soci::use(previous), soci::use(now);
        for (const auto& [eventId, read] : undo.marks) {
            const long long e = eventId;
            const int flag = read ? 1 : 0;
            s << "UPDATE OR INSERT INTO CRM_READ_MARK (USER_ID, EVENT_ID, IS_READ) VALUES (:u, :e, :r) MATCHING (USER_ID, EVENT_ID)",
                soci::use(u), soci::use(e), soci::use(flag);
        }
    });
}

std::int64_t ReadState::watermark(sdk::Id user) {
    return run([&](soci::session& s) -> std::int64_t { return watermarkIn(s, user); });
}

std::set<std::int64_t> ReadState::readAmong(sdk::Id user, const std::vector<std::int64_t>& eventIds) {
    std::set<std::int64_t> read;
    if (eventIds.empty()) return read;
    return run([&](soci::session& s) {
        const long long u = user;
        const long long upTo = watermarkIn(s, u);
        std::set<std::int64_t> flipped;  // ids whose mark differs from the watermark
        std::set<std::int64_t> own;      // ids the user wrote
        constexpr std::size_t kBatch = 100;
        for (std::size_t start = 0; start < eventIds.size(); start += kBatch) {
            const std::size_t n = std::min(kBatch, eventIds.size() - start);
            // Placeholders are generated text (:e0, :e1, ...); every id is bound.
            std::vector<long long> ids(eventIds.begin() + static_cast<std::ptrdiff_t>(start),
                                       eventIds.begin() + static_cast<std::ptrdiff_t>(start + n));
            std::string in;
            for (std::size_t i = 0; i < n; ++i) in += (i ? ", :e" : ":e") + std::to_string(i);
            long long id = 0;
            auto select = [&](const std::string& sql, std::set<std::int64_t>& into) {
                soci::statement st(s);
                st.exchange(soci::into(id));
                st.exchange(soci::use(u, "u"));
                for (std::size_t i = 0; i < n; ++i) st.exchange(soci::use(ids[i], "e" + std::to_string(i)));
                st.alloc();
                st.prepare(sql);
                st.define_and_bind();
                st.execute(false);
                while (st.fetch()) into.insert(id);
            };
            select("SELECT EVENT_ID FROM CRM_READ_MARK WHERE USER_ID = :u AND EVENT_ID IN (" + in + ")", flipped);
            // What the user wrote themselves is never news to them, whatever the marks say.
            select("SELECT ID FROM CRM_EVENT WHERE AUTHOR_ID = :u AND ID IN (" + in + ")", own);
        }
        for (auto id : eventIds) {
            const bool byWatermark = id <= upTo;
            if (own.count(id) || byWatermark != (flipped.count(id) > 0)) read.insert(id);
        }
        return read;
    });
}

std::vector<bool> ReadState::readFlags(sdk::Id user, const std::vector<std::int64_t>& eventIds) {
    const auto read = readAmong(user, eventIds);
    std::vector<bool> flags;
    flags.reserve(eventIds.size());
    for (auto id : eventIds) flags.push_back(read.count(id) > 0);
    return flags;
}

UnreadCount ReadState::unreadCount(sdk::Id user, const AccessScope* viewer) {
    return countUnread(user, nullptr, viewer, UnreadCount::kCap);
}

UnreadCount ReadState::unreadCount(sdk::Id user, const SubjectRef& subject, const AccessScope* viewer) {
    return countUnread(user, &subject, viewer, UnreadCount::kCap);
}

UnreadCount ReadState::unreadCountUpTo(sdk::Id user, std::int64_t cap, const AccessScope* viewer) {
    return countUnread(user, nullptr, viewer, std::max<std::int64_t>(cap, 1));
}

UnreadCount ReadState::countUnread(sdk::Id user, const SubjectRef* subject, const AccessScope* viewer, std::int64_t limit) {
    return run([&](soci::session& s) {
        const long long u = user;
        const long long upTo = watermarkIn(s, u);
        const long long cap = static_cast<long long>(limit);
        long long above = 0, below = 0;
        auto count = [&](BoundParams& params, std::vector<std::string> where, const std::string& from,
                         const std::string& tail, long long& into) {
            appendAccessConditions(viewer, params, where);  // deleted never; what the viewer may not see
            std::string sql = "SELECT COUNT(*) FROM (SELECT E.ID FROM " + from + " WHERE ";
            for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
            sql += tail + " ROWS " + params.add(cap) + ")";
            auto prep = (s.prepare << sql);
            params.bind(prep);
            prep, soci::into(into);
            soci::statement st(prep);
            st.execute(true);
        };
        // Newer than the watermark and not marked read. The whole feed: a walk up the primary key
        // from the watermark that stops after `cap` hits (ROWS inside, so COUNT never sees more).
        // One subject: its own index range, bounded by the subject's size rather than the store's.
        {
            BoundParams p;
            std::vector<std::string> where;
            std::string from = "CRM_EVENT E", tail = " ORDER BY E.ID";
            if (subject) {
                SubjectRange range = subjectRange(*subject, p);
                where.push_back(range.condition);
                from = range.from, tail = " PLAN (" + range.streams + ")";
            }
            where.push_back("E.ID > " + p.add(upTo));
            where.push_back("E.AUTHOR_ID IS DISTINCT FROM " + p.add(u));
            where.push_back("NOT EXISTS (SELECT 1 FROM CRM_READ_MARK M WHERE M.USER_ID = " + p.add(u) +
                            " AND M.EVENT_ID = E.ID AND M.IS_READ = 1)");
            count(p, where, from, tail, above);
        }
        // Marked unread again at or below the watermark.
        {
            BoundParams p;
            std::vector<std::string> where{"M.USER_ID = " + p.add(u), "M.IS_READ = 0", "M.EVENT_ID <= " + p.add(upTo),
                                           "E.AUTHOR_ID IS DISTINCT FROM " + p.add(u)};
            if (subject) where.push_back(subjectCondition(*subject, p));
            count(p, where, "CRM_READ_MARK M JOIN CRM_EVENT E ON E.ID = M.EVENT_ID", "", below);
        }
        UnreadCount c;
        c.cap = limit;
        c.count = std::min<long long>(above + below, limit);
        c.capped = above + below >= limit;
        return c;
    });
}

}  // namespace conduit::crm
