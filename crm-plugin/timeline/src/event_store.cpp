#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>
#include <conduit/crm/database/migrations.hpp>

#include <soci/soci.h>

namespace conduit::crm {

sdk::TimePoint EventStore::currentTime() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::unique_ptr<EventStore> EventStore::open(const sdk::DatabaseLocation& where, StoreOptions options) {
    return std::unique_ptr<EventStore>(new EventStore(where, options));
}

EventStore::EventStore(const sdk::DatabaseLocation& where, const StoreOptions& options)
    : db_(where, options.readSessions, options.durability) {
    {
        auto lease = db_.acquire();
        try {
            schemaVersion_ = Migrations().apply(*lease).toVersion;
        } catch (const StoreError&) {
            throw;
        } catch (const std::exception& e) {
            lease.discard();
            if (isConnectionLost(e)) throw ConnectionError("CRM database " + describe() + ": " + databaseMessage(e));
            throw StoreError("CRM database " + describe() + ": " + databaseMessage(e));
        }
    }
    writer_ = std::make_unique<EventWriter>(db_, options.writer);
    // First of the participants: what the outbox and the audit add later may read the links.
    writer_->addParticipant(&writeSubjects);
}

EventStore::~EventStore() {
    if (writer_) writer_->stop(std::chrono::seconds(2));
}

template <typename F>
auto EventStore::read(F&& query) {
    for (int attempt = 0;; ++attempt) {
        auto lease = db_.acquire();
        try {
            return query(*lease);
        } catch (const std::exception& e) {
            if (!isConnectionLost(e)) throw;
            lease.discard();
            if (attempt > 0) throw ConnectionError("CRM database " + describe() + ": " + databaseMessage(e));
        }
    }
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
        try {
            auto prep = (s.prepare << sql);
            params.bind(prep);
            prep, soci::into(e);
            soci::statement st(prep);
            st.execute(true);
            if (st.got_data()) {
                one.push_back(std::move(e));
                loadAttachmentMetadata(s, one);
                loadSubjects(s, one);
                if (viewer) redactDetails(*viewer, one.front());
            }
            s.commit();
        } catch (...) {
            try { s.rollback(); } catch (const std::exception&) {}
            throw;
        }
        if (one.empty()) return std::nullopt;
        return std::move(one.front());
    });
}

std::optional<std::string> EventStore::attachmentContent(const std::string& sha256) { return loadContent(sha256, nullptr); }
std::optional<std::string> EventStore::attachmentContent(const std::string& sha256, const AccessScope& viewer) {
    return loadContent(sha256, &viewer);
}

std::optional<std::string> EventStore::loadContent(const std::string& sha256, const AccessScope* viewer) {
    return read([&](soci::session& s) -> std::optional<std::string> {
        std::optional<std::string> out;
        try {
            if (viewer) {
                // Some event the viewer may see, with details they may see, holds this content.
                BoundParams params;
                std::vector<std::string> where{"A.SHA256 = " + params.add(sha256)};
                appendAccessConditions(viewer, params, where);
                if (auto details = kindDecisionSql(viewer->details, params); !details.empty()) where.push_back(details);
                std::string sql = "SELECT FIRST 1 E.ID FROM CRM_EVENT_ATTACHMENT A JOIN CRM_EVENT E ON E.ID = A.EVENT_ID WHERE ";
                for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
                long long eventId = 0;
                auto prep = (s.prepare << sql);
                params.bind(prep);
                prep, soci::into(eventId);
                soci::statement st(prep);
                st.execute(true);
                if (!st.got_data()) {
                    s.commit();
                    return std::nullopt;
                }
            }
            {
                // Read whole, and the blob closed, before the transaction ends (see the writer).
                soci::blob blob(s);
                soci::statement st = (s.prepare << "SELECT CONTENT FROM CRM_ATTACHMENT_CONTENT WHERE SHA256 = :h",
                                      soci::use(sha256), soci::into(blob));
                st.execute(false);
                if (st.fetch()) {
                    std::string bytes(blob.get_len(), '\0');
                    if (!bytes.empty()) blob.read(0, bytes.data(), bytes.size());
                    out = std::move(bytes);
                }
            }
            s.commit();
        } catch (...) {
            try { s.rollback(); } catch (const std::exception&) {}
            throw;
        }
        return out;
    });
}

Summary EventStore::counterpartySummary(sdk::Id counterparty, sdk::TimePoint now) {
    const SummaryQuery q(SummaryQuery::Scope::Counterparty, counterparty, now);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::projectSummary(sdk::Id project, sdk::TimePoint now) {
    const SummaryQuery q(SummaryQuery::Scope::Project, project, now);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::counterpartySummary(sdk::Id counterparty, const AccessScope& viewer, sdk::TimePoint now) {
    const SummaryQuery q(SummaryQuery::Scope::Counterparty, counterparty, now, viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::projectSummary(sdk::Id project, const AccessScope& viewer, sdk::TimePoint now) {
    const SummaryQuery q(SummaryQuery::Scope::Project, project, now, viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::subjectSummary(const SubjectRef& subject, sdk::TimePoint now) {
    const SummaryQuery q(subject, now);
    return read([&](soci::session& s) { return q.run(s); });
}

Summary EventStore::subjectSummary(const SubjectRef& subject, const AccessScope& viewer, sdk::TimePoint now) {
    const SummaryQuery q(subject, now, viewer);
    return read([&](soci::session& s) { return q.run(s); });
}

StoreCounts EventStore::counts() const { return {schemaVersion_, writer_->counts()}; }

}  // namespace conduit::crm
