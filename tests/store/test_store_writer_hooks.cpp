// EventWriter hooks: several batch listeners, and transaction participants whose rows commit with
// the batch's events or not at all (the transactional outbox relies on it).
#include "store_test_util.hpp"

#include <soci/soci.h>

#include <atomic>
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
            s << "INSERT INTO HOOK_ROWS (EVENT_ID, TITLE) VALUES (:i, :t)", soci::use(static_cast<long long>(e->id)),
                soci::use(e->title);
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
        for (const Event* e : events)
            s << "INSERT INTO HOOK_ROWS (EVENT_ID) VALUES (:i)", soci::use(static_cast<long long>(e->id));
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

}  // namespace
}  // namespace conduit::crm::testing
