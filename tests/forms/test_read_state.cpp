// Per-user read/unread state on a real embedded store: marks, mark all read (a watermark), the
// capped unread counter, and that one user's reading leaves another's untouched.
#include "forms_test_util.hpp"

#include <conduit/crm/readstate/read_state.hpp>

#include <soci/soci.h>

#include <dispatcher/dispatcher_workstation.hpp>
#include <feed/feed_model.hpp>

#include <QFont>
#include <QLabel>
#include <QPushButton>
#include <QTableView>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

class ReadStateTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        sdk::DatabaseLocation where;
        where.file = dir / "crm.fdb";
        reads = std::make_unique<crm::ReadState>(where);
    }
    void TearDown() override {
        reads.reset();
        FormsTest::TearDown();
    }
    // Writes `n` events and returns their ids, oldest first.
    std::vector<std::int64_t> history(int n, const std::string& prefix = "r", sdk::Id author = 0) {
        std::vector<crm::Event> events;
        for (int i = 0; i < n; ++i) {
            auto e = makeEvent(prefix + std::to_string(i), at(2026, 3, 1) + std::chrono::minutes(i));
            e.authorId = author;
            events.push_back(e);
        }
        write(events);
        std::vector<std::int64_t> ids;
        crm::FeedFilter f;
        std::optional<crm::FeedCursor> after;
        do {
            auto page = store->feed(f, after, 1000);
            for (auto& e : page.events)
                if (e.idempotencyKey.rfind(prefix, 0) == 0) ids.push_back(e.id);
            after = page.next;
        } while (after);
        std::sort(ids.begin(), ids.end());
        return ids;
    }
    std::unique_ptr<crm::ReadState> reads;
};

TEST_F(ReadStateTest, MarkReadAndUnreadPerUser) {
    auto ids = history(5);
    EXPECT_TRUE(reads->readAmong(kMe, ids).empty());
    reads->markRead(kMe, ids[1]);
    reads->markRead(kMe, ids[3]);
    EXPECT_EQ(reads->readAmong(kMe, ids), (std::set<std::int64_t>{ids[1], ids[3]}));
    EXPECT_TRUE(reads->isRead(kMe, ids[1]));
    EXPECT_FALSE(reads->isRead(kMe, ids[0]));
    EXPECT_TRUE(reads->readAmong(7, ids).empty()) << "another user's reading is not mine";
    EXPECT_EQ(reads->readFlags(kMe, {ids[3], ids[0], ids[1]}), (std::vector<bool>{true, false, true}));
    reads->markUnread(kMe, ids[1]);
    EXPECT_EQ(reads->readAmong(kMe, ids), (std::set<std::int64_t>{ids[3]}));
    reads->markRead(kMe, ids[3]);  // twice: still one mark
    EXPECT_EQ(reads->unreadCount(kMe).count, 4);
}

TEST_F(ReadStateTest, MarkAllReadCoversWhatIsStoredNotWhatComesLater) {
    auto old = history(30, "old");
    reads->markUnread(kMe, old[0]);
    EXPECT_EQ(reads->unreadCount(kMe).count, 30);
    const auto mark = reads->markAllRead(kMe);
    EXPECT_EQ(mark, old.back());
    EXPECT_EQ(reads->readAmong(kMe, old).size(), old.size());
    EXPECT_EQ(reads->unreadCount(kMe).count, 0);
    EXPECT_EQ(reads->unreadCount(8).count, 30) << "other users unaffected";

    auto fresh = history(3, "new");
    EXPECT_TRUE(reads->readAmong(kMe, fresh).empty());
    EXPECT_EQ(reads->unreadCount(kMe).count, 3);
    // Unread again below the watermark counts, and read above it does not.
    reads->markUnread(kMe, old[5]);
    reads->markRead(kMe, fresh[0]);
    EXPECT_FALSE(reads->isRead(kMe, old[5]));
    EXPECT_TRUE(reads->isRead(kMe, old[6]));
    EXPECT_EQ(reads->unreadCount(kMe).count, 3);  // fresh[1], fresh[2], old[5]
    EXPECT_EQ(reads->markAllRead(kMe), fresh.back());
    EXPECT_EQ(reads->unreadCount(kMe).count, 0);
    EXPECT_TRUE(reads->isRead(kMe, old[5]));
}

TEST_F(ReadStateTest, UnreadCounterStopsAtTheCap) {
    history(250);
    auto c = reads->unreadCount(kMe);
    EXPECT_TRUE(c.capped);
    EXPECT_EQ(c.count, crm::UnreadCount::kCap);
    EXPECT_EQ(c.label(), "99+");
    reads->markAllRead(kMe);
    history(99, "x");
    c = reads->unreadCount(kMe);
    EXPECT_FALSE(c.capped);
    EXPECT_EQ(c.label(), "99");
}

TEST_F(ReadStateTest, OwnEventsAreNotUnread) {
    history(4, "mine", kMe);
    history(2, "theirs", 3);
    EXPECT_EQ(reads->unreadCount(kMe).count, 2);
    EXPECT_EQ(reads->unreadCount(3).count, 4);
}

