// Payments module -> CRM events: a payment registered by finance becomes a counterparty event
// (prepayment, final or other), with the amount in minor units.
#include "mapping_support.hpp"

namespace conduit::adapters::detail {

crm::Event mapChange(const sdk::PaymentRegistered& p, const MappingContext& c) {
    const char* kind = p.kind == sdk::PaymentKind::Prepayment ? crm::kinds::kPrepaymentReceived
                       : p.kind == sdk::PaymentKind::Final    ? crm::kinds::kFinalPaymentReceived
                                                              : crm::kinds::kPaymentReceived;
    auto e = baseEvent(p.stamp, kind, p.projectId, p.counterpartyId, c);
    e.amount = p.amount;
    auto f = partyFacts(e, c);
    if (!p.document.empty()) f.set(facts::kDocument, p.document);
    return withText(std::move(e), f, c);
}

}  // namespace conduit::adapters::detail
