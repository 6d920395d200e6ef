// The adapters against the reference host's real modules and a real event store: every module
// operation gives exactly one stored event with the right fields; changes made while the CRM was
// not running arrive by catch-up, exactly once; a full ingest queue spills to the journal and
// still stores every change once.
#include "crm_under_test.hpp"

#include <host_database.hpp>
#include <orders_module.hpp>
#include <payments_module.hpp>
#include <scheduling_module.hpp>
#include <simulator.hpp>
#include <warehouse_modules.hpp>

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

using namespace conduit;
using namespace conduit::itest;
using refhost::Actor;

namespace {

sdk::Date date(int month, int day) { return sdk::Date{std::chrono::year{2026} / month / day}; }

// A project of counterparty 7 (seed data), inserted the way the sales office's form does.
sdk::Id makeProject(refhost::HostDatabase& db, sdk::Id id) {
    refhost::HostTransaction tx(db);
    long long pid = id, cp = 7, manager = 12, measurer = 7, value = 1234500;
    std::string code = "P-2026-000" + std::to_string(id), name = "Okna PCV — ul. Piotrkowska 1", status = "enquiry",
                address = "ul. Piotrkowska 1, Łódź", currency = "PLN";
    std::tm created = refhost::toTm(sdk::TimePoint{date(1, 5)} + std::chrono::hours{9}),
            statusDate = refhost::toTm(date(1, 5));
    tx.sql() << "INSERT INTO HOST_PROJECTS (ID, CODE, NAME, COUNTERPARTY_ID, MANAGER_ID, MEASURER_ID, STATUS, "
                "ADDRESS, VALUE_MINOR, CURRENCY, CREATED_AT, STATUS_DATE) "
                "VALUES (:id, :c, :n, :cp, :m, :me, :s, :a, :v, :cur, :at, :sd)",
        soci::use(pid), soci::use(code), soci::use(name), soci::use(cp), soci::use(manager), soci::use(measurer),
        soci::use(status), soci::use(address), soci::use(value), soci::use(currency), soci::use(created),
        soci::use(statusDate);
    tx.commit();
    return id;
}

// What one operation must become in the store.
struct Expected {
    sdk::ChangeStamp stamp;
    std::string kind;
    sdk::Id project = 0, counterparty = 0;
    std::optional<sdk::Money> amount;
    std::optional<sdk::TimePoint> due;
    std::string invoice;
};


}  // namespace

