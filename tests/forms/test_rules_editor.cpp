// The notification rules editor against the real RuleStore on an embedded store: list, add, edit,
// disable; an invalid rule is refused next to its field in the user's language, nothing written.
#include "forms_test_util.hpp"

#include <crm_forms.hpp>
#include <rules/rules_editor.hpp>

#include <conduit/crm/notify/rules.hpp>

#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QTableWidget>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using crm::notify::Rule;

namespace {

TEST(RuleOffsets, ParseAndFormat) {
    using std::chrono::minutes;
    EXPECT_EQ(parseOffsets("-2d, -3h, 0, 30m, 15"), (std::vector<minutes>{minutes(-2880), minutes(-180), minutes(0), minutes(30), minutes(15)}));
    EXPECT_EQ(parseOffsets(""), std::vector<minutes>{});
    EXPECT_FALSE(parseOffsets("two days"));
    EXPECT_FALSE(parseOffsets("-2w"));
    EXPECT_EQ(formatOffsets({minutes(-2880), minutes(-180), minutes(0), minutes(30)}), "-2d, -3h, 0, 30m");
}

class RulesEditorTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        sdk::DatabaseLocation where;
        where.file = dir / "crm.fdb";
        db = std::make_unique<crm::Database>(where, 1);
        rules = std::make_unique<crm::notify::RuleStore>(*db);
    }
    void TearDown() override {
        rules.reset();
        db.reset();
        FormsTest::TearDown();
    }
    std::unique_ptr<crm::Database> db;
    std::unique_ptr<crm::notify::RuleStore> rules;
};

TEST_F(RulesEditorTest, ListAddEditDisable) {
    rules->seedDefaults();
    const auto defaults = rules->list().size();
    ASSERT_GT(defaults, 0u);
    RulesEditor editor(*rules, store->kinds(), Lang("pl"));
    editor.show();
    EXPECT_EQ(editor.rowCount(), static_cast<int>(defaults));

    editor.newRule();
    editor.nameEdit()->setText(QString::fromUtf8("Montaże w Łodzi — przypomnienie"));
    editor.kindsEdit()->setText("schedule.installation_planned");
    editor.timingBox()->setCurrentIndex(editor.timingBox()->findData(static_cast<int>(crm::notify::Timing::Reminder)));
    editor.offsetsEdit()->setText("-2d, -3h");
    editor.recipientList()->item(0)->setCheckState(Qt::Checked);  // project manager
    editor.recipientList()->item(1)->setCheckState(Qt::Checked);  // measurer
    ASSERT_TRUE(editor.save()) << editor.messageFor("").toStdString();
    EXPECT_EQ(editor.rowCount(), static_cast<int>(defaults + 1));
    auto all = rules->list();
    const Rule& added = all.back();
    EXPECT_EQ(added.name, "Montaże w Łodzi — przypomnienie");
    EXPECT_EQ(added.timing, crm::notify::Timing::Reminder);
    EXPECT_EQ(added.offsets, (std::vector<std::chrono::minutes>{std::chrono::minutes(-2880), std::chrono::minutes(-180)}));
    EXPECT_EQ(added.recipients.size(), 2u);
    EXPECT_TRUE(added.enabled) << "a new rule is on unless unticked";

    // Edit: the selected rule is loaded into the form and updated in place.
    ASSERT_EQ(editor.selectedRuleId(), std::optional<std::int64_t>(added.id));
    ASSERT_TRUE(editor.editSelected());
    EXPECT_EQ(editor.offsetsEdit()->text(), "-2d, -3h");
    editor.nameEdit()->setText(QString::fromUtf8("Montaże — przypomnienie 2 dni"));
    ASSERT_TRUE(editor.save());
    EXPECT_EQ(rules->find(added.id)->name, "Montaże — przypomnienie 2 dni");
    EXPECT_EQ(rules->list().size(), defaults + 1) << "edited, not added";

    // Disable, then enable again.
    const bool before = rules->find(added.id)->enabled;
    ASSERT_TRUE(editor.toggleSelected());
    EXPECT_EQ(rules->find(added.id)->enabled, !before);
    ASSERT_TRUE(editor.toggleSelected());
    EXPECT_EQ(rules->find(added.id)->enabled, before);
}

TEST_F(RulesEditorTest, InvalidRuleRefusedInTheUsersLanguage) {
    RulesEditor editor(*rules, store->kinds(), Lang("ru"));
    editor.newRule();
    editor.nameEdit()->setText(QString::fromUtf8("Платежи"));
    editor.kindsEdit()->setText("Payment received!");
    editor.recipientList()->item(0)->setCheckState(Qt::Checked);
    EXPECT_FALSE(editor.save());
    EXPECT_TRUE(editor.messageFor("kinds").startsWith(QString::fromUtf8("Укажите виды событий"))) << editor.messageFor("kinds").toStdString();
    editor.kindsEdit()->setText("payment.*");
    editor.recipientList()->item(0)->setCheckState(Qt::Unchecked);
    EXPECT_FALSE(editor.save());
    EXPECT_TRUE(editor.messageFor("recipients").startsWith(QString::fromUtf8("Выберите, кого уведомлять")));
    editor.recipientList()->item(0)->setCheckState(Qt::Checked);
    editor.timingBox()->setCurrentIndex(editor.timingBox()->findData(static_cast<int>(crm::notify::Timing::Reminder)));
    editor.offsetsEdit()->setText("через два дня");
    EXPECT_FALSE(editor.save());
    EXPECT_FALSE(editor.messageFor("offsets").isEmpty());
    EXPECT_TRUE(rules->list().empty());
}

TEST_F(RulesEditorTest, RegisteredOnlyWithARuleStore) {
    struct Registry : sdk::IFormRegistry {
        std::vector<std::string> ids;
        void addForm(sdk::FormSpec spec) override { ids.push_back(spec.id); }
        void removeForm(const std::string&) override {}
        bool openForm(const std::string&) override { return false; }
    } registry;
    MemorySettings settings;
    CrmFormsContext context{*store, directory, settings};
    context.rules = rules.get();
    auto ids = registerCrmForms(registry, context);
    EXPECT_NE(std::find(ids.begin(), ids.end(), kRulesEditorId), ids.end());
    unregisterCrmForms(registry);
}

}  // namespace
