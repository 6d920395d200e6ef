// The notification rules editor against the real RuleStore on an embedded store, driven as an
// administrator drives it: the form follows the selection, enable/disable shows at once and Save
// keeps it, Delete asks (the safe answer by default), kinds ticked in a tree, reminder moments as
// number + unit, departments and built-in rules by name, every problem in the user's language.
#include "forms_test_util.hpp"

#include <crm_forms.hpp>
#include <rules/kind_tree.hpp>
#include <rules/offset_list.hpp>
#include <rules/reach_panel.hpp>
#include <rules/rules_editor.hpp>

#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/notify/rules.hpp>

#include <null_services.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>

#include <atomic>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using crm::notify::RecipientRole;
using crm::notify::RecipientSpec;
using crm::notify::Rule;
using crm::notify::Timing;
using std::chrono::minutes;

namespace {

constexpr sdk::Id kAdmin = 7;

// The host's directory with its departments, named in the host's language.
class DirectoryWithDepartments : public FakeDirectory {
public:
    std::vector<sdk::Department> departments() const override {
        return {{1, "dispatch", "Dział dyspozytorski"}, {2, "finance", "Dział finansowy"}, {3, "orders", "Dział zamówień"}};
    }
};

// What the next question box showed, and the answer given to it.
struct Question {
    bool shown = false;
    QString text;
    QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
    QStringList buttons;
};

// Answers the next modal question as a user would click, once its event loop runs.
void answerNextQuestion(QMessageBox::StandardButton answer, Question* seen) {
    QTimer::singleShot(0, [answer, seen] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        seen->shown = true;
        seen->text = box->text();
        seen->defaultButton = box->standardButton(box->defaultButton());
        for (auto* b : box->buttons()) seen->buttons << b->text();
        box->button(answer)->click();
    });
}

// ... and with everyone's mail address, so the rules reach them.
class DirectoryWithMail : public DirectoryWithDepartments {
public:
    std::optional<sdk::User> user(sdk::Id id) const override {
        auto u = FakeDirectory::user(id);
        if (u) u->email = "user" + std::to_string(id) + "@example.pl";
        return u;
    }
};

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
    std::unique_ptr<RulesEditor> editor(const char* lang, sdk::Id actor = kAdmin) {
        auto e = std::make_unique<RulesEditor>(RulesEditorContext{*rules, store->kinds(), departments, actor}, Lang(lang));
        e->show();
        return e;
    }
    // A valid rule typed into a new form: a name, payments ticked, the project manager.
    static void typeRule(RulesEditor& e, const QString& name) {
        e.newRule();
        e.nameEdit()->setText(name);
        e.kindTree()->itemFor("payment.*")->setCheckState(0, Qt::Checked);
        e.recipientList()->item(e.recipientRow({RecipientRole::ProjectManager, {}, 0}))->setCheckState(Qt::Checked);
    }
    std::int64_t idOf(const std::string& seedKey) {
        for (const auto& r : rules->list())
            if (r.seedKey == seedKey) return r.id;
        return 0;
    }
    static QString cell(const RulesEditor& e, std::int64_t id, int column) {
        for (int r = 0; r < e.rowCount(); ++r)
            if (e.table()->item(r, 0)->data(Qt::UserRole).toLongLong() == id) return e.table()->item(r, column)->text();
        return {};
    }
    static bool rawEnglishShown(const RulesEditor& e) {
        for (const char* field : {"", "name", "kinds", "offsets", "recipients", "digestHour"})
            if (e.messageFor(field).contains("notification rule") || e.messageFor(field).contains('#')) return true;
        return false;
    }

    DirectoryWithDepartments departments;
    std::unique_ptr<crm::Database> db;
    std::unique_ptr<crm::notify::RuleStore> rules;
};

