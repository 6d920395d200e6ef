#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>
#include <conduit/crm/database/migrations.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

namespace conduit::crm {

std::unique_ptr<EventStore> EventStore::open(const sdk::DatabaseLocation& where, StoreOptions options) {
    return std::unique_ptr<EventStore>(new EventStore(where, options));
}

EventStore::EventStore(const sdk::DatabaseLocation& where, const StoreOptions& options)
    : db_(where, options.readSessions, options.durability), clock_(options.clock) {
    schemaVersion_ = inTransaction(db_, "event store", [&](soci::session& s) {
        return Migrations(embeddedMigrations(), options.clock).apply(s).toVersion;
    });
    WriterOptions writerOptions = options.writer;
    writerOptions.clock = options.clock;
    writer_ = std::make_unique<EventWriter>(db_, writerOptions);
    // First of the participants: what the outbox and the audit add later may read the links.
    writer_->addParticipant(&writeSubjects);
}

EventStore::~EventStore() {
    if (writer_) writer_->stop(std::chrono::seconds(2));
}

template <typename F>
auto EventStore::read(F&& query) {
    return inTransaction(db_, "event store", std::forward<F>(query), OnLostConnection::RetryOnce);
}

FeedPage EventStore::feed(const FeedFilter& filter, std::optional<FeedCursor> after, std::size_t limit) {
    const FeedQuery query(filter, after, limit);
    return read([&](soci::session& s) { return query.run(s); });
}

std::optional<Event> EventStore::event(std::int64_t id) { return loadEvent(id, nullptr); }
std::optional<Event> EventStore::event(std::int64_t id, const AccessScope& viewer) { return loadEvent(id, &viewer); }

std::optional<Event> EventStore::loadEvent(std::int64_t id, const AccessScope* viewer) {
    return read([&](soci::session& s) -> std::optional<Event> {
        BoundParams params;
        std::vector<std::string> where{"E.ID = " + params.add(static_cast<long long>(id))};
        appendAccessConditions(viewer, params, where);
        std::string sql = std::string("SELECT ") + rows::kEventColumns + " FROM CRM_EVENT E WHERE ";
        for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
        Event e;
        std::vector<Event> one;
        auto prep = (s.prepare << sql);
        params.bind(prep);
        prep, soci::into(e);
        soci::statement st(prep);
        st.execute(true);
        if (!st.got_data()) return std::nullopt;
        one.push_back(std::move(e));
        loadAttachmentMetadata(s, one);
        loadSubjects(s, one);
        if (viewer) redactDetails(*viewer, one.front());
        return std::move(one.front());
    });
}

std::optional<std::string> EventStore::attachmentContent(const std::string& sha256) { return loadContent(sha256, nullptr); }
std::optional<std::string> EventStore::attachmentContent(const std::string& sha256, const AccessScope& viewer) {
    return loadContent(sha256, &viewer);
}

namespace {

// Some event the viewer may see, with details they may see, holds this content.
bool mayReadContent(soci::session& s, const std::string& sha256, const AccessScope& viewer) {
    BoundParams params;
    std::vector<std::string> where{"A.SHA256 = " + params.add(sha256)};
    appendAccessConditions(&viewer, params, where);
    if (auto details = kindDecisionSql(viewer.details, params); !details.empty()) where.push_back(details);
    std::string sql = "SELECT FIRST 1 E.ID FROM CRM_EVENT_ATTACHMENT A JOIN CRM_EVENT E ON E.ID = A.EVENT_ID WHERE ";
    for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
    long long eventId = 0;
    auto prep = (s.prepare << sql);
    params.bind(prep);
    prep, soci::into(eventId);
    soci::statement st(prep);
    st.execute(true);
    return st.got_data();
}

}  // namespace

std::optional<std::string> EventStore::loadContent(const std::string& sha256, const AccessScope* viewer) {
    return read([&](soci::session& s) -> std::optional<std::string> {
        if (viewer && !mayReadContent(s, sha256, *viewer)) return std::nullopt;
        // Read whole, and the blob closed, before the transaction ends (see the writer).
        soci::blob blob(s);
        soci::statement st = (s.prepare << "SELECT CONTENT FROM CRM_ATTACHMENT_CONTENT WHERE SHA256 = :h",
                              soci::use(sha256), soci::into(blob));
        st.execute(false);
        if (!st.fetch()) return std::nullopt;
        std::string bytes(blob.get_len(), '\0');
        if (!bytes.empty()) blob.read(0, bytes.data(), bytes.size());
        return bytes;
    });
}

Summary EventStore::counterpartySummary(sdk::Id counterparty, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(SummaryQuery::Scope::Counterparty, counterparty, now.value_or(clock_()));
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::projectSummary(sdk::Id project, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(SummaryQuery::Scope::Project, project, now.value_or(clock_()));
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::counterpartySummary(sdk::Id counterparty, const AccessScope& viewer, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(SummaryQuery::Scope::Counterparty, counterparty, now.value_or(clock_()), viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::projectSummary(sdk::Id project, const AccessScope& viewer, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(SummaryQuery::Scope::Project, project, now.value_or(clock_()), viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::subjectSummary(const SubjectRef& subject, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(subject, now.value_or(clock_()));
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::subjectSummary(const SubjectRef& subject, const AccessScope& viewer, std::optional<sdk::TimePoint> now) {
    const SummaryQuery q(subject, now.value_or(clock_()), viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

StoreCounts EventStore::counts() const { return {schemaVersion_, writer_->counts()}; }

}  // namespace conduit::crm
