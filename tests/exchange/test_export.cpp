// The catalogue's exports on a real embedded Firebird catalogue and real files: what each user may
// see and nothing more, XML valid against its schema (xmllint), CSV read back, XLSX unzipped, and
// the previous file kept whole when the disk fills, the path cannot be written or the user cancels.
#include "store_test_util.hpp"

#include <conduit/crm/exchange/atomic_file.hpp>
#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/exchange_problem.hpp>
#include <conduit/crm/exchange/export_catalogue.hpp>
#include <conduit/crm/exchange/export_contact.hpp>
#include <conduit/crm/exchange/xlsx_export.hpp>
#include <conduit/crm/exchange/xml_export.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace conduit::crm;
using namespace conduit::crm::exchange;
using namespace conduit::crm::parties;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;
namespace fs = std::filesystem;

namespace {

constexpr sdk::Id kBoss = 31, kSeller = 32, kFitter = 33, kClient = 34;

// The boss sees everything; the seller tax ids and their own private parties; the fitter neither.
CatalogueViewer exportViewer(sdk::Id user) {
    CatalogueViewer v;
    v.userId = user;
    v.internal = user != kClient;
    v.seesAll = user == kBoss;
    v.seesRestricted = user == kBoss || user == kSeller;
    v.edits = user == kBoss;
    return v;
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const fs::path& file, const std::string& bytes) { std::ofstream(file, std::ios::binary) << bytes; }

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

struct Run {
    int rc = -1;
    std::string output;
};

// A command's exit code and its output (stdout and stderr).
Run run(const std::string& command, const fs::path& scratch) {
    const auto log = scratch / "command.log";
    const int status = std::system((command + " >" + log.string() + " 2>&1").c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(log)};
}

// RFC 4180 read back: rows of cells, quotes undone, line breaks inside quotes kept.
std::vector<std::vector<std::string>> splitCsv(const std::string& text, char separator) {
    std::vector<std::vector<std::string>> rows(1);
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += text[++i];
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"') quoted = true;
        else if (c == separator) rows.back().push_back(std::exchange(cell, {}));
        else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(std::exchange(cell, {}));
            rows.emplace_back();
            ++i;
        } else cell += c;
    }
    if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

class ExportTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        CatalogueOptions options;
        options.clock = [this] { return now; };
        catalogue = std::make_unique<Catalogue>(store->database(), store->writer(), exportViewer, options);
        fill();
    }

    void fill() {
        PartyLoad load;
        load.source = "test";
        Party okna;
        okna.fullName = "Okna Wiśniewski Spółka z ograniczoną odpowiedzialnością";
        okna.shortName = "Okna Wiśniewski";
        okna.roles = roleBit(PartyRole::Customer) | roleBit(PartyRole::Partner);
        okna.taxIds.push_back({TaxIdKind::PlNip, "5260001246"});
        okna.addresses.push_back({AddressPurpose::Legal, "PL", "00-950", "Łódź", "ul. Źródlana", "5", "3", "łódzkie"});
        okna.phones.push_back({parsePhone("+48 42 654 32 10", "PL"), "biuro"});
        okna.notes = "=HYPERLINK(\"http://zły.example\") <&> \"cytat\"; \x01\x0B dzwonić rano";
        okna.category = "-rabat";
        okna.tags = {"okna", "drzwi"};
        load.parties.push_back(okna);

        Party sibir;
        sibir.fullName = "ООО «Окна Сибири»";
        sibir.roles = roleBit(PartyRole::Supplier);
        sibir.taxIds.push_back({TaxIdKind::RuInn, "7707083893"});
        sibir.region = "Новосибирская область";
        load.parties.push_back(sibir);

        Party hidden;  // the seller's own private firm
        hidden.fullName = "Prywatna Stolarnia Nowaka";
        hidden.isPrivate = true;
        hidden.ownerId = kSeller;
        load.parties.push_back(hidden);

        Party lukasz;
        lukasz.kind = PartyKind::Person;
        lukasz.givenName = "Łukasz";
        lukasz.familyName = "Żółć";
        lukasz.fullName = "Łukasz Żółć";
        lukasz.emails.push_back({parseEmail("lukasz@okna.pl"), "służbowy"});
        lukasz.phones.push_back({parsePhone("+48 601 234 567", "PL"), "komórka"});
        lukasz.dates.push_back({MemorableDateKind::Birthday, 3, 14, 1980, ""});
        lukasz.gender = Gender::Male;
        load.parties.push_back(lukasz);

        Party petr;
        petr.kind = PartyKind::Person;
        petr.givenName = "Пётр";
        petr.patronymic = "Ильич";
        petr.familyName = "Чайковский";
        petr.fullName = "Пётр Ильич Чайковский";
        petr.dates.push_back({MemorableDateKind::Birthday, 5, 7, std::nullopt, ""});
        load.parties.push_back(petr);

        Party secret;  // the boss's private contact
        secret.kind = PartyKind::Person;
        secret.fullName = "Tajny Informator";
        secret.isPrivate = true;
        secret.ownerId = kBoss;
        load.parties.push_back(secret);

        load.employments.push_back(place(3, 0, "Kierownik zakupów", "Zaopatrzenie"));
        load.employments.push_back(place(3, 2, "Doradca", ""));
        load.employments.push_back(place(4, 1, "Директор по закупкам", "Снабжение"));
        const auto report = catalogue->createMany(0, load);
        ASSERT_TRUE(report.refused.empty()) << report.refused.front().error.what();
        ASSERT_TRUE(report.refusedEmployments.empty());
        ids = report.ids;

        Party host;  // a host counterparty with its commercial terms
        host.fullName = "Fasady Host S.A.";
        host.hostId = 9001;
        host.taxIds.push_back({TaxIdKind::PlNip, "7792161234"});
        host.terms = CommercialTerms{sdk::Money{1234500, "PLN"}, std::nullopt, sdk::Money{5000000, "PLN"}, 250, 30};
        ids.push_back(catalogue->applyHostCounterparty(host).party.id);
    }

    static LoadEmployment place(std::size_t person, std::size_t company, const std::string& job, const std::string& department) {
        LoadEmployment e;
        e.person = LoadRef::toRow(person);
        e.company = LoadRef::toRow(company);
        e.employment.jobTitle = job;
        e.employment.department = department;
        return e;
    }

    ExportRequest request(ExportFormat format, const std::string& name, Language reader = Language::Pl) {
        ExportRequest r;
        r.format = format;
        r.out = dir / name;
        r.reader = Locale(reader);
        r.zone = TimeZone::named("Europe/Warsaw");
        r.pageSize = 2;  // several pages even for this small catalogue
        return r;
    }

    std::vector<ExportedParty> everything(sdk::Id actor) {
        std::vector<ExportedParty> out;
        forEachExported(*catalogue, actor, [&out](const ExportedParty& p) { out.push_back(p); }, {}, {2, false});
        return out;
    }

    std::string idAttr(std::size_t row) const { return "id=\"" + std::to_string(ids[row]) + "\""; }

    sdk::TimePoint now = at(2026, 12, 4, 9, 30);
    std::unique_ptr<Catalogue> catalogue;
    std::vector<std::int64_t> ids;  // okna, sibir, hidden, lukasz, petr, secret, host
};

TEST_F(ExportTest, EveryVisiblePartyComesOnceInIdOrderAcrossPages) {
    const auto parties = everything(kBoss);
    ASSERT_EQ(parties.size(), ids.size());
    ASSERT_EQ(catalogue->exportCount(kBoss), ids.size());
    for (std::size_t i = 0; i < parties.size(); ++i) EXPECT_EQ(parties[i].party.id, ids[i]);
    const auto& lukasz = parties[3];
    ASSERT_EQ(lukasz.places.size(), 2u);
    EXPECT_EQ(lukasz.places[0].companyName, "Okna Wiśniewski");
    EXPECT_EQ(lukasz.places[0].employment.jobTitle, "Kierownik zakupów");
    EXPECT_EQ(lukasz.places[1].companyName, "Prywatna Stolarnia Nowaka");
}

TEST_F(ExportTest, ProgressCountsRowsAgainstTheTotalTheUserMaySee) {
    std::vector<ExportProgress> seen;
    exportCatalogue(*catalogue, kFitter, request(ExportFormat::Xml, "fitter.xml"), [&seen](const ExportProgress& p) {
        seen.push_back(p);
        return true;
    });
    ASSERT_EQ(seen.size(), 3u);  // five rows in pages of two
    EXPECT_EQ(seen[0].rowsDone, 2u);
    EXPECT_EQ(seen.back().rowsDone, ids.size() - 2);
    for (const auto& p : seen) EXPECT_EQ(p.rowsTotal, ids.size() - 2);
}

