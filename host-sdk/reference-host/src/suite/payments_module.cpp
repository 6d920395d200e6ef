#include "payments_module.hpp"

#include "module_support.hpp"

namespace refhost {

const char* paymentKindName(sdk::PaymentKind kind) {
    switch (kind) {
    case sdk::PaymentKind::Prepayment: return "prepayment";
    case sdk::PaymentKind::Final: return "final";
    case sdk::PaymentKind::Other: return "other";
    }
    return "other";
}

namespace {
sdk::PaymentKind paymentKindFrom(const std::string& s) {
    if (s == "prepayment") return sdk::PaymentKind::Prepayment;
    if (s == "final") return sdk::PaymentKind::Final;
    return sdk::PaymentKind::Other;
}
}  // namespace

sdk::PaymentRegistered PaymentsModule::registerPayment(HostTransaction& tx, sdk::Id counterpartyId, sdk::Id projectId,
                                                       const sdk::Money& amount, sdk::PaymentKind kind,
                                                       std::string document, const Actor& by) {
    auto& sql = tx.sql();
    long long id = nextId(sql, HostTable::Payments), counterparty = counterpartyId, project = projectId,
              minor = amount.minor;
    if (document.empty()) document = documentNumber("WB", by.at, id);
    std::string currency = amount.currency, kindName = paymentKindName(kind);
    std::tm at = toTm(by.at);
    sql << "INSERT INTO HOST_PAYMENTS (ID, COUNTERPARTY_ID, PROJECT_ID, AMOUNT_MINOR, CURRENCY, KIND, DOCUMENT, PAID_AT) "
           "VALUES (:id, :c, :p, :a, :cur, :k, :d, :at)",
        soci::use(id), soci::use(counterparty), soci::use(project), soci::use(minor), soci::use(currency),
        soci::use(kindName), soci::use(document), soci::use(at);
    sdk::PaymentRegistered p;
    p.paymentId = id;
    p.counterpartyId = counterpartyId;
    p.projectId = projectId;
    p.amount = amount;
    p.kind = kind;
    p.document = document;
    p.stamp = appendChange(sql, "payments", "payment_registered", "payment:" + std::to_string(id), by,
                           {{"paymentId", p.paymentId}, {"counterpartyId", counterpartyId}, {"projectId", projectId},
                            {"amount", moneyJson(amount)}, {"kind", kindName}, {"document", document}});
    tx.onCommit([this, p] { paymentRegistered(p); });
    return p;
}

sdk::PaymentRegistered PaymentsModule::registerPayment(sdk::Id counterpartyId, sdk::Id projectId,
                                                       const sdk::Money& amount, sdk::PaymentKind kind,
                                                       std::string document, const Actor& by) {
    return inOwnTransaction(db_, [&](HostTransaction& tx) {
        return registerPayment(tx, counterpartyId, projectId, amount, kind, std::move(document), by);
    });
}

std::vector<sdk::PaymentsChange> PaymentsModule::changesSince(std::int64_t cursor, std::size_t limit) {
    std::vector<sdk::PaymentsChange> out;
    for (auto& row : readChanges(db_, "payments", cursor, limit)) {
        if (row.changeType != "payment_registered") continue;
        const auto& j = row.payload;
        sdk::PaymentRegistered p;
        p.stamp = row.stamp;
        p.paymentId = j.at("paymentId").get<sdk::Id>();
        p.counterpartyId = j.at("counterpartyId").get<sdk::Id>();
        p.projectId = j.at("projectId").get<sdk::Id>();
        p.amount = moneyFrom(j.at("amount"));
        p.kind = paymentKindFrom(j.at("kind").get<std::string>());
        p.document = j.at("document").get<std::string>();
        out.emplace_back(std::move(p));
    }
    return out;
}

}  // namespace refhost
