// The sender against mail servers that misbehave (aiosmtpd with smtp_sink.py's scripted modes):
// one recipient's broken mailbox fails only that recipient, a server that refuses everything for a
// while costs no permanent failure, the circuit breaker stops a batch, failure events are grouped
// per recipient and day, and a failure event commits with its row's outcome or not at all.
#include "notify_test_util.hpp"

#include <map>
#include <set>
#include <thread>

namespace notifytest {
namespace {

using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using notify::OutboxStatus;
using notify::RecipientRole;

constexpr const char* kNowak = "a.nowak@fabryka.example";   // finance
constexpr const char* kPetrov = "s.petrov@zavod.example";   // the projects' manager

class SenderRecoveryTest : public NotifyTest {
protected:
    QuietLogger logger;
    conduit::test::TempDir mailDir{"conduit-notify-mail"};

    // Payments to the project manager and finance: two rows per event, interleaved by id.
    void payments(int count, const std::string& prefix = "pay") {
        std::vector<crm::Event> events;
        for (int i = 0; i < count; ++i)
            events.push_back(makeEvent(prefix + std::to_string(i), "payment.received", clock.now(), i % 2 ? 1001 : 1002, i % 2 ? 101 : 102));
        write(events);
    }
    std::map<OutboxStatus, int> statuses() {
        std::map<OutboxStatus, int> n;
        for (const auto& row : service->outbox().rows()) ++n[row.status];
        return n;
    }
    // The To addresses of what the server received, read by Python's email package.
    std::multiset<std::string> receivedTo(const SmtpServer& server, std::size_t expected) {
        std::multiset<std::string> to;
        for (const auto& m : server.waitForMessages(expected)) to.insert(checkMime(m.emlFile)["to"][0]["address"].get<std::string>());
        return to;
    }
};

TEST_F(SenderRecoveryTest, AHandlerErrorForOneRecipientFailsOnlyThatRecipient) {
    SmtpServer server(SmtpServerOptions{.raiseForRecipients = {kNowak}});
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Płatności", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    payments(6);

    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 6u) << report.error;
    EXPECT_EQ(report.sent.failed, 6u);
    EXPECT_FALSE(report.sent.breakerOpen);
    for (const auto& row : svc.outbox().rows()) {
        if (row.recipient.address == kNowak) {
            EXPECT_EQ(row.status, OutboxStatus::Failed);
            EXPECT_NE(row.lastError.find("500"), std::string::npos) << row.lastError;
        } else {
            EXPECT_EQ(row.status, OutboxStatus::Sent) << row.lastError;
        }
    }
    const auto to = receivedTo(server, 6);
    EXPECT_EQ(to.size(), 6u);
    EXPECT_EQ(to.count(kPetrov), 6u);
    // Each failure was followed by a message on a fresh connection: the server never had to say 503.
    for (const auto& reply : server.failureReplies()) EXPECT_EQ(reply.find(": 503"), std::string::npos) << reply;

