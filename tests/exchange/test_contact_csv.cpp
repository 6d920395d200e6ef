#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/contact_csv.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <iterator>
#include <sstream>

using namespace conduit::crm;
using namespace conduit::crm::exchange;

namespace conduit::crm::exchange {
void PrintTo(const ExchangeProblem& p, std::ostream* out) {
    *out << toString(p.code) << " line " << p.line << " field '" << p.field << "' detail '" << p.detail << "'";
}
}  // namespace conduit::crm::exchange

namespace {

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string fixture(const std::string& name) {
    return readBytes(CONDUIT_SOURCE_DIR "/tests/exchange/fixtures/csv/" + name);
}

std::string sample(const std::string& name) {
    return readBytes(CONDUIT_SOURCE_DIR "/../shared/samples/contacts/" + name);
}

// The file's text as the bytes-level reader decodes it, for tests of the text-level parts.
std::string decoded(const std::string& bytes) { return decodeFile(bytes).text; }

std::size_t count(const std::vector<ExchangeProblem>& problems, ProblemCode code) {
    return static_cast<std::size_t>(
        std::count_if(problems.begin(), problems.end(), [code](const ExchangeProblem& p) { return p.code == code; }));
}

const ExchangeProblem* findProblem(const std::vector<ExchangeProblem>& problems, ProblemCode code) {
    const auto it = std::find_if(problems.begin(), problems.end(), [code](const ExchangeProblem& p) { return p.code == code; });
    return it == problems.end() ? nullptr : &*it;
}

std::vector<std::string> values(const std::vector<LabelledValue>& list) {
    std::vector<std::string> out;
    for (const auto& v : list) out.push_back(v.value);
    return out;
}

std::string labelOf(const std::vector<LabelledValue>& list, const std::string& value) {
    for (const auto& v : list)
        if (v.value == value) return v.label;
    return "<none>";
}

std::string extraOf(const ContactRecord& record, const std::string& name) {
    for (const auto& [key, value] : record.extra)
        if (key == name) return value;
    return "<none>";
}

std::string fieldsOf(const CsvRecord& record) {
    std::string out;
    for (const auto& f : record.fields) out += "[" + f + "]";
    return out;
}

}  // namespace

// --- the table -------------------------------------------------------------------------------

TEST(CsvTable, QuotedFieldsKeepDoubledQuotesSeparatorsAndLineBreaks) {
    const auto table = readCsvTable("a,b,c\r\n\"x \"\"q\"\"\",\"1,2\",\"line\r\nbreak\nand\rmore\"\r\nlast,,\r\n");
    ASSERT_EQ(table.records.size(), 3u);
    EXPECT_EQ(fieldsOf(table.records[1]), "[x \"q\"][1,2][line\r\nbreak\nand\rmore]");
    EXPECT_EQ(fieldsOf(table.records[2]), "[last][][]");
    EXPECT_EQ(fieldsOf(readCsvTable("a\"b,\"c\"d, \"e\"\n").records[0]), "[a\"b][cd][ \"e\"]");  // stray quotes kept
    EXPECT_EQ(table.records[0].line, 1u);
    EXPECT_EQ(table.records[1].line, 2u);
    EXPECT_EQ(table.records[2].line, 6u);  // the quoted field spans lines 2 to 5
    EXPECT_TRUE(table.problems.empty());
}

TEST(CsvTable, CrLfLfAndCrEachEndARecordAndBlankLinesAreNoRecords) {
    const auto table = readCsvTable("h1,h2\r\na,b\nc,d\re,f\n\n\r\ng,h");
    ASSERT_EQ(table.records.size(), 5u);
    EXPECT_EQ(fieldsOf(table.records[3]), "[e][f]");
    EXPECT_EQ(table.records[3].line, 4u);
    EXPECT_EQ(fieldsOf(table.records[4]), "[g][h]");
    EXPECT_EQ(table.records[4].line, 7u);
}

TEST(CsvTable, SeparatorIsDetectedOutsideQuotesOrTakenAsGiven) {
    EXPECT_EQ(detectSeparator("First Name;Last Name;E-Mail\n"), ';');
    EXPECT_EQ(detectSeparator("a\tb\tc"), '\t');
    EXPECT_EQ(detectSeparator("\"a;b;c;d\",e,f"), ',');
    EXPECT_EQ(detectSeparator("\xEF\xBB\xBF" "one"), ',');
    EXPECT_EQ(readCsvTable("a;b\n1;2\n").records[1].fields.size(), 2u);
    CsvTableOptions comma;
    comma.separator = ',';
    EXPECT_EQ(fieldsOf(readCsvTable("a;b\n1;2\n", comma).records[1]), "[1;2]");
}

TEST(CsvTable, ByteOrderMarkIsNotPartOfTheFirstHeader) {
    const auto table = readCsvTable("\xEF\xBB\xBF\"First Name\",Last\n");
    ASSERT_EQ(table.records.size(), 1u);
    EXPECT_EQ(table.records[0].fields[0], "First Name");
}