TEST_F(ExportTest, PhotosComeOnlyWhenAskedForAndMapToTheContactsImage) {
    Party withPhoto;
    withPhoto.kind = PartyKind::Person;
    withPhoto.fullName = "Zofia Zdjęcie";
    withPhoto.photo = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(2000, 'j');
    const auto id = catalogue->create(kBoss, withPhoto).id;
    const auto find = [id](const std::vector<ExportedParty>& all) {
        return *std::find_if(all.begin(), all.end(), [id](const ExportedParty& p) { return p.party.id == id; });
    };
    std::vector<ExportedParty> with, without;
    forEachExported(*catalogue, kBoss, [&with](const ExportedParty& p) { with.push_back(p); }, {}, {3, true});
    forEachExported(*catalogue, kBoss, [&without](const ExportedParty& p) { without.push_back(p); }, {}, {3, false});
    EXPECT_EQ(find(with).party.photo, withPhoto.photo);
    EXPECT_TRUE(find(without).party.photo.empty());
    const auto contact = contactOf(find(with));
    EXPECT_EQ(contact.photo, withPhoto.photo);
    EXPECT_EQ(contact.photoType, "image/jpeg");
}

TEST_F(ExportTest, AMergedPartyIsExportedOnlyAsItsSurvivor) {
    catalogue->merge(0, ids[0], ids[2]);
    const auto parties = everything(kBoss);
    EXPECT_EQ(parties.size(), ids.size() - 1);
    EXPECT_EQ(catalogue->exportCount(kBoss), ids.size() - 1);
    EXPECT_TRUE(std::none_of(parties.begin(), parties.end(), [this](const ExportedParty& p) { return p.party.id == ids[2]; }));
}

TEST_F(ExportTest, RightsApplyInTheCoreTaxIdsTermsAndOthersPrivatePartiesStayOut) {
    const auto fitter = everything(kFitter);
    ASSERT_EQ(fitter.size(), ids.size() - 2);  // neither private party
    EXPECT_EQ(catalogue->exportCount(kFitter), fitter.size());
    for (const auto& p : fitter) {
        EXPECT_TRUE(p.party.taxIds.empty()) << p.party.fullName;
        EXPECT_FALSE(p.party.terms.has_value()) << p.party.fullName;
        EXPECT_TRUE(p.party.restrictedHidden);
        EXPECT_NE(p.party.id, ids[2]);
        EXPECT_NE(p.party.id, ids[5]);
        for (const auto& pl : p.places) EXPECT_NE(pl.employment.companyId, ids[2]) << "a place in a private firm";
    }
    const auto seller = everything(kSeller);
    ASSERT_EQ(seller.size(), ids.size() - 1);  // their own private firm, not the boss's contact
    EXPECT_TRUE(std::any_of(seller.begin(), seller.end(), [this](const ExportedParty& p) { return p.party.id == ids[2]; }));
    EXPECT_EQ(seller.back().party.taxIds.size(), 1u);
    ASSERT_TRUE(seller.back().party.terms.has_value());
    EXPECT_EQ(seller.back().party.terms->paymentTermDays, 30);
    EXPECT_TRUE(everything(kClient).empty());

    const auto xml = readFile(exportCatalogue(*catalogue, kFitter, request(ExportFormat::Xml, "fitter.xml")).file);
    EXPECT_EQ(xml.find("<taxId"), std::string::npos);
    EXPECT_EQ(xml.find("<terms"), std::string::npos);
    EXPECT_EQ(xml.find("5260001246"), std::string::npos);
    EXPECT_EQ(xml.find("Prywatna Stolarnia"), std::string::npos);
    EXPECT_EQ(xml.find("Tajny Informator"), std::string::npos);
    const auto csv = readFile(exportCatalogue(*catalogue, kFitter, request(ExportFormat::Csv, "fitter.csv")).file);
    EXPECT_EQ(csv.find("5260001246"), std::string::npos);
    EXPECT_EQ(csv.find("7707083893"), std::string::npos);
    EXPECT_NE(csv.find("Okna Wiśniewski"), std::string::npos);
}

