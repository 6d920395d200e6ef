// Contacts into the catalogue on a real embedded Firebird file: matched by the catalogue's keys,
// created, completed or skipped row by row; one load that a cancel or an undo takes back whole.
#include "store_test_util.hpp"

#include <conduit/crm/exchange/contact_import.hpp>
#include <conduit/crm/exchange/contact_to_party.hpp>

#include <soci/soci.h>

#include <algorithm>

using namespace conduit::crm;
using namespace conduit::crm::exchange;
using namespace conduit::crm::parties;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;

namespace {

constexpr sdk::Id kSales = 31, kColleague = 32, kClient = 33;

CatalogueViewer importViewer(sdk::Id user) {
    CatalogueViewer v;
    v.userId = user;
    v.internal = user != kClient;
    v.edits = user == kSales;
    v.seesRestricted = v.seesAll = user == kSales;
    return v;
}

ContactRecord person(std::size_t line, std::string given, std::string family, std::string email, std::string org = {}) {
    ContactRecord r;
    r.line = line;
    r.givenName = std::move(given);
    r.familyName = std::move(family);
    r.formattedName = r.givenName + " " + r.familyName;
    if (!email.empty()) r.emails.push_back({std::move(email), "work"});
    r.organisation = std::move(org);
    return r;
}

class ContactImportTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        catalogue = std::make_unique<Catalogue>(store->database(), store->writer(), importViewer);
    }
    long long rows(const std::string& sql) {
        auto s = store->database().acquire();
        long long n = 0;
        *s << sql, soci::into(n);
        s->commit();
        return n;
    }
    std::unique_ptr<Catalogue> catalogue;
};

TEST_F(ContactImportTest, ADryRunSaysRowByRowWhatWouldHappenAndTouchesNothing) {
    Party known;
    known.kind = PartyKind::Person;
    known.fullName = "Anna Nowak";
    known.emails.push_back({parseEmail("anna.nowak@okna.pl"), ""});
    known = catalogue->create(kSales, known);

    ContactFile file;
    file.records.push_back(person(1, "Anna", "Nowak", "Anna.Nowak@okna.pl", "Okna Nowak"));
    file.records.push_back(person(9, "Иван", "Петров", "ivan@dveri.ru", "Двери Плюс"));
    file.records.push_back(person(17, "Jan", "Nowak", "ivan@dveri.ru"));  // the same mailbox again
    ContactRecord nobody;
    nobody.line = 25;
    file.records.push_back(nobody);

    const auto report = planImport(*catalogue, kSales, file, {});

    ASSERT_EQ(report.rows.size(), 4u);
    EXPECT_EQ(report.rows[0].action, RowAction::Update);
    EXPECT_EQ(report.rows[0].partyId, known.id);
    EXPECT_EQ(report.rows[1].action, RowAction::Create);
    EXPECT_TRUE(report.rows[1].newCompany);
    EXPECT_EQ(report.rows[2].action, RowAction::Skip);
    EXPECT_EQ(report.rows[2].skip, SkipReason::SameAsEarlier);
    EXPECT_EQ(report.rows[3].action, RowAction::Refuse);
    EXPECT_EQ(report.summary.companiesCreated, 2u);
    const Locale pl(Language::Pl), ru(Language::Ru);
    EXPECT_EQ(rowText(report.rows[0], pl, true),
              "Wiersz 1: Anna Nowak — zostanie uzupełniony (ten sam e-mail), w firmie „Okna Nowak” (nowa)");
    EXPECT_EQ(rowText(report.rows[2], ru, true), "Строка 17: Jan Nowak — пропущено: тот же контакт, что в строке 9");
    EXPECT_EQ(summaryText(report.summary, pl), "Utworzono: 1, zaktualizowano: 1, pominięto: 1, odrzucono: 1; nowe firmy: 2");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 1);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY_LOAD"), 0);
}

