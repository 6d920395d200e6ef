// The two warehouse modules: finished goods received for a project, and the materials warehouses
// (material invoices/waybills that include a project, materials reserved for a project).
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/modules.hpp>

namespace refhost {

class FgWarehouseModule final : public sdk::IFgWarehouseModule {
public:
    explicit FgWarehouseModule(HostDatabase& db) : db_(db) {}
    std::string_view id() const override { return "fg_warehouse"; }

    sdk::ProjectItemsReceived receiveItems(HostTransaction& tx, sdk::Id projectId, sdk::Id warehouseId,
                                           const std::string& items, int quantity, const Actor& by);
    sdk::ProjectItemsReceived receiveItems(sdk::Id projectId, sdk::Id warehouseId, const std::string& items,
                                           int quantity, const Actor& by);

    std::vector<sdk::FgWarehouseChange> changesSince(std::int64_t cursor, std::size_t limit) override;

private:
    HostDatabase& db_;
};

class MultiWarehouseModule final : public sdk::IMultiWarehouseModule {
public:
    explicit MultiWarehouseModule(HostDatabase& db) : db_(db) {}
    std::string_view id() const override { return "multi_warehouse"; }

    // kind: "invoice" (material invoice, FV/...) or "waybill" (WZ/...); the number is assigned here.
    sdk::ProjectInvoiced postInvoice(HostTransaction& tx, sdk::Id projectId, sdk::Id warehouseId,
                                     const std::string& kind, const Actor& by);
    sdk::MaterialsReserved reserveMaterials(HostTransaction& tx, sdk::Id projectId, sdk::Id warehouseId,
                                            const std::string& materials, const Actor& by);
    sdk::ProjectInvoiced postInvoice(sdk::Id projectId, sdk::Id warehouseId, const std::string& kind, const Actor& by);
    sdk::MaterialsReserved reserveMaterials(sdk::Id projectId, sdk::Id warehouseId, const std::string& materials,
                                            const Actor& by);

    std::vector<sdk::MultiWarehouseChange> changesSince(std::int64_t cursor, std::size_t limit) override;

private:
    HostDatabase& db_;
};

// The name of a warehouse, for payloads; throws when unknown.
std::string warehouseName(soci::session& sql, sdk::Id warehouseId);

}  // namespace refhost
