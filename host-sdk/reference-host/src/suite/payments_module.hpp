// The payments module: finance registers customer payments (prepayment, final, other) in HOST_PAYMENTS.
// Each registration is logged and signalled after commit.
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/modules.hpp>

namespace refhost {

class PaymentsModule final : public sdk::IPaymentsModule {
public:
    explicit PaymentsModule(HostDatabase& db) : db_(db) {}
    std::string_view id() const override { return "payments"; }

    // An empty `document` gets a bank-statement reference "WB/<year>/<payment id>".
    sdk::PaymentRegistered registerPayment(HostTransaction& tx, sdk::Id counterpartyId, sdk::Id projectId,
                                           const sdk::Money& amount, sdk::PaymentKind kind, std::string document,
                                           const Actor& by);
    sdk::PaymentRegistered registerPayment(sdk::Id counterpartyId, sdk::Id projectId, const sdk::Money& amount,
                                           sdk::PaymentKind kind, std::string document, const Actor& by);

    std::vector<sdk::PaymentsChange> changesSince(std::int64_t cursor, std::size_t limit) override;

private:
    HostDatabase& db_;
};

const char* paymentKindName(sdk::PaymentKind kind);  // "prepayment", "final", "other"

}  // namespace refhost
