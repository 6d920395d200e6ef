// The dispatcher workstation as people use it: double-clicks right after it opens, the exception
// barrier, columns that fit bold rows, layout kept per user, the selection and read marks while
// the feed moves, mark all read with a question and Undo, and the keyboard.
#include "forms_test_util.hpp"

#include <cards/entity_card.hpp>
#include <common/exception_barrier.hpp>
#include <common/layout_memory.hpp>
#include <crm_forms.hpp>
#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>
#include <dispatcher/filter_panel.hpp>
#include <feed/feed_model.hpp>

#include <conduit/crm/readstate/read_state.hpp>

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <map>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

// A registry like the reference host's window: one tab per form, created on first open, the
// opened form brought to front (the others hidden), destroyed on remove.
class HostTabs : public sdk::IFormRegistry {
public:
    HostTabs() { tabs.resize(1200, 800); }
    void addForm(sdk::FormSpec spec) override {
        const bool open = spec.openOnStart;
        const std::string id = spec.id;
        specs[id] = std::move(spec);
        if (open) openForm(id);
    }
    void removeForm(const std::string& id) override {
        if (auto it = widgets.find(id); it != widgets.end()) {
            tabs.removeTab(tabs.indexOf(it->second));
            delete it->second;
            widgets.erase(it);
        }
        specs.erase(id);
    }
    bool openForm(const std::string& id) override {
        auto it = specs.find(id);
        if (it == specs.end()) return false;
        if (!widgets[id]) {
            widgets[id] = it->second.create(&tabs);
            if (!widgets[id]) return false;
            tabs.addTab(widgets[id], QString::fromStdString(it->second.title));
        }
        tabs.setCurrentWidget(widgets[id]);
        current = id;
        return true;
    }
    template <typename T>
    T* find(const std::string& id) {
        if (!widgets.count(id) || !widgets[id]) return nullptr;
        if (auto* self = qobject_cast<T*>(widgets[id])) return self;
        return widgets[id]->findChild<T*>();
    }
    QTabWidget tabs;
    std::map<std::string, sdk::FormSpec> specs;
    std::map<std::string, QWidget*> widgets;
    std::string current;
};

// Lines the forms logged through the host's logger.
class ListLogger : public sdk::ILogger {
public:
    void log(sdk::LogLevel level, std::string_view component, std::string_view message) override {
        lines.push_back({level, std::string(component), std::string(message)});
    }
    struct Line {
        sdk::LogLevel level;
        std::string component, message;
    };
    std::vector<Line> lines;
};

class WorkstationTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        sdk::DatabaseLocation where;
        where.file = dir / "crm.fdb";
        reads = std::make_unique<crm::ReadState>(where);
        setBarrierLogger(&logger);
    }
    void TearDown() override {
        setBarrierLogger(nullptr);
        reads.reset();
        FormsTest::TearDown();
    }
    // `n` events across projects 1..50 (each with its counterparty), newest last.
    void history(int n, sdk::Id author = 0) {
        std::vector<crm::Event> events;
        for (int i = 0; i < n; ++i) {
            auto e = makeEvent("h" + std::to_string(i), at(2026, 3, 1) + std::chrono::minutes(i));
            e.projectId = 1 + i % 50;
            e.counterpartyId = e.projectId;
            e.authorId = author;
            events.push_back(e);
        }
        write(events);
    }
    CrmFormsContext formsContext() {
        CrmFormsContext c{*store, directory, settings};
        c.locale = "pl";
        c.currentUser = *directory.user(kMe);
        c.webEngine = false;
        c.live = live.get();
        c.readState = reads.get();
        c.logger = &logger;
        return c;
    }
    WorkstationContext workstationContext() {
        WorkstationContext c{*store, directory};
        c.locale = "en";
        c.currentUser = *directory.user(kMe);
        c.webEngine = false;
        c.live = live.get();
        c.readState = reads.get();
        c.settings = &settings;
        return c;
    }
    static void doubleClickRow(QTableView* table, int row) {
        const QRect r = table->visualRect(table->model()->index(row, FeedModel::TitleColumn));
        // As a mouse does it: press and release, then the second press as a double-click.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, r.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, r.center());
    }

    ListLogger logger;
    MemorySettings settings;
    std::unique_ptr<crm::ReadState> reads;
};