TEST(CsvTable, AnUnclosedQuoteIsTruncatedAtItsLineAndEarlierRecordsStay) {
    const auto table = readCsvTable("h1,h2\nok,1\nalso,ok\nbad,\"never closed\nmore\nlines\n");
    ASSERT_EQ(table.records.size(), 3u);
    EXPECT_EQ(fieldsOf(table.records[2]), "[also][ok]");
    ASSERT_EQ(table.problems.size(), 1u);
    EXPECT_EQ(table.problems[0].code, ProblemCode::Truncated);
    EXPECT_EQ(table.problems[0].line, 4u);
}

TEST(CsvTable, RaggedRecordsAreReportedWithTheirLine) {
    const auto table = readCsvTable("a,b,c\n1,2,3\n1,2\n1,2,3,4\n");
    ASSERT_EQ(table.records.size(), 4u);
    ASSERT_EQ(count(table.problems, ProblemCode::RaggedRow), 2u);
    EXPECT_EQ(table.problems[0].line, 3u);
    EXPECT_EQ(table.problems[0].detail, "2/3");
    EXPECT_EQ(table.problems[1].line, 4u);
}

TEST(CsvTable, RecordsOverTheLimitsAreReportedAndSkipped) {
    CsvTableOptions options;
    options.limits.maxFieldBytes = 8;
    options.limits.maxFields = 3;
    const auto table = readCsvTable("a,b\nshort,ok\n\"much too long\nfield\",x\n1,2,3,4,5\nafter,it\n", options);
    ASSERT_EQ(table.records.size(), 3u);
    EXPECT_EQ(fieldsOf(table.records[2]), "[after][it]");
    EXPECT_EQ(table.records[2].line, 6u);
    ASSERT_EQ(count(table.problems, ProblemCode::TooLarge), 2u);
    EXPECT_EQ(table.problems[0].line, 3u);
    EXPECT_EQ(table.problems[1].line, 5u);
}

// --- columns and presets ------------------------------------------------------------------------

TEST(ContactColumns, HeadersCompareWithoutCaseBomAndSpaces) {
    EXPECT_EQ(normalizeHeader("\xEF\xBB\xBF  First   Name "), "first name");
    EXPECT_EQ(normalizeHeader("АДРЕС ЭЛ. ПОЧТЫ"), normalizeHeader("Адрес эл. почты"));
    EXPECT_EQ(normalizeHeader("TELEFON SŁUŻBOWY"), "telefon służbowy");
    const auto mapping = detectMapping({"\xEF\xBB\xBF" "FIRST NAME", "e-mail  address", "Улица  2 (другой адрес)"});
    EXPECT_EQ(mapping.preset, "outlook-en");
    ASSERT_NE(mapping.find("First Name"), nullptr);
    EXPECT_EQ(mapping.find("first name")->field, ContactField::GivenName);
    EXPECT_EQ(mapping.find("E-mail Address")->slot, 1);
    EXPECT_EQ(mapping.find("Улица 2 (другой адрес)"), nullptr);  // Russian, not in the English preset
}

TEST(ContactColumns, EachProgramsHeaderFindsItsPreset) {
    const std::pair<std::string, std::string> files[] = {
        {decoded(fixture("outlook_pl_cp1250.csv")), "outlook-pl"},
        {decoded(fixture("outlook_ru_cp1251.csv")), "outlook-ru"},
        {decoded(fixture("outlook_en_utf16le.csv")), "outlook-en"},
        {fixture("google_utf8.csv"), "google"},
        {sample("tine_google_contacts.csv"), "google"},
        {sample("thunderbird_export.csv"), "thunderbird"},
        {decoded(sample("tine_importtest_outlook2013_de.csv")), "outlook-de"},
    };
    for (const auto& [text, preset] : files) {
        const auto mapping = detectMapping(csvHeader(text));
        EXPECT_EQ(mapping.preset, preset) << text.substr(0, 60);
        EXPECT_FALSE(mapping.rules.empty());
    }
    EXPECT_EQ(detectMapping({"Colour", "Size"}).preset, "");
    std::set<std::string> names;
    for (const auto& id : presetIds())
        for (auto language : {Language::Ru, Language::Pl, Language::En}) names.insert(Locale(language).pick(presetName(id)));
    EXPECT_EQ(names.size(), 3u * 6u - 2u);  // "Thunderbird" is the same word in all three
    EXPECT_STREQ(Locale(Language::Pl).pick(presetName("outlook-pl")), "Outlook (polski)");
    EXPECT_STREQ(Locale(Language::Ru).pick(presetName("")), "своё сопоставление столбцов");
}

TEST(ContactColumns, GoogleNumberedColumnsPairLabelsWithValues) {
    const auto mapping = presetMapping("google", {"E-mail 3 - Type", "E-mail 3 - Value", "Address 2 - Postal Code", "Relation 1 - Value"});
    ASSERT_EQ(mapping.rules.size(), 4u);
    EXPECT_EQ(mapping.rules[0].target, (ColumnTarget{ContactField::EmailLabel, 3, ""}));
    EXPECT_EQ(mapping.rules[1].target, (ColumnTarget{ContactField::Email, 3, ""}));
    EXPECT_EQ(mapping.rules[2].target, (ColumnTarget{ContactField::Postcode, 2, ""}));
    EXPECT_EQ(mapping.rules[3].target.field, ContactField::Extra);
}

