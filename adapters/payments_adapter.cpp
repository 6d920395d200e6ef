// Payments module -> CRM events: a payment registered by finance becomes a counterparty event
// (prepayment, final or other), with the amount in minor units.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::PaymentRegistered& p, const MappingContext& c) {
    const char* kind = p.kind == sdk::PaymentKind::Prepayment ? "payment.prepayment_received"
                       : p.kind == sdk::PaymentKind::Final    ? "payment.final_received"
                                                              : "payment.received";
    auto e = baseEvent(p.stamp, kind, p.projectId, p.counterpartyId, c);
    const auto amount = formatMoney(p.amount, c.locale);
    const auto from = counterpartyLabel(e.counterpartyId, c);
    switch (p.kind) {
    case sdk::PaymentKind::Prepayment:
        e.title = say(c, {"Предоплата {} от {}", "Przedpłata {} od {}", "Prepayment of {} from {}"}, amount, from);
        break;
    case sdk::PaymentKind::Final:
        e.title = say(c, {"Окончательный платёж {} от {}", "Płatność końcowa {} od {}", "Final payment of {} from {}"},
                      amount, from);
        break;
    case sdk::PaymentKind::Other:
        e.title = say(c, {"Платёж {} от {}", "Płatność {} od {}", "Payment of {} from {}"}, amount, from);
        break;
    }
    e.body = projectLabel(p.projectId, c);
    if (!p.document.empty()) e.body += (e.body.empty() ? "" : ". ") + say(c, {"Документ: {}", "Dokument: {}", "Document: {}"}, p.document);
    e.amount = p.amount;
    return e;
}

}  // namespace conduit::adapters::detail
