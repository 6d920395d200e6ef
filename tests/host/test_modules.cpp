// Every module operation changes the host data, logs one change and emits exactly one signal
// whose payload equals what changesSince() rebuilds from the log; absent modules are nullptr.
#include "host_test_support.hpp"

#include "orders_module.hpp"
#include "payments_module.hpp"
#include "scheduling_module.hpp"
#include "warehouse_modules.hpp"

#include <gtest/gtest.h>

using namespace hosttest;
using refhost::Actor;

namespace {

class ModulesTest : public ::testing::Test {
public:
    conduit::test::TempDir dir{"host-modules"};
    QuietLogger logger;
    std::unique_ptr<refhost::ReferenceSuite> suite = openSuite(dir.path(), logger);
    refhost::HostDatabase& db = suite->database();
    const Actor by{4, at(7, 10, 30)};

    // A project of counterparty 7 (seed data), created the way the sales office does.
    sdk::Id makeProject(sdk::Id id = 1) {
        refhost::HostTransaction tx(db);
        long long pid = id, cp = 7, manager = 12, measurer = 7, value = 1234500;
        std::string code = "P-2026-000" + std::to_string(id), name = "Okna PCV — ul. Piotrkowska 1",
                    status = "enquiry", address = "ul. Piotrkowska 1, Łódź", currency = "PLN";
        std::tm created = refhost::toTm(at(5, 9)), statusDate = refhost::toTm(date(1, 5));
        tx.sql() << "INSERT INTO HOST_PROJECTS (ID, CODE, NAME, COUNTERPARTY_ID, MANAGER_ID, MEASURER_ID, STATUS, "
                    "ADDRESS, VALUE_MINOR, CURRENCY, CREATED_AT, STATUS_DATE) "
                    "VALUES (:id, :c, :n, :cp, :m, :me, :s, :a, :v, :cur, :at, :sd)",
            soci::use(pid), soci::use(code), soci::use(name), soci::use(cp), soci::use(manager), soci::use(measurer),
            soci::use(status), soci::use(address), soci::use(value), soci::use(currency), soci::use(created),
            soci::use(statusDate);
        tx.commit();
        return id;
    }
    sdk::Id makeOrder(sdk::Id project) {
        refhost::HostTransaction tx(db);
        const auto id = suite->orders()->createOrder(tx, project, sdk::Money{1234500, "PLN"}, by);
        tx.commit();
        return id;
    }
    long long count(const char* query) {
        return db.read([&](soci::session& sql) {
            long long n = 0;
            sql << query, soci::into(n);
            return n;
        });
    }
    std::int64_t lastSeq() { return count("SELECT COALESCE(MAX(SEQ), 0) FROM HOST_CHANGE_LOG"); }
};

// Runs `op` with a slot on `signal`; checks one emission, one change-log row, and that
// changesSince() returns a payload equal to both the signalled and the returned one.
template <class Payload, class Signal, class Module, class Op>
Payload checkOperation(ModulesTest& t, Signal& signal, Module& module, Op op, const std::string& expectedModule) {
    std::vector<Payload> seen;
    auto connection = signal.connect([&](const Payload& p) { seen.push_back(p); });
    const auto cursor = t.db.read([](soci::session& sql) {
        long long n = 0;
        sql << "SELECT COALESCE(MAX(SEQ), 0) FROM HOST_CHANGE_LOG", soci::into(n);
        return n;
    });
    const Payload returned = op();
    connection.disconnect();
    EXPECT_EQ(seen.size(), 1u);
    const auto changes = module.changesSince(cursor, 100);
    EXPECT_EQ(changes.size(), 1u);
    if (seen.size() != 1 || changes.size() != 1) return returned;
    EXPECT_TRUE(samePayload(seen[0], returned));
    EXPECT_TRUE(std::holds_alternative<Payload>(changes[0]));
    if (std::holds_alternative<Payload>(changes[0])) {
        EXPECT_TRUE(samePayload(seen[0], std::get<Payload>(changes[0])));
    }
    EXPECT_EQ(returned.stamp.seq, cursor + 1);
    EXPECT_EQ(returned.stamp.module, expectedModule);
    EXPECT_EQ(returned.stamp.at, t.by.at);
    EXPECT_EQ(returned.stamp.userId, t.by.userId);
    return returned;
}

}  // namespace

