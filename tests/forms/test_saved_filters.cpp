// Saved filters: the panel's controls saved under a name per user (host settings, JSON), applied
// again later with the same rows, deleted; damaged settings never break the panel.
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/filter_panel.hpp>
#include <dispatcher/saved_filters.hpp>
#include <common/party_picker.hpp>

#include <QComboBox>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

TEST(FilterStateJson, RoundTripKeepsEveryControl) {
    FilterState s;
    s.project = 42;
    s.counterparty = 7;
    s.author = 3;
    s.kinds = {"payment.received", "note.customer"};
    s.module = "payments";
    s.minImportance = crm::Importance::High;
    s.period = static_cast<int>(FilterPanel::Period::Custom);
    s.customFrom = "2026-01-01";
    s.customTo = "2026-01-31";
    s.text = "Żółty «Щербаков»";
    s.onlyMine = true;
    EXPECT_EQ(filterStateFromJson(toJson(s)), s);
    EXPECT_EQ(filterStateFromJson("{}"), FilterState{});
    EXPECT_EQ(filterStateFromJson("not json"), FilterState{});
    EXPECT_EQ(filterStateFromJson(R"({"project":"x","kinds":5,"minImportance":9})"), FilterState{});
}

TEST(SavedFiltersStore, PerUserUnderItsOwnKey) {
    MemorySettings settings;
    SavedFilters mine(settings, kMe), theirs(settings, 8);
    FilterState s;
    s.text = "okna";
    mine.save("Okna", s);
    mine.save("Платежи", FilterState{});
    EXPECT_EQ(mine.names(), (std::vector<std::string>{"Okna", "Платежи"}));
    EXPECT_TRUE(theirs.names().empty());
    EXPECT_EQ(settings.values.count("crm.filters.5"), 1u);
    EXPECT_EQ(mine.get("Okna")->text, "okna");
    mine.remove("Okna");
    EXPECT_EQ(mine.names(), std::vector<std::string>{"Платежи"});
    settings.values["crm.filters.5"] = "[broken";
    EXPECT_TRUE(mine.names().empty());
    mine.save("again", s);  // a damaged entry is replaced, not a failure
    EXPECT_EQ(mine.names(), std::vector<std::string>{"again"});
}

class SavedFilterPanelTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        std::vector<crm::Event> events;
        for (int i = 0; i < 40; ++i) {
            auto e = makeEvent("s" + std::to_string(i), at(2026, 3, 1) + std::chrono::hours(i), i % 2 ? "payment.received" : "note.customer");
            e.projectId = 1 + i % 4;
            events.push_back(e);
        }
        write(events);
    }
    std::unique_ptr<DispatcherWorkstation> open() {
        WorkstationContext context{*store, directory};
        context.locale = "ru";
        context.currentUser = *directory.user(kMe);
        context.webEngine = false;
        context.settings = &settings;
        auto w = std::make_unique<DispatcherWorkstation>(std::move(context));
        w->resize(1000, 600);
        w->show();
        EXPECT_TRUE(settle(*w->model()));
        return w;
    }
    MemorySettings settings;
};

TEST_F(SavedFilterPanelTest, SaveSelectDeleteThroughThePanel) {
    auto w = open();
    auto* panel = w->filters();
    ASSERT_TRUE(panel->savedPicker()->isVisibleTo(w.get()));
    EXPECT_EQ(w->model()->rowCount(), 40);
    panel->projectPicker()->setSelectedId(2);
    panel->setKinds({"payment.received"});
    ASSERT_TRUE(settle(*w->model()));
    const int filtered = w->model()->rowCount();
    EXPECT_EQ(filtered, 10);
    panel->saveCurrentAs(QString::fromUtf8("Проект 2, платежи"));
    EXPECT_EQ(panel->savedPicker()->currentText(), QString::fromUtf8("Проект 2, платежи"));

    panel->clearAll();
    ASSERT_TRUE(settle(*w->model()));
    EXPECT_EQ(w->model()->rowCount(), 40);

    // Another workstation window of the same user sees it and gets the same rows.
    w.reset();
    auto again = open();
    ASSERT_EQ(again->filters()->savedPicker()->count(), 2);  // "— saved —" + one
    again->filters()->selectSaved(QString::fromUtf8("Проект 2, платежи"));
    ASSERT_TRUE(settle(*again->model()));
    EXPECT_EQ(again->model()->rowCount(), filtered);
    EXPECT_EQ(again->filters()->filter().project, std::optional<sdk::Id>(2));
    EXPECT_EQ(again->filters()->filter().kinds, std::vector<std::string>{"payment.received"});

    again->filters()->deleteSelectedSaved();
    EXPECT_EQ(again->filters()->savedPicker()->count(), 1);
    EXPECT_TRUE(SavedFilters(settings, kMe).names().empty());
}

TEST_F(SavedFilterPanelTest, NoSettingsNoRow) {
    WorkstationContext context{*store, directory};
    context.webEngine = false;
    DispatcherWorkstation w(std::move(context));
    w.show();
    EXPECT_FALSE(w.filters()->savedPicker()->isVisibleTo(&w));
    settle(*w.model());
}

}  // namespace
