// EventWriter hooks: several batch listeners, transaction participants whose rows commit with the
// batch's events or not at all (the transactional outbox relies on it), and waiting for room.
#include "store_test_util.hpp"

#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>

namespace conduit::crm::testing {
namespace {

class WriterHooksTest : public StoreTest {
protected:
    // Rows of the test table, read on a fresh connection (what another workstation would see).
    long long countRows() {
        Database db(embeddedAt(dir / "crm.fdb"), 1);
        auto s = db.acquire();
        long long n = 0;
        *s << "SELECT COUNT(*) FROM HOOK_ROWS", soci::into(n);
        s->commit();
        return n;
    }
    void createTable() {
        Database db(embeddedAt(dir / "crm.fdb"), 1);
        auto s = db.acquire();
        *s << "CREATE TABLE HOOK_ROWS (EVENT_ID BIGINT NOT NULL, TITLE VARCHAR(300))";
        s->commit();
    }
};

TEST_F(WriterHooksTest, SeveralListenersHearEveryBatchAndCanBeRemoved) {
    std::atomic<int> a{0}, b{0};
    const auto idA = store->writer().onBatch([&](const BatchMetrics&, const std::vector<std::int64_t>& ids) { a += static_cast<int>(ids.size()); });
    store->writer().onBatch([&](const BatchMetrics&, const std::vector<std::int64_t>& ids) { b += static_cast<int>(ids.size()); });
    write({makeEvent("l1", at(2026, 3, 1)), makeEvent("l2", at(2026, 3, 2))});
    EXPECT_EQ(a.load(), 2);
    EXPECT_EQ(b.load(), 2);
    store->writer().removeBatchListener(idA);
    write({makeEvent("l3", at(2026, 3, 3))});
    EXPECT_EQ(a.load(), 2);
    EXPECT_EQ(b.load(), 3);
    store->writer().onBatch({});  // the old "clear the callback"
    write({makeEvent("l4", at(2026, 3, 4))});
    EXPECT_EQ(b.load(), 3);
}

TEST_F(WriterHooksTest, ParticipantRowsCommitWithTheirEventsAndSeeIds) {
    createTable();
    std::vector<std::int64_t> seen;
    store->writer().addParticipant([&](soci::session& s, const std::vector<const Event*>& events) {
        for (const Event* e : events) {
            EXPECT_GT(e->id, 0);
            seen.push_back(e->id);
            const long long id = e->id;  // bound by reference: must outlive the statement
            s << "INSERT INTO HOOK_ROWS (EVENT_ID, TITLE) VALUES (:i, :t)", soci::use(id), soci::use(e->title);
        }
    });
    auto e1 = makeEvent("p1", at(2026, 3, 1));
    e1.title = "Монтаж окон — Łódź";
    write({e1, makeEvent("p2", at(2026, 3, 2)), makeEvent("p1", at(2026, 3, 1))});  // p1 twice: one row
    EXPECT_EQ(seen.size(), 2u);
    EXPECT_EQ(countRows(), 2);
    auto page = store->feed({});
    ASSERT_EQ(page.events.size(), 2u);
    for (const auto& e : page.events) EXPECT_NE(std::find(seen.begin(), seen.end(), e.id), seen.end());
}

TEST_F(WriterHooksTest, AThrowingParticipantLosesNothingAndWritesNothingHalfway) {
    createTable();
    std::atomic<int> failuresLeft{2};
    const auto id = store->writer().addParticipant([&](soci::session& s, const std::vector<const Event*>& events) {
        for (const Event* e : events) {
            const long long eventId = e->id;
            s << "INSERT INTO HOOK_ROWS (EVENT_ID) VALUES (:i)", soci::use(eventId);
        }
        if (failuresLeft-- > 0) throw std::runtime_error("rules unavailable");
    });
    for (const auto& e : {makeEvent("t1", at(2026, 4, 1)), makeEvent("t2", at(2026, 4, 2))})
        ASSERT_TRUE(store->writer().submit(e));
    // Rolled back twice (neither events nor rows), then the retry commits both together.
    ASSERT_TRUE(store->writer().flush(20s)) << store->counts().writer.lastError;
    const auto counts = store->counts().writer;
    EXPECT_EQ(counts.participantFailures, 2u);
    EXPECT_EQ(counts.written, 2u);
    EXPECT_NE(counts.lastError.find("rules unavailable"), std::string::npos) << counts.lastError;
    EXPECT_EQ(countRows(), 2);
    EXPECT_EQ(store->feed({}).events.size(), 2u);
    store->writer().removeParticipant(id);
    write({makeEvent("t3", at(2026, 4, 3))});
    EXPECT_EQ(countRows(), 2);  // removed: no longer called
}

TEST_F(WriterHooksTest, WhileTheParticipantKeepsFailingNoEventIsVisible) {
    createTable();
    std::atomic<bool> fail{true};
    store->writer().addParticipant([&](soci::session&, const std::vector<const Event*>&) {
        if (fail) throw std::runtime_error("outbox full");
    });
    ASSERT_TRUE(store->writer().submit(makeEvent("f1", at(2026, 5, 1))));
    EXPECT_FALSE(store->writer().flush(400ms));
    EXPECT_TRUE(store->feed({}).events.empty());
    EXPECT_EQ(store->writer().queued(), 1u);
    fail = false;
    ASSERT_TRUE(store->writer().flush(20s));
    EXPECT_EQ(store->feed({}).events.size(), 1u);
}

TEST_F(WriterHooksTest, AnEventInsertedInTheCallersTransactionCommitsWithItOrNotAtAll) {
    createTable();
    std::vector<std::int64_t> participantSaw, announced;
    store->writer().addParticipant([&](soci::session& s, const std::vector<const Event*>& events) {
        for (const Event* e : events) {
            participantSaw.push_back(e->id);
            const long long id = e->id;  // bound by reference: must outlive the statement
            s << "INSERT INTO HOOK_ROWS (EVENT_ID, TITLE) VALUES (:i, :t)", soci::use(id), soci::use(e->title);
        }
    });
    store->writer().onBatch([&](const BatchMetrics& m, const std::vector<std::int64_t>& ids) {
        EXPECT_EQ(m.written, ids.size());
        announced.insert(announced.end(), ids.begin(), ids.end());
    });
    Database db(embeddedAt(dir / "crm.fdb"), 1);

    // The caller's transaction fails after the insert: neither the event nor the participant's row.
    EXPECT_THROW(inTransaction(db, "test", [&](soci::session& s) {
                     auto e = makeEvent("within-1", at(2026, 6, 1));
                     ASSERT_TRUE(store->writer().insertWithin(s, e).has_value());
                     throw std::runtime_error("the caller's own row failed");
                 }),
                 std::runtime_error);
    EXPECT_TRUE(store->feed({}).events.empty());
    EXPECT_EQ(countRows(), 0);
    EXPECT_EQ(participantSaw.size(), 1u);

    std::optional<std::int64_t> id;
    inTransaction(db, "test", [&](soci::session& s) {
        auto e = makeEvent("within-1", at(2026, 6, 1));
        e.title = "Не доставлено — Łódź";
        id = store->writer().insertWithin(s, e);
        auto again = makeEvent("within-1", at(2026, 6, 1));
        EXPECT_FALSE(store->writer().insertWithin(s, again).has_value());  // the key is taken
        auto withFile = makeEvent("within-2", at(2026, 6, 1));
        withFile.attachments.push_back({"a.txt", "text/plain", 0, {}, "x"});
        EXPECT_THROW(store->writer().insertWithin(s, withFile), std::invalid_argument);
    });
    ASSERT_TRUE(id.has_value());
    EXPECT_TRUE(announced.empty());  // nobody is told before the commit, and then by announce()
    store->writer().announce({*id});
    EXPECT_EQ(announced, std::vector<std::int64_t>{*id});
    EXPECT_EQ(countRows(), 1);
    const auto page = store->feed({});
    ASSERT_EQ(page.events.size(), 1u);
    EXPECT_EQ(page.events[0].id, *id);
    EXPECT_EQ(page.events[0].title, "Не доставлено — Łódź");
}

TEST_F(WriterHooksTest, ADatabaseErrorIsReportedWithoutTheValuesItWasGiven) {
    {
        Database db(embeddedAt(dir / "crm.fdb"), 1);
        auto s = db.acquire();
        *s << "CREATE TABLE HOOK_SHORT (CODE VARCHAR(3))";
        *s << "CREATE TABLE HOOK_CHECKED (CODE VARCHAR(100) CHECK (CODE NOT CONTAINING '4711'))";
        s->commit();
    }
    // SOCI's what() carries the statement and its bound values (here a note's text, elsewhere a
    // payment's amount), and its own length check quotes the value: the writer's lastError goes
    // to logs and status lines, so only the database's reason may.
    const std::string secret = "Пароль от домофона 4711, płatność 12 345 zł";
    std::atomic<int> mode{1};
    store->writer().addParticipant([&](soci::session& s, const std::vector<const Event*>&) {
        if (mode == 1) s << "INSERT INTO HOOK_SHORT (CODE) VALUES (:c)", soci::use(secret);
        if (mode == 2) s << "INSERT INTO HOOK_CHECKED (CODE) VALUES (:c)", soci::use(secret);
    });
    ASSERT_TRUE(store->writer().submit(makeEvent("s1", at(2026, 6, 1))));
    EXPECT_FALSE(store->writer().flush(400ms));
    auto error = store->counts().writer.lastError;
    EXPECT_NE(error.find("participant failed"), std::string::npos) << error;
    EXPECT_NE(error.find("too long"), std::string::npos) << "the reason is kept: " << error;
    EXPECT_EQ(error.find("4711"), std::string::npos) << error;

    mode = 2;
    for (int i = 0; i < 100 && error.find("CHECK") == std::string::npos; ++i) {  // the next retry, after back-off
        EXPECT_FALSE(store->writer().flush(200ms));
        error = store->counts().writer.lastError;
    }
    EXPECT_NE(error.find("CHECK"), std::string::npos) << "the database's reason is kept: " << error;
    EXPECT_EQ(error.find("4711"), std::string::npos) << error;
    EXPECT_EQ(error.find("INSERT INTO"), std::string::npos) << "nor the statement: " << error;
    mode = 0;
    ASSERT_TRUE(store->writer().flush(20s));
}

// A writer whose queue holds one event and whose thread is held inside a batch (a participant
// waiting on a gate): the queue fills deterministically.
class FullWriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        StoreOptions options;
        options.writer.maxBatch = 1;
        options.writer.maxQueued = 1;
        store = EventStore::open(embeddedAt(dir / "crm.fdb"), options);
        store->writer().addParticipant([this](soci::session&, const std::vector<const Event*>&) {
            std::unique_lock lock(mutex);
            ++batchesSeen;
            changed.notify_all();
            changed.wait(lock, [&] { return open; });
        });
    }
    void TearDown() override { openGate(); }
    void waitForFirstBatch() {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return batchesSeen > 0; }));
    }
    void openGate() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        changed.notify_all();
    }
    conduit::test::TempDir dir{"conduit-full-writer"};
    std::unique_ptr<EventStore> store;
    std::mutex mutex;
    std::condition_variable changed;
    bool open = false;
    int batchesSeen = 0;
};