TEST_F(RulesEditorTest, SelectingARuleLoadsItIntoTheForm) {
    rules->seedDefaults();
    auto e = editor("pl");
    const auto id = idOf("default.installation.reminder");
    e->table()->setCurrentCell(e->table()->row(e->table()->findItems(QString::fromUtf8("Montaż za 2 dni: kierownik i pomiarowiec"), Qt::MatchExactly).value(0)), 0);
    EXPECT_EQ(e->shownRuleId(), std::optional<std::int64_t>(id));
    EXPECT_EQ(e->nameEdit()->text(), QString::fromUtf8("Montaż za 2 dni: kierownik i pomiarowiec"));
    EXPECT_EQ(e->timingBox()->currentData().toInt(), static_cast<int>(Timing::Reminder));
    ASSERT_EQ(e->offsetList()->lineCount(), 1);
    EXPECT_EQ(e->offsetList()->line(0).words->text(), QString::fromUtf8("2 dni przed terminem"));
    EXPECT_EQ(e->kindTree()->itemFor("schedule.installation_planned")->checkState(0), Qt::Checked);
    EXPECT_FALSE(e->hasUnsavedChanges());

    ASSERT_TRUE(e->selectRule(idOf("default.notes.digest")));
    EXPECT_EQ(e->digestHourBox()->value(), 8);
    EXPECT_EQ(e->kindTree()->itemFor("note.*")->checkState(0), Qt::Checked);
    EXPECT_FALSE(e->hasUnsavedChanges());
}

TEST_F(RulesEditorTest, UnsavedChangesAreAskedAboutBeforeAnotherRuleIsShown) {
    rules->seedDefaults();
    auto e = editor("pl");
    const auto first = idOf("default.payments"), second = idOf("default.materials");
    ASSERT_TRUE(e->selectRule(first));
    e->nameEdit()->setText(QString::fromUtf8("Płatności — tylko kierownik"));
    ASSERT_TRUE(e->hasUnsavedChanges());

    Question q;
    answerNextQuestion(QMessageBox::Cancel, &q);
    EXPECT_FALSE(e->selectRule(second));
    EXPECT_TRUE(q.shown);
    EXPECT_EQ(q.defaultButton, QMessageBox::Cancel) << "Enter keeps the edits";
    EXPECT_TRUE(q.buttons.contains(QString::fromUtf8("Odrzuć zmiany")));
    EXPECT_EQ(e->shownRuleId(), std::optional<std::int64_t>(first));
    EXPECT_EQ(e->selectedRuleId(), std::optional<std::int64_t>(first)) << "the selection goes back to the edited rule";
    EXPECT_EQ(e->nameEdit()->text(), QString::fromUtf8("Płatności — tylko kierownik"));

    Question saved;
    answerNextQuestion(QMessageBox::Save, &saved);
    EXPECT_TRUE(e->selectRule(second));
    EXPECT_TRUE(saved.shown);
    EXPECT_EQ(rules->find(first)->name, "Płatności — tylko kierownik");
    EXPECT_EQ(e->shownRuleId(), std::optional<std::int64_t>(second));

    e->nameEdit()->setText("x");
    Question discarded;
    answerNextQuestion(QMessageBox::Discard, &discarded);
    EXPECT_TRUE(e->selectRule(first));
    EXPECT_TRUE(discarded.shown);
    EXPECT_EQ(rules->find(second)->name, "Materials and production: morning digest of the orders department");
}

TEST_F(RulesEditorTest, DisableShowsInTheFormAtOnceAndSaveKeepsIt) {
    rules->seedDefaults();
    auto e = editor("pl");
    const auto id = idOf("default.payments");
    ASSERT_TRUE(e->selectRule(id));
    ASSERT_TRUE(e->enabledBox()->isChecked());
    e->nameEdit()->setText(QString::fromUtf8("Płatności: kierownik"));  // an edit in progress survives the toggle

    ASSERT_TRUE(e->toggleSelected());
    EXPECT_FALSE(rules->find(id)->enabled);
    EXPECT_FALSE(e->enabledBox()->isChecked()) << "the form says disabled";
    EXPECT_EQ(cell(*e, id, 4), QString::fromUtf8("wył."));
    EXPECT_EQ(e->nameEdit()->text(), QString::fromUtf8("Płatności: kierownik"));

    ASSERT_TRUE(e->save()) << e->messageFor("").toStdString();
    EXPECT_FALSE(rules->find(id)->enabled) << "Save does not turn it back on";
    EXPECT_EQ(rules->find(id)->name, "Płatności: kierownik");
    EXPECT_FALSE(e->enabledBox()->isChecked());

    ASSERT_TRUE(e->toggleSelected());
    EXPECT_TRUE(e->enabledBox()->isChecked());
    ASSERT_TRUE(e->save());
    EXPECT_TRUE(rules->find(id)->enabled);
}

