// The transactional outbox: notification rows commit in the event writer's transaction with the
// events that cause them — never one without the other — once per event, rule and address.
#include "notify_test_util.hpp"

#include <soci/soci.h>

#include <set>
#include <thread>

namespace notifytest {
namespace {

using notify::OutboxStatus;
using notify::RecipientRole;
using notify::Timing;

class OutboxTest : public NotifyTest {};

TEST_F(OutboxTest, RowsAreWrittenWithTheirEventOncePerRuleAndAddress) {
    RecordingMail mail;
    auto& svc = startService(mail);
    const auto payments = svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    const auto customer = svc.rules().add(rule("Klient", {"payment.*"}, {role(RecipientRole::CounterpartyContact)}));
    svc.rules().add(rule("Заметки", {"note.*"}, {dept("dispatch")}));
    auto paid = makeEvent("pay-1", "payment.received", clock.now(), 1002, 102);
    paid.amount = sdk::Money{1250050, "PLN"};
    write({paid, makeEvent("other", "schedule.stage_started", clock.now(), 1002, 102)});
    const auto id = storedId(paid);
    ASSERT_GT(id, 0);
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 3u);
    for (const auto& r : rows) {
        EXPECT_EQ(r.eventId, id);
        EXPECT_EQ(r.status, OutboxStatus::Pending);
        EXPECT_EQ(r.timing, Timing::OnOccurrence);
        EXPECT_EQ(r.createdAt, clock.now());
        EXPECT_EQ(r.nextAttemptAt, clock.now());
    }
    EXPECT_EQ(rows[0].ruleId, payments);
    EXPECT_EQ(rows[0].recipient.address, "s.petrov@zavod.example");
    EXPECT_EQ(rows[1].recipient.address, "a.nowak@fabryka.example");
    EXPECT_EQ(rows[1].recipient.name, "Anna Nowak");
    EXPECT_EQ(rows[2].ruleId, customer);
    EXPECT_EQ(rows[2].recipient.name, "Zażółć Gęślą");
    EXPECT_TRUE(rows[2].recipient.external);
    EXPECT_EQ(rows[2].recipient.counterpartyId, 102);

    // A replay of the same event (catch-up) is a duplicate: no new event, no new rows.
    write({paid});
    EXPECT_EQ(svc.outbox().rows().size(), 3u);
}

TEST_F(OutboxTest, NoEventWithoutItsRowsAndNoRowsWithoutTheirEvent) {
    RecordingMail mail;
    auto& svc = startService(mail);
    svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager)}));
    // Another participant after the outbox fails the first three batches: the outbox's rows
    // were already inserted in those transactions and must roll back with them.
    std::atomic<int> failures{3};
    const auto failing = store->writer().addParticipant([&](soci::session&, const std::vector<const crm::Event*>&) {
        if (failures > 0) {
            --failures;
            throw std::runtime_error("disk full (simulated)");
        }
    });
    auto paid = makeEvent("pay-2", "payment.received", clock.now(), 1001, 101);
    ASSERT_TRUE(store->writer().submit(paid));
    while (failures > 1) std::this_thread::sleep_for(5ms);
    // Mid-way (batches rolled back so far): neither the event nor a row is visible.
    EXPECT_TRUE(store->feed({}).events.empty());
    EXPECT_TRUE(svc.outbox().rows().empty());
    ASSERT_TRUE(store->writer().flush(20s)) << store->counts().writer.lastError;
    store->writer().removeParticipant(failing);
    EXPECT_EQ(store->counts().writer.participantFailures, 3u);
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 1u);  // retries did not duplicate
    EXPECT_EQ(rows[0].eventId, storedId(paid));
}

