// The feed table: lazy keyset pages as the user scrolls, live inserts on top that keep the
// user's selection and scroll position.
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>

#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>

#include <set>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

[[maybe_unused]] static auto* const kQtEnvironment = ::testing::AddGlobalTestEnvironment(new QtEnvironment);

namespace {

class FeedTest : public FormsTest {
protected:
    // `n` events a minute apart, the newest last; titles "Событие kN".
    void writeHistory(int n, sdk::TimePoint start = at(2026, 2, 1, 8)) {
        std::vector<crm::Event> events;
        for (int i = 0; i < n; ++i) {
            auto e = makeEvent("k" + std::to_string(i), start + std::chrono::minutes(i));
            e.projectId = 1 + i % 7;
            e.counterpartyId = 1 + i % 11;
            events.push_back(e);
        }
        write(events);
    }
    std::unique_ptr<DispatcherWorkstation> open() {
        WorkstationContext context{*store, directory};
        context.locale = "ru";
        context.currentUser = *directory.user(kMe);
        context.modules = {"orders", "scheduling", "payments"};
        context.live = live.get();
        context.webEngine = false;
        auto w = std::make_unique<DispatcherWorkstation>(std::move(context));
        w->resize(1200, 700);
        w->show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(w.get()));
        EXPECT_TRUE(settle(*w->model()));
        return w;
    }
    static QString titleAt(FeedModel& m, int row) { return m.rowAt(row) ? m.rowAt(row)->title : QString(); }
};

TEST_F(FeedTest, FirstPageOnlyThenScrollingFetchesMore) {
    writeHistory(1000);
    auto w = open();
    auto& model = *w->model();
    // The view may ask for a second page to fill itself; it never loads the store whole.
    EXPECT_GE(model.rowCount(), 200);
    EXPECT_LE(model.rowCount(), 400);
    EXPECT_TRUE(model.canFetchMore({}));
    EXPECT_EQ(titleAt(model, 0), QString::fromUtf8("Событие k999"));  // newest first

    const int before = model.rowCount();
    model.fetchMore({});
    ASSERT_TRUE(settle(model));
    EXPECT_EQ(model.rowCount(), before + 200);

    // Scrolling to the end of what is loaded makes the view ask for the next page.
    for (int i = 0; i < 20 && model.canFetchMore({}); ++i) {
        w->table()->scrollToBottom();
        QTest::qWait(50);
        settle(model);
    }
    EXPECT_EQ(model.rowCount(), 1000);
    EXPECT_TRUE(model.isComplete());
    EXPECT_FALSE(model.canFetchMore({}));
    // Keyset pages: no gaps, no repeats, strictly newest first.
    std::set<std::int64_t> ids;
    for (int r = 0; r < model.rowCount(); ++r) {
        ids.insert(model.rowAt(r)->id);
        if (r > 0) {
            EXPECT_LE(model.rowAt(r)->occurredAt, model.rowAt(r - 1)->occurredAt);
        }
    }
    EXPECT_EQ(ids.size(), 1000u);
    EXPECT_EQ(titleAt(model, 999), QString::fromUtf8("Событие k0"));
}

TEST_F(FeedTest, RowsHaveFixedHeightsAndReadableColumns) {
    writeHistory(30);
    auto w = open();
    EXPECT_EQ(w->table()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
    auto& m = *w->model();
    const auto idx = [&](int col) { return m.index(0, col); };
    EXPECT_EQ(m.data(idx(FeedModel::KindColumn), Qt::DisplayRole).toString(), QString::fromUtf8("Заметка по проекту"));
    EXPECT_FALSE(m.data(idx(FeedModel::KindColumn), Qt::DecorationRole).value<QIcon>().isNull());
    EXPECT_FALSE(m.data(idx(FeedModel::ImportanceColumn), Qt::DecorationRole).value<QIcon>().isNull());
    const auto* row = m.rowAt(0);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(m.data(idx(FeedModel::ProjectColumn), Qt::DisplayRole).toString(),
              QString::fromStdString(directory.project(row->projectId)->code));
    EXPECT_EQ(m.data(idx(FeedModel::CounterpartyColumn), Qt::DisplayRole).toString(),
              QString::fromStdString(directory.counterparty(row->counterpartyId)->name));
}

TEST_F(FeedTest, OpensWithTheNewestEventSelectedAndShown) {
    writeHistory(10);
    auto w = open();
    ASSERT_TRUE(w->selectedEventId().has_value());
    EXPECT_EQ(*w->selectedEventId(), w->model()->rowAt(0)->id);
    ASSERT_TRUE(waitFor([&] { return w->card()->eventId() == *w->selectedEventId() && w->card()->html().contains("k9"); }));
}

TEST_F(FeedTest, NewEventAppearsLiveOnTopWithoutMovingTheSelection) {
    writeHistory(50);
    auto w = open();
    auto& model = *w->model();
    ASSERT_EQ(model.rowCount(), 50);
    const QModelIndex pick = model.index(5, 0);
    w->table()->selectionModel()->setCurrentIndex(pick, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const auto selected = w->selectedEventId();
    ASSERT_TRUE(selected);

    QSignalSpy inserted(&model, &FeedModel::liveInserted);
    auto fresh = makeEvent("live-1", at(2026, 2, 1, 8) + std::chrono::minutes(100), "payment.received");
    fresh.title = "Поступил платёж: 12 000,00 zł — Łódź";
    write({fresh});
    ASSERT_TRUE(inserted.wait(5000) || inserted.count() > 0);

    EXPECT_EQ(model.rowCount(), 51);
    EXPECT_EQ(titleAt(model, 0), QString::fromUtf8("Поступил платёж: 12 000,00 zł — Łódź"));
    EXPECT_EQ(w->selectedEventId(), selected);  // the same event stays selected ...
    EXPECT_EQ(w->table()->selectionModel()->currentIndex().row(), 6);  // ... one row further down
    EXPECT_EQ(w->table()->selectionModel()->selectedRows().size(), 1);
}

TEST_F(FeedTest, LiveInsertKeepsTheRowsInViewWhenScrolledDown) {
    writeHistory(600);
    auto w = open();
    auto& model = *w->model();
    auto* table = w->table();
    table->verticalScrollBar()->setValue(40);
    QTest::qWait(20);
    const auto firstVisible = table->indexAt(QPoint(2, 2)).data(FeedModel::EventIdRole).toLongLong();
    ASSERT_NE(firstVisible, 0);
    const int rowsBefore = model.rowCount();

    QSignalSpy inserted(&model, &FeedModel::liveInserted);
    std::vector<crm::Event> burst;
    for (int i = 0; i < 3; ++i) burst.push_back(makeEvent("burst" + std::to_string(i), at(2026, 2, 2, 9, i)));
    write(burst);
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == rowsBefore + 3; }));
    QTest::qWait(20);
    EXPECT_EQ(table->indexAt(QPoint(2, 2)).data(FeedModel::EventIdRole).toLongLong(), firstVisible);
    EXPECT_EQ(titleAt(model, 0), QString::fromUtf8("Событие burst2"));
}

