// Orders module -> CRM events: materials reserved, prepayment required (due date), production launched.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::MaterialsReservedForOrder& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kOrderMaterialsReserved, p.projectId, p.counterpartyId, c);
    auto f = partyFacts(e, c);
    f.set(facts::kMaterials, p.materials);
    return withText(std::move(e), f, c);
}

crm::Event mapChange(const sdk::PrepaymentRequired& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kOrderPrepaymentRequired, p.projectId, p.counterpartyId, c);
    e.amount = p.amount;
    e.dueAt = dueOn(p.dueDate);
    return withText(std::move(e), partyFacts(e, c), c);
}

crm::Event mapChange(const sdk::ProductionLaunched& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kOrderProductionLaunched, p.projectId, p.counterpartyId, c);
    e.endDate = p.plannedFinish;
    e.dueAt = dueOn(p.plannedFinish);
    auto f = partyFacts(e, c);
    f.set(facts::kOrder, p.orderNumber);
    return withText(std::move(e), f, c);
}

}  // namespace conduit::adapters::detail
