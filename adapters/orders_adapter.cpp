// Orders module -> CRM events: materials reserved, prepayment required (due date), production launched.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::MaterialsReservedForOrder& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "order.materials_reserved", p.projectId, p.counterpartyId, c);
    e.title = say(c, {"Материалы зарезервированы: {}", "Zarezerwowano materiały: {}", "Materials reserved: {}"},
                  projectLabel(p.projectId, c));
    e.body = p.materials;
    return e;
}

crm::Event mapChange(const sdk::PrepaymentRequired& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "order.prepayment_required", p.projectId, p.counterpartyId, c);
    const auto amount = formatMoney(p.amount, c.locale);
    e.title = say(c, {"Требуется предоплата {} до {}", "Wymagana przedpłata {} do {}", "Prepayment of {} due by {}"},
                  amount, formatDate(p.dueDate));
    e.body = say(c, {"Заказчик: {}. Проект: {}.", "Klient: {}. Projekt: {}.", "Customer: {}. Project: {}."},
                 counterpartyLabel(e.counterpartyId, c), projectLabel(p.projectId, c));
    e.amount = p.amount;
    e.dueAt = dueOn(p.dueDate);
    return e;
}

crm::Event mapChange(const sdk::ProductionLaunched& p, const MappingContext& c) {
    auto e = baseEvent(p.stamp, "order.production_launched", p.projectId, p.counterpartyId, c);
    e.title = say(c, {"Заказ {} запущен в производство", "Zamówienie {} skierowane do produkcji",
                      "Order {} launched into production"},
                  p.orderNumber);
    e.body = say(c, {"Проект: {}. Плановое окончание: {}.", "Projekt: {}. Planowane zakończenie: {}.",
                     "Project: {}. Planned finish: {}."},
                 projectLabel(p.projectId, c), formatDate(p.plannedFinish));
    e.endDate = p.plannedFinish;
    e.dueAt = dueOn(p.plannedFinish);
    return e;
}

}  // namespace conduit::adapters::detail
