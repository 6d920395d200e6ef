#include "warehouse_modules.hpp"

#include "module_support.hpp"

#include <stdexcept>

namespace refhost {

std::string warehouseName(soci::session& sql, sdk::Id warehouseId) {
    long long id = warehouseId;
    std::string name;
    soci::indicator ind = soci::i_null;
    sql << "SELECT NAME FROM HOST_WAREHOUSES WHERE ID = :id", soci::use(id), soci::into(name, ind);
    if (ind != soci::i_ok) throw std::invalid_argument("no warehouse " + std::to_string(warehouseId));
    return name;
}

// ---- finished goods ---------------------------------------------------------------------------

sdk::ProjectItemsReceived FgWarehouseModule::receiveItems(HostTransaction& tx, sdk::Id projectId, sdk::Id warehouseId,
                                                          const std::string& items, int quantity, const Actor& by) {
    auto& sql = tx.sql();
    sdk::ProjectItemsReceived p;
    p.projectId = projectId;
    p.warehouseId = warehouseId;
    p.warehouseName = warehouseName(sql, warehouseId);
    p.items = items;
    p.quantity = quantity;
    long long id = nextId(sql, HostTable::Receipts), project = projectId, warehouse = warehouseId;
    std::tm at = toTm(by.at);
    sql << "INSERT INTO HOST_RECEIPTS (ID, PROJECT_ID, WAREHOUSE_ID, ITEMS, QUANTITY, RECEIVED_AT) "
           "VALUES (:id, :p, :w, :i, :q, :at)",
        soci::use(id), soci::use(project), soci::use(warehouse), soci::use(p.items), soci::use(p.quantity),
        soci::use(at);
    p.stamp = appendChange(sql, "fg_warehouse", "items_received", "fg_receipt:" + std::to_string(id), by,
                           {{"projectId", projectId}, {"warehouseId", warehouseId},
                            {"warehouseName", p.warehouseName}, {"items", items}, {"quantity", quantity}});
    tx.onCommit([this, p] { itemsReceived(p); });
    return p;
}

sdk::ProjectItemsReceived FgWarehouseModule::receiveItems(sdk::Id projectId, sdk::Id warehouseId,
                                                          const std::string& items, int quantity, const Actor& by) {
    return inOwnTransaction(
        db_, [&](HostTransaction& tx) { return receiveItems(tx, projectId, warehouseId, items, quantity, by); });
}

std::vector<sdk::FgWarehouseChange> FgWarehouseModule::changesSince(std::int64_t cursor, std::size_t limit) {
    std::vector<sdk::FgWarehouseChange> out;
    for (auto& row : readChanges(db_, "fg_warehouse", cursor, limit)) {
        if (row.changeType != "items_received") continue;
        const auto& j = row.payload;
        sdk::ProjectItemsReceived p;
        p.stamp = row.stamp;
        p.projectId = j.at("projectId").get<sdk::Id>();
        p.warehouseId = j.at("warehouseId").get<sdk::Id>();
        p.warehouseName = j.at("warehouseName").get<std::string>();
        p.items = j.at("items").get<std::string>();
        p.quantity = j.at("quantity").get<int>();
        out.emplace_back(std::move(p));
    }
    return out;
}

// ---- materials warehouses ---------------------------------------------------------------------

sdk::ProjectInvoiced MultiWarehouseModule::postInvoice(HostTransaction& tx, sdk::Id projectId, sdk::Id warehouseId,
                                                       const std::string& kind, const Actor& by) {
    if (kind != "invoice" && kind != "waybill")
        throw std::invalid_argument("multi_warehouse: document kind must be invoice or waybill, not " + kind);
    auto& sql = tx.sql();
    sdk::ProjectInvoiced p;
    p.projectId = projectId;
    p.warehouseId = warehouseId;
    p.warehouseName = warehouseName(sql, warehouseId);
    p.kind = kind;
    long long id = nextId(sql, HostTable::StockDocuments), project = projectId, warehouse = warehouseId;
    p.invoiceNumber = documentNumber(kind == "invoice" ? "FV" : "WZ", by.at, id);
    std::tm at = toTm(by.at);
    sql << "INSERT INTO HOST_STOCK_DOCUMENTS (ID, PROJECT_ID, WAREHOUSE_ID, KIND, DOC_NUMBER, ISSUED_AT) "
           "VALUES (:id, :p, :w, :k, :n, :at)",
        soci::use(id), soci::use(project), soci::use(warehouse), soci::use(p.kind), soci::use(p.invoiceNumber),
        soci::use(at);
    p.stamp = appendChange(sql, "multi_warehouse", "project_invoiced", "stock_document:" + std::to_string(id), by,
                           {{"projectId", projectId}, {"warehouseId", warehouseId}, {"warehouseName", p.warehouseName},
                            {"invoiceNumber", p.invoiceNumber}, {"kind", kind}});
    tx.onCommit([this, p] { projectInvoiced(p); });
    return p;
}

sdk::MaterialsReserved MultiWarehouseModule::reserveMaterials(HostTransaction& tx, sdk::Id projectId,
                                                              sdk::Id warehouseId, const std::string& materials,
                                                              const Actor& by) {
    auto& sql = tx.sql();
    sdk::MaterialsReserved p;
    p.projectId = projectId;
    p.warehouseId = warehouseId;
    p.warehouseName = warehouseName(sql, warehouseId);
    p.materials = materials;
    long long id = nextId(sql, HostTable::Reservations), project = projectId, warehouse = warehouseId, order = 0;
    sql << "SELECT COALESCE(MAX(ID), 0) FROM HOST_ORDERS WHERE PROJECT_ID = :p", soci::use(project), soci::into(order);
    std::tm at = toTm(by.at);
    sql << "INSERT INTO HOST_RESERVATIONS (ID, PROJECT_ID, ORDER_ID, WAREHOUSE_ID, MATERIALS, RESERVED_AT) "
           "VALUES (:id, :p, :o, :w, :m, :at)",
        soci::use(id), soci::use(project), soci::use(order), soci::use(warehouse), soci::use(p.materials),
        soci::use(at);
    p.stamp = appendChange(sql, "multi_warehouse", "materials_reserved", "reservation:" + std::to_string(id), by,
                           {{"projectId", projectId}, {"warehouseId", warehouseId},
                            {"warehouseName", p.warehouseName}, {"materials", materials}});
    tx.onCommit([this, p] { materialsReserved(p); });
    return p;
}

sdk::ProjectInvoiced MultiWarehouseModule::postInvoice(sdk::Id projectId, sdk::Id warehouseId, const std::string& kind,
                                                       const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return postInvoice(tx, projectId, warehouseId, kind, by); });
}