TEST(RealHost, EveryModuleOperationGivesExactlyOneEventWithItsFields) {
    test::TempDir dir{"itest-ops"};
    RealHost host(dir.path());
    auto& suite = host.suite;
    const Actor by{4, sdk::TimePoint{date(1, 7)} + std::chrono::hours{10}};
    const auto project = makeProject(suite.database(), 1);
    std::vector<Expected> expected;
    {
        Crm crm(host.services);
        auto& orders = *suite.orders();
        sdk::Id order = 0;
        {
            refhost::HostTransaction tx(suite.database());
            order = orders.createOrder(tx, project, sdk::Money{1234500, "PLN"}, by);
            tx.commit();
        }
        auto reserved = orders.reserveMaterials(order, "Profil PCV 70 mm — 24 mb", by);
        expected.push_back({reserved.stamp, "order.materials_reserved", project, 7});
        auto pre = orders.requirePrepayment(order, sdk::Money{370000, "PLN"}, date(1, 14), by);
        expected.push_back({pre.stamp, "order.prepayment_required", project, 7, pre.amount, sdk::TimePoint{date(1, 14)}});
        auto launched = orders.launchProduction(order, date(1, 30), by);
        expected.push_back({launched.stamp, "order.production_launched", project, 7, {}, sdk::TimePoint{date(1, 30)}});

        auto& sched = *suite.scheduling();
        auto crew = sched.assignCrew(project, 1, "installation", date(1, 20), by);
        expected.push_back({crew.stamp, "schedule.crew_assigned", project, 7});
        auto planned = sched.planStage(project, "installation", date(1, 20), date(1, 21), by);
        expected.push_back({planned.stamp, "schedule.stage_planned", project, 7, {}, sdk::TimePoint{date(1, 21)}});
        auto moved = sched.rescheduleStage(project, "installation", date(1, 23), date(1, 24), by);
        expected.push_back({moved.stamp, "schedule.stage_rescheduled", project, 7, {}, sdk::TimePoint{date(1, 24)}});
        auto started = sched.startStage(project, "installation", by);
        expected.push_back({started.stamp, "schedule.stage_started", project, 7});
        auto finished = sched.finishStage(project, "installation", by);
        expected.push_back({finished.stamp, "schedule.stage_finished", project, 7});
        auto inst = sched.planInstallation(project, 2, date(1, 22), by);
        expected.push_back({inst.stamp, "schedule.installation_planned", project, 7, {}, sdk::TimePoint{date(1, 22)}});
        auto inst2 = sched.planInstallation(project, 2, date(1, 27), by);
        expected.push_back({inst2.stamp, "schedule.installation_planned", project, 7, {}, sdk::TimePoint{date(1, 27)}});

        auto received = suite.fgWarehouse()->receiveItems(project, 1, "Okna PCV — 6 szt.", 6, by);
        expected.push_back({received.stamp, "warehouse.fg_received", project, 7});
        auto invoice = suite.multiWarehouse()->postInvoice(project, 2, "invoice", by);
        expected.push_back({invoice.stamp, "warehouse.invoice_posted", project, 7, {}, {}, invoice.invoiceNumber});
        auto waybill = suite.multiWarehouse()->postInvoice(project, 1, "waybill", by);
        expected.push_back({waybill.stamp, "warehouse.invoice_posted", project, 7, {}, {}, waybill.invoiceNumber});
        auto mres = suite.multiWarehouse()->reserveMaterials(project, 3, "Szyba zespolona 4/16/4 — 12 m²", by);
        expected.push_back({mres.stamp, "warehouse.materials_reserved", project, 7});

        auto& pay = *suite.payments();
        auto p1 = pay.registerPayment(7, project, sdk::Money{370000, "PLN"}, sdk::PaymentKind::Prepayment, "", by);
        expected.push_back({p1.stamp, "payment.prepayment_received", project, 7, p1.amount});
        auto p2 = pay.registerPayment(7, project, sdk::Money{864500, "PLN"}, sdk::PaymentKind::Final, "KP 17/2026", by);
        expected.push_back({p2.stamp, "payment.final_received", project, 7, p2.amount});
        auto p3 = pay.registerPayment(7, 0, sdk::Money{5000, "PLN"}, sdk::PaymentKind::Other, "", by);
        expected.push_back({p3.stamp, "payment.received", 0, 7, p3.amount});

        crm.adapters().drain();
        ASSERT_TRUE(crm.store().writer().flush(std::chrono::seconds(20)));
        const auto c = crm.adapters().counts();
        EXPECT_EQ(c.received, expected.size());
        EXPECT_EQ(c.submitted, expected.size());
        EXPECT_EQ(c.overflowed + c.failed + c.lost, 0u);

        // Read back through the feed with filters, as the dispatcher's forms do.
        auto& store = crm.store();
        for (const auto& x : expected) {
            SCOPED_TRACE(x.kind + " " + x.stamp.entity + " v" + std::to_string(x.stamp.version));
            crm::FeedFilter filter;
            filter.kinds = {x.kind};
            filter.counterparty = x.counterparty;
            if (x.project) filter.project = x.project;
            filter.sourceModule = x.stamp.module;
            const auto found = storedEvents(store, filter);
            const auto key = crm::idempotencyKey(x.stamp);
            const auto n = std::count_if(found.begin(), found.end(), [&](auto& e) { return e.idempotencyKey == key; });
            ASSERT_EQ(n, 1);
            const auto& e = *std::find_if(found.begin(), found.end(), [&](auto& e) { return e.idempotencyKey == key; });
            EXPECT_EQ(e.kind, x.kind);
            EXPECT_EQ(e.projectId, x.project);
            EXPECT_EQ(e.counterpartyId, x.counterparty);
            EXPECT_EQ(e.occurredAt, by.at);
            EXPECT_EQ(e.authorId, by.userId);
            EXPECT_EQ(e.amount, x.amount);
            EXPECT_EQ(e.dueAt, x.due);
            EXPECT_EQ(e.invoiceNumber, x.invoice);
            EXPECT_FALSE(e.title.empty());
        }
        // Nothing else: one event per operation, in the whole store and in the project's feed.
        EXPECT_EQ(storedEvents(store).size(), expected.size());
        crm::FeedFilter byProject;
        byProject.project = project;
        EXPECT_EQ(storedEvents(store, byProject).size(), expected.size() - 1);  // p3 has no project
    }
    // The host's texts are Polish here: spot-check one title as the dispatcher reads it.
    const auto all = storedEvents(dir / "crm.fdb");
    const auto pre = std::find_if(all.begin(), all.end(), [](auto& e) { return e.kind == "order.prepayment_required"; });
    ASSERT_NE(pre, all.end());
    EXPECT_EQ(pre->title, "Wymagana przedpłata 3700,00\u00a0zł do 14.01.2026");
}

TEST(RealHost, ChangesMadeBeforeTheCrmEverRanArriveByCatchUpExactlyOnce) {
    test::TempDir dir{"itest-catchup"};
    RealHost host(dir.path());
    refhost::Simulator(host.suite, 31).runUntilDay(3);
    const auto changes = allChanges(host.suite.modules());
    ASSERT_GT(changes.size(), 60u);
    {
        Crm crm(host.services);
        crm.adapters().drain();
        EXPECT_EQ(crm.adapters().counts().caughtUp, changes.size());
    }
    const auto events = storedEvents(dir / "crm.fdb");
    EXPECT_EQ(events.size(), changes.size());
    EXPECT_EQ(keysOf(events), keysOf(changes));
}

