// What every catalogue change does inside its transaction: its events inserted with it and
// announced once it committed, its audit row, and the party it acts on found or refused.
#pragma once

#include "party_events.hpp"

#include <conduit/crm/parties/catalogue_error.hpp>
#include <conduit/crm/parties/catalogue_rights.hpp>

#include <conduit/crm/timeline/event_writer.hpp>

#include <nlohmann/json.hpp>

#include <exception>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm::parties::detail {

// Events written by one catalogue transaction. A retried transaction starts again (begin());
// the listeners hear of the rows only when the call returns normally, after the commit.
class EventBatch {
public:
    EventBatch(EventWriter& writer, std::string language) : writer_(writer), language_(std::move(language)) {}
    EventBatch(const EventBatch&) = delete;
    EventBatch& operator=(const EventBatch&) = delete;
    ~EventBatch() {
        if (!ids_.empty() && std::uncaught_exceptions() == 0) writer_.announce(ids_);
    }

    void begin() { ids_.clear(); }
    void insert(soci::session& s, Event& e) {
        storeText(e, language_);
        if (auto id = writer_.insertWithin(s, e)) ids_.push_back(*id);
    }

private:
    EventWriter& writer_;
    std::string language_;
    std::vector<std::int64_t> ids_;
};

// A checked draft as the store keeps a new party: values normalised (withStoredValues), what
// only the store sets cleared, created and changed `at`.
Party newRecord(Party draft, const std::string& country, sdk::TimePoint at);
// `changed` as the store would keep it in place of `current` (version and times still current's),
// or CatalogueError: not seen, not allowed, merged, removed in the host, stale, a host field changed.
Party changedRecord(const CatalogueViewer& v, const Party& current, const Party& changed, const std::string& country);

void auditParty(soci::session& s, sdk::TimePoint at, sdk::Id actor, std::int64_t partyId, const char* action,
                const nlohmann::json& before, const nlohmann::json& after);

Party requireParty(soci::session& s, std::int64_t id);
// As requireParty, but NotFound for a party `v` may not see.
Party requireVisible(soci::session& s, const CatalogueViewer& v, std::int64_t id);
// The party an id stands for now: itself, or the end of its chain of merges.
Party resolvedParty(soci::session& s, std::int64_t id);

}  // namespace conduit::crm::parties::detail