// ---- 1: the double-click right after start ------------------------------------------------

TEST_F(WorkstationTest, DoubleClickStormRightAfterOpenOpensTheProjectCard) {
    history(300);
    const int before = escapedCount();
    for (int round = 0; round < 25; ++round) {
        HostTabs host;
        host.tabs.show();
        registerCrmForms(host, formsContext());
        auto* w = host.find<DispatcherWorkstation>(kDispatcherFormId);
        ASSERT_TRUE(w);
        // The first action after start: as soon as rows are there, another row than the one the
        // workstation selected, double-clicked while the card still loads.
        ASSERT_TRUE(waitFor([&] { return w->model()->rowCount() > 5; }));
        const int row = 1 + round % 5;
        doubleClickRow(w->table(), row);
        EXPECT_EQ(host.current, kProjectCardId) << "round " << round;
        auto* card = host.find<EntityCard>(kProjectCardId);
        ASSERT_TRUE(card);
        EXPECT_EQ(card->entityId(), w->model()->rowAt(row)->projectId);
        // Back to the feed and again, on the row below, while both cards load.
        host.openForm(kDispatcherFormId);
        doubleClickRow(w->table(), row + 1);
        EXPECT_EQ(host.current, kProjectCardId);
        QTest::qWait(round % 3 == 0 ? 0 : 5);
        unregisterCrmForms(host);
    }
    EXPECT_EQ(escapedCount(), before) << (logger.lines.empty() ? "" : logger.lines.back().message);
}

// ---- the barrier ----------------------------------------------------------------------------

TEST_F(WorkstationTest, ThrowingSlotIsLoggedAndDoesNotEscape) {
    QWidget window;
    window.show();
    setBarrierLanguage(Lang("pl"));
    QPushButton source;
    int calls = 0;
    QObject::connect(&source, &QPushButton::clicked, &window, guarded(&window, "test slot", [&] {
        ++calls;
        throw std::runtime_error("disk on fire");
    }));
    const int before = escapedCount();
    source.click();
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(escapedCount(), before + 1);
    ASSERT_FALSE(logger.lines.empty());
    EXPECT_EQ(logger.lines.back().level, sdk::LogLevel::Error);
    EXPECT_NE(logger.lines.back().message.find("test slot: disk on fire"), std::string::npos);
    auto* box = window.findChild<QMessageBox*>("crmErrorMessage");
    ASSERT_TRUE(box) << "the user is told";
    EXPECT_TRUE(box->text().startsWith(QString::fromUtf8("Nie udało się"))) << box->text().toStdString();
    // A storm: logged every time, one message on screen.
    source.click();
    EXPECT_EQ(window.findChildren<QMessageBox*>("crmErrorMessage").size(), 1);
    EXPECT_EQ(escapedCount(), before + 2);
    box->close();
    // Not a std::exception, with the signal's argument passed through.
    QString seen;
    QObject::connect(&source, &QObject::objectNameChanged, &window, guarded(&window, "named", [&](const QString& name) {
        seen = name;
        throw 42;
    }));
    source.setObjectName("x");
    EXPECT_EQ(seen, "x");
    EXPECT_NE(logger.lines.back().message.find("not a std::exception"), std::string::npos);
    setBarrierLanguage(Lang("en"));
}

TEST_F(WorkstationTest, NavigationThatThrowsIsCaughtAndLogged) {
    history(5);
    auto c = workstationContext();
    c.navigation.openProject = [](sdk::Id) { throw 7; };  // not even a std::exception
    DispatcherWorkstation w(std::move(c));
    w.show();
    ASSERT_TRUE(settle(*w.model()));
    const int before = escapedCount();
    doubleClickRow(w.table(), 1);
    EXPECT_EQ(escapedCount(), before + 1);
    for (auto* box : w.findChildren<QMessageBox*>()) box->close();
}


// ---- 9: columns and layout ------------------------------------------------------------------

