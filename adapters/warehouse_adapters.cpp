// Finished-goods warehouse and multi-warehouse modules -> CRM events: items received for a
// project, a project included in an invoice or waybill, materials reserved.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::ProjectItemsReceived& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kItemsReceived, p.projectId, 0, c);
    auto f = partyFacts(e, c);
    f.set(facts::kWarehouse, p.warehouseName).set(facts::kQuantity, static_cast<std::int64_t>(p.quantity));
    if (!p.items.empty()) f.set(facts::kItems, p.items);
    return withText(std::move(e), f, c);
}

crm::Event mapChange(const sdk::ProjectInvoiced& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kInvoicePosted, p.projectId, 0, c);
    e.invoiceNumber = p.invoiceNumber;
    auto f = partyFacts(e, c);
    f.set(facts::kWarehouse, p.warehouseName);
    if (p.kind == "waybill") f.set(facts::kWaybill, "1");
    return withText(std::move(e), f, c);
}

crm::Event mapChange(const sdk::MaterialsReserved& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, crm::kinds::kWarehouseMaterialsReserved, p.projectId, 0, c);
    auto f = partyFacts(e, c);
    f.set(facts::kWarehouse, p.warehouseName);
    if (!p.materials.empty()) f.set(facts::kMaterials, p.materials);
    return withText(std::move(e), f, c);
}

}  // namespace conduit::adapters::detail