TEST(ContactColumns, AMappingSurvivesJsonAndAUsersEditIsRead) {
    const std::string text = "Imię,Nazwisko,Kolor\nAnna,Nowak,zielony\n";
    auto mapping = detectMapping(csvHeader(text));
    ASSERT_EQ(mapping.preset, "outlook-pl");
    const std::string json = toJson(mapping);
    EXPECT_EQ(mappingFromJson(json), mapping);
    EXPECT_NE(json.find("\"given_name\""), std::string::npos);


    // A user's own mapping as the wizard saves it: "Kolor" is a note, "Nazwisko" is not read.
    const auto edited = mappingFromJson(R"({"preset": "", "date_order": "day_first", "columns": [
        {"column": "imię", "field": "given_name"},
        {"column": "Nazwisko", "field": "ignore"},
        {"column": "KOLOR", "field": "note"}]})");
    CsvReadOptions options;
    options.mapping = edited;
    const auto file = readContactCsv(text, options);
    ASSERT_EQ(file.records.size(), 1u);
    EXPECT_EQ(file.records[0].givenName, "Anna");
    EXPECT_EQ(file.records[0].familyName, "");
    EXPECT_EQ(file.records[0].note, "zielony");
    EXPECT_TRUE(file.problems.empty());
}

TEST(ContactColumns, ABrokenMappingIsRefusedWithItsReason) {
    for (const char* json : {"not json", "[]", R"({"columns": [{"column": "A", "field": "shoe_size"}]})",
                             R"({"columns": [{"field": "note"}]})", R"({"date_order": "sideways", "columns": []})",
                             R"({"columns": [{"column": "A", "field": "email", "slot": -1}]})",
                             R"({"columns": [{"column": 5, "field": "email"}]})"}) {
        try {
            (void)mappingFromJson(json);
            ADD_FAILURE() << json;
        } catch (const ExchangeError& e) {
            EXPECT_EQ(e.problem.code, ProblemCode::UnknownFormat) << json;
            EXPECT_FALSE(e.problem.detail.empty()) << json;
        }
    }
}

TEST(ContactColumns, EveryFieldHasANameForJsonAndWordsForTheWizard) {
    for (int f = 0; f <= static_cast<int>(ContactField::MessengerLabel); ++f) {
        const auto field = static_cast<ContactField>(f);
        EXPECT_EQ(contactFieldOf(toString(field)), field);
        for (auto language : {Language::Ru, Language::Pl, Language::En})
            EXPECT_STRNE(Locale(language).pick(displayName(field)), "");
    }
    EXPECT_STREQ(Locale(Language::Pl).pick(displayName(ContactField::GivenName)), "imię");
    EXPECT_FALSE(contactFieldOf("shoe_size"));
}

TEST(ContactDates, AsOutlookWritesThemInEachLocale) {
    struct Case {
        const char* text;
        DateOrder order;
        DateRead read;
        ContactDate date;
    };
    const Case cases[] = {
        {"3/14/1980", DateOrder::MonthFirst, DateRead::Date, {1980, 3, 14}},
        {"14/3/1980", DateOrder::MonthFirst, DateRead::Date, {1980, 3, 14}},  // 14 cannot be a month
        {"4/3/1980", DateOrder::MonthFirst, DateRead::Date, {1980, 4, 3}},
        {"4/3/1980", DateOrder::DayFirst, DateRead::Date, {1980, 3, 4}},
        {"14.03.1980", DateOrder::MonthFirst, DateRead::Date, {1980, 3, 14}},  // dots are always day first
        {"1980-03-14", DateOrder::MonthFirst, DateRead::Date, {1980, 3, 14}},
        {"1980-03-14T00:00:00", DateOrder::DayFirst, DateRead::Date, {1980, 3, 14}},
        {"--03-14", DateOrder::DayFirst, DateRead::Date, {0, 3, 14}},
        {"29.02.2000", DateOrder::DayFirst, DateRead::Date, {2000, 2, 29}},
        {"3/14/80", DateOrder::MonthFirst, DateRead::Date, {1980, 3, 14}},
        {" 0/0/00 ", DateOrder::MonthFirst, DateRead::Empty, {}},
        {"0.0.00", DateOrder::DayFirst, DateRead::Empty, {}},
        {"", DateOrder::DayFirst, DateRead::Empty, {}},
        {"29.02.1900", DateOrder::DayFirst, DateRead::Bad, {}},
        {"31.04.1980", DateOrder::DayFirst, DateRead::Bad, {}},
        {"13/13/1980", DateOrder::MonthFirst, DateRead::Bad, {}},
        {"14.03", DateOrder::DayFirst, DateRead::Bad, {}},
        {"1980/03-14", DateOrder::DayFirst, DateRead::Bad, {}},
        {"yesterday", DateOrder::DayFirst, DateRead::Bad, {}},
        {"99999.1.1", DateOrder::DayFirst, DateRead::Bad, {}},
    };
    for (const auto& c : cases) {
        ContactDate date;
        EXPECT_EQ(parseContactDate(c.text, c.order, date), c.read) << c.text;
        if (c.read == DateRead::Date) {
            EXPECT_EQ(date, c.date) << c.text;
        }
    }
}

// --- contacts from our own fixtures ----------------------------------------------------------------

