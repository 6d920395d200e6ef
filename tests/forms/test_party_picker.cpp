// The one picker of parties and projects: same-named counterparties stay apart by id, the field's
// placeholder is never text, Tab takes a typed unique code, projects follow the counterparty, and
// "Петр" finds "Пётр".
#include "forms_test_util.hpp"

#include <common/party_picker.hpp>
#include <entry/entry_form.hpp>

#include <conduit/crm/entries/user_events.hpp>

#include <QAbstractItemView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

// Customers as they come in real life: three Agnieszka Lewandowska in Gdańsk, two Пётр Волков in
// Moscow (one written without the dots), each with a project of their own.
class TwinsDirectory : public sdk::IDirectory {
public:
    TwinsDirectory() {
        auto add = [&](sdk::Id id, const char* name, const char* city, const char* address, const char* taxId) {
            sdk::Counterparty c;
            c.id = id;
            c.name = name;
            c.city = city;
            c.address = address;
            c.taxId = taxId;
            counterparties_.push_back(c);
            sdk::Project p;
            p.id = 100 + id;
            p.code = "P-2026-00" + std::to_string(40 + id);
            p.name = "Okna PCV, etap " + std::to_string(id);
            p.counterpartyId = id;
            projects_.push_back(p);
        };
        add(1, "Agnieszka Lewandowska", "Gdańsk", "Długa 5, 80-827 Gdańsk", "");
        add(2, "Agnieszka Lewandowska", "Gdańsk", "Grunwaldzka 112, 80-244 Gdańsk", "PL5840001234");
        add(3, "Agnieszka Lewandowska", "Gdańsk", "Ogarna 7, 80-826 Gdańsk", "");
        add(4, "Пётр Волков", "Москва", "ул. Ленина 5, Москва", "7701234567");
        add(5, "Петр Волков", "Москва", "Тверская 12, Москва", "");
        add(6, "Dąbrowski Okna", "Łódź", "Piotrkowska 1, 90-001 Łódź", "");
        users_.push_back({kMe, "kasia", "Ковальчик Катажина", "", 1, "pl"});
    }
    template <typename T>
    static std::optional<T> byId(const std::vector<T>& all, sdk::Id id) {
        for (const auto& x : all)
            if (x.id == id) return x;
        return std::nullopt;
    }
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return byId(counterparties_, id); }
    std::optional<sdk::Project> project(sdk::Id id) const override { return byId(projects_, id); }
    std::optional<sdk::User> user(sdk::Id id) const override { return byId(users_, id); }
    std::optional<sdk::Department> department(sdk::Id) const override { return std::nullopt; }
    std::vector<sdk::Counterparty> counterparties() const override { return counterparties_; }
    std::vector<sdk::Project> projects() const override { return projects_; }
    std::vector<sdk::User> users() const override { return users_; }
    std::vector<sdk::Department> departments() const override { return {}; }

private:
    std::vector<sdk::Counterparty> counterparties_;
    std::vector<sdk::Project> projects_;
    std::vector<sdk::User> users_;
};

// A window with the picker and a field after it (where Tab and focus-out go).
class PickerTest : public ::testing::Test {
protected:
    void SetUp() override {
        window = std::make_unique<QWidget>();
        auto* layout = new QVBoxLayout(window.get());
        counterparties = new PartyPicker(QString::fromUtf8("— dowolny —"), window.get());
        counterparties->setEntries(counterpartyEntries(cache, Lang("pl")));
        projects = new PartyPicker(QString::fromUtf8("— dowolny —"), window.get());
        projects->setEntries(projectEntries(cache));
        after = new QLineEdit(window.get());
        layout->addWidget(counterparties);
        layout->addWidget(projects);
        layout->addWidget(after);
        window->show();
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    }
    // Chooses the `row`-th entry the list offers for `typed`, as a user does with the keyboard.
    static void chooseFromList(PartyPicker* picker, const char* typed, int row) {
        picker->setFocus();
        picker->selectAll();
        QTest::keyClicks(picker, typed);
        QAbstractItemView* list = picker->popup();
        ASSERT_TRUE(list->isVisible());
        ASSERT_GT(list->model()->rowCount(), row);
        list->setCurrentIndex(list->model()->index(row, 0));
        QTest::keyClick(list, Qt::Key_Return);
    }
    TwinsDirectory directory;
    DirectoryCache cache{directory};
    std::unique_ptr<QWidget> window;
    PartyPicker* counterparties = nullptr;
    PartyPicker* projects = nullptr;
    QLineEdit* after = nullptr;
};

