// Every filter of the panel changes the rows the feed shows, to exactly the events that match.
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/filter_panel.hpp>
#include <common/party_picker.hpp>

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

#include <functional>
#include <set>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

class FilterTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        static const char* kinds[] = {"payment.received", "note.customer", "schedule.stage_planned", "order.production_launched"};
        static const char* modules[] = {"payments", "", "scheduling", "orders"};
        for (int i = 0; i < 80; ++i) {
            auto e = makeEvent("f" + std::to_string(i), at(2026, 3, 1) + std::chrono::hours(6 * i), kinds[i % 4]);
            e.sourceModule = modules[i % 4];
            e.projectId = 1 + i % 3;        // 1, 2 (mine), 3
            e.counterpartyId = 10 + i % 5;  // 10..14
            e.authorId = i % 3 == 0 ? kMe : 7;
            e.importance = static_cast<crm::Importance>(i % 4);
            if (i % 10 == 3) e.title = "Клиент просит ЖЁЛТЫЙ цвет рам";
            if (i % 10 == 7) e.body = "Pomiar: ŁÓDŹ, ul. Piotrkowska 1; klient prosi o żółty kolor";
            events.push_back(e);
        }
        write(events);
        WorkstationContext context{*store, directory};
        context.locale = "pl";
        context.currentUser = *directory.user(kMe);
        context.modules = {"orders", "scheduling", "payments"};
        context.webEngine = false;
        w = std::make_unique<DispatcherWorkstation>(std::move(context));
        w->resize(1200, 700);
        w->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(w.get()));
        ASSERT_TRUE(settle(*w->model()));
        ASSERT_EQ(w->model()->rowCount(), 80);
    }
    void TearDown() override {
        w.reset();
        FormsTest::TearDown();
    }

    // The keys the feed shows now (after the panel's change is applied), in order.
    std::vector<std::string> shown() {
        settle(*w->model());
        std::vector<std::string> keys;
        for (int r = 0; r < w->model()->rowCount(); ++r) {
            const auto id = w->model()->rowAt(r)->id;
            for (const auto& e : events)
                if (written(e) == id) keys.push_back(e.idempotencyKey);
        }
        return keys;
    }
    std::int64_t written(const crm::Event& e) {
        if (ids.empty())
            for (const auto& got : store->feed({}, std::nullopt, 1000).events) ids[got.idempotencyKey] = got.id;
        return ids[e.idempotencyKey];
    }
    // The keys of `events` that match, newest first: what the feed must show.
    std::vector<std::string> expected(const std::function<bool(const crm::Event&)>& match) {
        std::vector<std::string> keys;
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (match(*it)) keys.push_back(it->idempotencyKey);
        return keys;
    }
    FilterPanel& panel() { return *w->filters(); }

    std::vector<crm::Event> events;
    std::map<std::string, std::int64_t> ids;
    std::unique_ptr<DispatcherWorkstation> w;
};

TEST_F(FilterTest, ProjectPicker) {
    panel().projectPicker()->setSelectedId(3);
    const auto want = expected([](const crm::Event& e) { return e.projectId == 3; });
    EXPECT_EQ(shown(), want);
    EXPECT_EQ(want.size(), 26u);
}

TEST_F(FilterTest, CounterpartyPicker) {
    panel().counterpartyPicker()->setSelectedId(12);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.counterpartyId == 12; }));
    EXPECT_EQ(shown().size(), 16u);
}

TEST_F(FilterTest, ProjectAndCounterpartyTogether) {
    // The counterparty first: choosing it drops a project that is not its own (the test's events
    // pair them freely; the directory says project 1 is counterparty 1's).
    panel().counterpartyPicker()->setSelectedId(10);
    panel().projectPicker()->setSelectedId(1);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.projectId == 1 && e.counterpartyId == 10; }));
}

TEST_F(FilterTest, AuthorPicker) {
    panel().authorPicker()->setSelectedId(7);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.authorId == 7; }));
}