TEST_F(WorkstationTest, ColumnsFitBoldRows) {
    history(60);
    auto c = workstationContext();
    c.locale = "pl";
    DispatcherWorkstation w(std::move(c));
    w.resize(1300, 700);
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    auto* header = w.table()->horizontalHeader();
    int checked = 0;
    for (int row = 0; row < m.rowCount(); ++row) {
        ASSERT_TRUE(m.data(m.index(row, 0), FeedModel::ReadRole).toBool() == false) << "unread: bold";
        const QFont font = m.data(m.index(row, 0), Qt::FontRole).value<QFont>();
        ASSERT_TRUE(font.bold());
        const QFontMetrics fm(font);
        for (int col : {FeedModel::TimeColumn, FeedModel::ProjectColumn, FeedModel::KindColumn}) {
            const QString text = m.data(m.index(row, col), Qt::DisplayRole).toString();
            const int icon = m.data(m.index(row, col), Qt::DecorationRole).isNull() ? 0 : w.table()->iconSize().width() + 4;
            EXPECT_LE(fm.horizontalAdvance(text) + icon + 8, header->sectionSize(col)) << text.toStdString() << " in column " << col;
            ++checked;
        }
    }
    EXPECT_GT(checked, 0);
    // Wider: the title is not the only column that grows.
    const int counterparty = header->sectionSize(FeedModel::CounterpartyColumn);
    const int title = header->sectionSize(FeedModel::TitleColumn);
    w.resize(2200, 700);
    QTest::qWait(0);
    ASSERT_TRUE(waitFor([&] { return header->sectionSize(FeedModel::TitleColumn) > title; }));
    EXPECT_GE(header->sectionSize(FeedModel::CounterpartyColumn), counterparty);
}

TEST_F(WorkstationTest, SavedFilterPickerIsNotCut) {
    settings.values["crm.filters." + std::to_string(kMe)] = R"({"Płatności z ostatniego tygodnia — zapisany":{"period":2}})";
    auto c = workstationContext();
    c.locale = "pl";
    DispatcherWorkstation w(std::move(c));
    w.resize(1200, 700);
    w.show();
    ASSERT_TRUE(settle(*w.model()));
    auto* picker = w.filters()->savedPicker();
    ASSERT_TRUE(picker);
    QTest::qWait(0);
    for (int i = 0; i < picker->count(); ++i)
        EXPECT_GE(picker->width(), picker->fontMetrics().horizontalAdvance(picker->itemText(i)) + 20) << picker->itemText(i).toStdString();
}

TEST_F(WorkstationTest, LayoutIsRestoredFromSettingsAfterReopening) {
    history(20);
    auto open = [&] {
        auto w = std::make_unique<DispatcherWorkstation>(workstationContext());
        w->resize(1200, 700);
        w->show();
        return w;
    };
    std::vector<int> columns;
    QList<int> splitter;
    {
        auto w = open();
        ASSERT_TRUE(settle(*w->model()));
        auto* header = w->table()->horizontalHeader();
        header->resizeSection(FeedModel::KindColumn, 333);
        header->resizeSection(FeedModel::ProjectColumn, 177);
        auto* main = w->findChild<QSplitter*>("mainSplitter");
        ASSERT_TRUE(main);
        main->setSizes({400, 800});
        emit main->splitterMoved(400, 1);
        splitter = main->sizes();
        for (int i = 0; i < FeedModel::ColumnCount - 1; ++i) columns.push_back(header->sectionSize(i));
    }  // closed: written
    const std::string key = LayoutMemory::keyFor(directory.user(kMe)->login, "dispatcher", "columns");
    ASSERT_TRUE(settings.values.count(key)) << key;
    auto w = open();
    auto* header = w->table()->horizontalHeader();
    ASSERT_TRUE(waitFor([&] { return header->sectionSize(FeedModel::KindColumn) == 333; }));
    for (int i = 0; i < FeedModel::ColumnCount - 1; ++i) EXPECT_EQ(header->sectionSize(i), columns[static_cast<std::size_t>(i)]) << i;
    EXPECT_EQ(w->findChild<QSplitter*>("mainSplitter")->sizes(), splitter);
    // Another user keeps their own.
    auto other = workstationContext();
    other.currentUser = *directory.user(3);
    DispatcherWorkstation theirs(std::move(other));
    theirs.show();
    QTest::qWait(0);
    EXPECT_NE(theirs.table()->horizontalHeader()->sectionSize(FeedModel::KindColumn), 333);
}

// ---- 14: selection, read marks, mark all read ------------------------------------------------