TEST_F(RulesEditorTest, DeleteAsksNoKeepsTheRuleYesRemovesItAndClearsTheForm) {
    rules->seedDefaults();
    const auto count = rules->list().size();
    auto e = editor("pl");
    const auto id = idOf("default.materials");
    ASSERT_TRUE(e->selectRule(id));

    Question no;
    answerNextQuestion(QMessageBox::No, &no);
    EXPECT_FALSE(e->deleteSelected());
    ASSERT_TRUE(no.shown) << "Delete asks first";
    EXPECT_EQ(no.defaultButton, QMessageBox::No) << "Enter does not delete";
    EXPECT_TRUE(no.text.startsWith(QString::fromUtf8("Usunąć regułę „Materiały i produkcja: poranne podsumowanie działu zamówień”?"))) << no.text.toStdString();
    EXPECT_TRUE(no.buttons.contains(QString::fromUtf8("Usuń")) && no.buttons.contains(QString::fromUtf8("Zostaw")));
    EXPECT_TRUE(rules->find(id));
    EXPECT_EQ(e->shownRuleId(), std::optional<std::int64_t>(id));

    Question yes;
    answerNextQuestion(QMessageBox::Yes, &yes);
    EXPECT_TRUE(e->deleteSelected());
    EXPECT_TRUE(yes.shown);
    EXPECT_FALSE(rules->find(id));
    EXPECT_EQ(e->rowCount(), static_cast<int>(count - 1));
    EXPECT_FALSE(e->shownRuleId()) << "the form no longer shows the deleted rule";
    EXPECT_FALSE(e->selectedRuleId());
    EXPECT_TRUE(e->nameEdit()->text().isEmpty());

    // Save now is a new rule's Save: its own problems, in Polish; the deleted rule stays deleted.
    EXPECT_FALSE(e->save());
    EXPECT_EQ(e->messageFor("name"), QString::fromUtf8("Nadaj regule nazwę"));
    EXPECT_FALSE(rawEnglishShown(*e));
    EXPECT_EQ(rules->list().size(), count - 1);
}

TEST_F(RulesEditorTest, ARuleDeletedElsewhereIsSaidInTheUsersLanguage) {
    rules->seedDefaults();
    auto e = editor("ru");
    const auto id = idOf("default.materials");
    ASSERT_TRUE(e->selectRule(id));
    rules->remove(id);  // another workstation
    e->nameEdit()->setText(QString::fromUtf8("Материалы"));
    EXPECT_FALSE(e->save());
    EXPECT_EQ(e->messageFor(""), QString::fromUtf8("Этого правила больше нет (его удалили, возможно, на другом рабочем месте)"));
    EXPECT_FALSE(rawEnglishShown(*e));
    EXPECT_EQ(e->rowCount(), static_cast<int>(rules->list().size())) << "the list follows";
}

