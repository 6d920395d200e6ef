// The review of possible duplicates and the merge dialog with real widgets (offscreen) on a real
// embedded store and catalogue: pairs with their reason in the reader's language, "not duplicates"
// for good, only the fields that differ, the chosen side kept, undo, the host's fields, and the
// core's refusals worded for the reader.
#include "forms_test_util.hpp"

#include <catalogue/duplicate_review.hpp>
#include <catalogue/merge_dialog.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeWidget>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using namespace conduit::crm::parties;

namespace {

constexpr sdk::Id kSales = kCatalogueSales, kColleague = kMe;

Phone phone(const char* text) { return Phone{parsePhone(text, "PL"), ""}; }

QString refusal(CatalogueProblem problem, const char* lang) {
    return QString::fromStdString(describe(CatalogueError(problem, {}), crm::Locale::of(lang)));
}

class DuplicateReviewTest : public CatalogueFormsTest {
protected:
    void SetUp() override {
        CatalogueFormsTest::SetUp();
        Party a;
        a.fullName = "Okna Kowalski";
        a.region = "Mazowieckie";
        a.phones = {phone("+48 601 234 567"), phone("+48 12 345 67 89")};
        oknaId = catalogue->create(kSales, a).id;
        Party b;
        b.fullName = "Kowalski Drzwi";
        b.region = "Małopolskie";
        b.phones = {phone("+48 601 234 567"), phone("+48 22 123 45 67")};
        drzwiId = catalogue->create(kSales, b).id;
        Party c;
        c.fullName = "Alfa Dach";
        c.taxIds = {parseTaxId(TaxIdKind::PlNip, "5260250274")};
        alfaId = catalogue->create(kSales, c).id;
        Party d;
        d.fullName = "Dekarze Beta";
        d.taxIds = {parseTaxId(TaxIdKind::PlNip, "526-025-02-74")};
        betaId = catalogue->create(kSales, d).id;
        ASSERT_EQ(catalogue->sweepDuplicates().pairsNew, 2u);
        ASSERT_TRUE(store->writer().flush(10s));
    }
    std::unique_ptr<DuplicateReview> review(const char* lang, Navigation nav = {}) {
        auto r = std::make_unique<DuplicateReview>(DuplicateReviewContext{*catalogue, *cache, kSales, std::move(nav)}, Lang(lang));
        QSignalSpy spy(r.get(), &DuplicateReview::loaded);
        r->show();
        EXPECT_TRUE(spy.wait(10000));
        return r;
    }
    static QTreeWidgetItem* rowOf(DuplicateReview& r, const QString& name) {
        for (int i = 0; i < r.list()->topLevelItemCount(); ++i)
            if (r.list()->topLevelItem(i)->text(0) == name || r.list()->topLevelItem(i)->text(2) == name) return r.list()->topLevelItem(i);
        return nullptr;
    }
    std::unique_ptr<MergeDialog> dialog(std::int64_t first, std::int64_t second, sdk::Id user = kSales, const char* lang = "pl") {
        auto d = std::make_unique<MergeDialog>(MergeContext{*catalogue, *cache, user}, Lang(lang), first, second);
        QSignalSpy spy(d.get(), &MergeDialog::ready);
        d->show();
        EXPECT_TRUE(spy.wait(10000));
        return d;
    }
    static bool answered(MergeDialog& d, QPushButton* button) {
        QSignalSpy spy(&d, &MergeDialog::answered);
        button->click();
        return spy.wait(10000);
    }
    static std::vector<std::string> keys(const MergeDialog& d) {
        std::vector<std::string> out;
        for (const auto& f : d.fields()) out.push_back(f.key);
        return out;
    }
    static bool has(const std::vector<std::string>& keys, const char* key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); }

    std::unique_ptr<DirectoryCache> cache = std::make_unique<DirectoryCache>(directory);
    std::int64_t oknaId = 0, drzwiId = 0, alfaId = 0, betaId = 0;
};

class MergeDialogTest : public DuplicateReviewTest {};

TEST_F(DuplicateReviewTest, ShowsEachPairWithItsReasonInTheReadersLanguage) {
    auto pl = review("pl");
    ASSERT_EQ(pl->list()->topLevelItemCount(), 2);
    auto* phones = rowOf(*pl, "Okna Kowalski");
    auto* tax = rowOf(*pl, "Alfa Dach");
    ASSERT_TRUE(phones && tax);
    EXPECT_EQ(phones->text(4), QString::fromUtf8("ten sam telefon"));
    EXPECT_EQ(tax->text(4), QString::fromUtf8("ten sam NIP"));
    EXPECT_TRUE(phones->text(0) == "Kowalski Drzwi" || phones->text(2) == "Kowalski Drzwi");
    EXPECT_EQ(phones->text(1), QString::fromUtf8("firma"));
    EXPECT_TRUE(pl->status()->text().contains(QString::fromUtf8("Par do sprawdzenia: 2"))) << pl->status()->text().toStdString();

    auto ru = review("ru");
    ASSERT_TRUE(rowOf(*ru, "Okna Kowalski"));
    EXPECT_EQ(rowOf(*ru, "Okna Kowalski")->text(4), QString::fromUtf8("одинаковый телефон"));
    EXPECT_EQ(rowOf(*ru, "Dekarze Beta")->text(4), QString::fromUtf8("одинаковый ИНН"));
}