    // One event for the recipient and day, counting all six.
    const auto failed = feedOfKind("notification.failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(report.sent.failureEvents, 1u);
    EXPECT_NE(failed[0].extra.find("\"count\":6"), std::string::npos) << failed[0].extra;
    EXPECT_NE(failed[0].title.find("Notifications not delivered to Anna Nowak"), std::string::npos) << failed[0].title;
    EXPECT_NE(failed[0].title.find(": 6"), std::string::npos) << failed[0].title;
    EXPECT_NE(failed[0].body.find(kNowak), std::string::npos) << failed[0].body;
}

TEST_F(SenderRecoveryTest, FailureEventsAreGroupedPerRecipientAndDayInTheFeedLanguage) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {kNowak}});
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    notify::NotifyOptions o;
    o.sender.feedLocale = "pl";
    o.sender.zone = crm::TimeZone::named("Europe/Warsaw");
    auto& svc = startService(*mail, false, o);
    svc.rules().add(rule("Płatności", {"payment.*"}, {dept("finance")}));
    svc.rules().add(rule("Сбои — диспетчеру", {"notification.failed"}, {dept("dispatch")}));

    payments(1, "a");
    EXPECT_EQ(svc.runOnce(clock.now()).sent.failureEvents, 1u);
    payments(2, "b");
    EXPECT_EQ(svc.runOnce(clock.now()).sent.failureEvents, 0u);  // the day's event counts them
    auto failed = feedOfKind("notification.failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].extra.find("\"count\":3"), std::string::npos) << failed[0].extra;
    EXPECT_NE(failed[0].title.find("Nie doręczono powiadomień do Anna Nowak"), std::string::npos) << failed[0].title;
    EXPECT_NE(failed[0].title.find("02.03.2026: 3"), std::string::npos) << failed[0].title;
    EXPECT_NE(failed[0].body.find("550"), std::string::npos) << failed[0].body;

    // 23:30 UTC is already the next day in Warsaw: a new event.
    clock.set(at(2026, 3, 2, 23, 30));
    payments(1, "c");
    const auto next = svc.runOnce(clock.now());
    EXPECT_EQ(next.sent.failureEvents, 1u);
    failed = feedOfKind("notification.failed");
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_NE(failed[0].extra.find("\"count\":1"), std::string::npos) << failed[0].extra;
    EXPECT_NE(failed[0].extra.find("\"day\":\"2026-03-03\""), std::string::npos) << failed[0].extra;
    // Dispatch heard once per event (the rule's rows come with the insert, not with each count).
    int toDispatch = 0;
    for (const auto& row : svc.outbox().rows()) toDispatch += row.recipient.address == "m.ivanova@zavod.example";
    EXPECT_EQ(toDispatch, 2);
}

