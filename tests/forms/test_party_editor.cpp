// The catalogue's editor with real widgets (offscreen) on a real embedded store: refusals next to
// their fields in the reader's language with nothing stored, the "possible duplicate" line as one
// types, the host's fields kept read-only, a stale edit refused, and the core's rights.
#include "forms_test_util.hpp"

#include <catalogue/party_draft.hpp>
#include <catalogue/party_editor.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using namespace conduit::crm::parties;

namespace {

constexpr sdk::Id kSales = kCatalogueSales;
constexpr sdk::Id kReader = 13;  // a colleague without the right to edit the catalogue

class PartyEditorTest : public CatalogueFormsTest {
protected:
    void SetUp() override {
        CatalogueFormsTest::SetUp();
        Party okna;
        okna.fullName = "Okna Nowak Sp. z o.o.";
        okna.roles = roleBit(PartyRole::Customer);
        okna.taxIds.push_back({TaxIdKind::PlNip, "5260250274"});
        okna.hostId = 7;
        oknaId = catalogue->applyHostCounterparty(okna).party.id;
    }
    std::unique_ptr<PartyEditor> editor(const char* lang, PartyKind kind, std::int64_t id = 0, sdk::Id user = kSales, Navigation nav = {}) {
        auto e = std::make_unique<PartyEditor>(PartyEditorContext{*catalogue, user, std::move(nav)}, Lang(lang), kind, id);
        e->show();
        return e;
    }
    static void type(PartyEditor& e, const std::string& field, const QString& text) {
        auto* line = e.lineFor(field);
        ASSERT_NE(line, nullptr) << field;
        line->setText(text);
        emit line->textEdited(text);  // as typing does (keyClicks cannot type Polish letters)
    }
    std::size_t companiesNamed(const std::string& words) {
        CatalogueFilter f;
        f.text = words;
        return catalogue->find(kSales, f).rows.size();
    }

    std::int64_t oknaId = 0;
};

TEST_F(PartyEditorTest, EachRefusalStandsUnderItsFieldInPolishAndNothingIsStored) {
    auto e = editor("pl", PartyKind::Company);
    type(*e, "name", QStringLiteral("Drzwi Kowalski"));
    type(*e, "nip", QStringLiteral("526-025-02-75"));
    type(*e, "phone", QStringLiteral("22 654 32 10; 12"));
    type(*e, "email", QStringLiteral("biuro(at)drzwi.pl"));
    EXPECT_FALSE(e->save());
    EXPECT_TRUE(e->messageFor("nip").contains(QStringLiteral("cyfra kontrolna"))) << e->messageFor("nip").toStdString();
    EXPECT_TRUE(e->messageFor("phone").contains(QStringLiteral("„12”"))) << e->messageFor("phone").toStdString();
    EXPECT_TRUE(e->messageFor("email").contains(QStringLiteral("przykład"))) << e->messageFor("email").toStdString();
    EXPECT_TRUE(e->messageFor("name").isEmpty());
    EXPECT_EQ(companiesNamed("Drzwi"), 0u);
    EXPECT_EQ(e->lineFor("phone")->text(), QStringLiteral("22 654 32 10; 12"));  // what was typed stays

    type(*e, "nip", QStringLiteral("PL 526-025-02-74"));
    EXPECT_TRUE(e->messageFor("nip").isEmpty());  // editing the field retires its message
    type(*e, "phone", QStringLiteral("22 654 32 10; +48 601 234 567"));
    type(*e, "email", QStringLiteral("Biuro@Drzwi.PL"));
    e->roleBox(PartyRole::Installer)->setChecked(true);
    ASSERT_TRUE(e->save()) << e->messageFor("").toStdString();
    ASSERT_TRUE(e->stored());
    const auto stored = catalogue->get(kSales, e->stored()->id);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->phones.size(), 2u);
    EXPECT_EQ(stored->phones[0].number.e164, "+48226543210");
    EXPECT_EQ(stored->emails.at(0).address.address, "biuro@drzwi.pl");
    EXPECT_EQ(stored->taxIds.at(0).value, "5260250274");
    EXPECT_TRUE(stored->has(PartyRole::Installer));
    EXPECT_EQ(stored->ownerId, kSales);
    EXPECT_FALSE(e->hasChanges());
}

TEST_F(PartyEditorTest, APossibleDuplicateIsNamedWithItsReasonAndALinkWhileTyping) {
    std::int64_t opened = 0;
    Navigation nav;
    nav.openParty = [&opened](std::int64_t id) { opened = id; };
    auto e = editor("pl", PartyKind::Company, 0, kSales, nav);
    QSignalSpy checked(e.get(), &PartyEditor::duplicatesChecked);
    type(*e, "name", QStringLiteral("Zupełnie Inna Firma"));
    type(*e, "nip", QStringLiteral("5260250274"));
    ASSERT_TRUE(checked.wait(5000));
    while (checked.wait(PartyEditor::kDuplicatePause.count() * 3)) {
    }
    const auto line = e->duplicateText();
    EXPECT_TRUE(line.contains(QStringLiteral("Okna Nowak"))) << line.toStdString();
    EXPECT_TRUE(line.contains(QStringLiteral("ten sam NIP"))) << line.toStdString();
    auto* label = e->findChild<QLabel*>(QStringLiteral("possibleDuplicates"));
    ASSERT_NE(label, nullptr);
    emit label->linkActivated(QStringLiteral("party:%1").arg(oknaId));
    EXPECT_EQ(opened, oknaId);

    // A half-typed NIP does not hide the match, and a different one clears the line.
    type(*e, "nip", QStringLiteral("7791011327"));
    ASSERT_TRUE(checked.wait(5000));
    EXPECT_TRUE(e->duplicateText().isEmpty()) << e->duplicateText().toStdString();
}