TEST_F(DuplicateReviewTest, NotDuplicatesRemovesThePairForGood) {
    auto r = review("pl");
    r->list()->setCurrentItem(rowOf(*r, "Alfa Dach"));
    QSignalSpy spy(r.get(), &DuplicateReview::loaded);
    r->notDuplicatesButton()->click();
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(r->list()->topLevelItemCount(), 1);
    EXPECT_FALSE(rowOf(*r, "Alfa Dach"));
    EXPECT_TRUE(r->status()->text().contains(QString::fromUtf8("oznaczono jako nie duplikaty"))) << r->status()->text().toStdString();

    r->checkAgainButton()->click();
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_FALSE(rowOf(*r, "Alfa Dach")) << "the sweep does not bring a dismissed pair back";
    EXPECT_TRUE(rowOf(*r, "Okna Kowalski"));
    auto again = review("pl");
    EXPECT_EQ(again->list()->topLevelItemCount(), 1);
    EXPECT_FALSE(rowOf(*again, "Dekarze Beta"));
}

TEST_F(DuplicateReviewTest, ADoubleClickOnANameOpensThatPartysCard) {
    std::int64_t opened = 0;
    Navigation nav;
    nav.openParty = [&](std::int64_t id) { opened = id; };
    auto r = review("en", nav);
    auto* row = rowOf(*r, "Alfa Dach");
    ASSERT_TRUE(row);
    const auto second = row->text(2) == "Alfa Dach" ? alfaId : betaId;
    emit r->list()->itemDoubleClicked(row, 2);
    EXPECT_EQ(opened, second);
    emit r->list()->itemDoubleClicked(row, 0);
    EXPECT_EQ(opened, second == alfaId ? betaId : alfaId);
}

TEST_F(DuplicateReviewTest, CompareAndMergeOpensTheDialogOnTheSelectedPair) {
    auto r = review("pl");
    r->list()->setCurrentItem(rowOf(*r, "Okna Kowalski"));
    auto* d = r->compareAndMerge();
    ASSERT_TRUE(d);
    QSignalSpy spy(d, &MergeDialog::ready);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(d->survivorId(), oknaId) << "the older one stays";
    EXPECT_EQ(d->absorbedId(), drzwiId);
    ASSERT_TRUE(answered(*d, d->mergeButton()));
    QSignalSpy reloaded(r.get(), &DuplicateReview::loaded);
    d->accept();
    ASSERT_TRUE(reloaded.wait(10000));
    EXPECT_FALSE(rowOf(*r, "Okna Kowalski")) << "a merged pair is no longer to review";
    EXPECT_TRUE(rowOf(*r, "Alfa Dach"));
}

TEST_F(MergeDialogTest, ListsOnlyTheFieldsThatDiffer) {
    auto d = dialog(drzwiId, oknaId);
    EXPECT_EQ(d->survivorId(), oknaId);
    const auto shown = keys(*d);
    EXPECT_TRUE(has(shown, "name"));
    EXPECT_TRUE(has(shown, "region"));
    EXPECT_TRUE(has(shown, "phones"));
    EXPECT_FALSE(has(shown, "emails")) << "neither has any";
    EXPECT_FALSE(has(shown, "tax_ids"));
    EXPECT_FALSE(has(shown, "website"));
    EXPECT_EQ(shown.size(), 3u);
    ASSERT_TRUE(d->choice("region", MergeKeep::Survivor));
    EXPECT_TRUE(d->choice("region", MergeKeep::Survivor)->isChecked());
    EXPECT_TRUE(d->choice("phones", MergeKeep::Both)->isChecked()) << "a list keeps both unless told";
    EXPECT_TRUE(d->summary()->text().contains(QString::fromUtf8("„Okna Kowalski”"))) << d->summary()->text().toStdString();
    EXPECT_TRUE(d->summary()->text().contains(QString::fromUtf8("cofnąć")));
}