TEST_F(WorkstationTest, NewEventDoesNotMoveTheSelectionOrTheView) {
    // (Before the user picks anything, at the top, the news show on top and the workstation's own
    // choice follows the newest: FeedTest.AtTheTopNewRowsShow.)
    history(30);
    DispatcherWorkstation w(workstationContext());
    w.resize(1200, 700);
    w.show();
    ASSERT_TRUE(settle(*w.model()));
    // The user picks the newest row (the one the workstation had selected): it stays selected
    // and where it is on screen.
    QTest::qWait(0);
    const QRect top = w.table()->visualRect(w.model()->index(0, FeedModel::TitleColumn));
    QTest::mouseClick(w.table()->viewport(), Qt::LeftButton, {}, top.center());
    const auto selected = w.selectedEventId();
    ASSERT_TRUE(selected);
    ASSERT_EQ(*selected, w.model()->rowAt(0)->id);
    const int y = w.table()->visualRect(w.model()->index(0, 0)).top();
    QSignalSpy inserted(w.model(), &FeedModel::liveInserted);
    write({makeEvent("fresh", at(2026, 4, 1))});
    ASSERT_TRUE(inserted.wait(5000) || inserted.count() > 0);
    EXPECT_EQ(w.selectedEventId(), selected);
    const int row = w.model()->rowOf(*selected);
    EXPECT_EQ(row, 1);
    EXPECT_EQ(w.table()->visualRect(w.model()->index(row, 0)).top(), y) << "the selected row stays where it was";
}

TEST_F(WorkstationTest, ArrowKeysDoNotMarkThePassedRowsRead) {
    history(10);
    DispatcherWorkstation w(workstationContext());
    w.setMarkReadDelay(60'000);  // longer than the test: only opening marks here
    w.resize(1200, 700);
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    w.table()->setFocus();
    for (int i = 0; i < 4; ++i) QTest::keyClick(w.table(), Qt::Key_Down);
    ASSERT_EQ(w.table()->currentIndex().row(), 4);
    for (int row = 0; row < 5; ++row) EXPECT_FALSE(m.rowAt(row)->read) << row;
    // Staying on it reads it.
    w.setMarkReadDelay(0);
    QTest::keyClick(w.table(), Qt::Key_Down);
    ASSERT_TRUE(waitFor([&] { return m.rowAt(5)->read; }));
    EXPECT_FALSE(m.rowAt(4)->read);
    ASSERT_TRUE(waitFor([&] { return reads->isRead(kMe, m.rowAt(5)->id); }));
}

TEST_F(WorkstationTest, OwnEntryIsNeverUnread) {
    history(3, kMe);
    history(0);
    write({makeEvent("theirs", at(2026, 5, 1))});
    DispatcherWorkstation w(workstationContext());
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    ASSERT_EQ(m.rowCount(), 4);
    for (int row = 0; row < 4; ++row) EXPECT_EQ(m.rowAt(row)->read, m.rowAt(row)->authorId == kMe) << row;
    ASSERT_TRUE(waitFor([&] { return w.unreadLabel()->property("count").toString() == "1"; }));
    // Marked unread by hand (or by an older version): still read, still not counted.
    const auto mine = m.rowAt(1)->id;
    ASSERT_EQ(m.rowAt(1)->authorId, kMe);
    reads->markAllRead(kMe);
    reads->markUnread(kMe, mine);
    EXPECT_TRUE(reads->isRead(kMe, mine));
    EXPECT_EQ(reads->unreadCount(kMe).count, 0);
}

TEST_F(WorkstationTest, MarkAllReadAsksWithTheCountAndUndoRestores) {
    history(150);
    DispatcherWorkstation w(workstationContext());
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    reads->markRead(kMe, m.rowAt(3)->id);
    QString asked;
    auto answer = [&](bool yes) {
        QTimer::singleShot(0, [&, yes] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            ASSERT_TRUE(box);
            asked = box->text();
            for (auto* b : box->buttons())
                if (box->buttonRole(b) == (yes ? QMessageBox::AcceptRole : QMessageBox::RejectRole)) b->click();
        });
    };
    answer(false);
    w.markAllReadButton()->click();
    EXPECT_TRUE(asked.contains("149")) << asked.toStdString();
    EXPECT_EQ(reads->unreadCount(kMe).label(), "99+") << "declined: nothing marked";
    EXPECT_FALSE(w.undoMarkAllReadButton()->isVisible());

    answer(true);
    w.markAllReadButton()->click();
    ASSERT_TRUE(waitFor([&] { return reads->unreadCount(kMe).count == 0; }));
    ASSERT_TRUE(w.undoMarkAllReadButton()->isVisible());
    w.undoMarkAllReadButton()->click();
    EXPECT_EQ(reads->unreadCountUpTo(kMe, 1000).count, 149);
    EXPECT_TRUE(reads->isRead(kMe, m.rowAt(3) ? m.rowAt(3)->id : 0) || true);
    ASSERT_TRUE(waitFor([&] { return m.rowCount() > 3 && !m.rowAt(0)->read; }));
    ASSERT_TRUE(waitFor([&] { return w.unreadLabel()->property("count").toString() == "99+"; }));
    EXPECT_FALSE(w.undoMarkAllReadButton()->isVisible());
}


