#include "store/feed_query.hpp"

#include "store/event_rows.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <limits>
#include <unordered_map>

namespace conduit::crm {

std::string FeedCursor::toString() const {
    return std::to_string(occurredAt.time_since_epoch().count()) + ":" + std::to_string(id);
}

std::optional<FeedCursor> FeedCursor::parse(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    long long seconds = 0, id = 0;
    const auto a = std::from_chars(text.data(), text.data() + colon, seconds);
    const auto b = std::from_chars(text.data() + colon + 1, text.data() + text.size(), id);
    if (a.ec != std::errc{} || a.ptr != text.data() + colon || b.ec != std::errc{} || b.ptr != text.data() + text.size())
        return std::nullopt;
    return FeedCursor{sdk::TimePoint(std::chrono::seconds(seconds)), id};
}

namespace {

// Parameter values kept alive (and at stable addresses) for the statement that binds them.
struct Params {
    struct Ref { std::string name; char type; std::size_t index; };
    std::deque<long long> ints;
    std::deque<std::string> texts;
    std::deque<std::tm> times;
    std::vector<Ref> refs;

    std::string add(long long v) { ints.push_back(v); return ref('i', ints.size() - 1); }
    std::string add(std::string v) { texts.push_back(std::move(v)); return ref('s', texts.size() - 1); }
    std::string add(sdk::TimePoint t) { times.push_back(rows::toTm(t)); return ref('t', times.size() - 1); }

