// Two plugin instances (workstations), each with its own EventStore and notification sender,
// against ONE Firebird server, mailing through the reference host's real SMTP client to a real
// aiosmtpd server: every notification arrives exactly once (compared by Message-ID), none lost.
#include "firebird_server.hpp"
#include "notify_rig.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace conduit::faults {
namespace {

using crm::notify::OutboxStatus;

crm::notify::NotifyOptions busyOptions() {
    crm::notify::NotifyOptions options;
    options.interval = 20ms;         // both senders poll often: they race for the same rows
    options.sender.batchSize = 10;   // many small claims: many chances to collide
    options.seedDefaults = true;     // both seed at once: the defaults must still exist once
    return options;
}

TEST(MultiWorkstation, TwoInstancesOnOneServerSendEveryNotificationOnce) {
    test::FirebirdServer firebird;
    test::SmtpServer smtp;
    StaffDirectory directory;
    const auto where = firebird.location("crm.fdb");

    Workstation first("ws1", where, directory, smtp.port(), busyOptions());
    Workstation second("ws2", where, directory, smtp.port(), busyOptions());
    first.notes.start();
    second.notes.start();
    const auto rules = first.notes.rules().list();
    std::size_t seeded = 0;
    for (const auto& r : rules) seeded += r.seedKey.empty() ? 0 : 1;
    EXPECT_EQ(seeded, crm::notify::defaultRules().size()) << "defaults seeded twice or not at all";
    // Only this test's rule counts (the defaults would add digest items for notes).
    for (const auto& r : rules) first.notes.rules().setEnabled(r.id, false);
    first.notes.rules().add(notesToManagerAndFinance());

    // Both workstations record notes (as two dispatchers would), interleaved.
    constexpr int kPerWorkstation = 60;
    const auto t0 = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < kPerWorkstation; ++i) {
        ASSERT_TRUE(first.store->writer().submit(projectNote("ws1-note-" + std::to_string(i), 1 + i % 10, t0)));
        ASSERT_TRUE(second.store->writer().submit(projectNote("ws2-note-" + std::to_string(i), 1 + i % 10, t0)));
        if (i % 10 == 9) std::this_thread::sleep_for(30ms);  // senders run while notes keep coming
    }
    ASSERT_TRUE(first.store->writer().flush(60s)) << first.store->counts().writer.lastError;
    ASSERT_TRUE(second.store->writer().flush(60s)) << second.store->counts().writer.lastError;

    // Each note: the project's manager + two finance users = 3 notifications, 1 message each.
    constexpr std::size_t kExpected = 2 * kPerWorkstation * 3;
    auto& outbox = first.notes.outbox();
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    std::vector<crm::notify::OutboxRow> sent;
    while (std::chrono::steady_clock::now() < deadline) {
        sent = allRows(outbox, {std::nullopt, OutboxStatus::Sent});
        if (sent.size() >= kExpected && smtp.messages().size() >= sent.size()) break;
        std::this_thread::sleep_for(100ms);
    }
    first.notes.stop();
    second.notes.stop();

    const auto rows = allRows(outbox);
    std::size_t pending = 0;
    for (const auto& r : rows)
        if (r.status == OutboxStatus::Pending || r.status == OutboxStatus::Sending) ++pending;
    EXPECT_EQ(rows.size(), kExpected) << "one row per event, rule and address";
    EXPECT_EQ(sent.size(), kExpected);
    EXPECT_EQ(pending, 0u);

    const auto arrived = arrivals({&smtp});
    std::set<std::string> expectedIds;
    for (const auto& r : sent) expectedIds.insert(r.messageId);
    EXPECT_EQ(expectedIds.size(), kExpected) << "Message-IDs are unique per notification";
    std::size_t duplicates = 0;
    for (const auto& [id, n] : arrived) {
        EXPECT_EQ(n, 1) << id << " arrived " << n << " times";
        EXPECT_TRUE(expectedIds.count(id)) << "unexpected message " << id;
        duplicates += n > 1 ? n - 1 : 0;
    }
    for (const auto& id : expectedIds) EXPECT_TRUE(arrived.count(id)) << "lost: " << id;
    EXPECT_EQ(smtp.messages().size(), kExpected);
    EXPECT_EQ(duplicates, 0u);

    // Both instances really competed (each sent a share), and together exactly the total.
    std::cout << "ws1 accepted=" << first.mail.accepted << " ws2 accepted=" << second.mail.accepted
              << " smtp sessions=" << smtp.sessionCount() << "\n";
    EXPECT_GT(first.mail.accepted.load(), 0);
    EXPECT_GT(second.mail.accepted.load(), 0);
    EXPECT_EQ(first.mail.accepted + second.mail.accepted, static_cast<long>(kExpected));
}

