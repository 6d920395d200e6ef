#include <conduit/crm/timeline/feed_query.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <conduit/crm/foundation/search_fold.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
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

std::string BoundParams::add(long long v) { ints.push_back(v); return ref('i', ints.size() - 1); }
std::string BoundParams::add(std::string v) { texts.push_back(std::move(v)); return ref('s', texts.size() - 1); }
std::string BoundParams::add(sdk::TimePoint t) { times.push_back(rows::toTm(t)); return ref('t', times.size() - 1); }

void BoundParams::bind(soci::details::prepare_temp_type& p) {
    for (auto& r : refs) {
        if (r.type == 'i') p, soci::use(ints[r.index], r.name);
        else if (r.type == 's') p, soci::use(texts[r.index], r.name);
        else p, soci::use(times[r.index], r.name);
    }
}

std::string BoundParams::ref(char type, std::size_t index) {
    refs.push_back({"p" + std::to_string(refs.size()), type, index});
    return ":" + refs.back().name;
}

std::string kindDecisionSql(const KindDecisions& d, BoundParams& params) {
    if (d.allowsEverything()) return {};
    if (d.entries.empty()) return d.fallback ? std::string{} : std::string("1 = 0");
    // First match decides, like KindDecisions::allows(): the list is ordered most specific first.
    std::string sql = "(CASE";
    for (const auto& e : d.entries) {
        const auto p = KindPattern::parse(e.pattern);
        if (!p)  // matches nothing, as in KindDecisions::allows()
            sql += " WHEN 1 = 0";
        else if (p->isAll())
            sql += " WHEN 1 = 1";
        else if (p->isPrefix())
            sql += " WHEN E.KIND STARTING WITH " + params.add(std::string(p->prefix()));
        else
            sql += " WHEN E.KIND = " + params.add(std::string(p->exact()));
        sql += e.allowed ? " THEN 1" : " THEN 0";
    }
    sql += d.fallback ? " ELSE 1 END) = 1" : " ELSE 0 END) = 1";
    return sql;
}

namespace {

// " OR E.KIND IN (...) OR E.STAGE IN (...)": the kinds and stages the text names in the reader's words.
std::string readerWordsSql(const FeedFilter& f, BoundParams& params) {
    if (f.textLocale.empty()) return {};
    const auto words = readerWordsMatching(f.text, Locale::of(f.textLocale));
    auto list = [&](const char* column, const std::vector<std::string>& values) {
        if (values.empty()) return std::string{};
        std::string sql = std::string(" OR ") + column + " IN (";
        for (std::size_t i = 0; i < values.size(); ++i) sql += (i ? ", " : "") + params.add(values[i]);
        return sql + ")";
    };
    return list("E.KIND", words.kinds) + list("E.STAGE", words.stages);
}

// Where a variant letter (ё) may stand in the text for a base letter (е) of the query.
std::vector<std::size_t> baseLetterPositions(const std::string& query) {
    std::vector<std::size_t> at;
    for (const auto& v : kLetterVariants)
        for (auto i = query.find(v.base); i != std::string::npos; i = query.find(v.base, i + v.base.size())) at.push_back(i);
    return at;
}

// "<column> CONTAINING <query>" where ё and е are one letter (CONTAINING already ignores case
// but keeps those two apart). A query without either costs what it did; with one, both
// spellings are searched (two CONTAINING per row, about 1.8 times a plain scan); with more, the
// column's variants are rewritten per row by REPLACE (about 2.9 times) rather than 2^n spellings.
std::string textContainsSql(const std::string& column, const std::string& query, BoundParams& params) {
    const std::string base = withBaseLetters(query);
    const auto positions = baseLetterPositions(base);
    if (positions.empty()) return column + " CONTAINING " + params.add(query);
    if (positions.size() == 1) {
        std::string variant = base;
        for (const auto& v : kLetterVariants)
            if (base.compare(positions[0], v.base.size(), v.base) == 0) {
                variant.replace(positions[0], v.base.size(), v.variant);
                break;
            }
        return "(" + column + " CONTAINING " + params.add(base) + " OR " + column + " CONTAINING " + params.add(variant) + ")";
    }
    std::string folded = column;
    for (const auto& v : kLetterVariants)
        folded = "REPLACE(" + folded + ", " + params.add(std::string(v.variant)) + ", " + params.add(std::string(v.base)) + ")";
    return folded + " CONTAINING " + params.add(base);
}

// The stored title holds amounts and invoice numbers a viewer without the kind's details does
// not see: on those kinds it answers only a text without digits (the names and words their
// redacted title still shows), and only when it has facts (without them the reader sees the
// kind's name, which readerWordsSql finds).
std::string titleSearchSql(const FeedFilter& f, const std::string& title, BoundParams& params) {
    if (!f.access) return title;
    const std::string detailsAllowed = kindDecisionSql(f.access->details, params);
    if (detailsAllowed.empty()) return title;
    const bool digits = std::any_of(f.text.begin(), f.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) return "(" + title + " AND " + detailsAllowed + ")";
    return "(" + title + " AND (" + detailsAllowed + " OR E.EXTRA CONTAINING '\"facts\"'))";
}

}  // namespace