TEST_F(PickerTest, TheSecondOfThreeNamesakesStaysChosenThroughFocusOut) {
    ASSERT_EQ(counterparties->matches(QStringLiteral("Agnieszka Lewandowska")).size(), 3u);
    chooseFromList(counterparties, "Agnieszka", 1);
    EXPECT_EQ(counterparties->selectedId(), std::optional<sdk::Id>(2));
    after->setFocus();  // leaving the field
    ASSERT_EQ(QApplication::focusWidget(), after);
    EXPECT_EQ(counterparties->selectedId(), std::optional<sdk::Id>(2)) << "never re-chosen by its text";
    counterparties->setFocus();
    QTest::keyClick(counterparties, Qt::Key_Tab);
    EXPECT_EQ(counterparties->selectedId(), std::optional<sdk::Id>(2));
    // What tells them apart is on the line: street, city, tax id.
    EXPECT_EQ(counterparties->text(), QString::fromUtf8("Agnieszka Lewandowska · Grunwaldzka 112 · Gdańsk · NIP PL5840001234"));
}

TEST_F(PickerTest, ThePlaceholderIsNeverText) {
    EXPECT_TRUE(counterparties->text().isEmpty());
    EXPECT_EQ(counterparties->placeholderText(), QString::fromUtf8("— dowolny —"));
    counterparties->setFocus();
    QTest::keyClicks(counterparties, "Dabr");
    EXPECT_EQ(counterparties->text(), QStringLiteral("Dabr"));
    EXPECT_EQ(counterparties->matches(counterparties->text()), (std::vector<sdk::Id>{6})) << "Dąbrowski without the ogonek";
    counterparties->setSelectedId(4);
    counterparties->clear();  // the clear button
    EXPECT_EQ(counterparties->selectedId(), std::nullopt);
}

TEST_F(PickerTest, TabTakesATypedUniqueCode) {
    projects->setFocus();
    QTest::keyClicks(projects, "P-2026-0045");
    QTest::keyClick(projects, Qt::Key_Tab);
    EXPECT_EQ(projects->selectedId(), std::optional<sdk::Id>(105));
    EXPECT_NE(QApplication::focusWidget(), projects) << "Tab still moves on";
    EXPECT_TRUE(projects->text().startsWith(QStringLiteral("P-2026-0045 · ")));
    EXPECT_EQ(projects->cursorPosition(), 0) << "the code stays in view, not the end of the line";

    // A tax id is a counterparty's code; a code several entries start with picks nothing new.
    counterparties->setFocus();
    QTest::keyClicks(counterparties, "7701234567");
    QTest::keyClick(counterparties, Qt::Key_Tab);
    EXPECT_EQ(counterparties->selectedId(), std::optional<sdk::Id>(4));
    projects->setFocus();
    projects->selectAll();
    QTest::keyClicks(projects, "P-2026-004");
    QTest::keyClick(projects, Qt::Key_Tab);
    EXPECT_EQ(projects->selectedId(), std::optional<sdk::Id>(105)) << "six codes start so: the pick stays";
    EXPECT_TRUE(projects->text().startsWith(QStringLiteral("P-2026-0045 · ")));
}