TEST_F(RulesEditorTest, TickedKindsMakeTheirPatternsAndASavedRuleReticksTheTree) {
    auto e = editor("pl");
    KindTree* tree = e->kindTree();
    EXPECT_EQ(tree->itemFor("payment.*")->text(0), QString::fromUtf8("Płatności"));
    EXPECT_EQ(tree->itemFor("payment.received")->text(0), QString::fromUtf8("Wpłynęła płatność"));
    EXPECT_EQ(tree->itemFor("payment.received")->parent(), tree->itemFor("payment.*")) << "grouped by module";
    EXPECT_EQ(tree->itemFor("*")->child(0), tree->itemFor("order.*")) << "the business modules first";

    typeRule(*e, QString::fromUtf8("Płatności i montaże"));
    EXPECT_EQ(tree->itemFor("payment.received")->checkState(0), Qt::Checked);
    EXPECT_TRUE(tree->itemFor("payment.received")->isDisabled()) << "the module's tick covers its kinds";
    tree->itemFor("schedule.installation_planned")->setCheckState(0, Qt::Checked);
    EXPECT_EQ(tree->patterns(), (std::vector<std::string>{"schedule.installation_planned", "payment.*"})) << "in the tree's order";
    ASSERT_TRUE(e->save()) << e->messageFor("kinds").toStdString();
    const auto id = *e->shownRuleId();
    EXPECT_EQ(rules->find(id)->kinds, (std::vector<std::string>{"schedule.installation_planned", "payment.*"}));
    EXPECT_EQ(cell(*e, id, 1), QString::fromUtf8("Zaplanowano montaż, Płatności (wszystkie)"));

    // Another rule, then back: the tree shows what is stored.
    Rule other;
    other.name = "Wszystko";
    other.kinds = {"*"};
    other.recipients = {{RecipientRole::Measurer, {}, 0}};
    const auto otherId = rules->add(other);
    e->reload();
    ASSERT_TRUE(e->selectRule(otherId));
    EXPECT_EQ(tree->itemFor("*")->checkState(0), Qt::Checked);
    EXPECT_EQ(tree->itemFor("note.customer")->checkState(0), Qt::Checked);
    EXPECT_EQ(tree->patterns(), std::vector<std::string>{"*"});
    ASSERT_TRUE(e->selectRule(id));
    EXPECT_EQ(tree->itemFor("payment.*")->checkState(0), Qt::Checked);
    EXPECT_EQ(tree->itemFor("schedule.installation_planned")->checkState(0), Qt::Checked);
    EXPECT_EQ(tree->itemFor("schedule.stage_planned")->checkState(0), Qt::Unchecked);
    EXPECT_EQ(tree->itemFor("schedule.*")->checkState(0), Qt::Unchecked);
    EXPECT_EQ(tree->itemFor("*")->checkState(0), Qt::Unchecked);

    // Unticking the module frees its kinds; one kind is then its own code.
    tree->itemFor("payment.*")->setCheckState(0, Qt::Unchecked);
    EXPECT_FALSE(tree->itemFor("payment.received")->isDisabled());
    tree->itemFor("payment.overdue")->setCheckState(0, Qt::Checked);
    EXPECT_EQ(tree->patterns(), (std::vector<std::string>{"schedule.installation_planned", "payment.overdue"}));
}

TEST_F(RulesEditorTest, KindsOneByOneAndUnknownPatternsSurviveAnUnchangedSave) {
    Rule r;
    r.name = "Płatności i przetargi";
    r.kinds = {"payment.received", "payment.prepayment_received", "payment.final_received", "payment.overdue", "tender.*"};
    r.recipients = {{RecipientRole::ProjectManager, {}, 0}};
    const auto id = rules->add(r);
    auto e = editor("pl");
    ASSERT_TRUE(e->selectRule(id));
    EXPECT_EQ(e->kindTree()->itemFor("payment.*")->checkState(0), Qt::Unchecked) << "four kinds are not the module";
    EXPECT_EQ(e->kindTree()->itemFor("tender.*")->checkState(0), Qt::Checked);
    EXPECT_FALSE(e->hasUnsavedChanges());
    ASSERT_TRUE(e->save());
    EXPECT_EQ(rules->find(id)->kinds, r.kinds);
}