TEST_F(ExportTest, XmlIsValidAgainstItsSchemaWithPolishAndCyrillicText) {
    const auto report = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Xml, "katalog.xml"));
    EXPECT_EQ(report.companies, 4u);
    EXPECT_EQ(report.people, 3u);
    EXPECT_EQ(report.places, 3u);
    EXPECT_EQ(report.bytes, fs::file_size(report.file));
    const auto schema = conduit::test::sourceDir() / "crm-plugin/exchange/schema/conduit-catalogue.xsd";
    const auto lint = run("xmllint --noout --schema " + schema.string() + " " + report.file.string(), dir.path());
    EXPECT_EQ(lint.rc, 0) << lint.output;

    const auto xml = readFile(report.file);
    EXPECT_NE(xml.find(std::string("xmlns=\"") + kCatalogueNamespace + "\""), std::string::npos);
    for (std::size_t row = 0; row < ids.size(); ++row) EXPECT_EQ(occurrences(xml, idAttr(row)), 1u) << row;
    EXPECT_NE(xml.find("<name>Okna Wiśniewski</name>"), std::string::npos);
    EXPECT_NE(xml.find("<familyName>Чайковский</familyName>"), std::string::npos);
    EXPECT_NE(xml.find("<jobTitle>Директор по закупкам</jobTitle>"), std::string::npos);
    EXPECT_NE(xml.find("<taxId kind=\"nip\">5260001246</taxId>"), std::string::npos);
    EXPECT_NE(xml.find("createdAt=\"2026-12-04T09:30:00Z\""), std::string::npos);
    EXPECT_NE(xml.find("on=\"1980-03-14\""), std::string::npos);
    EXPECT_NE(xml.find("on=\"--05-07\""), std::string::npos);
    EXPECT_NE(xml.find("&lt;&amp;&gt;"), std::string::npos);
    EXPECT_EQ(xml.find('\x01'), std::string::npos);
    EXPECT_EQ(xml.find('\x0B'), std::string::npos);
    EXPECT_NE(xml.find("<creditLimit currency=\"PLN\" minor=\"5000000\"/>"), std::string::npos);
}

TEST_F(ExportTest, TheSchemaRefusesWhatItMustRefuse) {
    const auto report = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Xml, "katalog.xml"));
    auto xml = readFile(report.file);
    const auto at = xml.find("<name>Okna Wiśniewski</name>");
    ASSERT_NE(at, std::string::npos);
    xml.insert(at, "<colour>red</colour>");  // an element the schema does not know
    writeFile(dir / "broken.xml", xml);
    const auto schema = conduit::test::sourceDir() / "crm-plugin/exchange/schema/conduit-catalogue.xsd";
    EXPECT_NE(run("xmllint --noout --schema " + schema.string() + " " + (dir / "broken.xml").string(), dir.path()).rc, 0);
}

TEST_F(ExportTest, CsvInUtf8ForAPolishReaderReadsBackWithItsHeadersAndGuardedFormulas) {
    const auto report = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Csv, "katalog.csv"));
    const auto bytes = readFile(report.file);
    ASSERT_EQ(bytes.rfind("\xEF\xBB\xBF", 0), 0u) << "a BOM for Excel";
    const auto rows = splitCsv(bytes.substr(3), ';');
    ASSERT_EQ(rows.size(), ids.size() + 1);
    EXPECT_EQ(rows[0], tableHeaders(Locale(Language::Pl)));
    EXPECT_EQ(rows[0][2], "Nazwa");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), rows[0].size()) << i;
        EXPECT_EQ(rows[i][0], std::to_string(ids[i - 1]));
    }
    EXPECT_EQ(rows[1][2], "Okna Wiśniewski");
    EXPECT_EQ(rows[2][2], "ООО «Окна Сибири»");
    EXPECT_EQ(rows[1][1], "Firma");
    EXPECT_EQ(rows[4][1], "Osoba");
    EXPECT_EQ(rows[1][7], "klient, partner");
    EXPECT_EQ(rows[1][17], "'-rabat");
    EXPECT_EQ(rows[1][24].rfind("'=HYPERLINK(\"http://zły.example\")", 0), 0u) << rows[1][24];
    EXPECT_EQ(rows[4][9], "'+48601234567");
    EXPECT_EQ(rows[4][20], "Okna Wiśniewski\nPrywatna Stolarnia Nowaka");
    EXPECT_EQ(rows[4][21], "Kierownik zakupów\nDoradca");
    EXPECT_EQ(rows[4][22], "Zaopatrzenie\n");
    EXPECT_EQ(rows[4][23], formatterFor(Locale(Language::Pl), TimeZone::named("Europe/Warsaw")).shortDate(sdk::Date(std::chrono::year(1980) / 3 / 14)));
    EXPECT_EQ(rows[5][23], "07.05");
    EXPECT_EQ(rows[1][25], formatterFor(Locale(Language::Pl), TimeZone::named("Europe/Warsaw")).dateTime(now));
    EXPECT_NE(rows[1][25].find("10:30"), std::string::npos) << "09:30 UTC on the Warsaw clock";
}