TEST_F(FullWriterTest, SubmitWhenRoomWaitsForRoomInsteadOfRefusing) {
    auto& w = store->writer();
    ASSERT_TRUE(w.submit(makeEvent("r1", at(2026, 3, 1))));
    waitForFirstBatch();  // r1 is in the held batch: the queue is empty again
    ASSERT_TRUE(w.submit(makeEvent("r2", at(2026, 3, 2))));
    EXPECT_FALSE(w.submit(makeEvent("r3", at(2026, 3, 3)))) << "a plain submit refuses when full";

    std::atomic<bool> giveUp{false};
    auto waiting = std::async(std::launch::async, [&] { return w.submitWhenRoom(makeEvent("r3", at(2026, 3, 3)), giveUp); });
    EXPECT_EQ(waiting.wait_for(200ms), std::future_status::timeout) << "it waited while the queue was full";
    openGate();
    ASSERT_EQ(waiting.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(waiting.get());
    ASSERT_TRUE(w.flush(10s)) << w.counts().lastError;
    EXPECT_EQ(store->feed({}).events.size(), 3u);
    EXPECT_EQ(w.counts().rejected, 1u) << "only the plain submit was refused";
}

TEST_F(FullWriterTest, SubmitWhenRoomReturnsFalseOnceTheProducerGivesUp) {
    auto& w = store->writer();
    ASSERT_TRUE(w.submit(makeEvent("g1", at(2026, 3, 1))));
    waitForFirstBatch();
    ASSERT_TRUE(w.submit(makeEvent("g2", at(2026, 3, 2))));
    std::atomic<bool> giveUp{false};
    auto waiting = std::async(std::launch::async, [&] { return w.submitWhenRoom(makeEvent("g3", at(2026, 3, 3)), giveUp); });
    EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout);
    giveUp = true;
    ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready) << "the waiting submit did not see giveUp";
    EXPECT_FALSE(waiting.get());
    openGate();
    ASSERT_TRUE(w.flush(10s));
    EXPECT_EQ(store->feed({}).events.size(), 2u) << "g3 was refused, the caller keeps it";
}

}  // namespace
}  // namespace conduit::crm::testing
