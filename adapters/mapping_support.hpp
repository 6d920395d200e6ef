// Shared pieces of the per-module mappings: the event every change starts from, the project and
// counterparty names, and the facts with the stored text.
#pragma once

#include "event_mapping.hpp"

#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/timeline/event_text.hpp>


namespace conduit::adapters::detail {

namespace facts = crm::facts;

// Kind, key, time, source, author, importance (the kind's default), project and counterparty
// (the counterparty taken from the project when the payload has none).
crm::Event baseEvent(const sdk::ChangeStamp& stamp, const std::string& kind, sdk::Id projectId,
                     sdk::Id counterpartyId, const MappingContext& c);

// "P-2026-0042 «Okna, Łódź»" or "#42" when the directory does not know the project.
std::string projectLabel(sdk::Id projectId, const MappingContext& c);
std::string counterpartyLabel(sdk::Id counterpartyId, const MappingContext& c);
// The facts every mapping shares (project and counterparty labels) plus its own, stored with
// the text they render to in the installation's language.
crm::EventFacts partyFacts(const crm::Event& e, const MappingContext& c);
crm::Event withText(crm::Event e, const crm::EventFacts& facts, const MappingContext& c);

// Due dates are calendar dates, carried as timeline's dueOn() says.
using crm::dueOn;

crm::Event mapChange(const sdk::MaterialsReservedForOrder&, const MappingContext&);
crm::Event mapChange(const sdk::PrepaymentRequired&, const MappingContext&);
crm::Event mapChange(const sdk::ProductionLaunched&, const MappingContext&);
crm::Event mapChange(const sdk::CrewAssigned&, const MappingContext&);
crm::Event mapChange(const sdk::StageEvent&, const MappingContext&);
crm::Event mapChange(const sdk::InstallationPlanned&, const MappingContext&);
crm::Event mapChange(const sdk::ProjectItemsReceived&, const MappingContext&);
crm::Event mapChange(const sdk::ProjectInvoiced&, const MappingContext&);
crm::Event mapChange(const sdk::MaterialsReserved&, const MappingContext&);
crm::Event mapChange(const sdk::PaymentRegistered&, const MappingContext&);

}  // namespace conduit::adapters::detail