TEST_F(ExportTest, CsvForAnEnglishReaderIsCommaSeparatedWithEnglishHeaders) {
    const auto report = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Csv, "catalogue.csv", Language::En));
    const auto rows = splitCsv(readFile(report.file).substr(3), ',');
    ASSERT_EQ(rows.size(), ids.size() + 1);
    EXPECT_EQ(rows[0][2], "Name");
    EXPECT_EQ(rows[0][21], "Job title");
    EXPECT_EQ(rows[2][2], "ООО «Окна Сибири»");
    EXPECT_EQ(rows[1][1], "Company");
    EXPECT_EQ(rows[5][23], "07/05");
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
}

TEST_F(ExportTest, CsvInCp1250KeepsPolishTextAndCountsWhatTheCodePageLacks) {
    auto r = request(ExportFormat::Csv, "katalog-1250.csv");
    r.csvEncoding = CsvEncoding::Cp1250;
    const auto report = exportCatalogue(*catalogue, kBoss, r);
    const auto bytes = readFile(report.file);
    EXPECT_NE(bytes.rfind("\xEF\xBB\xBF", 0), 0u) << "no BOM in a code page";
    EXPECT_NE(bytes.find("\xA3ukasz"), std::string::npos) << "Ł is 0xA3 in windows-1250";
    const auto decoded = toUtf8(bytes, "windows-1250");
    ASSERT_TRUE(decoded.ok());
    const auto rows = splitCsv(decoded.text, ';');
    ASSERT_EQ(rows.size(), ids.size() + 1);
    EXPECT_EQ(rows[0][13], "Miejscowość");
    EXPECT_EQ(rows[1][2], "Okna Wiśniewski");
    EXPECT_EQ(rows[1][13], "Łódź");
    EXPECT_EQ(rows[4][2], "Łukasz Żółć");
    EXPECT_EQ(rows[2][2], "??? «???? ??????»") << "Cyrillic has no place in windows-1250";
    EXPECT_GT(report.charactersReplaced, 0u);
    std::vector<std::size_t> lines;
    for (const auto& p : report.problems) {
        EXPECT_EQ(p.code, ProblemCode::NotEncodable);
        lines.push_back(p.line);
    }
    EXPECT_EQ(lines, (std::vector<std::size_t>{3, 6})) << "the rows of the Russian firm and of Пётр";
}

TEST_F(ExportTest, CsvInCp1251KeepsRussianTextForARussianReader) {
    auto r = request(ExportFormat::Csv, "katalog-1251.csv", Language::Ru);
    r.csvEncoding = CsvEncoding::Cp1251;
    const auto report = exportCatalogue(*catalogue, kBoss, r);
    const auto decoded = toUtf8(readFile(report.file), "windows-1251");
    ASSERT_TRUE(decoded.ok());
    const auto rows = splitCsv(decoded.text, ';');
    ASSERT_EQ(rows.size(), ids.size() + 1);
    EXPECT_EQ(rows[0][2], "Название");
    EXPECT_EQ(rows[2][2], "ООО «Окна Сибири»");
    EXPECT_EQ(rows[5][2], "Пётр Ильич Чайковский");
    EXPECT_EQ(rows[5][21], "Директор по закупкам");
    EXPECT_EQ(rows[1][1], "Компания");
    EXPECT_EQ(rows[4][2].substr(0, 6), "?ukasz");
    EXPECT_GT(report.charactersReplaced, 0u);
}

