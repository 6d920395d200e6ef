// The orders module: customer orders of a project, material reservation, prepayment demands and
// production launch. Each operation changes HOST_ORDERS and logs the change in one transaction.
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/modules.hpp>

namespace refhost {

class OrdersModule final : public sdk::IOrdersModule {
public:
    explicit OrdersModule(HostDatabase& db) : db_(db) {}
    std::string_view id() const override { return "orders"; }

    // Order entry itself is not an SDK event: it only creates the row the operations below act on.
    sdk::Id createOrder(HostTransaction& tx, sdk::Id projectId, const sdk::Money& amount, const Actor& by);

    sdk::MaterialsReservedForOrder reserveMaterials(HostTransaction& tx, sdk::Id orderId, const std::string& materials,
                                                    const Actor& by);
    sdk::PrepaymentRequired requirePrepayment(HostTransaction& tx, sdk::Id orderId, const sdk::Money& amount,
                                              sdk::Date dueDate, const Actor& by);
    sdk::ProductionLaunched launchProduction(HostTransaction& tx, sdk::Id orderId, sdk::Date plannedFinish,
                                             const Actor& by);

    // The same, each in a transaction of its own.
    sdk::MaterialsReservedForOrder reserveMaterials(sdk::Id orderId, const std::string& materials, const Actor& by);
    sdk::PrepaymentRequired requirePrepayment(sdk::Id orderId, const sdk::Money& amount, sdk::Date dueDate,
                                              const Actor& by);
    sdk::ProductionLaunched launchProduction(sdk::Id orderId, sdk::Date plannedFinish, const Actor& by);

    std::vector<sdk::OrdersChange> changesSince(std::int64_t cursor, std::size_t limit) override;

private:
    struct OrderRef {
        sdk::Id projectId = 0, counterpartyId = 0;
        std::string number;
    };
    OrderRef order(soci::session& sql, sdk::Id orderId);
    HostDatabase& db_;
};

}  // namespace refhost
