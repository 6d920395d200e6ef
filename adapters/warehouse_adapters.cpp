// Finished-goods warehouse and multi-warehouse modules -> CRM events: items received for a
// project, a project included in an invoice or waybill, materials reserved.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::ProjectItemsReceived& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "warehouse.fg_received", p.projectId, 0, c);
    e.title = say(c, {"На склад «{}» поступило изделий: {}", "Przyjęto na magazyn „{}”: {} szt.",
                      "{1} item(s) received at “{0}”"},
                  p.warehouseName, p.quantity);
    e.body = projectLabel(p.projectId, c) + (p.items.empty() ? "" : ". " + p.items);
    return e;
}

crm::Event mapChange(const sdk::ProjectInvoiced& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "warehouse.invoice_posted", p.projectId, 0, c);
    const bool waybill = p.kind == "waybill";
    e.title = waybill ? say(c, {"Накладная {} ({})", "WZ {} ({})", "Waybill {} ({})"}, p.invoiceNumber, p.warehouseName)
                      : say(c, {"Счёт-фактура {} ({})", "Faktura {} ({})", "Invoice {} ({})"}, p.invoiceNumber,
                            p.warehouseName);
    e.body = projectLabel(p.projectId, c);
    e.invoiceNumber = p.invoiceNumber;
    return e;
}

crm::Event mapChange(const sdk::MaterialsReserved& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "warehouse.materials_reserved", p.projectId, 0, c);
    e.title = say(c, {"Резерв материалов на складе «{}»", "Rezerwacja materiałów w magazynie „{}”",
                      "Materials reserved at “{}”"},
                  p.warehouseName);
    e.body = projectLabel(p.projectId, c) + (p.materials.empty() ? "" : ". " + p.materials);
    return e;
}

}  // namespace conduit::adapters::detail
