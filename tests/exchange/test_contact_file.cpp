// Contact files of every kind the import takes, read by what their bytes are: the project's own
// fixtures and other projects' real exports, into a real catalogue with names and mailboxes intact.
#include "store_test_util.hpp"
#include "test_support.hpp"

#include <conduit/crm/exchange/contact_file.hpp>
#include <conduit/crm/exchange/contact_import.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace conduit::crm;
using namespace conduit::crm::exchange;
using namespace conduit::crm::parties;
namespace sdk = conduit::sdk;

namespace {

const std::filesystem::path kSamples = CONDUIT_SOURCE_DIR "/../shared/samples/contacts";
const std::filesystem::path kFixtures = CONDUIT_SOURCE_DIR "/tests/exchange/fixtures";

std::string bytesOf(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

ContactFormat formatOfExtension(const std::filesystem::path& path) {
    const auto ext = path.extension().string();
    if (ext == ".vcf") return ContactFormat::VCard;
    if (ext == ".ldif") return ContactFormat::Ldif;
    if (ext == ".csv") return ContactFormat::Csv;
    return ContactFormat::Unknown;
}

TEST(ContactFile, EveryRealExportAndFixtureIsTakenForWhatItIs) {
    std::size_t files = 0;
    for (const auto& dir : {kSamples, kFixtures / "vcard", kFixtures / "csv", kFixtures / "ldap"}) {
        if (!std::filesystem::exists(dir)) continue;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            const auto expected = formatOfExtension(entry.path());
            if (expected == ContactFormat::Unknown || entry.path().filename().string().rfind("broken", 0) == 0) continue;
            ++files;
            EXPECT_EQ(detectContactFormat(bytesOf(entry.path())), expected) << entry.path();
            const auto file = readContactFile(bytesOf(entry.path()));
            EXPECT_FALSE(file.records.empty()) << entry.path();
        }
    }
    EXPECT_GT(files, 40u) << "the shared samples (../shared/samples/contacts) and the fixtures";
}

TEST(ContactFile, AnEmptyAHugeAndAnUnknownFileSayWhy) {
    const auto empty = readContactFile("");
    ASSERT_EQ(empty.problems.size(), 1u);
    EXPECT_EQ(empty.problems[0].code, ProblemCode::UnknownFormat);
    EXPECT_EQ(describe(empty.problems[0], Locale(Language::Pl)),
              "nie rozpoznano formatu pliku (oczekiwano vCard, CSV lub LDIF) (empty)");
    const auto prose = readContactFile("Dzień dobry,\nprzesyłam kontakty w załączniku\n");
    EXPECT_TRUE(prose.records.empty() || !prose.problems.empty());
    const std::string huge(kMaxContactFileBytes + 1, 'x');
    const auto tooLarge = readContactFile(huge);
    ASSERT_EQ(tooLarge.problems.size(), 1u);
    EXPECT_EQ(tooLarge.problems[0].code, ProblemCode::TooLarge);
}

class ContactFileImportTest : public conduit::crm::testing::StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        catalogue = std::make_unique<Catalogue>(store->database(), store->writer(), [](sdk::Id user) {
            CatalogueViewer v;
            v.userId = user;
            v.internal = v.edits = v.seesAll = v.seesRestricted = v.merges = true;
            return v;
        });
    }
    std::vector<Party> people() {
        CatalogueFilter f;
        f.kind = PartyKind::Person;
        f.limit = 500;
        std::vector<Party> out;
        for (const auto& row : catalogue->find(1, f).rows) out.push_back(*catalogue->get(1, row.id));
        return out;
    }
    std::unique_ptr<Catalogue> catalogue;
};

TEST_F(ContactFileImportTest, OutlookFilesInCyrillicAndPolishCodePagesImportWithNamesAndMailboxesIntact) {
    for (const auto* name : {"vcard/outlook2003_cp1251.vcf", "csv/outlook_pl_cp1250.csv", "csv/outlook_ru_cp1251.csv"}) {
        const auto file = readContactFile(bytesOf(kFixtures / name));
        const auto report = runImport(*catalogue, 1, file, {});
        EXPECT_GT(report.summary.created + report.summary.updated, 0u) << name;
        EXPECT_EQ(report.summary.refused, 0u) << name;
    }
    bool cyrillic = false, polish = false;
    for (const auto& p : people()) {
        cyrillic = cyrillic || p.fullName.find("\xD0") != std::string::npos;  // a Cyrillic letter's lead byte
        polish = polish || p.fullName.find("\xC5\x82") != std::string::npos || p.fullName.find("\xC4\x85") != std::string::npos;
        for (const auto& e : p.emails) EXPECT_NE(e.address.address.find('@'), std::string::npos) << p.fullName;
    }
    EXPECT_TRUE(cyrillic);
    EXPECT_TRUE(polish);
}

TEST_F(ContactFileImportTest, ImportingTheSameFileTwiceCreatesNothingTheSecondTime) {
    const auto file = readContactFile(bytesOf(kFixtures / "vcard/android_multi.vcf"));
    const auto first = runImport(*catalogue, 1, file, {});
    ASSERT_GT(first.summary.created, 0u);
    const auto second = runImport(*catalogue, 1, file, {});
    EXPECT_EQ(second.summary.created, 0u) << summaryText(second.summary, Locale(Language::En));
    EXPECT_EQ(second.summary.skipped + second.summary.updated, first.summary.created + first.summary.skipped);
}

}  // namespace