TEST_F(FeedTest, AtTheTopNewRowsShow) {
    writeHistory(100);
    auto w = open();
    auto& model = *w->model();
    ASSERT_EQ(w->table()->verticalScrollBar()->value(), 0);
    write({makeEvent("top", at(2026, 3, 1))});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 101; }));
    QTest::qWait(20);
    EXPECT_EQ(w->table()->verticalScrollBar()->value(), 0);
    EXPECT_EQ(w->table()->indexAt(QPoint(2, 2)).row(), 0);
    EXPECT_EQ(titleAt(model, 0), QString::fromUtf8("Событие top"));
}

TEST_F(FeedTest, LiveRefreshHonoursTheFilter) {
    writeHistory(20);
    auto w = open();
    auto& model = *w->model();
    crm::FeedFilter onlyPayments;
    onlyPayments.kinds = {"payment.received"};
    model.setFilter(onlyPayments);
    ASSERT_TRUE(settle(model));
    EXPECT_EQ(model.rowCount(), 0);

    auto note = makeEvent("note-late", at(2026, 3, 1, 10));
    auto pay = makeEvent("pay-late", at(2026, 3, 1, 11), "payment.received");
    QSignalSpy inserted(&model, &FeedModel::liveInserted);
    QSignalSpy paged(&model, &FeedModel::pageLoaded);
    write({note, pay});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 1; }));
    QTest::qWait(300);  // a second refresh, if any, must not add the note
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(titleAt(model, 0), QString::fromUtf8("Событие pay-late"));
}

TEST_F(FeedTest, ManyBatchesCoalesceIntoFewQueries) {
    writeHistory(5);
    auto w = open();
    auto& model = *w->model();
    QSignalSpy inserted(&model, &FeedModel::liveInserted);
    for (int i = 0; i < 20; ++i) write({makeEvent("burst-" + std::to_string(i), at(2026, 3, 2, 8, i))});
    ASSERT_TRUE(waitFor([&] { return model.rowCount() == 25; }));
    EXPECT_LT(inserted.count(), 20);  // the coalescing timer merged batches
    for (int r = 1; r < model.rowCount(); ++r) {
        EXPECT_LE(model.rowAt(r)->occurredAt, model.rowAt(r - 1)->occurredAt);
    }
}

}  // namespace

namespace {

// The host creates the form before its window is shown (openOnStart, headless demo): events
// arriving meanwhile must still leave the newest on top once the window shows.
TEST_F(FeedTest, HiddenWhileEventsArriveThenShownAtTheTop) {
    WorkstationContext context{*store, directory};
    context.live = live.get();
    context.webEngine = false;
    DispatcherWorkstation w(std::move(context));
    for (int b = 0; b < 30; ++b) {
        std::vector<crm::Event> batch;
        for (int i = 0; i < 20; ++i) batch.push_back(makeEvent("h" + std::to_string(b * 20 + i), at(2026, 2, 1, 8) + std::chrono::minutes(b * 20 + i)));
        write(batch);
        QTest::qWait(b % 5 == 0 ? 250 : 10);
    }
    ASSERT_TRUE(waitFor([&] { return w.model()->rowCount() == 600; }));
    w.resize(1200, 700);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(50);
    EXPECT_EQ(w.table()->verticalScrollBar()->value(), 0);
    EXPECT_EQ(w.table()->indexAt(QPoint(2, 2)).row(), 0);
}

}  // namespace