TEST_F(ContactImportTest, ARunIsOneLoadPeoplePlacedInTheirCompaniesKnownOnesCompleted) {
    Party firm;
    firm.fullName = "Okna Nowak";
    firm = catalogue->create(kSales, firm);
    Party anna;
    anna.kind = PartyKind::Person;
    anna.fullName = "Anna Nowak";
    anna.emails.push_back({parseEmail("anna@okna.pl"), ""});
    anna = catalogue->create(kSales, anna);

    ContactFile file;
    auto annaAgain = person(1, "Anna", "Nowak", "anna@okna.pl", "Okna Nowak");
    annaAgain.phones.push_back({"+48 601 234 567", "cell"});
    annaAgain.jobTitle = "Kierownik zakupów";
    file.records.push_back(annaAgain);
    auto piotr = person(8, "Piotr", "Zieliński", "piotr@okna.pl", "Okna Nowak");
    piotr.phones.push_back({"12 34", "work"});  // no such number: kept in the notes
    file.records.push_back(piotr);
    file.records.push_back(person(15, "Ольга", "Смирнова", "olga@stroy.ru", "СтройДом"));
    ImportOptions options;
    options.source = "kontakty.vcf";
    options.tags = {"import-2026"};

    const auto report = runImport(*catalogue, kSales, file, options);

    EXPECT_FALSE(report.dryRun);
    EXPECT_NE(report.loadId, 0);
    EXPECT_EQ(report.summary.created, 2u);
    EXPECT_EQ(report.summary.updated, 1u);
    EXPECT_EQ(report.summary.companiesCreated, 1u);  // СтройДом; Okna Nowak is known
    const auto completedAnna = catalogue->get(kSales, anna.id);
    ASSERT_EQ(completedAnna->phones.size(), 1u);
    EXPECT_EQ(completedAnna->phones[0].number.e164, "+48601234567");
    EXPECT_TRUE(completedAnna->tags.count("import-2026"));
    const auto people = catalogue->employmentsOfCompany(kSales, firm.id);
    ASSERT_EQ(people.size(), 2u);
    const auto annaThere = std::find_if(people.begin(), people.end(), [&](const Employment& e) { return e.personId == anna.id; });
    ASSERT_NE(annaThere, people.end());
    EXPECT_EQ(annaThere->jobTitle, "Kierownik zakupów");
    const auto newPiotr = catalogue->get(kSales, report.rows[1].partyId);
    ASSERT_TRUE(newPiotr);
    EXPECT_EQ(newPiotr->fullName, "Piotr Zieliński");
    EXPECT_NE(newPiotr->notes.find("TEL: 12 34"), std::string::npos);
    ASSERT_EQ(report.rows[1].problems.size(), 1u);
    EXPECT_EQ(report.rows[1].problems[0].code, ProblemCode::ValueNotKept);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY_LOAD"), 1);
    // Created ones with the load's one event, the completed one with its own change.
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EVENT WHERE KIND = 'party.batch_loaded'"), 1);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EVENT WHERE KIND = 'party.changed'"), 1);
}

TEST_F(ContactImportTest, ACancelledImportLeavesNothingAndAnUndoneOneTakesItAllBack) {
    ContactFile file;
    for (int i = 0; i < 30; ++i)
        file.records.push_back(person(i + 1, "Jan" + std::to_string(i), "Kowal", "jan" + std::to_string(i) + "@kowal.pl", "Kowal"));
    ImportOptions options;
    options.rowsPerTransaction = 10;
    std::size_t calls = 0;
    options.progress = [&calls](std::size_t, std::size_t) { return ++calls < 2; };

    const auto cancelled = runImport(*catalogue, kSales, file, options);
    EXPECT_TRUE(cancelled.cancelled);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EMPLOYMENT"), 0);

    options.progress = nullptr;
    const auto done = runImport(*catalogue, kSales, file, options);
    EXPECT_EQ(done.summary.created, 30u);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 31);
    const auto undone = catalogue->undoLoad(kSales, done.loadId);
    EXPECT_EQ(undone.removed, 31u);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 0);
}