TEST_F(RulesEditorTest, ReminderMomentsAsNumberAndUnitRoundTrip) {
    auto e = editor("pl");
    typeRule(*e, QString::fromUtf8("Przypomnienie o przedpłacie"));
    EXPECT_FALSE(e->findChild<QFormLayout*>()->isRowVisible(e->offsetList()->parentWidget()));
    e->timingBox()->setCurrentIndex(e->timingBox()->findData(static_cast<int>(Timing::Reminder)));
    EXPECT_TRUE(e->findChild<QFormLayout*>()->isRowVisible(e->offsetList()->parentWidget()));
    ASSERT_EQ(e->offsetList()->lineCount(), 1) << "a reminder starts with one moment";
    auto first = e->offsetList()->line(0);
    first.amount->setValue(2);
    first.unit->setCurrentIndex(first.unit->findData(24 * 60));
    EXPECT_EQ(first.words->text(), QString::fromUtf8("2 dni przed terminem"));
    e->offsetList()->addButton()->click();
    auto second = e->offsetList()->line(1);
    second.amount->setValue(3);
    second.unit->setCurrentIndex(second.unit->findData(60));
    second.side->setCurrentIndex(second.side->findData(1));
    EXPECT_EQ(second.words->text(), QString::fromUtf8("3 godziny po terminie"));
    ASSERT_TRUE(e->save()) << e->messageFor("offsets").toStdString();
    const auto id = *e->shownRuleId();
    EXPECT_EQ(rules->find(id)->offsets, (std::vector<minutes>{minutes(-2 * 24 * 60), minutes(3 * 60)}));
    EXPECT_EQ(cell(*e, id, 2), QString::fromUtf8("Przypomnienie 2 dni przed terminem; 3 godziny po terminie"));

    e->newRule();
    ASSERT_TRUE(e->selectRule(id));
    ASSERT_EQ(e->offsetList()->lineCount(), 2);
    EXPECT_EQ(e->offsetList()->line(0).amount->value(), 2);
    EXPECT_EQ(e->offsetList()->line(0).unit->currentData().toInt(), 24 * 60);
    EXPECT_EQ(e->offsetList()->line(0).side->currentData().toInt(), -1);
    EXPECT_EQ(e->offsetList()->line(1).amount->value(), 3);
    EXPECT_EQ(e->offsetList()->line(1).unit->currentData().toInt(), 60);
    EXPECT_EQ(e->offsetList()->line(1).side->currentData().toInt(), 1);

    // The same moment twice is refused next to the moments, in Polish.
    e->offsetList()->line(1).amount->setValue(2);
    e->offsetList()->line(1).unit->setCurrentIndex(e->offsetList()->line(1).unit->findData(24 * 60));
    e->offsetList()->line(1).side->setCurrentIndex(0);
    EXPECT_FALSE(e->save());
    EXPECT_EQ(e->messageFor("offsets"), QString::fromUtf8("Ten sam moment przypomnienia podano dwa razy"));
}

TEST_F(RulesEditorTest, DepartmentsAreOfferedAndListedByName) {
    auto e = editor("pl");
    QStringList offered;
    for (int i = 0; i < e->recipientList()->count(); ++i) offered << e->recipientList()->item(i)->text();
    EXPECT_TRUE(offered.contains(QString::fromUtf8("Dział dyspozytorski"))) << "the directory's name";
    EXPECT_TRUE(offered.contains(QString::fromUtf8("Zarząd"))) << "a department the directory does not name";
    for (const auto& label : offered) {
        EXPECT_FALSE(label.contains("dispatch") || label.contains("finance") || label.contains("Dział: ")) << label.toStdString();
    }
    typeRule(*e, QString::fromUtf8("Płatności do finansów"));
    e->recipientList()->item(offered.indexOf(QString::fromUtf8("Dział finansowy")))->setCheckState(Qt::Checked);
    ASSERT_TRUE(e->save());
    const auto id = *e->shownRuleId();
    EXPECT_EQ(rules->find(id)->recipients,
              (std::vector<RecipientSpec>{{RecipientRole::ProjectManager, {}, 0}, {RecipientRole::Department, "finance", 0}}));
    EXPECT_EQ(cell(*e, id, 3), QString::fromUtf8("Kierownik projektu, Dział finansowy"));

    // Named people a rule already has are listed by name and kept.
    Rule r = *rules->find(id);
    r.recipients.push_back({RecipientRole::User, {}, kMe});
    rules->update(r);
    e->reload();
    EXPECT_EQ(cell(*e, id, 3), QString::fromUtf8("Kierownik projektu, Dział finansowy, Ковальчик Катажина"));
}

TEST_F(RulesEditorTest, BuiltInRulesAreNamedInTheReadersLanguage) {
    rules->seedDefaults();
    const auto id = idOf("default.payments.digest");
    auto ru = editor("ru");
    EXPECT_EQ(cell(*ru, id, 0), QString::fromUtf8("Поступившие платежи: утренняя сводка менеджера и бухгалтерии"));
    EXPECT_EQ(cell(*ru, idOf("default.notes.digest"), 2), QString::fromUtf8("Ежедневная сводка в 08:00"));
    auto pl = editor("pl");
    EXPECT_EQ(cell(*pl, id, 0), QString::fromUtf8("Wpłaty: poranne podsumowanie kierownika i księgowości"));
    EXPECT_EQ(cell(*pl, id, 1), QString::fromUtf8("Wpłynęła płatność, Wpłynęła przedpłata, Wpłynęła płatność końcowa"));
    ASSERT_TRUE(pl->selectRule(id));
    EXPECT_EQ(pl->nameEdit()->text(), QString::fromUtf8("Wpłaty: poranne podsumowanie kierownika i księgowości"));
    ASSERT_TRUE(pl->save());
    EXPECT_EQ(rules->find(id)->name, "Payments received: morning digest of the manager and finance") << "still the default: every reader keeps their language";
}

