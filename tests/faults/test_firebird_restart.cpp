// Fault: the Firebird server restarted (clean stop, then a crash with SIGKILL) while events keep
// coming. The writer must reconnect with back-off and store every event exactly once.
#include "firebird_server.hpp"
#include "store_test_util.hpp"

#include <conduit/crm/timeline/event_store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <thread>
#include <unordered_set>

namespace conduit::crm {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::makeEvent;

std::unordered_set<std::string> keysIn(EventStore& store) {
    std::unordered_set<std::string> keys;
    std::optional<FeedCursor> after;
    do {
        auto page = store.feed({}, after, 1000);
        for (const auto& e : page.events) EXPECT_TRUE(keys.insert(e.idempotencyKey).second) << "twice: " << e.idempotencyKey;
        after = page.next;
    } while (after);
    return keys;
}

TEST(FirebirdRestartUnderIngest, EveryEventStoredOnceAcrossACleanRestartAndACrash) {
    conduit::test::FirebirdServer server;
    const auto where = server.location("crm.fdb");
    StoreOptions options;
    options.writer.maxBatch = 200;          // many batches: some are in flight when the server goes
    options.writer.retryMin = 50ms;
    options.writer.retryMax = 500ms;
    auto store = EventStore::open(where, options);

    // A producer submits one event per millisecond until told to stop: events keep coming
    // before, during and after each outage, whatever the machine's speed.
    std::atomic<bool> stop{false};
    std::atomic<int> submitted{0};
    std::thread producer([&] {
        for (int i = 0; !stop; ++i) {
            auto e = makeEvent("ingest:" + std::to_string(i), at(2026, 3, 2) + std::chrono::seconds(i));
            e.title = (i % 2 ? "Замер у клиента №" : "Pomiar u klienta nr ") + std::to_string(i);
            if (!store->writer().submit(std::move(e))) return;  // never refused: checked below
            submitted = i + 1;
            std::this_thread::sleep_for(1ms);
        }
    });
    auto waitFor = [&](int n) {
        while (submitted < n) std::this_thread::sleep_for(5ms);
    };
    waitFor(500);
    server.restart();  // SIGTERM: Firebird closes attachments, the writer's next batch fails
    waitFor(submitted + 300);
    server.kill();     // a crash: connections die without a goodbye
    const int atKill = submitted;
    std::this_thread::sleep_for(700ms);  // events keep coming; the writer fails and backs off
    const auto whileDown = store->counts().writer;
    ASSERT_GT(submitted.load(), atKill) << "nothing was submitted while the server was down";
    server.start();
    waitFor(submitted + 300);
    stop = true;
    producer.join();
    const int kEvents = submitted;

    ASSERT_TRUE(store->writer().flush(120s)) << store->counts().writer.lastError;
    const auto counts = store->counts().writer;
    std::cout << "retries=" << counts.retries << " written=" << counts.written << " duplicates=" << counts.duplicates
              << " lastError=" << counts.lastError << "\n";
    EXPECT_GT(counts.retries, 0u) << "the server restarts were not noticed";
    EXPECT_FALSE(whileDown.connected);
    EXPECT_FALSE(counts.lastError.empty());
    EXPECT_TRUE(counts.connected);
    EXPECT_EQ(counts.submitted, static_cast<std::uint64_t>(kEvents));  // none refused
    EXPECT_EQ(counts.rejected, 0u);
    EXPECT_EQ(counts.failed, 0u);
    // A batch whose commit reached the server just before the connection died (the reply never
    // came) is replayed and skipped by its keys, counted as duplicates: written + duplicates is
    // what was submitted (none was submitted twice), and at most one batch is in doubt per outage.
    EXPECT_EQ(counts.written + counts.duplicates, static_cast<std::uint64_t>(kEvents));
    EXPECT_LE(counts.duplicates, 2u * options.writer.maxBatch);
    // What the plugin shows and logs while the server is down names the database, not a code.
    EXPECT_NE(whileDown.lastError.find("cannot connect to the CRM database (Firebird server 127.0.0.1:"),
              std::string::npos) << whileDown.lastError;

    // What a fresh workstation reads: each event exactly once.
    auto reader = EventStore::open(where);
    const auto keys = keysIn(*reader);
    EXPECT_EQ(keys.size(), static_cast<std::size_t>(kEvents));
    for (int i = 0; i < kEvents; ++i) EXPECT_TRUE(keys.count("ingest:" + std::to_string(i))) << i;
}

}  // namespace
}  // namespace conduit::crm