TEST(CsvCell, QuotesPerRfc4180AndGuardsFormulas) {
    EXPECT_EQ(csvCell("plain", ';'), "plain");
    EXPECT_EQ(csvCell("a;b", ';'), "\"a;b\"");
    EXPECT_EQ(csvCell("a;b", ','), "a;b");
    EXPECT_EQ(csvCell("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvCell("two\nlines", ','), "\"two\nlines\"");
    for (const std::string start : {"=", "+", "-", "@"}) EXPECT_EQ(csvCell(start + "1+1", ','), "\"'" + start + "1+1\"") << start;
    EXPECT_EQ(csvCell("1-1", ','), "1-1");
}

TEST(CsvCell, RandomCellsReadBackAsWrittenBehindTheGuard) {
    const std::vector<std::string> pieces = {"a", "Ż", "ё", "\"", ";", ",", "\n", "\r\n", "=", "+", "-", "@", " ", "'", "\t"};
    std::uint32_t seed = 12345;
    const auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7FFF; };
    for (const char separator : {';', ','}) {
        for (int round = 0; round < 300; ++round) {
            std::vector<std::string> cells(1 + next() % 5);
            std::string line;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                for (auto n = next() % 8; n > 0; --n) cells[i] += pieces[next() % pieces.size()];
                line += (i ? std::string(1, separator) : "") + csvCell(cells[i], separator);
            }
            const auto rows = splitCsv(line + "\r\n", separator);
            ASSERT_EQ(rows.size(), 1u) << line;
            ASSERT_EQ(rows[0].size(), cells.size()) << line;
            for (std::size_t i = 0; i < cells.size(); ++i) {
                const bool guarded = !cells[i].empty() && std::string("=+-@\t\r").find(cells[i][0]) != std::string::npos;
                EXPECT_EQ(rows[0][i], (guarded ? "'" : "") + cells[i]) << line;
            }
        }
    }
}

TEST(XmlText, DropsWhatXml10ForbidsAndEscapesTheRest) {
    EXPECT_EQ(xmlSafeText("a\x01" "b\x1F" "c\td\ne"), "abc\td\ne");
    EXPECT_EQ(xmlSafeText("\xEF\xBF\xBE" "x"), "x");  // U+FFFE
    EXPECT_EQ(xmlSafeText("\xC3"), "\xEF\xBF\xBD");   // a cut sequence: U+FFFD
    EXPECT_EQ(xmlSafeText("Żółć Чай"), "Żółć Чай");
    EXPECT_TRUE(isXmlSafe("Żółć Чай\t\n"));
    for (const std::string bad : {"a\x01", "\xEF\xBF\xBF", "\xC3", "\xED\xA0\x80"}) EXPECT_FALSE(isXmlSafe(bad)) << bad;
    EXPECT_EQ(xmlEscaped("<a href=\"x\">&</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
}

// The sheet's XML and shared strings, read back by Python's zipfile.
nlohmann::json unzipped(const fs::path& xlsx, const fs::path& scratch) {
    const auto script = scratch / "unzip.py";
    writeFile(script,
              "import json, sys, zipfile\n"
              "z = zipfile.ZipFile(sys.argv[1])\n"
              "names = z.namelist()\n"
              "read = lambda n: z.read(n).decode('utf-8') if n in names else ''\n"
              "print(json.dumps({'names': names, 'sheet': read('xl/worksheets/sheet1.xml'),\n"
              "                  'strings': read('xl/sharedStrings.xml'), 'styles': read('xl/styles.xml'),\n"
              "                  'workbook': read('xl/workbook.xml'), 'ok': z.testzip() is None}))\n");
    const auto out = run("/usr/bin/python3 " + script.string() + " " + xlsx.string(), scratch);
    EXPECT_EQ(out.rc, 0) << out.output;
    return nlohmann::json::parse(out.output, nullptr, false);
}

TEST_F(ExportTest, XlsxHoldsAHeaderRowInTheReadersLanguageEveryRowAndDatesAsDates) {
    const auto report = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Xlsx, "katalog.xlsx", Language::Ru));
    EXPECT_EQ(report.bytes, fs::file_size(report.file)) << "synced and measured the file libxlsxwriter wrote";
    const auto book = unzipped(report.file, dir.path());
    ASSERT_TRUE(book.is_object());
    EXPECT_TRUE(book["ok"].get<bool>());
    const auto sheet = book["sheet"].get<std::string>() + book["strings"].get<std::string>();
    EXPECT_EQ(occurrences(sheet, "<row "), ids.size() + 1);
    EXPECT_NE(sheet.find(">Название<"), std::string::npos);
    EXPECT_NE(sheet.find(">Должность<"), std::string::npos);
    EXPECT_NE(sheet.find(">Okna Wiśniewski<"), std::string::npos);
    EXPECT_NE(sheet.find(">Пётр Ильич Чайковский<"), std::string::npos);
    EXPECT_NE(sheet.find(">Директор по закупкам<"), std::string::npos);
    EXPECT_NE(sheet.find("+48601234567"), std::string::npos) << "a string cell, never a formula";
    EXPECT_EQ(sheet.find("<f>"), std::string::npos);
    EXPECT_EQ(sheet.find('\x01'), std::string::npos);
    EXPECT_NE(book["workbook"].get<std::string>().find("Каталог"), std::string::npos);
    EXPECT_NE(book["styles"].get<std::string>().find("dd.mm.yyyy hh:mm"), std::string::npos);
    // 1980-03-14 is Excel's day 29294; 09:30 UTC is 10:30 in Warsaw, 0.4375 of a day.
    EXPECT_NE(sheet.find("<v>29294</v>"), std::string::npos);
    EXPECT_NE(sheet.find("<v>46360.4375</v>"), std::string::npos) << sheet.substr(0, 2000);
}