TEST_F(OutboxTest, DigestRulesLeaveWaitingItemsAndRemindersWaitForTheirMoment) {
    RecordingMail mail;
    auto& svc = startService(mail);
    svc.rules().add(rule("Утренняя сводка", {"note.*"}, {dept("dispatch")}, Timing::Digest));
    auto remind = rule("Montaż za 2 dni", {"schedule.installation_planned"}, {role(RecipientRole::Measurer)}, Timing::Reminder);
    remind.offsets = {std::chrono::minutes(-2 * 24 * 60)};
    svc.rules().add(remind);
    auto install = makeEvent("inst", "schedule.installation_planned", clock.now(), 1002, 102);
    install.dueAt = clock.now() + 24h * 7;
    auto soon = makeEvent("soon", "schedule.installation_planned", clock.now(), 1002, 102);
    soon.dueAt = clock.now() + 24h;  // its "2 days before" already passed: told at once
    write({makeEvent("note", "note.project", clock.now(), 1001, 101), install, soon});
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].status, OutboxStatus::DigestWait);
    EXPECT_EQ(rows[0].recipient.address, "m.ivanova@zavod.example");
    EXPECT_EQ(rows[1].eventId, storedId(soon));
    EXPECT_EQ(rows[1].timing, Timing::Reminder);
    EXPECT_EQ(rows[1].offsetMinutes, -2 * 24 * 60);
    EXPECT_EQ(rows[1].status, OutboxStatus::Pending);
    EXPECT_FALSE(rows[1].late);
    ASSERT_TRUE(rows[1].fireAt);
    EXPECT_EQ(*rows[1].fireAt, *soon.dueAt - 48h);
}

TEST_F(OutboxTest, DeletingARuleSilencesItsWaitingRows) {
    RecordingMail mail;
    auto& svc = startService(mail);
    const auto id = svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager)}));
    write({makeEvent("pay-3", "payment.received", clock.now(), 1001, 101)});
    svc.rules().remove(id);
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.claimed, 0u) << report.error;
    EXPECT_TRUE(mail.sent().empty());
    EXPECT_EQ(svc.outbox().rows().at(0).status, OutboxStatus::Skipped);
}

}  // namespace
}  // namespace notifytest

namespace notifytest {
namespace {

// The plugin entry's way: start() with the thread, events in, mail out with nobody calling
// runOnce; stop() leaves the writer, so later events make no rows.
TEST_F(OutboxTest, TheServiceThreadDeliversAndStopLeavesTheWriter) {
    RecordingMail mail;
    notify::NotifyOptions options;
    options.interval = 20ms;
    options.clock = clock.fn();
    options.seedDefaults = true;
    service = std::make_unique<notify::NotificationService>(*store, where(), directory, mail, options);
    service->start();
    EXPECT_EQ(service->rules().list().size(), notify::defaultRules().size());
    auto overdue = makeEvent("thread-pay", "payment.overdue", clock.now(), 1002, 102);
    overdue.importance = crm::Importance::Critical;
    write({overdue});
    // Default rules: an overdue payment (Critical) at once to the manager and finance.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (mail.sent().size() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    std::set<std::string> to;
    for (const auto& m : mail.sent()) to.insert(m.to.at(0).address);
    EXPECT_EQ(to, (std::set<std::string>{"s.petrov@zavod.example", "a.nowak@fabryka.example"})) << service->lastTick().error;
    service->stop();
    write({makeEvent("after-stop", "payment.overdue", clock.now(), 1002, 102)});
    EXPECT_EQ(service->outbox().rows().size(), 2u);
}

}  // namespace
}  // namespace notifytest

namespace notifytest {
namespace {

// New events do not wait for the period: a committed batch starts a round. With a period of ten
// minutes the mail can only come from that wake-up.
TEST_F(OutboxTest, ACommittedBatchStartsARoundWithoutWaitingForThePeriod) {
    RecordingMail mail;
    notify::NotifyOptions options;
    options.interval = std::chrono::minutes(10);
    options.clock = clock.fn();
    options.seedDefaults = true;
    service = std::make_unique<notify::NotificationService>(*store, where(), directory, mail, options);
    service->start();
    auto mailsReach = [&](std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (mail.sent().size() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
        return mail.sent().size();
    };
    // The first payment may go out with the round the thread starts with; the second comes after
    // that round has sent, so only a wake-up can send it within the ten minutes.
    write({makeEvent("woken-pay-1", "payment.overdue", clock.now(), 1002, 102)});
    ASSERT_EQ(mailsReach(2), 2u) << service->lastTick().error;
    write({makeEvent("woken-pay-2", "payment.overdue", clock.now(), 1002, 102)});
    mailsReach(4);
    EXPECT_EQ(mail.sent().size(), 4u) << service->lastTick().error;
    service->stop();
}

}  // namespace
}  // namespace notifytest