TEST_F(PartyEditorTest, TheHostsFieldsAreShownReadOnlyAndTheRestIsSaved) {
    auto e = editor("ru", PartyKind::Company, oknaId);
    EXPECT_TRUE(e->lineFor("name")->isReadOnly());
    EXPECT_TRUE(e->lineFor("nip")->isReadOnly());
    EXPECT_EQ(e->lineFor("nip")->text(), QStringLiteral("526-025-02-74"));
    EXPECT_FALSE(e->lineFor("category")->isReadOnly());
    type(*e, "category", QStringLiteral("VIP"));
    type(*e, "tags", QStringLiteral("okna, targi 2026, okna"));
    ASSERT_TRUE(e->save()) << e->messageFor("").toStdString();
    const auto stored = catalogue->get(kSales, oknaId);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->category, "VIP");
    EXPECT_EQ(stored->tags, (std::set<std::string>{"okna", "targi 2026"}));
    EXPECT_EQ(stored->fullName, "Okna Nowak Sp. z o.o.");
    EXPECT_EQ(stored->version, 2);
}

TEST_F(PartyEditorTest, AnEditOfAPartyChangedMeanwhileIsRefusedInRussianAndKeepsTheTyping) {
    auto first = editor("ru", PartyKind::Company, oknaId);
    auto second = editor("ru", PartyKind::Company, oknaId);
    type(*first, "region", QStringLiteral("mazowieckie"));
    ASSERT_TRUE(first->save());
    type(*second, "region", QStringLiteral("łódzkie"));
    EXPECT_FALSE(second->save());
    EXPECT_FALSE(second->messageFor("").isEmpty());
    EXPECT_NE(second->messageFor("").toStdString().find("измен"), std::string::npos) << second->messageFor("").toStdString();
    EXPECT_EQ(second->lineFor("region")->text(), QStringLiteral("łódzkie"));
    EXPECT_EQ(catalogue->get(kSales, oknaId)->region, "mazowieckie");
}

TEST_F(PartyEditorTest, APersonsBirthdayIsCheckedAndTheSalutationFollowsTheGender) {
    auto e = editor("pl", PartyKind::Person);
    EXPECT_EQ(e->lineFor("name"), nullptr);
    type(*e, "given", QStringLiteral("Anna"));
    type(*e, "family", QStringLiteral("Wiśniewska"));
    type(*e, "birthday", QStringLiteral("30.02.1990"));
    EXPECT_FALSE(e->save());
    EXPECT_TRUE(e->messageFor("birthday").contains(QStringLiteral("nie istnieje"))) << e->messageFor("birthday").toStdString();
    type(*e, "birthday", QStringLiteral("31 lutego"));
    EXPECT_FALSE(e->save());
    EXPECT_FALSE(e->messageFor("birthday").isEmpty());
    type(*e, "birthday", QStringLiteral("12.05"));
    auto* gender = e->findChild<QComboBox*>(QStringLiteral("field_gender"));
    ASSERT_NE(gender, nullptr);
    gender->setCurrentIndex(1);
    emit gender->activated(1);
    ASSERT_TRUE(e->save()) << e->messageFor("").toStdString();
    const auto stored = catalogue->get(kSales, e->stored()->id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->fullName, "Anna Wiśniewska");
    EXPECT_EQ(stored->gender, Gender::Female);
    EXPECT_EQ(stored->grammaticalGender, GrammaticalGender::Feminine);
    ASSERT_EQ(stored->dates.size(), 1u);
    EXPECT_EQ(stored->dates[0].day, 12u);
    EXPECT_EQ(stored->dates[0].month, 5u);
    EXPECT_FALSE(stored->dates[0].year.has_value());
}

TEST_F(PartyEditorTest, AColleagueWithoutTheRightToEditChangesOnlyTheirOwnContacts) {
    // Anyone may keep their own contacts; someone else's party is the core's to refuse.
    auto own = editor("pl", PartyKind::Company, 0, kReader);
    type(*own, "name", QStringLiteral("Bramy Zając"));
    ASSERT_TRUE(own->save()) << own->messageFor("").toStdString();
    EXPECT_EQ(own->stored()->ownerId, kReader);

    auto other = editor("pl", PartyKind::Company, oknaId, kReader);
    type(*other, "category", QStringLiteral("C"));
    EXPECT_FALSE(other->save());
    EXPECT_NE(other->messageFor("").toStdString().find("uprawn"), std::string::npos) << other->messageFor("").toStdString();
    EXPECT_TRUE(catalogue->get(kSales, oknaId)->category.empty());
}

TEST(PartyDraft, TypedDatesListsAndTags) {
    EXPECT_FALSE(readMemorableDate(QStringLiteral("  "), MemorableDateKind::Birthday).date);
    EXPECT_FALSE(readMemorableDate(QStringLiteral("  "), MemorableDateKind::Birthday).problem);
    const auto iso = readMemorableDate(QStringLiteral("1984-05-12"), MemorableDateKind::Birthday);
    ASSERT_TRUE(iso.date);
    EXPECT_EQ(memorableDateInput(*iso.date), QStringLiteral("12.05.1984"));
    EXPECT_EQ(readMemorableDate(QStringLiteral("12/5"), MemorableDateKind::NameDay).date->month, 5u);
    EXPECT_EQ(readMemorableDate(QStringLiteral("May 12"), MemorableDateKind::Birthday).problem, FieldProblem::DateInvalid);
    EXPECT_EQ(splitItems(QStringLiteral(" a ;; b\nc ")), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(splitTags(QStringLiteral("x, y; x ,")), (std::set<std::string>{"x", "y"}));
}

}  // namespace