TEST_F(FilterTest, Kinds) {
    panel().setKinds({"payment.received", "note.customer"});
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.kind == "payment.received" || e.kind == "note.customer"; }));
    EXPECT_EQ(shown().size(), 40u);
}

TEST_F(FilterTest, SourceModule) {
    panel().setModule("scheduling");
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.sourceModule == "scheduling"; }));
    EXPECT_EQ(shown().size(), 20u);
}

TEST_F(FilterTest, MinimumImportance) {
    panel().setMinImportance(crm::Importance::High);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.importance >= crm::Importance::High; }));
    EXPECT_EQ(shown().size(), 40u);
}

TEST_F(FilterTest, DatePresetsAndCustomRangeAreTheInstallationsDays) {
    // The history runs 2026-03-01 12:00 + 6 h steps (20 days). "Now" is 20 March 23:00 UTC: in
    // Warsaw (UTC+1 in March) it is already 21 March, whose day began at 23:00 UTC.
    const auto now = at(2026, 3, 20, 23);
    panel().setClock([now] { return now; });
    const auto dayStart = at(2026, 3, 20, 23);
    panel().setPeriod(FilterPanel::Period::Today);
    EXPECT_EQ(shown(), expected([&](const crm::Event& e) { return e.occurredAt >= dayStart; }));
    panel().setPeriod(FilterPanel::Period::Week);
    EXPECT_EQ(shown(), expected([&](const crm::Event& e) { return e.occurredAt >= dayStart - std::chrono::days(6); }));
    EXPECT_FALSE(shown().empty());
    panel().setPeriod(FilterPanel::Period::All);
    EXPECT_EQ(shown().size(), 80u);
    // 5 and 6 March on Warsaw's clocks: 4 March 23:00 UTC up to 6 March 23:00 UTC.
    panel().setCustomRange(QDate(2026, 3, 5), QDate(2026, 3, 6));
    panel().setPeriod(FilterPanel::Period::Custom);
    EXPECT_EQ(shown(), expected([&](const crm::Event& e) { return e.occurredAt >= at(2026, 3, 4, 23) && e.occurredAt < at(2026, 3, 6, 23); }));
    EXPECT_EQ(shown().size(), 8u);
}

TEST_F(FilterTest, FreeTextIsDebouncedAndCaseInsensitive) {
    auto* edit = panel().findChild<QLineEdit*>("filterText");
    ASSERT_NE(edit, nullptr);
    // Typed key by key (QTest::keyClicks takes Latin-1 only): each key restarts the debounce.
    for (QChar ch : QString::fromUtf8("жёлтый")) {
        edit->insert(QString(ch));
        QTest::qWait(5);
    }
    EXPECT_EQ(w->model()->rowCount(), 80);  // nothing yet: one query after the typing pauses
    EXPECT_TRUE(panel().textDebounce()->isActive());
    ASSERT_TRUE(waitFor([&] { return w->model()->rowCount() == 8; }));
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.title.find("ЖЁЛТЫЙ") != std::string::npos; }));

    panel().setText(QString::fromUtf8("łódź"));
    ASSERT_TRUE(waitFor([&] { return !panel().textDebounce()->isActive(); }));
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.body.find("ŁÓDŹ") != std::string::npos; }));
    EXPECT_EQ(shown().size(), 8u);
}

TEST_F(FilterTest, OnlyWhatConcernsMe) {
    panel().setOnlyMine(true);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.authorId == kMe; }));
    EXPECT_FALSE(panel().authorPicker()->isEnabled());
    // A project I manage: everything about it concerns me, whoever wrote it.
    panel().projectPicker()->setSelectedId(kMyProject);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.projectId == kMyProject; }));
    // Someone else's project: only my own events in it.
    panel().projectPicker()->setSelectedId(3);
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.projectId == 3 && e.authorId == kMe; }));
}