TEST_F(ExportTest, ExportReplacesThePreviousFileOnlyWhenComplete) {
    const auto out = dir / "katalog.xml";
    writeFile(out, "the previous export");
    fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write);
    const auto before = filesIn(dir.path());
    exportCatalogue(*catalogue, kBoss, request(ExportFormat::Xml, "katalog.xml"));
    EXPECT_NE(readFile(out).find("<catalogue"), std::string::npos);
    EXPECT_EQ(filesIn(dir.path()), before);
    EXPECT_EQ(fs::status(out).permissions(), fs::perms::owner_read | fs::perms::owner_write) << "the previous file's rights";
    const auto fresh = exportCatalogue(*catalogue, kBoss, request(ExportFormat::Csv, "new.csv")).file;
    EXPECT_EQ(fs::status(fresh).permissions(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST_F(ExportTest, CancelKeepsThePreviousFileAndLeavesNothingBeside) {
    for (auto format : {ExportFormat::Xml, ExportFormat::Csv, ExportFormat::Xlsx}) {
        const auto name = "katalog." + std::string(toString(format));
        writeFile(dir / name, "the previous export");
        const auto before = filesIn(dir.path());
        std::size_t calls = 0;
        try {
            exportCatalogue(*catalogue, kBoss, request(format, name), [&calls](const ExportProgress& p) {
                EXPECT_GT(p.rowsTotal, 0u);
                return ++calls < 2;
            });
            ADD_FAILURE() << "not cancelled";
        } catch (const ExchangeError& e) {
            EXPECT_EQ(e.problem.code, ProblemCode::Cancelled);
        }
        EXPECT_EQ(calls, 2u);
        EXPECT_EQ(readFile(dir / name), "the previous export");
        EXPECT_EQ(filesIn(dir.path()), before) << name;
        fs::remove(dir / name);
    }
}

TEST_F(ExportTest, AnUnwritablePathIsWriteFailedWithTheOsReason) {
    writeFile(dir / "file.txt", "a regular file");
    auto r = request(ExportFormat::Xlsx, "file.txt/out.xlsx");
    try {
        exportCatalogue(*catalogue, kBoss, r);
        ADD_FAILURE() << "written under a regular file";
    } catch (const ExchangeError& e) {
        EXPECT_EQ(e.problem.code, ProblemCode::WriteFailed);
        EXPECT_NE(e.problem.detail.find("Not a directory"), std::string::npos) << e.problem.detail;
        EXPECT_NE(describe(e.problem, Locale(Language::Pl)).find("poprzedni plik"), std::string::npos);
    }
    r.out = "/proc/out.xml";
    r.format = ExportFormat::Xml;
    EXPECT_THROW(exportCatalogue(*catalogue, kBoss, r), ExchangeError);
    EXPECT_EQ(readFile(dir / "file.txt"), "a regular file");
}

// Writes `rows` (many times over) as `format` to `out` in a child whose files may not grow past
// `limit` bytes, SIGXFSZ ignored as a full disk behaves: the child's exit code says what happened.
int writeOnFullDisk(ExportFormat format, const fs::path& out, const std::vector<ExportedParty>& rows, rlim_t limit) {
    const pid_t child = ::fork();
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit fsize{limit, limit};
        ::setrlimit(RLIMIT_FSIZE, &fsize);
        int code = 0;
        try {
            AtomicFile file(out);
            const auto zone = TimeZone::named("Europe/Warsaw");
            if (format == ExportFormat::Xml) {
                XmlCatalogueWriter writer(file, sdk::TimePoint{});
                for (int k = 0; k < 200; ++k)
                    for (const auto& row : rows) writer.write(row);
                writer.finish();
            } else {
                XlsxCatalogueWriter writer(file, Locale(Language::Pl), zone);
                for (int k = 0; k < 200; ++k)
                    for (const auto& row : rows) writer.write(row);
                writer.finish();
            }
            file.commit();
            code = 1;  // written: the limit did not bite
        } catch (const ExchangeError& e) {
            code = e.problem.code == ProblemCode::WriteFailed && e.problem.detail.find("too large") != std::string::npos ? 0
                   : e.problem.code == ProblemCode::WriteFailed                                                          ? 3
                                                                                                                          : 2;
        } catch (...) {
            code = 4;
        }
        std::_Exit(code);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ExportTest, AFullDiskKeepsThePreviousFileAndLeavesNothingBeside) {
    const auto rows = everything(kBoss);
    for (auto format : {ExportFormat::Xml, ExportFormat::Xlsx}) {
        const auto name = "katalog." + std::string(toString(format));
        writeFile(dir / name, "the previous export");
        const auto before = filesIn(dir.path());
        const int code = writeOnFullDisk(format, dir / name, rows, 8 * 1024);
        EXPECT_TRUE(code == 0 || code == 3) << name << ": child exit " << code;
        EXPECT_EQ(readFile(dir / name), "the previous export") << name;
        EXPECT_EQ(filesIn(dir.path()), before) << name;
        // Without the limit the same writer completes: the limit is what failed it.
        EXPECT_EQ(writeOnFullDisk(format, dir / name, rows, RLIM_INFINITY), 1) << name;
        EXPECT_GT(fs::file_size(dir / name), 8u * 1024) << name;
        fs::remove(dir / name);
    }
}

TEST_F(ExportTest, APersonMapsToAContactWithTheirCompanyAndLabels) {
    const auto parties = everything(kFitter);
    const auto lukasz = std::find_if(parties.begin(), parties.end(), [this](const ExportedParty& p) { return p.party.id == ids[3]; });
    ASSERT_NE(lukasz, parties.end());
    const auto c = contactOf(*lukasz);
    EXPECT_FALSE(c.isCompany);
    EXPECT_EQ(c.formattedName, "Łukasz Żółć");
    EXPECT_EQ(c.givenName, "Łukasz");
    EXPECT_EQ(c.familyName, "Żółć");
    EXPECT_EQ(c.organisation, "Okna Wiśniewski");
    EXPECT_EQ(c.jobTitle, "Kierownik zakupów");
    EXPECT_EQ(c.department, "Zaopatrzenie");
    EXPECT_EQ(c.emails, (std::vector<LabelledValue>{{"lukasz@okna.pl", "work"}}));
    EXPECT_EQ(c.phones, (std::vector<LabelledValue>{{"+48601234567", "cell"}}));
    EXPECT_EQ(c.birthday, (ContactDate{1980, 3, 14}));
    EXPECT_EQ(c.gender, "M");
    EXPECT_EQ(c.sourceId, "urn:conduit:party:" + std::to_string(ids[3]));

    const auto okna = contactOf(parties.front());
    EXPECT_TRUE(okna.isCompany);
    EXPECT_EQ(okna.organisation, "Okna Wiśniewski");
    ASSERT_EQ(okna.addresses.size(), 1u);
    EXPECT_EQ(okna.addresses[0].street, "ul. Źródlana 5/3");
    EXPECT_EQ(okna.addresses[0].city, "Łódź");
    EXPECT_TRUE(std::none_of(okna.extra.begin(), okna.extra.end(), [](const auto& e) { return e.first.find("TAX") != std::string::npos; }))
        << "the fitter may not see tax ids";
    const auto boss = everything(kBoss);
    const auto withTax = contactOf(boss.front());
    EXPECT_EQ(withTax.extra, (std::vector<std::pair<std::string, std::string>>{{"X-CONDUIT-TAX-nip", "5260001246"}}));
}

}  // namespace