TEST_F(ReadStateTest, CounterCountsOnlyWhatTheUserMaySee) {
    // A measurer: payments hidden, the restricted project 77 hidden, deleted notes gone.
    std::vector<crm::Event> events;
    for (int i = 0; i < 4; ++i) events.push_back(makeEvent("note" + std::to_string(i), at(2026, 3, 1) + std::chrono::minutes(i)));
    for (int i = 0; i < 3; ++i) {
        auto e = makeEvent("pay" + std::to_string(i), at(2026, 3, 2) + std::chrono::minutes(i), "payment.received");
        e.title = "Wpłata zaliczki — Łódź";
        events.push_back(e);
    }
    for (int i = 0; i < 2; ++i) {
        auto e = makeEvent("secret" + std::to_string(i), at(2026, 3, 3) + std::chrono::minutes(i));
        e.projectId = 77;
        e.title = "Замер: закрытый объект";
        events.push_back(e);
    }
    write(events);
    crm::AccessScope measurer;
    measurer.userId = kMe;
    measurer.see.entries = {{"payment.*", false}};
    measurer.see.fallback = true;
    measurer.hiddenProjects = {77};
    EXPECT_EQ(reads->unreadCount(kMe).count, 9) << "without a scope: everything";
    EXPECT_EQ(reads->unreadCount(kMe, &measurer).count, 4);
    {
        auto s = store->database().acquire();
        *s << "UPDATE CRM_EVENT SET DELETED_AT = CURRENT_TIMESTAMP WHERE IDEMPOTENCY_KEY = 'note0'";
        s->commit();
    }
    EXPECT_EQ(reads->unreadCount(kMe, &measurer).count, 3) << "a deleted note is not unread";
    // Below the watermark, marked unread again: a hidden payment still does not count.
    reads->markAllRead(kMe);
    std::vector<std::int64_t> pays;
    for (const auto& e : store->feed({}, std::nullopt, 100).events)
        if (e.kind == "payment.received") pays.push_back(e.id);
    ASSERT_EQ(pays.size(), 3u);
    reads->markUnread(kMe, pays[0]);
    EXPECT_EQ(reads->unreadCount(kMe).count, 1);
    EXPECT_EQ(reads->unreadCount(kMe, &measurer).count, 0);
}

TEST_F(ReadStateTest, ManyIdsAtOnce) {
    auto ids = history(260);
    for (std::size_t i = 0; i < ids.size(); i += 2) reads->markRead(kMe, ids[i]);
    auto read = reads->readAmong(kMe, ids);
    EXPECT_EQ(read.size(), 130u);
    EXPECT_TRUE(read.count(ids[258]));
    EXPECT_FALSE(read.count(ids[259]));
}

bool bold(FeedModel& m, int row) {
    return m.data(m.index(row, FeedModel::TimeColumn), Qt::FontRole).value<QFont>().bold();
}

TEST_F(ReadStateTest, WorkstationShowsUnreadBoldCountsAndMarksOnOpen) {
    auto ids = history(5);
    using forms::DispatcherWorkstation;
    forms::WorkstationContext context{*store, directory};
    context.locale = "en";
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    context.live = live.get();
    context.readState = reads.get();
    DispatcherWorkstation w(std::move(context));
    w.resize(1000, 600);
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    ASSERT_EQ(m.rowCount(), 5);
    auto counter = [&] { return w.unreadLabel()->property("count").toString(); };
    ASSERT_TRUE(waitFor([&] { return counter() == "5"; })) << counter().toStdString();
    EXPECT_EQ(w.unreadLabel()->text(), "Unread: 5");
    for (int r = 0; r < 5; ++r) EXPECT_TRUE(bold(m, r));
    EXPECT_TRUE(waitFor([&] { return !reads->isRead(kMe, ids.back()); })) << "the row selected on open is not 'read' by itself";

    // The user opens the third row: it is read, in the view and in the store.
    w.table()->selectRow(2);
    const auto opened = m.rowAt(2)->id;
    w.openSelected();
    EXPECT_FALSE(bold(m, 2));
    EXPECT_TRUE(bold(m, 1));
    ASSERT_TRUE(waitFor([&] { return counter() == "4"; })) << counter().toStdString();
    EXPECT_TRUE(reads->isRead(kMe, opened));

    w.markSelectedUnread();
    EXPECT_TRUE(bold(m, 2));
    ASSERT_TRUE(waitFor([&] { return counter() == "5"; }));

    w.markAllRead();
    for (int r = 0; r < 5; ++r) EXPECT_FALSE(bold(m, r));
    ASSERT_TRUE(waitFor([&] { return counter() == "0"; }));

    // Something new arrives live: bold, and counted.
    auto e = makeEvent("live1", at(2026, 3, 5));
    write({e});
    ASSERT_TRUE(waitFor([&] { return m.rowCount() == 6; }));
    EXPECT_TRUE(bold(m, 0));
    EXPECT_FALSE(bold(m, 1));
    ASSERT_TRUE(waitFor([&] { return counter() == "1"; })) << counter().toStdString();
}

TEST_F(ReadStateTest, WorkstationCounterShowsTheCap) {
    history(150);
    forms::WorkstationContext context{*store, directory};
    context.locale = "ru";
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    context.readState = reads.get();
    forms::DispatcherWorkstation w(std::move(context));
    w.show();
    ASSERT_TRUE(waitFor([&] { return w.unreadLabel()->property("count").toString() == "99+"; }));
    EXPECT_EQ(w.unreadLabel()->text(), QString::fromUtf8("Непрочитанных: 99+"));
    settle(*w.model());
}

}  // namespace