TEST_F(FilterTest, ClearAllShowsEverythingAgain) {
    panel().setModule("payments");
    panel().setMinImportance(crm::Importance::Critical);
    ASSERT_LT(shown().size(), 80u);
    panel().clearAll();
    EXPECT_EQ(shown().size(), 80u);
    EXPECT_EQ(panel().filter().kinds.size(), 0u);
}

TEST_F(FilterTest, PickersSearchThousandsByAnyPartOfTheName) {
    auto* picker = panel().counterpartyPicker();
    EXPECT_EQ(picker->entryCount(), 3000);
    EXPECT_GT(picker->matches(QString::fromUtf8("щербаков")).size(), 100u);  // inside the name, other case
    EXPECT_GT(picker->matches(QString::fromUtf8("ПАРТНЕРЫ")).size(), 100u) << "е finds ё";
    EXPECT_GT(picker->matches(QStringLiteral("lodz")).size(), 1000u) << "without the diacritics";
    ASSERT_EQ(picker->matches(QStringLiteral("#2999")).size(), 1u);

    // Typing a part only one entry has and pressing Enter picks it; text that names nothing
    // leaves the pick as it was.
    picker->setFocus();
    QTest::keyClicks(picker, QString::fromUtf8("Jan #12 ·"));  // "·" ends the name: not #120
    if (picker->popup()->isVisible()) picker->popup()->hide();
    QTest::keyClick(picker, Qt::Key_Return);
    EXPECT_EQ(picker->selectedId(), std::optional<sdk::Id>(12));
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.counterpartyId == 12; }));

    picker->setText(QStringLiteral("no such company"));
    emit picker->editingFinished();
    EXPECT_EQ(picker->selectedId(), std::optional<sdk::Id>(12));
    EXPECT_TRUE(picker->text().startsWith(QString::fromUtf8("Kowalski Jan #12 · Łódź")));
}

TEST_F(FilterTest, ACounterpartyNarrowsTheProjectsToItsOwn) {
    panel().projectPicker()->setSelectedId(3);
    EXPECT_EQ(panel().projectPicker()->matches({}).size(), 2000u);
    panel().counterpartyPicker()->setSelectedId(12);
    EXPECT_EQ(panel().projectPicker()->matches({}), (std::vector<sdk::Id>{12})) << "project i belongs to counterparty i";
    EXPECT_EQ(panel().projectPicker()->selectedId(), std::nullopt) << "project 3 is not counterparty 12's";
    EXPECT_EQ(shown(), expected([](const crm::Event& e) { return e.counterpartyId == 12; }));
    panel().clearAll();
    EXPECT_EQ(panel().projectPicker()->matches({}).size(), 2000u);
}

TEST_F(FilterTest, FreeTextTakesYoAndYeAsOneLetter) {
    // "Петр" typed without the dots, "Пётр" with them.
    auto a = makeEvent("petr1", at(2026, 3, 30), "note.customer");
    a.title = "Звонил Петр Волков";
    auto b = makeEvent("petr2", at(2026, 3, 31), "note.customer");
    b.title = "Перезвонить";
    b.body = "Пётр Волков ждёт замерщика";
    events.push_back(a);
    events.push_back(b);
    write({a, b});
    auto search = [&](const char* text) {
        panel().setText(QString::fromUtf8(text));
        ASSERT_TRUE(waitFor([&] { return !panel().textDebounce()->isActive(); }));
    };
    for (const char* q : {"Пётр Волков", "петр волков", "ПЕТР", "пЁтр"}) {
        search(q);
        EXPECT_EQ(shown(), (std::vector<std::string>{"petr2", "petr1"})) << q;
    }
    auto yellow = [](const crm::Event& e) { return e.title.find("ЖЁЛТЫЙ") != std::string::npos; };
    search("желтый");  // one е: both spellings are searched
    EXPECT_EQ(shown(), expected(yellow));
    search("Клиент просит желтый");  // several: the stored ё read as е
    EXPECT_EQ(shown(), expected(yellow));
    search("ЖЁЛТЫЙ");
    EXPECT_EQ(shown(), expected(yellow));
}

}  // namespace