sdk::MaterialsReserved MultiWarehouseModule::reserveMaterials(sdk::Id projectId, sdk::Id warehouseId,
                                                              const std::string& materials, const Actor& by) {
    return inOwnTransaction(
        db_, [&](HostTransaction& tx) { return reserveMaterials(tx, projectId, warehouseId, materials, by); });
}

std::vector<sdk::MultiWarehouseChange> MultiWarehouseModule::changesSince(std::int64_t cursor, std::size_t limit) {
    std::vector<sdk::MultiWarehouseChange> out;
    for (auto& row : readChanges(db_, "multi_warehouse", cursor, limit)) {
        const auto& j = row.payload;
        if (row.changeType == "project_invoiced") {
            sdk::ProjectInvoiced p;
            p.stamp = row.stamp;
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.warehouseId = j.at("warehouseId").get<sdk::Id>();
            p.warehouseName = j.at("warehouseName").get<std::string>();
            p.invoiceNumber = j.at("invoiceNumber").get<std::string>();
            p.kind = j.at("kind").get<std::string>();
            out.emplace_back(std::move(p));
        } else if (row.changeType == "materials_reserved") {
            sdk::MaterialsReserved p;
            p.stamp = row.stamp;
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.warehouseId = j.at("warehouseId").get<sdk::Id>();
            p.warehouseName = j.at("warehouseName").get<std::string>();
            p.materials = j.at("materials").get<std::string>();
            out.emplace_back(std::move(p));
        }
    }
    return out;
}

}  // namespace refhost