namespace {

void expectPolishContacts(const ContactFile& file) {
    ASSERT_EQ(file.records.size(), 3u);
    const auto& lukasz = file.records[0];
    EXPECT_EQ(lukasz.line, 2u);
    EXPECT_EQ(lukasz.givenName, "Łukasz");
    EXPECT_EQ(lukasz.additionalNames, "Michał");
    EXPECT_EQ(lukasz.familyName, "Żółkiewski");
    EXPECT_EQ(lukasz.organisation, "Stolarnia Świątek Sp. z o.o.");
    EXPECT_EQ(lukasz.department, "Dział sprzedaży");
    EXPECT_EQ(lukasz.jobTitle, "Kierownik działu");
    EXPECT_EQ(values(lukasz.emails), (std::vector<std::string>{"lukasz.zolkiewski@swiatek.pl", "lz@example.pl"}));
    EXPECT_EQ(labelOf(lukasz.phones, "+48 42 123 45 67"), "work");
    EXPECT_EQ(labelOf(lukasz.phones, "+48 601 234 567"), "cell");
    EXPECT_EQ(labelOf(lukasz.phones, "+48 42 123 45 68"), "work,fax");
    EXPECT_EQ(lukasz.birthday, (ContactDate{1980, 3, 14}));
    EXPECT_EQ(lukasz.gender, "M");
    EXPECT_EQ(lukasz.note, "Zamówił okna;\r\ndrzwi \"Premium\"");
    EXPECT_EQ(lukasz.categories, (std::vector<std::string>{"Klienci", "Łódź"}));
    ASSERT_EQ(lukasz.addresses.size(), 1u);
    EXPECT_EQ(lukasz.addresses[0], (ContactAddress{"work", "ul. Źródlana 5", "", "Łódź", "", "90-001", "Polska"}));
    EXPECT_EQ(extraOf(lukasz, "Ulubiony kolor"), "zielony");
    EXPECT_TRUE(lukasz.problems.empty());

    const auto& zofia = file.records[1];
    EXPECT_EQ(zofia.line, 4u);
    EXPECT_EQ(zofia.prefix, "Pani");
    EXPECT_EQ(zofia.familyName, "Gęślą-Jaźń");
    EXPECT_EQ(zofia.jobTitle, "Właścicielka");
    EXPECT_TRUE(zofia.birthday.empty());  // "0.0.00"
    EXPECT_EQ(zofia.gender, "F");

    const auto& jan = file.records[2];
    EXPECT_EQ(jan.familyName, "Bąk");
    EXPECT_TRUE(jan.birthday.empty());
    ASSERT_EQ(jan.problems.size(), 1u);
    EXPECT_EQ(jan.line, 5u);  // Łukasz's notes hold a line break
    EXPECT_EQ(jan.problems[0], (ExchangeProblem{ProblemCode::BadDate, 5, "Urodziny", "31.02.1980"}));
    EXPECT_EQ(extraOf(jan, "Urodziny"), "31.02.1980");

    ASSERT_EQ(file.problems.size(), 1u);  // one for the column, not one per row
    EXPECT_EQ(file.problems[0], (ExchangeProblem{ProblemCode::UnknownColumn, 1, "Ulubiony kolor", ""}));
}

}  // namespace

TEST(ContactCsv, OutlookPolishInWindows1250) {
    const auto file = readContactCsvBytes(fixture("outlook_pl_cp1250.csv"));
    EXPECT_EQ(file.encoding, "windows-1250");
    expectPolishContacts(file);
}

TEST(ContactCsv, OutlookPolishInEveryEncodingGivesTheSameContacts) {
    const auto reference = readContactCsvBytes(fixture("outlook_pl_cp1250.csv"));
    const std::pair<const char*, const char*> files[] = {
        {"outlook_pl_utf8_bom.csv", "UTF-8"}, {"outlook_pl_semicolon_utf8.csv", "UTF-8"},
        {"outlook_pl_utf16le.csv", "UTF-16LE"}};
    for (const auto& [name, encoding] : files) {
        const auto file = readContactCsvBytes(fixture(name));
        EXPECT_EQ(file.encoding, encoding) << name;
        expectPolishContacts(file);
        EXPECT_EQ(file.records, reference.records) << name;
    }
    // The text-level entry on text already decoded reads the same.
    EXPECT_EQ(readContactCsv(decoded(fixture("outlook_pl_utf16le.csv"))).records, reference.records);
}

