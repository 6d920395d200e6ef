#include "orders_module.hpp"

#include "module_support.hpp"

#include <cstdio>
#include <stdexcept>

namespace refhost {

std::string documentNumber(const char* prefix, sdk::TimePoint at, sdk::Id id) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s/%d/%06lld", prefix, yearOf(at), static_cast<long long>(id));
    return buf;
}

namespace {
constexpr const char* kModule = "orders";
std::string entityOf(sdk::Id orderId) { return "order:" + std::to_string(orderId); }
}  // namespace

OrdersModule::OrderRef OrdersModule::order(soci::session& sql, sdk::Id orderId) {
    OrderRef ref;
    long long id = orderId, project = 0, counterparty = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT O.PROJECT_ID, P.COUNTERPARTY_ID, O.ORDER_NUMBER FROM HOST_ORDERS O "
           "JOIN HOST_PROJECTS P ON P.ID = O.PROJECT_ID WHERE O.ID = :id",
        soci::use(id), soci::into(project, ind), soci::into(counterparty), soci::into(ref.number);
    if (ind != soci::i_ok) throw std::invalid_argument("orders: no order " + std::to_string(orderId));
    ref.projectId = project;
    ref.counterpartyId = counterparty;
    return ref;
}

sdk::Id OrdersModule::createOrder(HostTransaction& tx, sdk::Id projectId, const sdk::Money& amount, const Actor& by) {
    auto& sql = tx.sql();
    long long id = nextId(sql, HostTable::Orders), project = projectId, minor = amount.minor;
    std::string number = documentNumber("ZAM", by.at, id), status = "new", materials, currency = amount.currency;
    long long zero = 0;
    std::tm created = toTm(by.at);
    soci::indicator nullDate = soci::i_null;
    std::tm none{};
    sql << "INSERT INTO HOST_ORDERS (ID, PROJECT_ID, ORDER_NUMBER, STATUS, AMOUNT_MINOR, CURRENCY, PREPAYMENT_MINOR, "
           "PREPAYMENT_DUE, PLANNED_FINISH, MATERIALS, CREATED_AT) "
           "VALUES (:id, :p, :n, :s, :a, :c, :pm, :pd, :pf, :m, :at)",
        soci::use(id), soci::use(project), soci::use(number), soci::use(status), soci::use(minor),
        soci::use(currency), soci::use(zero), soci::use(none, nullDate), soci::use(none, nullDate),
        soci::use(materials), soci::use(created);
    return id;
}

sdk::MaterialsReservedForOrder OrdersModule::reserveMaterials(HostTransaction& tx, sdk::Id orderId,
                                                              const std::string& materials, const Actor& by) {
    auto& sql = tx.sql();
    const auto ref = order(sql, orderId);
    long long id = orderId;
    std::string status = "materials_reserved";
    sql << "UPDATE HOST_ORDERS SET MATERIALS = :m, STATUS = :s WHERE ID = :id", soci::use(materials),
        soci::use(status), soci::use(id);
    sdk::MaterialsReservedForOrder p;
    p.orderId = orderId;
    p.projectId = ref.projectId;
    p.counterpartyId = ref.counterpartyId;
    p.materials = materials;
    p.stamp = appendChange(sql, kModule, "materials_reserved", entityOf(orderId), by,
                           {{"orderId", p.orderId}, {"projectId", p.projectId},
                            {"counterpartyId", p.counterpartyId}, {"materials", p.materials}});
    tx.onCommit([this, p] { materialsReserved(p); });
    return p;
}

sdk::PrepaymentRequired OrdersModule::requirePrepayment(HostTransaction& tx, sdk::Id orderId, const sdk::Money& amount,
                                                        sdk::Date dueDate, const Actor& by) {
    auto& sql = tx.sql();
    const auto ref = order(sql, orderId);
    long long id = orderId, minor = amount.minor;
    std::tm due = toTm(dueDate);
    std::string status = "awaiting_prepayment";
    sql << "UPDATE HOST_ORDERS SET PREPAYMENT_MINOR = :a, PREPAYMENT_DUE = :d, STATUS = :s WHERE ID = :id",
        soci::use(minor), soci::use(due), soci::use(status), soci::use(id);
    sdk::PrepaymentRequired p;
    p.orderId = orderId;
    p.projectId = ref.projectId;
    p.counterpartyId = ref.counterpartyId;
    p.amount = amount;
    p.dueDate = dueDate;
    p.stamp = appendChange(sql, kModule, "prepayment_required", entityOf(orderId), by,
                           {{"orderId", p.orderId}, {"projectId", p.projectId}, {"counterpartyId", p.counterpartyId},
                            {"amount", moneyJson(p.amount)}, {"dueDate", dateJson(p.dueDate)}});
    tx.onCommit([this, p] { prepaymentRequired(p); });
    return p;
}

