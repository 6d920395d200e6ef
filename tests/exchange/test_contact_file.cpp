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
