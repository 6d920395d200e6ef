// The events a catalogue change writes on its party's timeline, built from facts so each reader
// reads them in their own words ("Телефон: +48 22 … → …"), and the texts registered for them.
#pragma once

#include "party_document.hpp"

#include <conduit/crm/parties/catalogue_load.hpp>
#include <conduit/crm/parties/certification.hpp>
#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/party.hpp>
#include <conduit/crm/parties/party_relation.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <string>
#include <vector>

namespace conduit::crm::parties::detail {

// Registers the catalogue kinds' texts with the timeline (once per process).
void registerCatalogueTexts();

// Each is stamped `at` by `actor` (0: the host), linked to the party's subject (and its host
// counterparty), keyed so a retried call is stored once.
Event createdEvent(const Party& p, sdk::Id actor, sdk::TimePoint at, const std::string& key);
Event changedEvent(const Party& p, const std::vector<FieldChange>& changes, sdk::Id actor, sdk::TimePoint at);
Event mergedEvent(const Party& survivor, const Party& absorbed, std::int64_t mergeId, bool undone, sdk::Id actor,
                  sdk::TimePoint at);
Event removedInHostEvent(const Party& p, sdk::TimePoint at);
Event employmentEvent(const Party& person, const Party& company, const Employment& e, std::optional<int> previousInfluence,
                      bool added, sdk::Id actor, sdk::TimePoint at);
Event relationEvent(const Party& from, const Party& to, const PartyRelation& r, bool ended, sdk::Id actor, sdk::TimePoint at);
Event certificationEvent(const Party& holder, const Certification& c, sdk::Id actor, sdk::TimePoint at);

// What one load wrote, as its event and its row tell it.
struct LoadFigures {
    std::int64_t id = 0;
    std::string source;
    std::size_t companies = 0, people = 0, employments = 0, refused = 0, changed = 0;
};
// The one event of a load, on the load's subject.
Event loadedEvent(const LoadFigures& load, sdk::Id actor, sdk::TimePoint at);
// A load taken back: what was removed, restored and kept.
Event loadUndoneEvent(const LoadFigures& load, const LoadUndone& undone, sdk::Id actor, sdk::TimePoint at);

// Sets the stored title and body in the installation's language.
void storeText(Event& event, const std::string& installationLanguage);

}  // namespace conduit::crm::parties::detail