void appendAccessConditions(const AccessScope* scope, BoundParams& params, std::vector<std::string>& where) {
    where.push_back("E.DELETED_AT IS NULL");
    if (!scope) return;
    if (auto kinds = kindDecisionSql(scope->see, params); !kinds.empty()) where.push_back(kinds);
    if (scope->onlyCounterparty) where.push_back("E.COUNTERPARTY_ID = " + params.add(static_cast<long long>(*scope->onlyCounterparty)));
    // Firebird caps an IN list at 1500 values: chunks, AND-ed.
    constexpr std::size_t kChunk = 500;
    for (std::size_t i = 0; i < scope->hiddenProjects.size(); i += kChunk) {
        std::string in = "(E.PROJECT_ID IS NULL OR E.PROJECT_ID NOT IN (";
        for (std::size_t k = i; k < std::min(i + kChunk, scope->hiddenProjects.size()); ++k)
            in += (k > i ? ", " : "") + params.add(static_cast<long long>(scope->hiddenProjects[k]));
        where.push_back(in + "))");
    }
}

void redactDetails(const AccessScope& scope, Event& e) {
    if (scope.maySeeDetails(e.kind)) return;
    e.amount.reset();
    e.invoiceNumber.clear();
    e.body.clear();
    e.attachments.clear();
    // The stored title was rendered with the amount and the invoice number: it goes too, and
    // eventText() renders the reader's title from what is left.
    e.title.clear();
    keepReadableFactsOnly(e);
    e.detailsRedacted = true;
}

namespace {

// The SQL and its parameters are built together so they cannot drift apart.
struct Built {
    std::string sql;
    BoundParams params;
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
    std::string from = "CRM_EVENT E", plan = " PLAN (E ORDER " + index + ")";
    std::string order = (driver != "E.OCCURRED_AT" ? driver + " DESC, " : std::string()) + "E.OCCURRED_AT DESC, E.ID DESC";
    std::string occurredAt = "E.OCCURRED_AT", eventId = "E.ID";
    if (f.subject && !f.subject->isEventColumn()) {
        // A subject of the link table drives the page: a walk of its own index range, as a
        // project's, with the keyset on the link rows' copy of (OCCURRED_AT, EVENT_ID).
        SubjectRange r = subjectRange(*f.subject, b.params);
        where.push_back(r.condition);
        from = r.from, plan = r.walkPlan, order = r.walkOrder, occurredAt = r.occurredAt, eventId = r.eventId;
    } else if (f.subject) {
        where.push_back(subjectCondition(*f.subject, b.params));  // a second project: an empty page
    }

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
    if (f.from) where.push_back(occurredAt + " >= " + b.params.add(*f.from));
    if (f.to) where.push_back(occurredAt + " < " + b.params.add(*f.to));
    if (after) {
        // (OCCURRED_AT, ID) < cursor, written so the first conjunct bounds the index range.
        const std::string t1 = b.params.add(after->occurredAt), t2 = b.params.add(after->occurredAt);
        const std::string id = b.params.add(static_cast<long long>(after->id));
        where.push_back(occurredAt + " <= " + t1 + " AND (" + occurredAt + " < " + t2 + " OR " + eventId + " < " + id + ")");
    }
    if (!f.text.empty()) {
        // CONTAINING is case-insensitive for Cyrillic and Polish letters in a UTF8 database.
        const std::string inTitle = textContainsSql("E.TITLE", f.text, b.params);
        const std::string inBody = textContainsSql("E.BODY", f.text, b.params);
        // A body the viewer may not read must not answer a search either (an invoice number).
        std::string bodyAllowed = f.access ? kindDecisionSql(f.access->details, b.params) : std::string{};
        where.push_back("(" + titleSearchSql(f, inTitle, b.params) + " OR (" + inBody +
                        (bodyAllowed.empty() ? "" : " AND " + bodyAllowed) + ")" +
                        readerWordsSql(f, b.params) + ")");
    }
    appendAccessConditions(f.access ? &*f.access : nullptr, b.params, where);

    b.sql = std::string("SELECT ") + rows::kEventColumns + " FROM " + from;
    for (std::size_t i = 0; i < where.size(); ++i) b.sql += (i ? " AND " : " WHERE ") + where[i];
    b.sql += plan + " ORDER BY " + order + " ROWS " + b.params.add(static_cast<long long>(limit + 1));
    return b;
}

// A project or counterparty subject is the filter's own field, unless that names another one.
FeedFilter withColumnSubject(FeedFilter f) {
    if (!f.subject || !f.subject->isEventColumn()) return f;
    auto& column = f.subject->type == subject_types::project ? f.project : f.counterparty;
    if (!column || *column == f.subject->id) {
        column = f.subject->id;
        f.subject.reset();
    }
    return f;
}

}  // namespace

FeedQuery::FeedQuery(const FeedFilter& filter, std::optional<FeedCursor> after, std::size_t limit)
    : filter_(withColumnSubject(filter)), after_(after), limit_(std::clamp<std::size_t>(limit, 1, kMaxLimit)) {
    sql_ = build(filter_, after_, limit_).sql;
}

FeedPage FeedQuery::run(soci::session& s) const {
    Built b = build(filter_, after_, limit_);
    FeedPage page;
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
    loadSubjects(s, page.events);
    if (filter_.access)
        for (auto& e : page.events) redactDetails(*filter_.access, e);
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