TEST(ContactCsv, OutlookRussianInWindows1251) {
    const auto file = readContactCsvBytes(fixture("outlook_ru_cp1251.csv"));
    EXPECT_EQ(file.encoding, "windows-1251");
    ASSERT_EQ(file.records.size(), 2u);
    const auto& ivan = file.records[0];
    EXPECT_EQ(ivan.givenName, "Иван");
    EXPECT_EQ(ivan.additionalNames, "Петрович");
    EXPECT_EQ(ivan.familyName, "Сидоров");
    EXPECT_EQ(ivan.organisation, "ООО «Окна и двери»");
    EXPECT_EQ(ivan.department, "Отдел продаж");
    EXPECT_EQ(ivan.jobTitle, "Начальник отдела");
    EXPECT_EQ(values(ivan.emails), (std::vector<std::string>{"sidorov@okna.ru", "ivan@example.ru"}));
    EXPECT_EQ(labelOf(ivan.phones, "+7 495 123-45-67"), "work");
    EXPECT_EQ(labelOf(ivan.phones, "+7 916 123-45-67"), "cell");
    EXPECT_EQ(ivan.birthday, (ContactDate{1975, 2, 1}));
    EXPECT_EQ(ivan.gender, "M");
    ASSERT_EQ(ivan.addresses.size(), 1u);
    EXPECT_EQ(ivan.addresses[0].street, "ул. Ленина, д. 1");
    EXPECT_EQ(ivan.addresses[0].city, "Москва");
    const auto& elka = file.records[1];
    EXPECT_EQ(elka.givenName, "Ёлка");
    EXPECT_EQ(elka.familyName, "Щукина-Эйлер");
    EXPECT_EQ(labelOf(elka.phones, "+7 861 000-11-22"), "home");
    EXPECT_TRUE(elka.birthday.empty());
    EXPECT_EQ(elka.gender, "F");
    ASSERT_EQ(count(file.problems, ProblemCode::UnknownColumn), 1u);
    EXPECT_EQ(file.problems[0].field, "Любимый цвет");
    for (const char* name : {"outlook_ru_utf8.csv", "outlook_ru_utf16le.csv"}) {
        const auto same = readContactCsvBytes(fixture(name));
        EXPECT_EQ(same.records, file.records) << name;
        EXPECT_EQ(same.problems, file.problems) << name;
    }
}

TEST(ContactCsv, OutlookEnglishInUtf16) {
    const auto file = readContactCsvBytes(fixture("outlook_en_utf16le.csv"));
    EXPECT_EQ(file.encoding, "UTF-16LE");
    ASSERT_EQ(file.records.size(), 2u);
    const auto& john = file.records[0];
    EXPECT_EQ(john.prefix, "Mr.");
    EXPECT_EQ(john.givenName, "John");
    EXPECT_EQ(john.suffix, "Jr.");
    EXPECT_EQ(john.organisation, "Acme Windows Ltd");
    EXPECT_EQ(john.jobTitle, "Sales Manager");
    EXPECT_EQ(values(john.emails), (std::vector<std::string>{"john.smith@acme.example"}));
    EXPECT_EQ(labelOf(john.phones, "+44 7700 900123"), "cell");
    EXPECT_EQ(john.birthday, (ContactDate{1980, 3, 14}));
    EXPECT_EQ(john.gender, "M");
    EXPECT_EQ(john.note, "Met at the fair, \"Fensterbau\" 2024");
    EXPECT_EQ(values(john.urls), (std::vector<std::string>{"www.acme.example"}));
    EXPECT_EQ(extraOf(john, "E-mail Display Name"), "<none>");  // made of the name and the address
    const auto& malgorzata = file.records[1];
    EXPECT_EQ(malgorzata.givenName, "Małgorzata");
    EXPECT_EQ(malgorzata.familyName, "Wiśniewska");
    EXPECT_EQ(values(malgorzata.emails), (std::vector<std::string>{"m.wisniewska@example.pl", "mw@example.pl"}));
    EXPECT_TRUE(malgorzata.birthday.empty());
    EXPECT_TRUE(file.problems.empty());
    EXPECT_EQ(readContactCsvBytes(fixture("outlook_en_utf8.csv")).records, file.records);
}

TEST(ContactCsv, GoogleContactsWithSeveralValuesInOneColumn) {
    const auto file = readContactCsvBytes(fixture("google_utf8.csv"));
    EXPECT_EQ(file.encoding, "UTF-8");
    ASSERT_EQ(file.records.size(), 2u);
    const auto& aga = file.records[0];
    EXPECT_EQ(aga.givenName, "Agnieszka");
    EXPECT_EQ(aga.familyName, "Łęcka");
    EXPECT_EQ(aga.nickname, "Aga");
    EXPECT_EQ(aga.organisation, "Drzwi Łęccy");
    EXPECT_EQ(aga.jobTitle, "Prezes");
    EXPECT_EQ(aga.department, "Zarząd");
    EXPECT_EQ(aga.birthday, (ContactDate{1985, 7, 9}));
    EXPECT_EQ(aga.note, "Lubi \"dąb\"\nwieloliniowa notatka");
    EXPECT_EQ(values(aga.emails), (std::vector<std::string>{"agnieszka@leccy.pl", "biuro@leccy.pl", "aga@example.pl"}));
    EXPECT_EQ(labelOf(aga.emails, "biuro@leccy.pl"), "work,pref");
    EXPECT_EQ(labelOf(aga.emails, "aga@example.pl"), "home");
    EXPECT_EQ(labelOf(aga.phones, "+48 600 100 200"), "cell");
    EXPECT_EQ(aga.categories, (std::vector<std::string>{"Klienci", "starred", "myContacts"}));
    ASSERT_EQ(aga.addresses.size(), 1u);
    EXPECT_EQ(aga.addresses[0], (ContactAddress{"work", "ul. Długa 1", "", "Warszawa", "", "00-950", "Polska"}));
    ASSERT_EQ(aga.messengers.size(), 1u);
    EXPECT_EQ(aga.messengers[0], (LabelledValue{"aga.lecka", "skype"}));
    const auto& sergey = file.records[1];
    EXPECT_EQ(sergey.familyName, "Кузнецов");
    EXPECT_EQ(sergey.birthday, (ContactDate{0, 4, 12}));
    ASSERT_EQ(sergey.addresses.size(), 1u);
    EXPECT_EQ(sergey.addresses[0].street, "Казань, ул. Баумана 5");  // only the formatted text was given
    EXPECT_EQ(sergey.addresses[0].label, "home");
    EXPECT_EQ(count(file.problems, ProblemCode::UnknownColumn), 0u);
}