TEST(RealHost, ChangesMadeWhileTheCrmWasStoppedArriveFromTheSavedCursors) {
    test::TempDir dir{"itest-cursors"};
    RealHost host(dir.path());
    {
        Crm crm(host.services);
        refhost::Simulator(host.suite, 32).runUntilDay(2);  // signals, live
    }
    const auto live = allChanges(host.suite.modules()).size();
    ASSERT_TRUE(host.settings.get("crm.cursor.orders")) << "cursors are saved on a clean stop";
    refhost::Simulator(host.suite, 32).runUntilDay(4);  // no CRM running
    const auto changes = allChanges(host.suite.modules());
    ASSERT_GT(changes.size(), live);
    {
        Crm crm(host.services);
        crm.adapters().drain();
        // Only what happened while it was stopped is read again.
        EXPECT_EQ(crm.adapters().counts().caughtUp, changes.size() - live);
        refhost::Simulator(host.suite, 32).runUntilDay(5);  // and live again
    }
    const auto all = allChanges(host.suite.modules());
    const auto events = storedEvents(dir / "crm.fdb");
    EXPECT_EQ(events.size(), all.size());
    EXPECT_EQ(keysOf(events), keysOf(all));
}

// Payloads no module logged: only the queue or the journal can bring them to the store.
sdk::PaymentRegistered burstPayment(int thread, int i) {
    sdk::PaymentRegistered p;
    const auto n = static_cast<std::int64_t>(thread) * 100000 + i;
    p.stamp = {n, "payments", "burst:" + std::to_string(n), 1, sdk::TimePoint{date(2, 2)} + std::chrono::seconds{n}, 3};
    p.paymentId = n;
    p.counterpartyId = 7;
    p.amount = {100 + n, "PLN"};
    p.kind = sdk::PaymentKind::Other;
    p.document = "Wpłata — Оплата " + std::to_string(n);
    return p;
}

TEST(RealHost, AFullQueueSpillsToTheJournalAndEveryChangeIsStoredOnce) {
    test::TempDir dir{"itest-overflow"};
    RealHost host(dir.path());
    constexpr int kThreads = 3, kPerThread = 1500;
    std::filesystem::path journal;
    {
        Crm crm(host.services, 4);  // a tiny queue: a burst must overflow
        journal = crm.adapters().journalFile();
        auto& signal = host.suite.modules().payments()->paymentRegistered;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) signal(burstPayment(t, i));
            });
        for (auto& t : threads) t.join();
        crm.adapters().drain();
        const auto c = crm.adapters().counts();
        EXPECT_EQ(c.received, static_cast<std::uint64_t>(kThreads * kPerThread));
        EXPECT_GT(c.overflowed, 0u) << "the burst never filled the queue";
        EXPECT_EQ(c.replayed, c.overflowed);
        EXPECT_EQ(c.lost, 0u);
        EXPECT_EQ(c.submitted, static_cast<std::uint64_t>(kThreads * kPerThread));
        EXPECT_FALSE(std::filesystem::exists(journal)) << "replayed journals are removed";
    }
    EXPECT_EQ(journal.parent_path(), dir / "crm-journal");
    const auto events = storedEvents(dir / "crm.fdb");
    ASSERT_EQ(events.size(), static_cast<std::size_t>(kThreads * kPerThread));
    EXPECT_EQ(keysOf(events).size(), events.size());
    // Logged once per episode, not once per change.
    const long started = host.logger.count("ingest queue full"), ended = host.logger.count("has room again");
    EXPECT_GE(started, 1);
    EXPECT_LE(started, ended + 1);
    EXPECT_LT(started, 200);
}

TEST(RealHost, AJournalLeftByAnEarlierRunIsReplayedOnStart) {
    test::TempDir dir{"itest-journal"};
    RealHost host(dir.path());
    {
        adapters::OverflowJournal left(dir / "crm-journal" / "overflow.jsonl");
        for (int i = 0; i < 25; ++i) ASSERT_TRUE(left.append(adapters::HostChange{burstPayment(9, i)}));
        std::ofstream(left.file(), std::ios::app) << "{\"type\":\"Payment";  // cut by a kill -9
    }
    {
        Crm crm(host.services);
        crm.adapters().drain();
        EXPECT_EQ(crm.adapters().counts().replayed, 25u);
        EXPECT_FALSE(std::filesystem::exists(dir / "crm-journal" / "overflow.jsonl"));
    }
    EXPECT_EQ(storedEvents(dir / "crm.fdb").size(), 25u);
    EXPECT_EQ(host.logger.count("1 unreadable line(s)"), 1);
}
