// Fault: the SMTP server is killed (SIGKILL) in the middle of the sender's batch and started
// again on the same port. Every notification must still arrive: the ones refused by the dead
// server are retried after their back-off, none is lost, and at most the one message in flight
// at the kill may arrive twice (SMTP's own window: stored, but the reply never came).
#include "notify_rig.hpp"

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace conduit::faults {
namespace {

using crm::notify::OutboxStatus;

// A clock the test moves: back-off is waited out by advancing it, not by sleeping.
struct TestClock {
    std::atomic<std::int64_t> seconds{0};
    TestClock() {
        seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
    sdk::TimePoint now() const { return sdk::TimePoint{std::chrono::seconds{seconds.load()}}; }
    void advance(std::chrono::seconds by) { seconds += by.count(); }
};

TEST(SmtpRestartMidBatch, EveryNotificationArrivesAfterTheServerComesBack) {
    test::TempDir dir{"faults-smtp"};
    StaffDirectory directory;
    TestClock clock;
    sdk::DatabaseLocation where;
    where.file = dir / "crm.fdb";

    auto first = std::make_unique<test::SmtpServer>();
    const int port = first->port();

    crm::notify::NotifyOptions options;
    options.seedDefaults = false;
    options.sender.batchSize = 50;
    options.sender.retryBase = std::chrono::seconds(30);
    options.clock = [&clock] { return clock.now(); };
    Workstation ws("ws", where, directory, port, options);
    ws.notes.start(false);  // no thread: the test runs the sender
    ws.notes.rules().add(notesToManagerAndFinance());

    constexpr int kNotes = 100;  // x3 recipients = 300 notifications
    for (int i = 0; i < kNotes; ++i)
        ASSERT_TRUE(ws.store->writer().submit(projectNote("smtp-fault-" + std::to_string(i), 1 + i % 10, clock.now())));
    ASSERT_TRUE(ws.store->writer().flush(60s));
    const std::size_t expected = allRows(ws.notes.outbox()).size();
    ASSERT_EQ(expected, 3u * kNotes);

    // The sender drains in batches of 50 on its own thread; the server dies under it.
    crm::notify::TickReport firstTick;
    std::thread sender([&] { firstTick = ws.notes.runOnce(clock.now()); });
    const auto before = first->waitForMessages(80, 60s).size();
    first->kill();
    sender.join();
    ASSERT_GE(before, 80u);
    ASSERT_LT(first->messages().size(), expected) << "the kill came too late to be mid-batch";
    EXPECT_GT(firstTick.sent.retrying, 0u) << "refused messages wait for a retry";
    EXPECT_EQ(firstTick.sent.failed, 0u) << "a dead server is a temporary failure";
    EXPECT_TRUE(ws.logger.mentions("temporary failure")) << "the host's client logs what happened";

    // Down for a while: retries before the server is back fail again and back off further.
    clock.advance(std::chrono::minutes(2));
    const auto whileDown = ws.notes.runOnce(clock.now());
    EXPECT_EQ(whileDown.sent.sent, 0u);

    test::SmtpServerOptions samePort;
    samePort.port = port;
    test::SmtpServer second(samePort);
    for (int round = 0; round < 20; ++round) {
        clock.advance(std::chrono::hours(1));  // past any back-off (retryMax)
        ws.notes.runOnce(clock.now());
        if (allRows(ws.notes.outbox(), {std::nullopt, OutboxStatus::Sent}).size() == expected) break;
    }

    const auto rows = allRows(ws.notes.outbox());
    std::size_t sent = 0, retried = 0;
    for (const auto& r : rows) {
        sent += r.status == OutboxStatus::Sent ? 1 : 0;
        retried += r.attempts > 1 ? 1 : 0;
        EXPECT_NE(r.status, OutboxStatus::Failed) << r.lastError;
    }
    EXPECT_EQ(sent, expected) << "no notification lost";
    EXPECT_GT(retried, 0u);

    const auto arrived = arrivals({first.get(), &second});
    std::size_t duplicates = 0;
    for (const auto& r : rows) {
        const auto it = arrived.find(r.messageId);
        ASSERT_NE(it, arrived.end()) << "lost: " << r.messageId;
        duplicates += static_cast<std::size_t>(it->second - 1);
    }
    EXPECT_EQ(arrived.size(), expected);
    EXPECT_LE(duplicates, 1u) << "only the message in flight at the kill may arrive twice";
    std::cout << "before kill=" << before << " first server=" << first->messages().size()
              << " second server=" << second.messages().size() << " duplicates=" << duplicates
              << " rows retried=" << retried << "\n";
}

}  // namespace
}  // namespace conduit::faults