// --- real exports of other programs --------------------------------------------------------------

TEST(ContactCsvSamples, EveryCsvSampleGivesTheRecordsSourcesMdCounts) {
    const std::map<std::string, std::size_t> counts{
        {"tine_importtest_outlook2013_de.csv", 2}, {"roundcube_outlook.csv", 1}, {"tine_importtest_win1252.csv", 4},
        {"tine_google_contacts.csv", 5}, {"roundcube_gmail.csv", 1}, {"thunderbird_export.csv", 2},
        {"thunderbird_utf16_addressbook.csv", 1}};
    std::size_t seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(CONDUIT_SOURCE_DIR "/../shared/samples/contacts")) {
        if (entry.path().extension() != ".csv") continue;
        const std::string name = entry.path().filename().string();
        ASSERT_TRUE(counts.count(name)) << name << " is not in SOURCES.md's table";
        const auto file = readContactCsvBytes(readBytes(entry.path().string()));
        EXPECT_EQ(file.records.size(), counts.at(name)) << name;
        EXPECT_EQ(count(file.problems, ProblemCode::NotDecodable), 0u) << name;
        EXPECT_EQ(count(file.problems, ProblemCode::Truncated), 0u) << name;
        for (const auto& record : file.records) {
            EXPECT_TRUE(isValidUtf8(record.givenName + record.familyName + record.note)) << name;
            EXPECT_EQ(count(record.problems, ProblemCode::NoName), 0u) << name << " line " << record.line;
        }
        ++seen;
    }
    EXPECT_EQ(seen, counts.size());
}

TEST(ContactCsvSamples, ThunderbirdExportKeepsQuotesAndLineBreaksInsideFields) {
    const auto file = readContactCsv(sample("thunderbird_export.csv"));
    ASSERT_EQ(file.records.size(), 2u);  // SOURCES.md
    EXPECT_EQ(file.records[0].formattedName, "contact number one");
    EXPECT_EQ(values(file.records[0].emails), (std::vector<std::string>{"contact1@invalid"}));
    const auto& two = file.records[1];
    EXPECT_EQ(two.givenName, "contact");
    EXPECT_EQ(two.familyName, "two");
    EXPECT_EQ(two.jobTitle, "\"worker\"");
    EXPECT_EQ(extraOf(two, "Custom 1"), "custom, 1");
    EXPECT_EQ(extraOf(two, "Custom 3"), "custom\r3");
    EXPECT_EQ(extraOf(two, "Custom 4"), "custom\n4");
    EXPECT_EQ(two.note, "here's some unicode text\xE2\x80\xA6");
    EXPECT_EQ(two.line, 3u);
    EXPECT_TRUE(file.problems.empty());
}

TEST(ContactCsvSamples, ThunderbirdInUtf16) {
    const auto file = readContactCsvBytes(sample("thunderbird_utf16_addressbook.csv"));
    EXPECT_EQ(file.encoding, "UTF-16LE");
    ASSERT_EQ(file.records.size(), 1u);  // SOURCES.md
    EXPECT_EQ(file.records[0].formattedName, "John Doe");
    EXPECT_EQ(values(file.records[0].emails), (std::vector<std::string>{"johndoe@host.invalid"}));
    EXPECT_EQ(labelOf(file.records[0].emails, "johndoe@host.invalid"), "pref");
}

TEST(ContactCsvSamples, LegacyGoogleCsv) {
    const auto file = readContactCsv(sample("tine_google_contacts.csv"));
    ASSERT_EQ(file.records.size(), 5u);  // SOURCES.md
    EXPECT_EQ(file.records[0].formattedName, "Ando");
    EXPECT_EQ(labelOf(file.records[0].phones, "+49227913452"), "cell");
    EXPECT_EQ(extraOf(file.records[0], "Yomi Name"), "yomi");
    const auto& axel = file.records[3];
    EXPECT_EQ(axel.familyName, "gert");
    EXPECT_EQ(labelOf(axel.emails, "abc@here.de"), "other,pref");
    EXPECT_EQ(axel.categories, (std::vector<std::string>{"kunden"}));
    const auto& bus = file.records[4];
    ASSERT_EQ(bus.addresses.size(), 1u);
    EXPECT_EQ(bus.addresses[0].street, "Niedersachsen Ring 22");
    EXPECT_EQ(bus.addresses[0].city, "Winsen");
    EXPECT_EQ(bus.line, 6u);
}