TEST_F(ContactImportTest, UpdateOnlySkipsTheUnknownAndCreateOnlyTheKnown) {
    Party known;
    known.kind = PartyKind::Person;
    known.fullName = "Anna Nowak";
    known.emails.push_back({parseEmail("anna@okna.pl"), ""});
    known = catalogue->create(kSales, known);
    ContactFile file;
    auto anna = person(1, "Anna", "Nowak", "anna@okna.pl");
    anna.note = "VIP";
    file.records.push_back(anna);
    file.records.push_back(person(5, "Ewa", "Lis", "ewa@lis.pl"));

    ImportOptions updateOnly;
    updateOnly.mode = ImportMode::UpdateOnly;
    const auto updated = runImport(*catalogue, kSales, file, updateOnly);
    EXPECT_EQ(updated.rows[0].action, RowAction::Update);
    EXPECT_EQ(updated.rows[1].skip, SkipReason::NotKnown);
    EXPECT_EQ(catalogue->get(kSales, known.id)->notes, "VIP");

    ImportOptions createOnly;
    createOnly.mode = ImportMode::CreateOnly;
    const auto created = planImport(*catalogue, kSales, file, createOnly);
    EXPECT_EQ(created.rows[0].skip, SkipReason::Known);
    EXPECT_EQ(created.rows[1].action, RowAction::Create);
}

TEST_F(ContactImportTest, RightsAreTheCatalogues) {
    ContactFile file;
    file.records.push_back(person(1, "Anna", "Nowak", "anna@okna.pl"));
    EXPECT_THROW(runImport(*catalogue, kClient, file, {}), CatalogueError);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 0);
}

TEST(ContactToParty, NamesDatesCountriesAndRefusedValuesAreKeptAsTheCatalogueKeepsThem) {
    ContactRecord r;
    r.line = 3;
    r.givenName = "Иван";
    r.additionalNames = "Петрович";
    r.familyName = "Сидоров";
    r.gender = "M";
    r.birthday = {0, 3, 14};
    r.anniversary = {2020, 2, 30};
    r.emails.push_back({"not an address", ""});
    ContactAddress a;
    a.city = "Москва";
    a.country = "Россия";
    r.addresses.push_back(a);
    std::vector<ExchangeProblem> problems;
    ContactMapping m;
    m.today = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{4}};
    const auto mapped = partyOfContact(r, m, problems);
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->party.fullName, "Иван Петрович Сидоров");
    EXPECT_EQ(mapped->party.patronymic, "Петрович");
    EXPECT_EQ(mapped->party.grammaticalGender, GrammaticalGender::Masculine);
    ASSERT_EQ(mapped->party.dates.size(), 1u);
    EXPECT_FALSE(mapped->party.dates[0].year);
    EXPECT_EQ(mapped->party.addresses.at(0).country, "RU");
    EXPECT_NE(mapped->party.notes.find("EMAIL: not an address"), std::string::npos);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].code, ProblemCode::BadDate);
    EXPECT_EQ(problems[1].code, ProblemCode::ValueNotKept);
    EXPECT_EQ(countryCode("Polska"), "PL");
    EXPECT_EQ(countryCode("germany"), "DE");
    EXPECT_EQ(countryCode("Atlantyda"), "");

    std::vector<ExchangeProblem> none;
    EXPECT_FALSE(partyOfContact(ContactRecord{}, m, none));
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0].code, ProblemCode::NoName);
}

}  // namespace

namespace {

TEST_F(ContactImportTest, TheSameRequestTwiceImportsOnce) {
    ContactFile file;
    file.records.push_back(person(1, "Anna", "Nowak", "anna@okna.pl"));
    ImportOptions options;
    options.requestKey = "import:sim-7-fair";
    const auto first = runImport(*catalogue, kSales, file, options);
    ASSERT_FALSE(first.repeated);
    const auto again = runImport(*catalogue, kSales, file, options);
    EXPECT_TRUE(again.repeated);
    EXPECT_EQ(again.loadId, first.loadId);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY_LOAD"), 1);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 1);
}

}  // namespace