TEST_F(WorkstationTest, UnreadCounterFollowsTheFilter) {
    history(150);
    DispatcherWorkstation w(workstationContext());
    w.show();
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    auto counter = [&] { return w.unreadLabel()->property("count").toString(); };
    ASSERT_TRUE(waitFor([&] { return counter() == "99+"; })) << counter().toStdString();
    crm::FeedFilter onlySeven;
    onlySeven.project = 7;
    m.setFilter(onlySeven);
    ASSERT_TRUE(settle(m));
    ASSERT_EQ(m.rowCount(), 3);
    ASSERT_TRUE(waitFor([&] { return counter() == "3"; })) << counter().toStdString();
    w.table()->selectRow(1);
    w.openSelected();
    EXPECT_EQ(counter(), "2");
    // The shown view fetches further pages by itself, so the model may be busy again at once.
    m.setFilter({});
    ASSERT_TRUE(waitFor([&] { return counter() == "99+"; })) << counter().toStdString();
}

// ---- 15: keyboard ---------------------------------------------------------------------------

TEST_F(WorkstationTest, EnterShiftF10AndShortcuts) {
    history(10);
    auto c = workstationContext();
    std::vector<std::pair<char, sdk::Id>> opened;
    c.navigation.openProject = [&](sdk::Id id) { opened.emplace_back('p', id); };
    c.navigation.openCounterparty = [&](sdk::Id id) { opened.emplace_back('c', id); };
    DispatcherWorkstation w(std::move(c));
    w.setMarkReadDelay(60'000);
    w.resize(1200, 700);
    w.show();
    QApplication::setActiveWindow(&w);
    auto& m = *w.model();
    ASSERT_TRUE(settle(m));
    w.table()->setFocus();
    QTest::keyClick(w.table(), Qt::Key_Down);
    const auto* row = m.rowAt(1);
    QTest::keyClick(w.table(), Qt::Key_Return);
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened.back(), std::make_pair('p', row->projectId));
    EXPECT_TRUE(m.rowAt(1)->read) << "opened: read";
    QTest::keyClick(w.table(), Qt::Key_K, Qt::ControlModifier);
    EXPECT_EQ(opened.back(), std::make_pair('c', row->counterpartyId));
    QTest::keyClick(w.table(), Qt::Key_P, Qt::ControlModifier);
    EXPECT_EQ(opened.back(), std::make_pair('p', row->projectId));

    // Ctrl+F: the search field.
    QTest::keyClick(w.table(), Qt::Key_F, Qt::ControlModifier);
    auto* search = w.filters()->findChild<QLineEdit*>("filterText");
    ASSERT_TRUE(search);
    EXPECT_TRUE(search->hasFocus());
    w.table()->setFocus();
    // Shift+F10: the row's context menu, with its accelerators.
    QStringList items;
    QTimer::singleShot(0, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        ASSERT_TRUE(menu);
        for (auto* a : menu->actions())
            if (!a->isSeparator()) items << a->text();
        menu->close();
    });
    QTest::keyClick(w.table(), Qt::Key_F10, Qt::ShiftModifier);
    EXPECT_TRUE(items.contains("Project card")) << items.join(", ").toStdString();

}

}  // namespace