TEST(ContactCsvSamples, FullGoogleCsv) {
    const auto file = readContactCsv(sample("roundcube_gmail.csv"));
    ASSERT_EQ(file.records.size(), 1u);  // SOURCES.md
    const auto& r = file.records[0];
    EXPECT_EQ(r.prefix, "Prefix");
    EXPECT_EQ(r.additionalNames, "Middle");
    EXPECT_EQ(r.note, "note\"note");
    EXPECT_EQ(r.birthday, (ContactDate{1975, 12, 12}));
    EXPECT_EQ(values(r.emails), (std::vector<std::string>{"home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"}));
    EXPECT_EQ(labelOf(r.emails, "home@aaa.pl"), "home,pref");
    EXPECT_EQ(labelOf(r.phones, "homefax"), "home,fax");
    EXPECT_EQ(r.phones.size(), 7u);
    EXPECT_EQ(r.organisation, "company");
    EXPECT_EQ(r.jobTitle, "jobtitle");
    ASSERT_EQ(r.addresses.size(), 2u);
    EXPECT_EQ(r.addresses[1], (ContactAddress{"work", "work_street", "", "work_city", "", "work_zip", "work_country"}));
    EXPECT_EQ(extraOf(r, "Address 1 - PO Box"), "home_pobox");
    EXPECT_EQ(extraOf(r, "Relation 1 - Value"), "spouse");
    EXPECT_EQ(r.categories, (std::vector<std::string>{"Test"}));
    EXPECT_EQ(labelOf(r.urls, "home.page.com"), "home page");
}

TEST(ContactCsvSamples, OutlookWithOnlyItsEmailColumns) {
    const auto file = readContactCsv(sample("roundcube_outlook.csv"));
    ASSERT_EQ(file.records.size(), 1u);  // SOURCES.md
    EXPECT_EQ(values(file.records[0].emails),
              (std::vector<std::string>{"test1@domain.tld", "test2@domain.tld", "test3@domain.tld"}));
    EXPECT_TRUE(file.records[0].problems.empty());
}

TEST(ContactCsvSamples, GermanOutlook2013) {
    const auto file = readContactCsvBytes(sample("tine_importtest_outlook2013_de.csv"));
    EXPECT_EQ(file.encoding, "windows-1252");
    ASSERT_EQ(file.records.size(), 2u);  // SOURCES.md
    const auto& christian = file.records[0];
    EXPECT_EQ(christian.givenName, "Christian");
    EXPECT_EQ(christian.familyName, "Baumann");
    EXPECT_EQ(christian.organisation, "unittest");
    EXPECT_EQ(christian.jobTitle, "Vertrieb");
    EXPECT_EQ(values(christian.emails), (std::vector<std::string>{"c.baumann@unittest.de"}));
    EXPECT_EQ(labelOf(christian.phones, "+49 (0) 40 6432131-550"), "work");
    ASSERT_EQ(christian.addresses.size(), 1u);
    EXPECT_EQ(christian.addresses[0].street, "Pickhuben 2");
    EXPECT_TRUE(christian.birthday.empty());  // "0.0.00"
    EXPECT_EQ(christian.gender, "");          // "Keine Angabe"
    EXPECT_EQ(extraOf(christian, "Geschlecht"), "<none>");
    const auto& cornelius = file.records[1];
    EXPECT_EQ(cornelius.familyName, "Weiß");
    EXPECT_EQ(cornelius.line, 4u);  // the first record's notes hold a line break
    EXPECT_EQ(labelOf(cornelius.phones, "0176 164321545"), "cell");
    // The file's rows have 89 fields under a header of 92: reported, and the rows read.
    EXPECT_EQ(count(christian.problems, ProblemCode::RaggedRow), 1u);
    EXPECT_EQ(count(file.problems, ProblemCode::UnknownColumn), 0u);
}

TEST(ContactCsvSamples, SemicolonsInWindows1252) {
    const auto file = readContactCsvBytes(sample("tine_importtest_win1252.csv"));
    ASSERT_EQ(file.records.size(), 4u);  // SOURCES.md
    EXPECT_EQ(file.records[2].givenName, "ÖzdemirÖ");
    EXPECT_EQ(file.records[2].familyName, "Üglü");
    EXPECT_EQ(values(file.records[3].emails), (std::vector<std::string>{"c.weiss@metaways.de"}));
}

// --- bad input -----------------------------------------------------------------------------------

TEST(ContactCsvBadInput, BrokenFileKeepsEveryRowItCanRead) {
    const auto file = readContactCsv(fixture("broken.csv"));
    ASSERT_EQ(file.records.size(), 4u);
    EXPECT_EQ(file.records[0].familyName, "Nowak");
    EXPECT_EQ(file.records[0].birthday, (ContactDate{1980, 3, 14}));
    ASSERT_EQ(count(file.records[1].problems, ProblemCode::RaggedRow), 1u);
    EXPECT_EQ(file.records[1].problems[0].line, 3u);
    ASSERT_FALSE(file.records[2].problems.empty());
    EXPECT_EQ(file.records[2].problems[0], (ExchangeProblem{ProblemCode::RaggedRow, 4, "", "5/4"}));
    EXPECT_EQ(extraOf(file.records[2], "#5"), "extra value");
    ASSERT_FALSE(file.records[3].problems.empty());
    EXPECT_EQ(file.records[3].problems[0], (ExchangeProblem{ProblemCode::BadDate, 5, "Birthday", "32/13/1999"}));
    EXPECT_EQ(values(file.records[3].emails), (std::vector<std::string>{"bad@example.pl"}));
    const auto* truncated = findProblem(file.problems, ProblemCode::Truncated);
    ASSERT_NE(truncated, nullptr);
    EXPECT_EQ(truncated->line, 6u);
}