TEST_F(RulesEditorTest, ProblemsAreShownNextToTheFieldInTheUsersLanguage) {
    auto e = editor("ru");
    e->newRule();
    e->nameEdit()->setText(QString::fromUtf8("Платежи"));
    e->recipientList()->item(0)->setCheckState(Qt::Checked);
    EXPECT_FALSE(e->save());
    EXPECT_EQ(e->messageFor("kinds"), QString::fromUtf8("Отметьте хотя бы один вид событий"));
    e->kindTree()->itemFor("payment.*")->setCheckState(0, Qt::Checked);
    e->recipientList()->item(0)->setCheckState(Qt::Unchecked);
    EXPECT_FALSE(e->save());
    EXPECT_TRUE(e->messageFor("kinds").isEmpty()) << "a fixed problem's message goes";
    EXPECT_EQ(e->messageFor("recipients"), QString::fromUtf8("Выберите, кого уведомлять"));
    EXPECT_TRUE(rules->list().empty());
}

// The store refuses a non-administrator whatever the form does: the editor says so in Polish.
TEST_F(RulesEditorTest, ANonAdministratorIsRefusedByTheStore) {
    rules->seedDefaults();
    rules->enforce([](sdk::Id actor) { return actor == kAdmin; });
    const auto count = rules->list().size();
    auto e = editor("pl", kMe);
    const QString refused = QString::fromUtf8("Reguły powiadomień może zmieniać tylko administrator");
    typeRule(*e, QString::fromUtf8("Moje płatności"));
    EXPECT_FALSE(e->save());
    EXPECT_EQ(e->messageFor(""), refused);
    EXPECT_EQ(rules->list().size(), count);

    const auto id = idOf("default.payments");
    Question discard;
    answerNextQuestion(QMessageBox::Discard, &discard);
    ASSERT_TRUE(e->selectRule(id));
    EXPECT_FALSE(e->toggleSelected());
    EXPECT_EQ(e->messageFor(""), refused);
    EXPECT_TRUE(rules->find(id)->enabled);
    Question yes;
    answerNextQuestion(QMessageBox::Yes, &yes);
    EXPECT_FALSE(e->deleteSelected());
    EXPECT_TRUE(rules->find(id));
    EXPECT_EQ(e->messageFor(""), refused);

    auto admin = editor("pl", kAdmin);
    ASSERT_TRUE(admin->selectRule(id));
    EXPECT_TRUE(admin->toggleSelected());
    EXPECT_FALSE(rules->find(id)->enabled);
}