TEST_F(PickerTest, ProjectsNarrowToTheChosenCounterparty) {
    EXPECT_EQ(projects->matches({}).size(), 6u);
    projects->setSelectedId(101);
    projects->narrowToOwner(2);
    EXPECT_EQ(projects->matches({}), (std::vector<sdk::Id>{102}));
    EXPECT_EQ(projects->selectedId(), std::nullopt) << "counterparty 1's project is dropped";
    projects->showAll();
    EXPECT_EQ(projects->popup()->model()->rowCount(), 1);
    projects->narrowToOwner(std::nullopt);
    EXPECT_EQ(projects->matches({}).size(), 6u);
}

TEST_F(PickerTest, PetrFindsPyotrAndTheOtherWayRound) {
    const std::vector<sdk::Id> both{4, 5};
    EXPECT_EQ(counterparties->matches(QString::fromUtf8("Петр")), both);
    EXPECT_EQ(counterparties->matches(QString::fromUtf8("пётр волков")), both);
    EXPECT_EQ(counterparties->matches(QString::fromUtf8("ВОЛКОВ · ТВЕРСКАЯ")), (std::vector<sdk::Id>{5})) << "any part of the line";
    EXPECT_EQ(counterparties->matches(QStringLiteral("lodz")), (std::vector<sdk::Id>{6}));
    EXPECT_EQ(counterparties->matches(QStringLiteral("grunwaldzka")), (std::vector<sdk::Id>{2}));
}

// A customer note opened from an event of the second namesake: the prefilled counterparty stays
// when the user passes through the field, and the note saves with that customer's project.
class NamesakeEntryTest : public FormsTest {};

TEST_F(NamesakeEntryTest, APrefilledNoteOfTheSecondNamesakeSaves) {
    TwinsDirectory twins;
    DirectoryCache cache(twins);
    crm::UserEvents events([this](crm::Event e) { return store->writer().submit(std::move(e)); }, twins, "pl");
    EntryForm form(EntryKind::CustomerNote, EntryContext{events, cache, Lang("pl"), *twins.user(kMe), {}}, EntryPreset{2, 102});
    form.show();
    form.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&form));
    form.counterpartyPicker()->setFocus();
    form.textEdit()->setFocus();
    ASSERT_EQ(QApplication::focusWidget(), form.textEdit());
    EXPECT_EQ(form.counterpartyPicker()->selectedId(), std::optional<sdk::Id>(2));
    form.textEdit()->setPlainText(QString::fromUtf8("Dzwonić po 17:00"));
    ASSERT_TRUE(form.save()) << form.messageFor("project").toStdString() << form.messageFor("").toStdString();
    ASSERT_TRUE(store->writer().flush(10s));
    crm::FeedFilter f;
    f.kinds = {"note.customer"};
    const auto stored = store->feed(f, std::nullopt, 10).events;
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].counterpartyId, 2);
    EXPECT_EQ(stored[0].projectId, 102);
}

TEST_F(NamesakeEntryTest, AProjectOnlyPresetFillsInItsCustomer) {
    TwinsDirectory twins;
    DirectoryCache cache(twins);
    crm::UserEvents events([this](crm::Event e) { return store->writer().submit(std::move(e)); }, twins, "pl");
    EntryForm form(EntryKind::CustomerNote, EntryContext{events, cache, Lang("pl"), *twins.user(kMe), {}}, EntryPreset{0, 103});
    EXPECT_EQ(form.counterpartyPicker()->selectedId(), std::optional<sdk::Id>(3));
    EXPECT_EQ(form.projectPicker()->selectedId(), std::optional<sdk::Id>(103));
    EXPECT_EQ(form.projectPicker()->matches({}), (std::vector<sdk::Id>{103}));
    // A preset that contradicts itself keeps the counterparty and drops the other's project.
    EntryForm mixed(EntryKind::CustomerNote, EntryContext{events, cache, Lang("pl"), *twins.user(kMe), {}}, EntryPreset{2, 103});
    EXPECT_EQ(mixed.counterpartyPicker()->selectedId(), std::optional<sdk::Id>(2));
    EXPECT_EQ(mixed.projectPicker()->selectedId(), std::nullopt);
}

}  // namespace
