// Fault: the Firebird server crashes (SIGKILL) while the sender is mailing a backlog, and comes
// back. Nothing may be lost: rows claimed by the dead round are reclaimed after claimTimeout and
// sent. A message accepted by SMTP whose outcome could not be recorded is sent again with the
// same Message-ID (at-least-once): that window is at most the batch in flight.
#include "firebird_server.hpp"
#include "notify_rig.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace conduit::faults {
namespace {

using crm::notify::OutboxStatus;

// Found by this test: when the connection died while Sender::sendBatch recorded outcomes, a
// prepared soci::statement was destroyed during unwinding and SOCI's Firebird statement threw from
// its destructor on the dead attachment -> std::terminate of the host. The notify code now keeps
// such statements alive on unwinding (detail::LeakOnUnwind), as EventWriter does.
TEST(FirebirdCrashWhileSending, EveryNotificationIsSentAndRepeatsStayWithinOneBatch) {
    test::FirebirdServer firebird;
    test::SmtpServer smtp;
    StaffDirectory directory;
    const auto where = firebird.location("crm.fdb");
    std::atomic<std::int64_t> seconds{
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()};
    auto now = [&] { return sdk::TimePoint{std::chrono::seconds{seconds.load()}}; };

    crm::notify::NotifyOptions options;
    options.seedDefaults = false;
    options.sender.batchSize = 20;
    options.clock = now;
    crm::StoreOptions storeOptions;
    storeOptions.writer.retryMin = std::chrono::milliseconds(50);
    storeOptions.writer.retryMax = std::chrono::milliseconds(500);
    Workstation ws("ws", where, directory, smtp.port(), options, storeOptions);
    ws.notes.start(false);
    ws.notes.rules().add(notesToManagerAndFinance());
    constexpr int kNotes = 100;
    for (int i = 0; i < kNotes; ++i)
        ASSERT_TRUE(ws.store->writer().submit(projectNote("crash-" + std::to_string(i), 1 + i % 10, now())));
    ASSERT_TRUE(ws.store->writer().flush(std::chrono::seconds(60)));
    constexpr std::size_t kExpected = 3 * kNotes;

    crm::notify::TickReport during;
    std::thread sender([&] { during = ws.notes.runOnce(now()); });
    smtp.waitForMessages(60, std::chrono::seconds(60));
    firebird.kill();
    sender.join();
    std::cout << "tick while the server died: sent=" << during.sent.sent << " error=" << during.error << "\n";
    ASSERT_LT(smtp.messages().size(), kExpected) << "the crash came too late to be mid-backlog";
    EXPECT_FALSE(during.error.empty()) << "the lost database is reported by the tick";

    firebird.start();
    for (int round = 0; round < 30; ++round) {
        seconds += 15 * 60;  // past claimTimeout (10 min): rows the dead round claimed are reclaimed
        const auto tick = ws.notes.runOnce(now());
        if (!tick.error.empty()) std::cout << "tick error (retrying): " << tick.error.substr(0, 200) << "\n";
        if (allRows(ws.notes.outbox(), {std::nullopt, OutboxStatus::Sent}).size() == kExpected) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    const auto rows = allRows(ws.notes.outbox());
    ASSERT_EQ(rows.size(), kExpected);
    const auto arrived = arrivals({&smtp});
    std::size_t repeats = 0;
    for (const auto& r : rows) {
        EXPECT_EQ(r.status, OutboxStatus::Sent) << r.id << " " << r.lastError;
        const auto it = arrived.find(r.messageId);
        ASSERT_NE(it, arrived.end()) << "lost: " << r.messageId;
        repeats += static_cast<std::size_t>(it->second - 1);
    }
    EXPECT_EQ(arrived.size(), kExpected) << "only the outbox's Message-IDs arrived";
    EXPECT_LE(repeats, options.sender.batchSize) << "repeats beyond the batch in flight";
    std::cout << "delivered=" << arrived.size() << " repeated (same Message-ID)=" << repeats << "\n";
}

}  // namespace
}  // namespace conduit::faults