namespace {

TEST_F(ContactFileImportTest, ReimportingAnOutlookCardChangesNothing) {
    const auto file = readContactFile(bytesOf(kFixtures / "vcard/outlook2003_cp1251.vcf"));
    const auto first = runImport(*catalogue, 1, file, {});
    ASSERT_EQ(first.summary.created, 1u);
    const auto before = *catalogue->get(1, first.rows[0].partyId);
    const auto second = runImport(*catalogue, 1, file, {});
    const auto after = *catalogue->get(1, first.rows[0].partyId);
    EXPECT_EQ(second.summary.updated, 0u) << rowText(second.rows[0], Locale(Language::En), false);
    EXPECT_EQ(before.notes, after.notes);
    EXPECT_EQ(before.phones, after.phones);
    EXPECT_EQ(before.emails, after.emails);
    EXPECT_EQ(before.dates, after.dates);
    EXPECT_EQ(before.addresses, after.addresses);
    EXPECT_EQ(before.tags, after.tags);
    EXPECT_EQ(before.messengers, after.messengers);
    EXPECT_EQ(before.website, after.website);
    EXPECT_EQ(before.photo, after.photo);
}

}  // namespace

#include <conduit/crm/exchange/export_catalogue.hpp>

#include <set>

namespace {

// What two catalogues are compared by: every party's name, kind, mailboxes and numbers, and each
// person's companies with their job titles.
std::set<std::string> catalogueShape(Catalogue& catalogue) {
    std::set<std::string> shape;
    for (const auto kind : {PartyKind::Company, PartyKind::Person}) {
        CatalogueFilter f;
        f.kind = kind;
        f.limit = 500;
        for (const auto& row : catalogue.find(1, f).rows) {
            const auto p = *catalogue.get(1, row.id);
            std::string line = std::string(toString(p.kind)) + "|" + p.fullName;
            for (const auto& e : p.emails) line += "|" + e.address.address;
            for (const auto& ph : p.phones) line += "|" + ph.number.e164;
            if (kind == PartyKind::Person)
                for (const auto& job : catalogue.employmentsOfPerson(1, p.id))
                    line += "|@" + catalogue.get(1, job.companyId)->fullName + "/" + job.jobTitle;
            shape.insert(line);
        }
    }
    return shape;
}

TEST_F(ContactFileImportTest, AVCardExportImportedIntoAnEmptyCatalogueGivesTheSameCatalogue) {
    PartyLoad load;
    const char* firms[] = {"Okna Łódź Sp. z o.o.", "ООО «Двери Сибири»"};
    const char* people[][3] = {{"Zofia", "Kozłowska", "Kierowniczka zakupów"}, {"Фёдор", "Щербаков", "Главный инженер"},
                               {"Jan", "Wąs", "Monter"}};
    for (int f = 0; f < 2; ++f) {
        Party firm;
        firm.fullName = firms[f];
        firm.emails.push_back({parseEmail("biuro" + std::to_string(f) + "@firma.example.pl"), "work"});
        firm.phones.push_back({parsePhone(f ? "+7 383 200-10-20" : "+48 42 630 11 22", "PL"), "work"});
        load.parties.push_back(firm);
    }
    for (int k = 0; k < 3; ++k) {
        Party p;
        p.kind = PartyKind::Person;
        p.givenName = people[k][0];
        p.familyName = people[k][1];
        p.fullName = p.givenName + " " + p.familyName;
        p.emails.push_back({parseEmail("osoba" + std::to_string(k) + "@firma.example.pl"), "work"});
        p.phones.push_back({parsePhone("+48 601 200 30" + std::to_string(k), "PL"), "cell"});
        LoadEmployment job;
        job.person = LoadRef::toRow(load.parties.size());
        job.company = LoadRef::toRow(k == 1 ? 1 : 0);
        job.employment.jobTitle = people[k][2];
        load.parties.push_back(p);
        load.employments.push_back(job);
    }
    catalogue->createMany(1, load);
    const auto before = catalogueShape(*catalogue);
    ASSERT_EQ(before.size(), 5u);

    conduit::test::TempDir dir("conduit-roundtrip");
    ExportRequest request;
    request.format = ExportFormat::VCard;
    request.out = dir / "katalog.vcf";
    exchange::exportCatalogue(*catalogue, 1, request);

    auto other = EventStore::open(conduit::crm::testing::embeddedAt(dir / "other.fdb"));
    Catalogue fresh(other->database(), other->writer(), [](sdk::Id user) {
        CatalogueViewer v;
        v.userId = user;
        v.internal = v.edits = v.seesAll = v.seesRestricted = v.merges = true;
        return v;
    });
    const auto report = runImport(fresh, 1, readContactFile(bytesOf(request.out)), {});
    EXPECT_EQ(report.summary.refused, 0u);
    EXPECT_EQ(catalogueShape(fresh), before);
}

}  // namespace