// The count under the form: what the rule as stored, then as edited, would have mailed each
// person in the last 30 days, read by the core off the GUI thread; a rule that is no rule is
// not counted (its problem next to its field); a count that fails says so in the user's language.
TEST_F(RulesEditorTest, TheCountSaysWhatTheRuleWouldHaveSentEachPerson) {
    const auto now = std::chrono::time_point_cast<sdk::TimePoint::duration>(std::chrono::system_clock::now());
    std::vector<crm::Event> events;
    for (int i = 0; i < 12; ++i) {
        auto e = makeEvent("mine" + std::to_string(i), now - std::chrono::hours(24 * i + 2), crm::kinds::kPaymentReceived);
        e.projectId = kMyProject;  // managed by kMe
        events.push_back(e);
    }
    for (int i = 0; i < 5; ++i) {
        auto e = makeEvent("other" + std::to_string(i), now - std::chrono::hours(24 * i + 3), crm::kinds::kPaymentReceived);
        e.projectId = 1;  // managed by user 1
        events.push_back(e);
    }
    auto old = makeEvent("old", now - std::chrono::hours(24 * 40), crm::kinds::kPaymentReceived);
    old.projectId = kMyProject;
    events.push_back(old);
    write(events);

    DirectoryWithMail mailDirectory;
    conduit::test::NullMail mail;
    crm::notify::NotifyOptions options;
    options.seedDefaults = false;
    sdk::DatabaseLocation where;
    where.file = dir / "crm.fdb";
    crm::notify::NotificationService notes(*store, where, mailDirectory, mail, options);
    std::atomic<bool> failing{false};
    RulesEditor e({*rules, store->kinds(), mailDirectory, kAdmin,
                   [&](const Rule& r) {
                       if (failing) throw std::runtime_error("connection lost");
                       return notes.reach(r);
                   }},
                  Lang("pl"));
    e.show();
    ReachPanel* panel = e.reachPanel();
    ASSERT_TRUE(panel);

    typeRule(e, QString::fromUtf8("Płatności do kierownika"));
    ASSERT_TRUE(e.save());
    ASSERT_TRUE(waitFor([&] { return !panel->counting() && panel->table()->rowCount() > 0; })) << panel->summary()->text().toStdString();
    ASSERT_EQ(panel->table()->rowCount(), 2);
    EXPECT_TRUE(panel->table()->item(0, 0)->text().contains(QString::fromUtf8("Ковальчик Катажина")));
    EXPECT_EQ(panel->table()->item(0, 1)->text(), "12") << "the 40-day-old payment is outside the window";
    EXPECT_EQ(panel->table()->item(1, 1)->text(), "5");
    EXPECT_EQ(panel->summary()->text(),
              QString::fromUtf8("W ostatnich 30 dniach ta reguła wysłałaby: Ковальчик Катажина — 12 wiadomości; łącznie odbiorców: 2."));

    // Edited, not saved: the department instead of the manager reaches nobody with an address.
    e.recipientList()->item(e.recipientRow({RecipientRole::ProjectManager, {}, 0}))->setCheckState(Qt::Unchecked);
    e.recipientList()->item(e.recipientRow({RecipientRole::Measurer, {}, 0}))->setCheckState(Qt::Checked);
    panel->countButton()->click();
    ASSERT_TRUE(waitFor([&] { return !panel->counting(); }));
    ASSERT_EQ(panel->table()->rowCount(), 1) << "the measurer of both projects";
    EXPECT_EQ(panel->table()->item(0, 1)->text(), "17");
    EXPECT_TRUE(rules->find(*e.shownRuleId())->recipients.front().role == RecipientRole::ProjectManager) << "counting saves nothing";

    e.kindTree()->itemFor("payment.*")->setCheckState(0, Qt::Unchecked);
    panel->countButton()->click();
    EXPECT_FALSE(panel->counting());
    EXPECT_FALSE(e.messageFor("kinds").isEmpty()) << "no kinds: not counted, said next to the field";
    EXPECT_EQ(panel->table()->rowCount(), 0);

    failing = true;
    e.kindTree()->itemFor("payment.*")->setCheckState(0, Qt::Checked);
    panel->countButton()->click();
    ASSERT_TRUE(waitFor([&] { return !panel->counting(); }));
    EXPECT_TRUE(panel->summary()->text().contains(QString::fromUtf8("Nie można teraz policzyć"))) << panel->summary()->text().toStdString();
    EXPECT_EQ(panel->table()->rowCount(), 0);
}

// Every group of kinds the store knows is named in each language (a new area's code would show
// as a raw word in the tree otherwise).
TEST_F(RulesEditorTest, EveryKindGroupHasANameInEachLanguage) {
    for (const auto& kind : store->kinds().all()) {
        const auto group = kind.code.substr(0, kind.code.find('.'));
        for (const char* lang : {"ru", "pl", "en"})
            EXPECT_NE(kindGroupName(group, Lang(lang)).toStdString(), group) << kind.code << " in " << lang;
    }
}

TEST_F(RulesEditorTest, NoCountWithoutTheCoresReach) {
    auto e = editor("pl");
    EXPECT_EQ(e->reachPanel(), nullptr);
}

TEST_F(RulesEditorTest, RegisteredOnlyWithARuleStore) {
    ListRegistry registry;
    MemorySettings settings;
    CrmFormsContext context{*store, directory, settings};
    context.rules = rules.get();
    auto ids = registerCrmForms(registry, context);
    EXPECT_NE(std::find(ids.begin(), ids.end(), kRulesEditorId), ids.end());
    unregisterCrmForms(registry);
}

}  // namespace