sdk::ProductionLaunched OrdersModule::launchProduction(HostTransaction& tx, sdk::Id orderId, sdk::Date plannedFinish,
                                                       const Actor& by) {
    auto& sql = tx.sql();
    const auto ref = order(sql, orderId);
    long long id = orderId;
    std::tm finish = toTm(plannedFinish);
    std::string status = "in_production";
    sql << "UPDATE HOST_ORDERS SET PLANNED_FINISH = :f, STATUS = :s WHERE ID = :id", soci::use(finish),
        soci::use(status), soci::use(id);
    sdk::ProductionLaunched p;
    p.orderId = orderId;
    p.projectId = ref.projectId;
    p.counterpartyId = ref.counterpartyId;
    p.orderNumber = ref.number;
    p.plannedFinish = plannedFinish;
    p.stamp = appendChange(sql, kModule, "production_launched", entityOf(orderId), by,
                           {{"orderId", p.orderId}, {"projectId", p.projectId}, {"counterpartyId", p.counterpartyId},
                            {"orderNumber", p.orderNumber}, {"plannedFinish", dateJson(p.plannedFinish)}});
    tx.onCommit([this, p] { productionLaunched(p); });
    return p;
}

sdk::MaterialsReservedForOrder OrdersModule::reserveMaterials(sdk::Id orderId, const std::string& materials,
                                                              const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return reserveMaterials(tx, orderId, materials, by); });
}
sdk::PrepaymentRequired OrdersModule::requirePrepayment(sdk::Id orderId, const sdk::Money& amount, sdk::Date dueDate,
                                                        const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return requirePrepayment(tx, orderId, amount, dueDate, by); });
}
sdk::ProductionLaunched OrdersModule::launchProduction(sdk::Id orderId, sdk::Date plannedFinish, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) { return launchProduction(tx, orderId, plannedFinish, by); });
}

std::vector<sdk::OrdersChange> OrdersModule::changesSince(std::int64_t cursor, std::size_t limit) {
    std::vector<sdk::OrdersChange> out;
    for (auto& row : readChanges(db_, kModule, cursor, limit)) {
        const auto& j = row.payload;
        if (row.changeType == "materials_reserved") {
            sdk::MaterialsReservedForOrder p;
            p.stamp = row.stamp;
            p.orderId = j.at("orderId").get<sdk::Id>();
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.counterpartyId = j.at("counterpartyId").get<sdk::Id>();
            p.materials = j.at("materials").get<std::string>();
            out.emplace_back(std::move(p));
        } else if (row.changeType == "prepayment_required") {
            sdk::PrepaymentRequired p;
            p.stamp = row.stamp;
            p.orderId = j.at("orderId").get<sdk::Id>();
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.counterpartyId = j.at("counterpartyId").get<sdk::Id>();
            p.amount = moneyFrom(j.at("amount"));
            p.dueDate = dateFrom(j.at("dueDate"));
            out.emplace_back(std::move(p));
        } else if (row.changeType == "production_launched") {
            sdk::ProductionLaunched p;
            p.stamp = row.stamp;
            p.orderId = j.at("orderId").get<sdk::Id>();
            p.projectId = j.at("projectId").get<sdk::Id>();
            p.counterpartyId = j.at("counterpartyId").get<sdk::Id>();
            p.orderNumber = j.at("orderNumber").get<std::string>();
            p.plannedFinish = dateFrom(j.at("plannedFinish"));
            out.emplace_back(std::move(p));
        }
    }
    return out;
}

}  // namespace refhost