TEST_F(ModulesTest, OrdersOperationsChangeDataAndSignalWhatChangesSinceReturns) {
    auto& orders = *suite->orders();
    const auto project = makeProject();
    const auto order = makeOrder(project);

    const auto reserved = checkOperation<sdk::MaterialsReservedForOrder>(
        *this, orders.materialsReserved, orders,
        [&] { return orders.reserveMaterials(order, "Profil PCV 70 mm — 24 mb; Okucia Roto NT — 6 kpl.", by); },
        "orders");
    EXPECT_EQ(reserved.projectId, project);
    EXPECT_EQ(reserved.counterpartyId, 7);
    EXPECT_EQ(reserved.stamp.entity, "order:" + std::to_string(order));
    EXPECT_EQ(reserved.stamp.version, 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_ORDERS WHERE STATUS = 'materials_reserved'"), 1);

    const auto prepayment = checkOperation<sdk::PrepaymentRequired>(
        *this, orders.prepaymentRequired, orders,
        [&] { return orders.requirePrepayment(order, sdk::Money{370000, "PLN"}, date(1, 14), by); }, "orders");
    EXPECT_EQ(prepayment.amount, (sdk::Money{370000, "PLN"}));
    EXPECT_EQ(prepayment.dueDate, date(1, 14));
    EXPECT_EQ(prepayment.stamp.version, 2);  // same entity, next version
    EXPECT_EQ(count("SELECT PREPAYMENT_MINOR FROM HOST_ORDERS"), 370000);

    const auto launched = checkOperation<sdk::ProductionLaunched>(
        *this, orders.productionLaunched, orders, [&] { return orders.launchProduction(order, date(1, 30), by); },
        "orders");
    EXPECT_EQ(launched.orderNumber, "ZAM/2026/000001");
    EXPECT_EQ(launched.plannedFinish, date(1, 30));
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_ORDERS WHERE STATUS = 'in_production' AND PLANNED_FINISH IS NOT NULL"), 1);

    // The whole history, from cursor 0, in order.
    const auto all = orders.changesSince(0, 100);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(samePayload(all[0], sdk::OrdersChange{reserved}));
    EXPECT_TRUE(samePayload(all[1], sdk::OrdersChange{prepayment}));
    EXPECT_TRUE(samePayload(all[2], sdk::OrdersChange{launched}));
    EXPECT_EQ(orders.changesSince(0, 2).size(), 2u);  // the limit holds
    EXPECT_EQ(orders.changesSince(launched.stamp.seq, 100).size(), 0u);
}

TEST_F(ModulesTest, SchedulingOperationsChangeDataAndSignalWhatChangesSinceReturns) {
    auto& scheduling = *suite->scheduling();
    const auto project = makeProject();

    const auto crew = checkOperation<sdk::CrewAssigned>(
        *this, scheduling.crewAssigned, scheduling,
        [&] { return scheduling.assignCrew(project, 1, "installation", date(1, 20), by); }, "scheduling");
    EXPECT_EQ(crew.crewName, "Ekipa montażowa 1 — Łódź");
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_CREW_ASSIGNMENTS"), 1);

    const auto planned = checkOperation<sdk::StageEvent>(
        *this, scheduling.stageChanged, scheduling,
        [&] { return scheduling.planStage(project, "installation", date(1, 20), date(1, 21), by); }, "scheduling");
    EXPECT_EQ(planned.change, sdk::StageChange::Planned);
    EXPECT_EQ(planned.stamp.entity, "project:1/stage:installation");
    EXPECT_FALSE(planned.previousStart);

    const auto moved = checkOperation<sdk::StageEvent>(
        *this, scheduling.stageChanged, scheduling,
        [&] { return scheduling.rescheduleStage(project, "installation", date(1, 23), date(1, 24), by); },
        "scheduling");
    EXPECT_EQ(moved.change, sdk::StageChange::Rescheduled);
    ASSERT_TRUE(moved.previousStart);
    EXPECT_EQ(*moved.previousStart, date(1, 20));
    EXPECT_EQ(moved.stamp.version, 2);

    const auto started = checkOperation<sdk::StageEvent>(
        *this, scheduling.stageChanged, scheduling,
        [&] { return scheduling.startStage(project, "installation", by); }, "scheduling");
    EXPECT_EQ(started.change, sdk::StageChange::Started);
    EXPECT_EQ(started.plannedStart, date(1, 23));
    const auto finished = checkOperation<sdk::StageEvent>(
        *this, scheduling.stageChanged, scheduling,
        [&] { return scheduling.finishStage(project, "installation", by); }, "scheduling");
    EXPECT_EQ(finished.change, sdk::StageChange::Finished);
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_STAGES WHERE STATUS = 'finished' AND FINISHED_AT IS NOT NULL"), 1);

    const auto first = checkOperation<sdk::InstallationPlanned>(
        *this, scheduling.installationPlanned, scheduling,
        [&] { return scheduling.planInstallation(project, 2, date(1, 22), by); }, "scheduling");
    EXPECT_FALSE(first.previousDate);
    const auto second = checkOperation<sdk::InstallationPlanned>(
        *this, scheduling.installationPlanned, scheduling,
        [&] { return scheduling.planInstallation(project, 2, date(1, 27), by); }, "scheduling");
    ASSERT_TRUE(second.previousDate);
    EXPECT_EQ(*second.previousDate, date(1, 22));
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_INSTALLATIONS"), 1);

    EXPECT_THROW(scheduling.startStage(project, "delivery", by), std::invalid_argument);
}

TEST_F(ModulesTest, WarehouseOperationsChangeDataAndSignalWhatChangesSinceReturns) {
    auto& fg = *suite->fgWarehouse();
    auto& multi = *suite->multiWarehouse();
    const auto project = makeProject();
    makeOrder(project);

    const auto received = checkOperation<sdk::ProjectItemsReceived>(
        *this, fg.itemsReceived, fg, [&] { return fg.receiveItems(project, 1, "Okna PCV — 6 szt.", 6, by); },
        "fg_warehouse");
    EXPECT_EQ(received.warehouseName, "Magazyn wyrobów gotowych Łódź");
    EXPECT_EQ(received.quantity, 6);
    EXPECT_EQ(count("SELECT SUM(QUANTITY) FROM HOST_RECEIPTS"), 6);

    const auto invoiced = checkOperation<sdk::ProjectInvoiced>(
        *this, multi.projectInvoiced, multi, [&] { return multi.postInvoice(project, 2, "invoice", by); },
        "multi_warehouse");
    EXPECT_EQ(invoiced.invoiceNumber, "FV/2026/000001");
    const auto waybill = checkOperation<sdk::ProjectInvoiced>(
        *this, multi.projectInvoiced, multi, [&] { return multi.postInvoice(project, 1, "waybill", by); },
        "multi_warehouse");
    EXPECT_EQ(waybill.invoiceNumber, "WZ/2026/000002");
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_STOCK_DOCUMENTS"), 2);
    EXPECT_THROW(multi.postInvoice(project, 2, "receipt", by), std::invalid_argument);

    const auto reserved = checkOperation<sdk::MaterialsReserved>(
        *this, multi.materialsReserved, multi,
        [&] { return multi.reserveMaterials(project, 3, "Szyba zespolona 4/16/4 — 12 m²", by); }, "multi_warehouse");
    EXPECT_EQ(reserved.warehouseName, "Склад материалов Калининград");
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_RESERVATIONS WHERE ORDER_ID = 1"), 1);
}

TEST_F(ModulesTest, PaymentRegistrationChangesDataAndSignalsWhatChangesSinceReturns) {
    auto& payments = *suite->payments();
    const auto project = makeProject();
    const auto paid = checkOperation<sdk::PaymentRegistered>(
        *this, payments.paymentRegistered, payments,
        [&] { return payments.registerPayment(7, project, sdk::Money{370000, "PLN"}, sdk::PaymentKind::Prepayment, "", by); },
        "payments");
    EXPECT_EQ(paid.document, "WB/2026/000001");
    EXPECT_EQ(paid.kind, sdk::PaymentKind::Prepayment);
    const auto final = checkOperation<sdk::PaymentRegistered>(
        *this, payments.paymentRegistered, payments,
        [&] { return payments.registerPayment(7, project, sdk::Money{864500, "PLN"}, sdk::PaymentKind::Final, "KP 17/2026", by); },
        "payments");
    EXPECT_EQ(final.document, "KP 17/2026");
    EXPECT_EQ(count("SELECT SUM(AMOUNT_MINOR) FROM HOST_PAYMENTS"), 370000 + 864500);
}

TEST_F(ModulesTest, SignalsComeAfterCommitAndRolledBackWorkEmitsNothing) {
    auto& payments = *suite->payments();
    const auto project = makeProject();
    // A slot reading through another pooled session sees the change: it was committed first.
    long long visible = -1;
    auto c = payments.paymentRegistered.connect([&](const sdk::PaymentRegistered&) {
        visible = count("SELECT COUNT(*) FROM HOST_PAYMENTS");
    });
    payments.registerPayment(7, project, sdk::Money{100, "PLN"}, sdk::PaymentKind::Other, "", by);
    EXPECT_EQ(visible, 1);

    visible = -1;
    {
        refhost::HostTransaction tx(db);
        payments.registerPayment(tx, 7, project, sdk::Money{200, "PLN"}, sdk::PaymentKind::Other, "", by);
    }  // not committed: rolled back
    c.disconnect();
    EXPECT_EQ(visible, -1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM HOST_PAYMENTS"), 1);
    EXPECT_EQ(payments.changesSince(0, 10).size(), 1u);
}

TEST_F(ModulesTest, SeveralOperationsInOneTransactionSignalInOrderAfterCommit) {
    auto& scheduling = *suite->scheduling();
    const auto project = makeProject();
    std::vector<sdk::SchedulingChange> seen;
    auto a = scheduling.crewAssigned.connect([&](const sdk::CrewAssigned& p) { seen.emplace_back(p); });
    auto b = scheduling.installationPlanned.connect([&](const sdk::InstallationPlanned& p) { seen.emplace_back(p); });
    {
        refhost::HostTransaction tx(db);
        scheduling.assignCrew(tx, project, 3, "installation", date(2, 2), by);
        scheduling.planInstallation(tx, project, 3, date(2, 2), by);
        EXPECT_TRUE(seen.empty());  // nothing before the commit
        tx.commit();
    }
    a.disconnect();
    b.disconnect();
    const auto changes = scheduling.changesSince(0, 10);
    ASSERT_EQ(seen.size(), 2u);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_TRUE(samePayload(seen[0], changes[0]));
    EXPECT_TRUE(samePayload(seen[1], changes[1]));
}

TEST(ModuleRegistryTest, AbsentModulesAreNullAndNotListed) {
    conduit::test::TempDir dir{"host-registry"};
    QuietLogger logger;
    refhost::SuiteOptions options;
    options.modules = {"orders", "payments"};
    auto suite = openSuite(dir.path(), logger, options);
    auto& registry = suite->modules();
    EXPECT_NE(registry.orders(), nullptr);
    EXPECT_NE(registry.payments(), nullptr);
    EXPECT_EQ(registry.scheduling(), nullptr);
    EXPECT_EQ(registry.fgWarehouse(), nullptr);
    EXPECT_EQ(registry.multiWarehouse(), nullptr);
    EXPECT_EQ(suite->scheduling(), nullptr);
    EXPECT_EQ(registry.presentModules(), (std::vector<std::string>{"orders", "payments"}));
    EXPECT_EQ(registry.orders()->id(), "orders");
}

TEST(ModuleRegistryTest, AllFiveByDefaultAndUnknownNamesRefused) {
    conduit::test::TempDir dir{"host-registry"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    EXPECT_EQ(suite->modules().presentModules(),
              (std::vector<std::string>{"orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"}));
    refhost::SuiteOptions bad;
    bad.modules = {"orders", "crm"};
    EXPECT_THROW(openSuite(dir.path(), logger, bad), std::invalid_argument);
}