TEST_F(SenderRecoveryTest, AServerRefusingForTheFirstSecondsLosesNothing) {
    SmtpServer server(SmtpServerOptions{.tempFailFirstSeconds = 3});
    const auto started = std::chrono::steady_clock::now();
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    notify::NotifyOptions o;
    o.sender.breakerBase = 30s;
    // The simulated clock runs 2 min per round while the server refuses for 3 real seconds: more
    // rounds than a real 3 s would see, so more attempts than the default limit could be spent.
    o.sender.maxAttempts = 10;
    auto& svc = startService(*mail, false, o);
    svc.rules().add(rule("Płatności", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    payments(10);

    bool sawBreaker = false;
    std::size_t failed = 0;
    for (int round = 0; round < 40 && statuses()[OutboxStatus::Sent] < 20; ++round) {
        const auto r = svc.runOnce(clock.now());
        sawBreaker = sawBreaker || r.sent.breakerOpen;
        failed += r.sent.failed;
        clock.advance(2min);
        if (std::chrono::steady_clock::now() - started < 4s) std::this_thread::sleep_for(400ms);
    }
    EXPECT_TRUE(sawBreaker);
    EXPECT_EQ(failed, 0u);
    EXPECT_EQ(statuses()[OutboxStatus::Sent], 20);
    EXPECT_EQ(receivedTo(server, 20).size(), 20u);
    EXPECT_GE(server.failureReplies().size(), 1u);
    for (const auto& reply : server.failureReplies()) EXPECT_NE(reply.find("451"), std::string::npos) << reply;
    EXPECT_TRUE(feedOfKind("notification.failed").empty());
}

TEST_F(SenderRecoveryTest, AServerAnswering503AfterAFailureIsRecovered) {
    // Every second MAIL of a session answered 503, and after that every MAIL until RSET.
    SmtpServer server(SmtpServerOptions{.stickyFailure = true, .badSequenceEvery = 2});
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Płatności", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    payments(5);

    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 10u) << report.error;
    EXPECT_EQ(report.sent.failed, 0u);
    EXPECT_EQ(statuses()[OutboxStatus::Sent], 10);
    EXPECT_EQ(receivedTo(server, 10).size(), 10u);
    EXPECT_GE(server.failureReplies().size(), 4u);  // the server did answer 503, again and again
}

TEST_F(SenderRecoveryTest, TheBreakerStopsABatchAgainstAServerRefusingEverything) {
    SmtpServer server(SmtpServerOptions{.tempFailFirstSeconds = 3600});
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    notify::NotifyOptions o;
    o.sender.breakerThreshold = 4;
    o.sender.breakerBase = 60s;
    auto& svc = startService(*mail, false, o);
    svc.rules().add(rule("Płatności", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    payments(10);

    const auto first = svc.runOnce(clock.now());
    EXPECT_TRUE(first.sent.breakerOpen);
    EXPECT_EQ(first.sent.claimed, 20u);
    EXPECT_EQ(first.sent.retrying, 4u);   // offered: the first chunk
    EXPECT_EQ(first.sent.deferred, 16u);  // claimed, never offered
    EXPECT_EQ(first.sent.failed, 0u);
    EXPECT_EQ(server.failureReplies().size(), 4u);
    int untouched = 0;
    for (const auto& row : svc.outbox().rows()) {
        EXPECT_EQ(row.status, OutboxStatus::Pending);
        if (row.attempts == 0) {
            ++untouched;
            EXPECT_EQ(row.nextAttemptAt, clock.now() + 60s);
        }
    }
    EXPECT_EQ(untouched, 16);

    // Open: nothing is claimed, the server hears nothing.
    clock.advance(30s);
    const auto open = svc.runOnce(clock.now());
    EXPECT_TRUE(open.sent.breakerOpen);
    EXPECT_EQ(open.sent.claimed, 0u);
    EXPECT_EQ(server.failureReplies().size(), 4u);

    // After the pause one chunk is tried again; failing again, the pause doubles.
    clock.advance(31s);
    const auto again = svc.runOnce(clock.now());
    EXPECT_TRUE(again.sent.breakerOpen);
    EXPECT_EQ(again.sent.retrying, 4u);
    EXPECT_EQ(server.failureReplies().size(), 8u);
    clock.advance(61s);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.claimed, 0u);  // 120 s now
    clock.advance(60s);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.retrying, 4u);
    EXPECT_EQ(statuses()[OutboxStatus::Failed], 0);
    EXPECT_TRUE(feedOfKind("notification.failed").empty());
}

TEST_F(SenderRecoveryTest, AFailureEventCommitsWithItsRowOrNotAtAll) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {kNowak}});
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Płatności", {"payment.*"}, {dept("finance")}));
    payments(1);
    // A participant that refuses the failure event: the sender's transaction must roll back whole.
    std::atomic<bool> refuse{true};
    const auto participant = store->writer().addParticipant([&](soci::session&, const std::vector<const crm::Event*>& events) {
        for (const auto* e : events)
            if (refuse && e->kind == "notification.failed") throw std::runtime_error("disk full (test)");
    });

    const auto broken = svc.runOnce(clock.now());
    EXPECT_FALSE(broken.error.empty());
    auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, OutboxStatus::Sending);  // the outcome did not commit ...
    EXPECT_TRUE(feedOfKind("notification.failed").empty());  // ... and neither did its event

    // The claim times out, the row is sent again, fails again: now both are there.
    refuse = false;
    clock.advance(11min);
    const auto report = svc.runOnce(clock.now());
    EXPECT_TRUE(report.error.empty()) << report.error;
    EXPECT_EQ(report.sent.failed, 1u);
    rows = svc.outbox().rows();
    EXPECT_EQ(rows[0].status, OutboxStatus::Failed);
    const auto failed = feedOfKind("notification.failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].extra.find("\"count\":1"), std::string::npos) << failed[0].extra;
    store->writer().removeParticipant(participant);
}

}  // namespace
}  // namespace notifytest