// The hardest race: a backlog already in the outbox, both senders started at the same instant.
TEST(MultiWorkstation, TwoSendersDrainingOneBacklogAtOnceSendEachOnce) {
    test::FirebirdServer firebird;
    test::SmtpServer smtp;
    StaffDirectory directory;
    const auto where = firebird.location("crm.fdb");
    auto options = busyOptions();
    options.seedDefaults = false;
    Workstation first("ws1", where, directory, smtp.port(), options);
    Workstation second("ws2", where, directory, smtp.port(), options);
    first.notes.start(false);  // no threads: the test starts both senders together
    second.notes.start(false);
    first.notes.rules().add(notesToManagerAndFinance());

    // One tick each, one after the other, before any notification exists: reminders and
    // digests set their marks. This test is about the senders; the first ticks racing each
    // other is TwoInstancesTickingForTheFirstTimeAtOnce below.
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    EXPECT_TRUE(first.notes.runOnce(now).error.empty());
    EXPECT_TRUE(second.notes.runOnce(now).error.empty());

    constexpr int kNotes = 100;
    for (int i = 0; i < kNotes; ++i)
        ASSERT_TRUE(first.store->writer().submit(projectNote("backlog-" + std::to_string(i), 1 + i % 10, now)));
    ASSERT_TRUE(first.store->writer().flush(60s));
    const auto rows = allRows(first.notes.outbox());
    ASSERT_EQ(rows.size(), 3u * kNotes);

    std::atomic<int> ready{0};
    crm::notify::TickReport a, b;
    auto drain = [&](Workstation& ws, crm::notify::TickReport& report) {
        ++ready;
        while (ready < 2) std::this_thread::yield();
        report = ws.notes.runOnce(now + 1s);
    };
    std::thread t1(drain, std::ref(first), std::ref(a)), t2(drain, std::ref(second), std::ref(b));
    t1.join();
    t2.join();
    // The senders must not fail. The reminder scheduler's mark (CRM_NOTIFY_STATE) racing is a
    // race of its own (TwoInstancesTickingForTheFirstTimeAtOnce): tolerated here.
    for (const auto* report : {&a, &b}) {
        if (!report->error.empty()) {
            EXPECT_NE(report->error.find("reminders.mark"), std::string::npos) << report->error;
        }
    }
    std::cout << "ws1 sent=" << a.sent.sent << " lost claims=" << a.sent.lostClaims << "; ws2 sent=" << b.sent.sent
              << " lost claims=" << b.sent.lostClaims << "\n";
    EXPECT_EQ(a.sent.sent + b.sent.sent, rows.size());
    EXPECT_EQ(a.sent.claimed + b.sent.claimed, rows.size()) << "a row claimed by both";

    const auto arrived = arrivals({&smtp});
    EXPECT_EQ(arrived.size(), rows.size());
    for (const auto& r : allRows(first.notes.outbox())) {
        EXPECT_EQ(r.status, OutboxStatus::Sent);
        const auto it = arrived.find(r.messageId);
        ASSERT_NE(it, arrived.end()) << "lost: " << r.messageId;
        EXPECT_EQ(it->second, 1) << r.messageId;
    }
}

// Two workstations run their reminder/digest/sender round at the same moment. Found by this
// suite: the reminder scheduler's "last fired" mark (CRM_NOTIFY_STATE 'reminders.mark') was
// inserted by both on the first run (a unique-key violation) and later updated by both (an update
// conflict), so one instance's tick reported an error. The schedulers now take both as "another
// workstation did it" (its reminder rows are deduplicated anyway).
TEST(MultiWorkstation, TwoInstancesTickingForTheFirstTimeAtOnce) {
    test::FirebirdServer firebird;
    test::SmtpServer smtp;
    StaffDirectory directory;
    for (int round = 0; round < 5; ++round) {
        const auto db = firebird.location("race-" + std::to_string(round) + ".fdb");
        Workstation first("ws1", db, directory, smtp.port(), busyOptions());
        Workstation second("ws2", db, directory, smtp.port(), busyOptions());
        first.notes.start(false);
        second.notes.start(false);
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        std::atomic<int> ready{0};
        crm::notify::TickReport a, b;
        auto tick = [&](Workstation& ws, crm::notify::TickReport& report) {
            ++ready;
            while (ready < 2) std::this_thread::yield();
            report = ws.notes.runOnce(now);
        };
        std::thread t1(tick, std::ref(first), std::ref(a)), t2(tick, std::ref(second), std::ref(b));
        t1.join();
        t2.join();
        EXPECT_TRUE(a.error.empty()) << a.error;
        EXPECT_TRUE(b.error.empty()) << b.error;
    }
}

}  // namespace
}  // namespace conduit::faults
