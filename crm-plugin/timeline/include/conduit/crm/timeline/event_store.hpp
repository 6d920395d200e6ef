// The CRM event store: the one object the plugin entry opens. It migrates the schema, owns the
// batched writer and answers the forms' feed, event, attachment and summary queries.
//
// Usage (plugin entry):
//
//   auto store = conduit::crm::EventStore::open(services.database);     // throws StoreError
//   store->writer().submit(event);               // adapters: non-blocking, thread-safe
//   store->writer().onBatch([](const BatchMetrics&, const std::vector<std::int64_t>& ids) {...});
//   FeedPage page = store->feed(filter);         // forms: newest first, 100 per page
//   page = store->feed(filter, page.next);       // next page (keyset, no gaps or repeats)
//   Summary s = store->counterpartySummary(id);  // or projectSummary(id), subjectSummary(ref)
//   store->feed({.subject = SubjectRef{subject_types::company, id}});  // any subject's feed
//   StoreCounts c = store->counts();             // writer figures for logs and the status bar
//   store->writer().stop();  auto unsaved = store->writer().takePending();   // on plugin stop
//
// Thread-safety: every member may be called from any thread (reads use a session pool; the
// writer has its own connection).
//
// Errors: ConnectionError (database unreachable: retry later), SchemaTooNewError (the database
// belongs to a newer plugin: refuse to start), StoreError (anything else). All messages name the
// database (never its password).
#pragma once

#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/errors.hpp>
#include <conduit/crm/timeline/event_writer.hpp>
#include <conduit/crm/timeline/feed.hpp>
#include <conduit/crm/timeline/summaries.hpp>

#include <conduit/sdk/services.hpp>

#include <memory>
#include <optional>
#include <string>

namespace conduit::crm {

struct StoreOptions {
    std::size_t readSessions = 4;  // pooled connections for queries (forms, summaries)
    Durability durability = Durability::SyncPerBatch;  // embedded files only (store/durability.hpp)
    WriterOptions writer;
    // The store's "now": stamps recordedAt (it replaces writer.clock), applied migrations and
    // the default `now` of summaries.
    Clock clock = systemClock();
};

struct StoreCounts {
    int schemaVersion = 0;
    WriterCounts writer;
};

class EventStore {
public:
    // Connects (creating the embedded file on first start), applies pending migrations and
    // starts the writer. Throws ConnectionError, SchemaTooNewError or StoreError.
    static std::unique_ptr<EventStore> open(const sdk::DatabaseLocation& where, StoreOptions options = {});
    ~EventStore();  // stops the writer (short grace); call writer().stop() first to choose it
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    EventWriter& writer() { return *writer_; }
    EventKindRegistry& kinds() { return kinds_; }

    // Newest first; `after` is the previous page's `next`. limit is clamped to 1..1000.
    FeedPage feed(const FeedFilter& filter, std::optional<FeedCursor> after = std::nullopt, std::size_t limit = 100);
    // One event with its subjects and attachment metadata (content via attachmentContent()).
    // Deleted user events are gone from every query (the audit log keeps them).
    std::optional<Event> event(std::int64_t id);
    std::optional<std::string> attachmentContent(const std::string& sha256);

    Summary counterpartySummary(sdk::Id counterparty, std::optional<sdk::TimePoint> now = std::nullopt);
    Summary projectSummary(sdk::Id project, std::optional<sdk::TimePoint> now = std::nullopt);
    // Of any subject (a company, a person, a task, ...; a project or counterparty as above).
    Summary subjectSummary(const SubjectRef& subject, std::optional<sdk::TimePoint> now = std::nullopt);

    // The same as one viewer may see them (AccessControl::scope): nullopt for an event they may
    // not see, content only of an attachment of an event whose details they may see, summaries
    // counted over their visible events. Feeds take the scope in FeedFilter::access.
    std::optional<Event> event(std::int64_t id, const AccessScope& viewer);
    std::optional<std::string> attachmentContent(const std::string& sha256, const AccessScope& viewer);
    Summary counterpartySummary(sdk::Id counterparty, const AccessScope& viewer, std::optional<sdk::TimePoint> now = std::nullopt);
    Summary projectSummary(sdk::Id project, const AccessScope& viewer, std::optional<sdk::TimePoint> now = std::nullopt);
    Summary subjectSummary(const SubjectRef& subject, const AccessScope& viewer, std::optional<sdk::TimePoint> now = std::nullopt);

    // For the rights, audit and note-editing code of the core (crm-plugin/core/access).
    Database& database() { return db_; }

    StoreCounts counts() const;
    std::string describe() const { return db_.describe(); }

    sdk::TimePoint now() const { return clock_(); }

private:
    EventStore(const sdk::DatabaseLocation& where, const StoreOptions& options);
    template <typename F>
    auto read(F&& query);
    std::optional<Event> loadEvent(std::int64_t id, const AccessScope* viewer);
    std::optional<std::string> loadContent(const std::string& sha256, const AccessScope* viewer);  // a pooled session; a lost connection is replaced and retried once

    Database db_;
    Clock clock_;
    int schemaVersion_ = 0;
    EventKindRegistry kinds_;
    std::unique_ptr<EventWriter> writer_;
};

}  // namespace conduit::crm