TEST_F(MergeDialogTest, TheChosenSideIsKeptAndUndoRestoresBoth) {
    auto d = dialog(oknaId, drzwiId);
    d->choice("name", MergeKeep::Absorbed)->click();
    d->choice("phones", MergeKeep::Absorbed)->click();
    ASSERT_TRUE(answered(*d, d->mergeButton()));
    ASSERT_GT(d->mergeId(), 0) << d->message()->text().toStdString();
    EXPECT_TRUE(d->undoButton()->isVisible());
    EXPECT_FALSE(d->mergeButton()->isEnabled());
    const auto merged = catalogue->get(kSales, drzwiId);
    ASSERT_TRUE(merged);
    EXPECT_EQ(merged->id, oknaId) << "the absorbed id stays an alias of the survivor";
    EXPECT_EQ(merged->fullName, "Kowalski Drzwi");
    ASSERT_EQ(merged->phones.size(), 2u) << "the absorbed side's two, not all three";
    EXPECT_EQ(merged->region, "Mazowieckie") << "the survivor's region, as left chosen";

    ASSERT_TRUE(answered(*d, d->undoButton()));
    EXPECT_EQ(d->mergeId(), 0) << d->message()->text().toStdString();
    const auto okna = catalogue->get(kSales, oknaId), drzwi = catalogue->get(kSales, drzwiId);
    ASSERT_TRUE(okna && drzwi);
    EXPECT_EQ(drzwi->id, drzwiId);
    EXPECT_EQ(okna->fullName, "Okna Kowalski");
    EXPECT_EQ(okna->phones.size(), 2u);
    EXPECT_EQ(drzwi->fullName, "Kowalski Drzwi");
    EXPECT_TRUE(d->message()->text().contains(QString::fromUtf8("Cofnięto")));
}

TEST_F(MergeDialogTest, TheOtherOneCanStayInstead) {
    auto d = dialog(oknaId, drzwiId);
    d->swapButton()->click();
    EXPECT_EQ(d->survivorId(), drzwiId);
    EXPECT_TRUE(d->summary()->text().startsWith(QString::fromUtf8("Zdarzenia, osoby, oddziały, powiązania i certyfikaty „Okna Kowalski”")))
        << d->summary()->text().toStdString();
    ASSERT_TRUE(answered(*d, d->mergeButton()));
    EXPECT_EQ(catalogue->get(kSales, oknaId)->id, drzwiId);
    EXPECT_EQ(catalogue->get(kSales, drzwiId)->fullName, "Kowalski Drzwi");
}

TEST_F(MergeDialogTest, AColleagueWithoutTheMergeRightIsRefusedByTheCore) {
    auto d = dialog(oknaId, drzwiId, kColleague, "pl");
    ASSERT_TRUE(d->mergeButton()->isEnabled()) << "the core decides, not the form";
    ASSERT_TRUE(answered(*d, d->mergeButton()));
    EXPECT_EQ(d->message()->text(), refusal(CatalogueProblem::NotAllowed, "pl"));
    EXPECT_EQ(d->mergeId(), 0);
    EXPECT_FALSE(d->undoButton()->isVisible());
    EXPECT_EQ(catalogue->get(kSales, drzwiId)->id, drzwiId) << "nothing merged";
}

TEST_F(MergeDialogTest, APartyCannotBeMergedIntoItself) {
    auto same = dialog(oknaId, oknaId, kSales, "ru");
    EXPECT_FALSE(same->mergeButton()->isEnabled());
    EXPECT_FALSE(same->swapButton()->isEnabled());
    EXPECT_EQ(same->message()->text(), refusal(CatalogueProblem::MergeIntoItself, "ru"));
    EXPECT_TRUE(same->fields().empty());

    catalogue->merge(kSales, oknaId, drzwiId);
    auto alias = dialog(oknaId, drzwiId, kSales, "ru");
    EXPECT_FALSE(alias->mergeButton()->isEnabled()) << "an alias is its survivor";
    EXPECT_EQ(alias->message()->text(), refusal(CatalogueProblem::MergeIntoItself, "ru"));
}

TEST_F(MergeDialogTest, TheHostsFieldsStayTheHostsAndItsCounterpartyStays) {
    Party host;
    host.fullName = "Okna Kowalski S.A.";
    host.hostId = 9;
    host.phones = {phone("+48 601 234 567")};
    host.region = "Śląskie";
    const auto hostPartyId = catalogue->applyHostCounterparty(host).party.id;
    auto d = dialog(oknaId, hostPartyId);
    EXPECT_EQ(d->survivorId(), hostPartyId) << "the host's counterparty stays though it is newer";
    const auto shown = keys(*d);
    ASSERT_TRUE(has(shown, "name"));
    EXPECT_FALSE(d->choice("name", MergeKeep::Absorbed)) << "the host's name is not a choice";
    EXPECT_FALSE(d->choice("name", MergeKeep::Survivor));
    ASSERT_TRUE(d->choice("region", MergeKeep::Absorbed)) << "the CRM's own fields are";
    d->choice("region", MergeKeep::Absorbed)->click();
    ASSERT_TRUE(answered(*d, d->mergeButton()));
    const auto merged = catalogue->get(kSales, oknaId);
    ASSERT_TRUE(merged);
    EXPECT_EQ(merged->id, hostPartyId);
    EXPECT_EQ(merged->fullName, "Okna Kowalski S.A.");
    EXPECT_EQ(merged->region, "Mazowieckie");
}

}  // namespace