TEST(ContactCsvBadInput, BytesThatAreNotUtf8AreReportedPerFieldAndReplaced) {
    const auto file = readContactCsv(fixture("outlook_pl_cp1250.csv"));  // windows-1250 read as UTF-8
    ASSERT_EQ(file.records.size(), 3u);
    EXPECT_GT(count(file.records[0].problems, ProblemCode::NotDecodable), 0u);
    EXPECT_NE(file.records[0].familyName.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_TRUE(isValidUtf8(file.records[0].familyName));
    ASSERT_FALSE(file.records[0].emails.empty());
    EXPECT_EQ(file.records[0].emails[0].value, "lukasz.zolkiewski@swiatek.pl");

    const auto junk = readContactCsv("First Name,Last Name\n\xFF\xFE\x80,\xC0\xAF\nAnna,Nowak\n");
    ASSERT_EQ(junk.records.size(), 2u);
    EXPECT_EQ(count(junk.records[0].problems, ProblemCode::NotDecodable), 2u);
    EXPECT_EQ(junk.records[1].familyName, "Nowak");
}

TEST(ContactCsvBadInput, EmptyFileHeaderOnlyAndUnknownHeader) {
    const auto empty = readContactCsv("");
    EXPECT_TRUE(empty.records.empty());
    ASSERT_EQ(empty.problems.size(), 1u);
    EXPECT_EQ(empty.problems[0].code, ProblemCode::UnknownFormat);

    const auto headerOnly = readContactCsv("First Name,Last Name,E-mail Address\r\n");
    EXPECT_TRUE(headerOnly.records.empty());
    EXPECT_TRUE(headerOnly.problems.empty());

    const auto unknown = readContactCsv("Colour,Size\nred,XL\n");
    ASSERT_EQ(unknown.records.size(), 1u);
    EXPECT_EQ(count(unknown.problems, ProblemCode::UnknownFormat), 1u);
    EXPECT_EQ(count(unknown.problems, ProblemCode::UnknownColumn), 2u);
    EXPECT_EQ(extraOf(unknown.records[0], "Size"), "XL");
    EXPECT_EQ(count(unknown.records[0].problems, ProblemCode::NoName), 1u);
}

TEST(ContactCsvBadInput, OnlyWhitespaceAndSeparatorsGiveNoRecords) {
    const auto file = readContactCsv("First Name,Last Name\n,\n , \n\n");
    EXPECT_TRUE(file.records.empty());
    EXPECT_TRUE(file.problems.empty());
}

TEST(ContactCsvBadInput, AWrongEncodingOverrideIsReportedOrReadsAsChosen) {
    const std::string bytes = fixture("outlook_pl_cp1250.csv");
    CsvReadOptions asUtf8;
    asUtf8.encoding = "UTF-8";
    const auto utf8 = readContactCsvBytes(bytes, asUtf8);
    EXPECT_EQ(utf8.encoding, "UTF-8");
    EXPECT_GT(count(utf8.problems, ProblemCode::NotDecodable), 0u);
    ASSERT_EQ(utf8.records.size(), 3u);  // every row still read
    EXPECT_NE(utf8.records[0].familyName.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_EQ(utf8.records[0].emails.at(0).value, "lukasz.zolkiewski@swiatek.pl");

    CsvReadOptions asRussian;
    asRussian.encoding = "windows-1251";
    const auto russian = readContactCsvBytes(bytes, asRussian);
    EXPECT_EQ(russian.encoding, "windows-1251");
    ASSERT_EQ(russian.records.size(), 3u);
    EXPECT_NE(russian.records[0].givenName, "Łukasz");  // what the user asked for, not what is right
    EXPECT_EQ(russian.records[0].emails.at(0).value, "lukasz.zolkiewski@swiatek.pl");  // ASCII headers still fit
    // "Imię", "Dział", "Płeć"... are no longer known: the wizard shows the user many unknown columns.
    EXPECT_GT(count(russian.problems, ProblemCode::UnknownColumn), 5u);

    CsvReadOptions unknown;
    unknown.encoding = "KOI8-X";
    const auto fallback = readContactCsvBytes(bytes, unknown);
    EXPECT_EQ(count(fallback.problems, ProblemCode::UnknownCharset), 1u);
    EXPECT_EQ(fallback.encoding, "windows-1250");
    ASSERT_EQ(fallback.records.size(), 3u);
    EXPECT_EQ(fallback.records[0].givenName, "Łukasz");
}

TEST(ContactCsvBadInput, JunkBytesAndEmptyBytes) {
    std::string junk = "First Name,Last Name\r\n";
    for (int i = 0; i < 512; ++i) junk += static_cast<char>((i * 131 + 7) % 256);
    const auto file = readContactCsvBytes(junk);
    for (const auto& record : file.records) {
        EXPECT_TRUE(isValidUtf8(record.givenName));
        EXPECT_TRUE(isValidUtf8(record.familyName));
        for (const auto& [name, value] : record.extra) EXPECT_TRUE(isValidUtf8(name + value));
    }
    EXPECT_FALSE(file.problems.empty() && file.records.empty());

    const auto empty = readContactCsvBytes("");
    EXPECT_TRUE(empty.records.empty());
    EXPECT_EQ(count(empty.problems, ProblemCode::UnknownFormat), 1u);
    const auto bomOnly = readContactCsvBytes("\xFF\xFE");
    EXPECT_TRUE(bomOnly.records.empty());
    EXPECT_EQ(bomOnly.encoding, "UTF-16LE");
}