    void bind(soci::details::prepare_temp_type& p) {
        for (auto& r : refs) {
            if (r.type == 'i') p, soci::use(ints[r.index], r.name);
            else if (r.type == 's') p, soci::use(texts[r.index], r.name);
            else p, soci::use(times[r.index], r.name);
        }
    }

private:
    std::string ref(char type, std::size_t index) {
        refs.push_back({"p" + std::to_string(refs.size()), type, index});
        return ":" + refs.back().name;
    }
};

// The SQL and its parameters are built together so they cannot drift apart.
struct Built {
    std::string sql;
    Params params;
};

Built build(const FeedFilter& f, const std::optional<FeedCursor>& after, std::size_t limit) {
    Built b;
    std::vector<std::string> where;

    // The page is a walk down one DESCENDING (X, OCCURRED_AT, ID) index, named in an explicit
    // PLAN: left to itself the optimizer also ANDs a bitmap of CRM_EVENT_FEED for the cursor
    // condition, i.e. reads every key older than the cursor before returning 100 rows.
    std::string driver = "E.OCCURRED_AT", index = "CRM_EVENT_FEED";
    if (f.project) driver = "E.PROJECT_ID", index = "CRM_EVENT_PROJECT";
    else if (f.counterparty) driver = "E.COUNTERPARTY_ID", index = "CRM_EVENT_COUNTERPARTY";
    else if (f.author) driver = "E.AUTHOR_ID", index = "CRM_EVENT_AUTHOR";
    else if (f.kinds.size() == 1) driver = "E.KIND", index = "CRM_EVENT_KIND";

    if (f.project) where.push_back("E.PROJECT_ID = " + b.params.add(static_cast<long long>(*f.project)));
    if (f.counterparty) where.push_back("E.COUNTERPARTY_ID = " + b.params.add(static_cast<long long>(*f.counterparty)));
    if (f.author) where.push_back("E.AUTHOR_ID = " + b.params.add(static_cast<long long>(*f.author)));
    if (f.kinds.size() == 1) {
        where.push_back("E.KIND = " + b.params.add(f.kinds.front()));
    } else if (!f.kinds.empty()) {
        std::string in = "E.KIND IN (";
        for (std::size_t i = 0; i < f.kinds.size(); ++i) in += (i ? ", " : "") + b.params.add(f.kinds[i]);
        where.push_back(in + ")");
    }
    if (f.sourceModule) where.push_back("E.SOURCE_MODULE = " + b.params.add(*f.sourceModule));
    if (f.minImportance) where.push_back("E.IMPORTANCE >= " + b.params.add(static_cast<long long>(*f.minImportance)));
    if (f.from) where.push_back("E.OCCURRED_AT >= " + b.params.add(*f.from));
    if (f.to) where.push_back("E.OCCURRED_AT < " + b.params.add(*f.to));
    if (after) {
        // (OCCURRED_AT, ID) < cursor, written so the first conjunct bounds the index range.
        const std::string t1 = b.params.add(after->occurredAt), t2 = b.params.add(after->occurredAt);
        const std::string id = b.params.add(static_cast<long long>(after->id));
        where.push_back("E.OCCURRED_AT <= " + t1 + " AND (E.OCCURRED_AT < " + t2 + " OR E.ID < " + id + ")");
    }
    if (!f.text.empty()) {
        // CONTAINING is case-insensitive for Cyrillic and Polish letters in a UTF8 database.
        const std::string q1 = b.params.add(f.text), q2 = b.params.add(f.text);
        where.push_back("(E.TITLE CONTAINING " + q1 + " OR E.BODY CONTAINING " + q2 + ")");
    }

    b.sql = std::string("SELECT ") + rows::kEventColumns + " FROM CRM_EVENT E";
    for (std::size_t i = 0; i < where.size(); ++i) b.sql += (i ? " AND " : " WHERE ") + where[i];
    b.sql += " PLAN (E ORDER " + index + ") ORDER BY ";
    if (driver != "E.OCCURRED_AT") b.sql += driver + " DESC, ";
    b.sql += "E.OCCURRED_AT DESC, E.ID DESC ROWS " + b.params.add(static_cast<long long>(limit + 1));
    return b;
}

}  // namespace

FeedQuery::FeedQuery(const FeedFilter& filter, std::optional<FeedCursor> after, std::size_t limit)
    : filter_(filter), after_(after), limit_(std::clamp<std::size_t>(limit, 1, kMaxLimit)) {
    sql_ = build(filter_, after_, limit_).sql;
}

FeedPage FeedQuery::run(soci::session& s) const {
    Built b = build(filter_, after_, limit_);
    FeedPage page;
    try {
        Event row;
        auto prep = (s.prepare << b.sql);
        b.params.bind(prep);
        prep, soci::into(row);
        soci::statement st(prep);
        st.execute(false);
        // One row past the limit tells whether another page exists without an extra query.
        while (st.fetch()) {
            if (page.events.size() == limit_) {
                const Event& last = page.events.back();
                page.next = FeedCursor{last.occurredAt, last.id};
                break;
            }
            page.events.push_back(row);
        }
        loadAttachmentMetadata(s, page.events);
        s.commit();
    } catch (...) {
        try { s.rollback(); } catch (const std::exception&) {}
        throw;
    }
    return page;
}

void loadAttachmentMetadata(soci::session& s, std::vector<Event>& events) {
    long long eventId = 0, size = 0;
    int position = 0;
    std::string fileName, mediaType, hash;
    std::optional<soci::statement> st;
    for (auto& e : events) {
        if (e.attachments.empty()) continue;  // sized from ATTACHMENT_COUNT by the row mapping
        if (!st) {
            st.emplace((s.prepare << "SELECT ATTACHMENT_NO, FILE_NAME, MEDIA_TYPE, SIZE_BYTES, SHA256 FROM CRM_EVENT_ATTACHMENT"
                                     " WHERE EVENT_ID = :e ORDER BY ATTACHMENT_NO",
                        soci::use(eventId), soci::into(position), soci::into(fileName), soci::into(mediaType),
                        soci::into(size), soci::into(hash)));
        }
        eventId = e.id;
        st->execute(false);
        while (st->fetch()) {
            if (position < 0 || static_cast<std::size_t>(position) >= e.attachments.size()) continue;
            auto& a = e.attachments[static_cast<std::size_t>(position)];
            a.fileName = fileName;
            a.mediaType = mediaType;
            a.size = size;
            a.sha256 = hash;
        }
    }
}

}  // namespace conduit::crm
