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

}  // namespace
