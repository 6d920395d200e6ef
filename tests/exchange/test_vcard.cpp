#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/vcard_reader.hpp>
#include <conduit/crm/exchange/vcard_writer.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

using namespace conduit::crm::exchange;
using namespace std::literals;

namespace conduit::crm::exchange {
void PrintTo(const LabelledValue& value, std::ostream* out) { *out << "{" << value.value << ", " << value.label << "}"; }
}  // namespace conduit::crm::exchange

namespace {

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << path;
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string fixture(const std::string& name) {
    return readBytes(std::string(CONDUIT_SOURCE_DIR "/tests/exchange/fixtures/vcard/") + name);
}

std::string sample(const std::string& name) {
    return readBytes(std::string(CONDUIT_SOURCE_DIR "/../shared/samples/contacts/") + name);
}

bool hasProblem(const ContactRecord& record, ProblemCode code, std::string_view field = {}) {
    return std::any_of(record.problems.begin(), record.problems.end(), [&](const ExchangeProblem& p) {
        return p.code == code && (field.empty() || p.field == field);
    });
}

std::string extraOf(const ContactRecord& record, std::string_view name) {
    for (const auto& [key, value] : record.extra)
        if (key == name) return value;
    return "<none>";
}

std::vector<std::string> valuesOf(const std::vector<LabelledValue>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) out.push_back(v.value);
    return out;
}

}  // namespace

// ---- own fixtures -------------------------------------------------------------------------------

TEST(VCardFixtures, OutlookCyrillicInWindows1251QuotedPrintable) {
    const auto file = readVCards(fixture("outlook2003_cp1251.vcf"));
    ASSERT_EQ(file.records.size(), 1u);
    EXPECT_TRUE(file.problems.empty());
    const auto& r = file.records[0];
    EXPECT_TRUE(r.problems.empty()) << describe(r.problems[0], conduit::crm::Locale(conduit::crm::Language::En));
    EXPECT_EQ(r.familyName, "Иванов");
    EXPECT_EQ(r.givenName, "Пётр");
    EXPECT_EQ(r.additionalNames, "Сергеевич");
    EXPECT_EQ(r.formattedName, "Иванов Пётр Сергеевич");
    EXPECT_EQ(r.organisation, "ООО «Окна Сибири»");
    EXPECT_EQ(r.department, "Отдел продаж");
    EXPECT_EQ(r.jobTitle, "Менеджер");
    EXPECT_EQ(r.note, "Звонить после 10:00\nСклад: ул. Ленина, 5");
    ASSERT_EQ(r.phones.size(), 3u);
    EXPECT_EQ(r.phones[0], (LabelledValue{"+7 383 200-10-20", "work"}));
    EXPECT_EQ(r.phones[1], (LabelledValue{"+7 913 555-44-33", "cell"}));
    EXPECT_EQ(r.phones[2], (LabelledValue{"+7 383 200-10-21", "work,fax"}));
    ASSERT_EQ(r.emails.size(), 1u);
    EXPECT_EQ(r.emails[0], (LabelledValue{"p.ivanov@okna-sibiri.example.ru", "pref"}));
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0].street, "ул. Ленина, 5");
    EXPECT_EQ(r.addresses[0].city, "Новосибирск");
    EXPECT_EQ(r.addresses[0].postcode, "630000");
    EXPECT_EQ(r.addresses[0].country, "Россия");
    EXPECT_EQ(r.addresses[0].label, "work");
    EXPECT_EQ(r.birthday, (ContactDate{1975, 3, 14}));
    EXPECT_EQ(r.anniversary, (ContactDate{2001, 6, 9}));
    EXPECT_EQ(extraOf(r, "LABEL"), "ул. Ленина, 5\nНовосибирск 630000");
    EXPECT_EQ(extraOf(r, "X-MS-OL-DEFAULT-POSTAL-ADDRESS"), "2");
    EXPECT_EQ(r.urls.at(0).value, "http://okna-sibiri.example.ru/");
}

TEST(VCardFixtures, OutlookPolishInWindows1250QuotedPrintableAndRawBytes) {
    const auto file = readVCards(fixture("outlook2007_cp1250.vcf"));
    ASSERT_EQ(file.records.size(), 1u);
    const auto& r = file.records[0];
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.familyName, "Brzęczyszczykiewicz");
    EXPECT_EQ(r.prefix, "inż.");
    EXPECT_EQ(r.formattedName, "Grzegorz Brzęczyszczykiewicz");
    EXPECT_EQ(r.organisation, "Meble Łódź Sp. z o.o.");
    EXPECT_EQ(r.department, "Dział sprzedaży, Eksport");
    EXPECT_EQ(r.jobTitle, "Kierownik działu");
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0].street, "ul. Piotrkowska 104/5");
    EXPECT_EQ(r.addresses[0].city, "Łódź");
    EXPECT_EQ(r.addresses[0].region, "łódzkie");
    EXPECT_EQ(r.addresses[0].label, "home");
    EXPECT_EQ(valuesOf(r.emails),
              (std::vector<std::string>{"g.brzeczyszczykiewicz@meble-lodz.example.pl", "grzegorz@example.pl"}));
    EXPECT_EQ(r.birthday, (ContactDate{1968, 11, 30}));
    EXPECT_EQ(r.note, "Zażółć gęślą jaźń");
    EXPECT_EQ(r.categories, (std::vector<std::string>{"Klienci", "Hurt"}));
}

TEST(VCardFixtures, AndroidFileWithManyCardsPhotoAndMailOnlyCard) {
    const auto file = readVCards(fixture("android_multi.vcf"));
    ASSERT_EQ(file.records.size(), 3u);
    const auto& anna = file.records[0];
    EXPECT_EQ(anna.line, 1u);
    EXPECT_EQ(anna.familyName, "Смирнова");
    EXPECT_EQ(anna.formattedName, "Анна Смирнова");
    EXPECT_EQ(anna.organisation, "Мебельная фабрика «Берёза»");
    EXPECT_EQ(valuesOf(anna.phones), (std::vector<std::string>{"+79161234567", "+74951112233"}));
    EXPECT_EQ(anna.emails.at(0), (LabelledValue{"anna.smirnova@example.ru", "home"}));
    EXPECT_EQ(anna.photoType, "image/jpeg");
    ASSERT_GT(anna.photo.size(), 250u);
    EXPECT_EQ(anna.photo.substr(0, 3), "\xFF\xD8\xFF"sv);
    EXPECT_EQ(anna.photo.substr(anna.photo.size() - 2), "\xFF\xD9"sv);
    EXPECT_NE(extraOf(anna, "X-ANDROID-CUSTOM").find("Аня"), std::string::npos);
    const auto& gosia = file.records[1];
    EXPECT_EQ(gosia.givenName, "Małgorzata");
    EXPECT_EQ(gosia.formattedName, "Małgorzata Wiśniewska");
    EXPECT_EQ(gosia.birthday, (ContactDate{1990, 7, 4}));
    const auto& mailOnly = file.records[2];
    EXPECT_EQ(mailOnly.emails.at(0).value, "only.mail@example.com");
    EXPECT_TRUE(mailOnly.formattedName.empty());
    EXPECT_FALSE(hasProblem(mailOnly, ProblemCode::NoName));
}

TEST(VCardFixtures, AppleCardWithGroupsLabelsEscapesAndYearlessBirthday) {
    const auto file = readVCards(fixture("apple_30.vcf"));
    ASSERT_EQ(file.records.size(), 1u);
    const auto& r = file.records[0];
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.formattedName, "Zofia Maria Kowalska");
    EXPECT_EQ(r.organisation, "Stolarnia Kowalscy, Spółka Jawna");
    EXPECT_EQ(r.department, "Projekty");
    EXPECT_EQ(r.emails.at(0), (LabelledValue{"zofia@stolarnia.example.pl", "other"}));
    ASSERT_EQ(r.phones.size(), 2u);
    EXPECT_EQ(r.phones[0], (LabelledValue{"+48 12 411 22 33", "pracownia"}));
    EXPECT_EQ(r.phones[1], (LabelledValue{"+48 600 700 800", "cell,pref"}));
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0].street, "ul. Floriańska 3\nII piętro");
    EXPECT_EQ(r.addresses[0].city, "Kraków");
    EXPECT_EQ(r.urls.at(0), (LabelledValue{"https://stolarnia.example.pl", "homepage"}));
    EXPECT_EQ(r.messengers.at(0), (LabelledValue{"zofia.kowalska", "skype"}));
    EXPECT_EQ(r.birthday, (ContactDate{0, 5, 17}));
    EXPECT_EQ(r.note, "Заказ: кухня из дуба, 3 м; доставка в мае");
    EXPECT_EQ(r.nickname, "Zosia");
    EXPECT_EQ(r.sourceId, "6C4F2A1E-1B2C-4D5E-9F00-112233445566");
    EXPECT_EQ(r.categories, (std::vector<std::string>{"Projektanci", "Kraków"}));
    EXPECT_EQ(extraOf(r, "item3.X-ABADR"), "pl");
    EXPECT_EQ(extraOf(r, "X-SOCIALPROFILE"), "http://www.linkedin.com/in/zofia");
    EXPECT_EQ(r.photoType, "image/jpeg");
    EXPECT_EQ(r.photo.substr(0, 3), "\xFF\xD8\xFF"sv);
    EXPECT_FALSE(r.isCompany);
}

TEST(VCardFixtures, Version4CompanyCard) {
    const auto file = readVCards(fixture("company_40.vcf"));
    ASSERT_EQ(file.records.size(), 1u);
    const auto& r = file.records[0];
    EXPECT_TRUE(r.problems.empty());
    EXPECT_TRUE(r.isCompany);
    EXPECT_EQ(r.formattedName, "ООО «Окна-Сервис»");
    EXPECT_EQ(r.organisation, "ООО «Окна-Сервис»");
    EXPECT_EQ(r.department, "Отдел дилеров");
    EXPECT_EQ(r.emails.at(0), (LabelledValue{"sales@okna-servis.example.ru", "work,pref"}));
    EXPECT_EQ(r.phones.at(0), (LabelledValue{"+7-495-123-45-67", "work"}));
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0].extended, "офис 12");
    EXPECT_EQ(r.addresses[0].street, "ул. Тверская, 1");
    EXPECT_EQ(r.addresses[0].city, "Москва");
    ASSERT_EQ(r.messengers.size(), 2u);
    EXPECT_EQ(r.messengers[0], (LabelledValue{"sales@okna-servis.example.ru", "jabber"}));
    EXPECT_EQ(r.messengers[1], (LabelledValue{"@okna_servis", "telegram"}));
    EXPECT_EQ(r.language, "ru");
    EXPECT_EQ(r.anniversary, (ContactDate{2005, 6, 1}));
    EXPECT_EQ(r.categories, (std::vector<std::string>{"Дилеры", "Опт, Москва"}));
    EXPECT_EQ(r.sourceId, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    EXPECT_EQ(r.photoType, "image/png");
    EXPECT_EQ(r.photo.substr(0, 4), "\x89PNG"sv);
    EXPECT_EQ(extraOf(r, "X-CRM-RATING"), "5");
}

TEST(VCardFixtures, Utf16LittleEndianFileWithBom) {
    const auto file = readVCards(fixture("utf16le_bom.vcf"));
    EXPECT_EQ(file.encoding, "UTF-16LE");
    ASSERT_EQ(file.records.size(), 2u);
    EXPECT_EQ(file.records[0].familyName, "Łukasiewicz");
    EXPECT_EQ(file.records[0].emails.at(0), (LabelledValue{"ignacy@nafta.example.pl", "work"}));
    EXPECT_EQ(file.records[1].formattedName, "Дмитрий Менделеев");
    EXPECT_EQ(file.records[1].additionalNames, "Иванович");
    EXPECT_EQ(file.records[1].birthday, (ContactDate{1834, 2, 8}));
    EXPECT_EQ(file.records[1].line, 8u);
}

TEST(VCardFixtures, BrokenFileReportsEachPlaceAndReadsTheRest) {
    const auto file = readVCards(fixture("broken.vcf"));
    ASSERT_EQ(file.records.size(), 4u);
    EXPECT_EQ(file.records[0].formattedName, "Jan Nowak");
    EXPECT_TRUE(file.records[0].problems.empty());

    const auto& adam = file.records[1];
    EXPECT_EQ(adam.familyName, "Kozłowski");
    EXPECT_EQ(adam.emails.at(0).value, "adam@example.pl");
    EXPECT_TRUE(hasProblem(adam, ProblemCode::MalformedLine));
    EXPECT_TRUE(hasProblem(adam, ProblemCode::BadQuotedPrintable, "NOTE"));
    EXPECT_TRUE(hasProblem(adam, ProblemCode::BadBase64, "PHOTO"));
    EXPECT_TRUE(hasProblem(adam, ProblemCode::BadDate, "BDAY"));
    EXPECT_TRUE(adam.photo.empty());
    EXPECT_TRUE(adam.birthday.empty());
    EXPECT_EQ(adam.note, "Bad =ZZ escape");
    for (const auto& problem : adam.problems) {
        if (problem.code == ProblemCode::MalformedLine) {
            EXPECT_EQ(problem.line, 11u);
        }
        if (problem.code == ProblemCode::BadQuotedPrintable) {
            EXPECT_EQ(problem.detail, "=ZZ");
        }
        if (problem.code == ProblemCode::BadDate) {
            EXPECT_EQ(problem.line, 14u);
        }
    }

    EXPECT_EQ(file.records[2].formattedName, "Ewa Cut Short");
    EXPECT_TRUE(hasProblem(file.records[2], ProblemCode::Truncated));
    EXPECT_EQ(file.records[3].formattedName, "Olga Last");
    EXPECT_EQ(file.records[3].phones.at(0).value, "+7 900 000-00-00");
    ASSERT_TRUE(hasProblem(file.records[3], ProblemCode::Truncated));
    EXPECT_EQ(file.records[3].problems.back().line, file.records[3].line);
}

// ---- the shared samples of other projects -------------------------------------------------------

struct SampleCount {
    const char* file;
    std::size_t cards;
};

class VCardSamples : public ::testing::TestWithParam<SampleCount> {};

TEST_P(VCardSamples, EveryCardIsReadWithAName) {
    const auto file = readVCards(sample(GetParam().file));
    ASSERT_EQ(file.records.size(), GetParam().cards) << GetParam().file;
    for (const auto& record : file.records) {
        EXPECT_FALSE(record.formattedName.empty() && record.emails.empty()) << GetParam().file << " card at " << record.line;
        EXPECT_FALSE(hasProblem(record, ProblemCode::Truncated)) << GetParam().file;
        EXPECT_FALSE(hasProblem(record, ProblemCode::MalformedLine)) << GetParam().file;
    }
}

INSTANTIATE_TEST_SUITE_P(
    SourcesMd, VCardSamples,
    ::testing::Values(SampleCount{"ezvcard_outlook-2007.vcf", 1}, SampleCount{"ezvcard_outlook-2003.vcf", 1},
                      SampleCount{"ezvcard_John_Doe_ANDROID.vcf", 6}, SampleCount{"ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf", 1},
                      SampleCount{"ezvcard_gmail-single2.vcf", 1},
                      SampleCount{"ezvcard_thunderbird-MoreFunctionsForAddressBook.vcf", 1},
                      SampleCount{"ezvcard_John_Doe_EVOLUTION.vcf", 1}, SampleCount{"ezvcard_fullcontact.vcf", 1},
                      SampleCount{"kcontacts_vcard10.vcf", 5}, SampleCount{"kcontacts_vcard9.vcf", 1},
                      SampleCount{"kcontacts_vcard3.vcf", 1}, SampleCount{"aosp_v21_complicated.vcf", 1},
                      SampleCount{"aosp_v21_multiple_entry.vcf", 3}, SampleCount{"aosp_v30_ios_613_multiline.vcf", 1},
                      SampleCount{"roundcube_thebat.vcf", 1}, SampleCount{"roundcube_johndoe.vcf", 1},
                      SampleCount{"roundcube_utf-16_sample.vcf", 1}, SampleCount{"eds_13.vcf", 1},
                      SampleCount{"tine_contacts.vcf", 2}, SampleCount{"thunderbird_export.vcf", 2}));

TEST(VCardSamplesDetail, Outlook2003SoftBreakBetweenTheEscapesOfOneLineEnd) {
    const auto file = readVCards(sample("ezvcard_outlook-2003.vcf"));
    const auto& r = file.records.at(0);
    EXPECT_EQ(r.note, "This is the note field!!\nSecond line\n\nThird line is empty\n");
    EXPECT_EQ(r.prefix, "Mr.");
    EXPECT_EQ(r.suffix, "III");
    EXPECT_EQ(r.organisation, "Company, The");
    EXPECT_EQ(r.department, "TheDepartment");
    EXPECT_EQ(r.jobTitle, "The Job Title");
    EXPECT_EQ(r.emails.at(0).value, "jdoe@hotmail.com");
    EXPECT_EQ(r.birthday, (ContactDate{1980, 3, 21}));
    EXPECT_EQ(r.phones.at(3), (LabelledValue{"BusinessFaxPhone", "work,fax"}));
    EXPECT_EQ(extraOf(r, "KEY").substr(0, 8), "MIIDITCC");
    EXPECT_EQ(extraOf(r, "ROLE"), "TheProfession");
}

TEST(VCardSamplesDetail, Outlook2007PhotoAndAnniversary) {
    const auto r = readVCards(sample("ezvcard_outlook-2007.vcf")).records.at(0);
    EXPECT_EQ(r.formattedName, "Mr. Michael Angstadt Jr.");
    EXPECT_EQ(r.familyName, "Angstadt");
    EXPECT_EQ(r.emails.at(0).value, "mike.angstadt@gmail.com");
    EXPECT_EQ(r.photoType, "image/jpeg");
    EXPECT_EQ(r.photo.substr(0, 2), "\xFF\xD8"sv);
    EXPECT_FALSE(r.anniversary.empty());
    EXPECT_NE(r.note.find('\t'), std::string::npos);
}

TEST(VCardSamplesDetail, AndroidQuotedPrintableUtf8AndMailOnlyCards) {
    const auto file = readVCards(sample("ezvcard_John_Doe_ANDROID.vcf"));
    ASSERT_EQ(file.records.size(), 6u);
    EXPECT_EQ(file.records[0].emails.at(0).value, "john.doe@company.com");
    EXPECT_EQ(file.records[1].emails.at(0).value, "jane.doe@company.com");
    EXPECT_EQ(file.records[2].formattedName, "Ñ Ñ Ñ Ñ Ñ");
    EXPECT_EQ(file.records[2].familyName, "Ñ Ñ Ñ Ñ");
    // The sample's photo is cut one base64 digit short, and one ORG ends in the stray byte =80.
    const auto& henry = file.records[5];
    EXPECT_TRUE(hasProblem(file.records[4], ProblemCode::BadBase64, "PHOTO"));
    EXPECT_TRUE(file.records[4].photo.empty());
    EXPECT_EQ(henry.emails.at(0).value, "henry@company.com");
    EXPECT_EQ(henry.formattedName, "ÑÑÑÑ");
    EXPECT_TRUE(hasProblem(henry, ProblemCode::NotDecodable, "ORG"));
}

TEST(VCardSamplesDetail, AppleAndGoogleAndIos) {
    const auto apple = readVCards(sample("ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf")).records.at(0);
    EXPECT_EQ(apple.additionalNames, "Richter,James");
    EXPECT_EQ(apple.emails.at(0), (LabelledValue{"john.doe@ibm.com", "work,pref"}));
    EXPECT_FALSE(apple.photo.empty());
    const auto google = readVCards(sample("ezvcard_gmail-single2.vcf")).records.at(0);
    EXPECT_EQ(google.formattedName, "VCard Test");
    EXPECT_EQ(google.emails.at(0).value, "email@example.com");
    const bool unescapedUrl = std::any_of(google.urls.begin(), google.urls.end(), [](const LabelledValue& url) {
        return url.value.rfind("http://", 0) == 0;
    });
    EXPECT_TRUE(unescapedUrl);
    const auto ios = readVCards(sample("aosp_v30_ios_613_multiline.vcf")).records.at(0);
    EXPECT_EQ(ios.formattedName, "Bob Smith");
    EXPECT_EQ(ios.emails.at(0).value, "bob@smithauto.com");
    EXPECT_EQ(ios.photoType, "image/jpeg");
    EXPECT_GT(ios.photo.size(), 4000u);
}

TEST(VCardSamplesDetail, Utf16WithoutBomTheBatAndKde) {
    const auto utf16 = readVCards(sample("roundcube_utf-16_sample.vcf"));
    EXPECT_EQ(utf16.encoding, "UTF-16BE");
    EXPECT_EQ(utf16.records.at(0).formattedName, "Ǽgean ĽdaMonté");
    EXPECT_EQ(utf16.records.at(0).addresses.at(0).country, "Perú");
    const auto bat = readVCards(sample("roundcube_thebat.vcf")).records.at(0);
    EXPECT_EQ(bat.formattedName, "Piotr Iksiński");
    EXPECT_EQ(bat.familyName, "Iksiński");
    EXPECT_EQ(bat.gender, "M");
    const auto kde = readVCards(sample("kcontacts_vcard9.vcf")).records.at(0);
    EXPECT_EQ(kde.note, "Длинный комментарий на русском языке, чтобы в результате получилась строка более 70 символов.");
    const auto netscape = readVCards(sample("kcontacts_vcard3.vcf")).records.at(0);
    EXPECT_EQ(netscape.emails.at(0).value, "geiseri@yahoo.com");
    EXPECT_EQ(netscape.formattedName, "ian geiser");
    const auto johndoe = readVCards(sample("roundcube_johndoe.vcf")).records.at(0);
    EXPECT_EQ(johndoe.familyName, "Doë");
}

TEST(VCardSamplesDetail, EvilFoldsAndShiftJis) {
    const auto evil = readVCards(sample("eds_13.vcf")).records.at(0);
    EXPECT_EQ(evil.formattedName, "Ralf Engels");
    EXPECT_EQ(evil.phones.at(0), (LabelledValue{"+1-919-676-9515", "msg,work"}));
    EXPECT_EQ(evil.emails.at(1).value, "semicolon;@points.net");
    ASSERT_EQ(evil.addresses.size(), 2u);
    EXPECT_EQ(evil.addresses[0].street, "Evil semicolon city;");
    EXPECT_EQ(evil.addresses[1].street, "Evil backslash \\ way");
    const auto japanese = readVCards(sample("aosp_v21_multiple_entry.vcf"));
    EXPECT_NE(japanese.records.at(0).familyName.find("\xE3"), std::string::npos);  // kana, not bytes of Shift_JIS
    const auto tine = readVCards(sample("tine_contacts.vcf"));
    EXPECT_EQ(tine.records.at(0).formattedName, "alex spass");
    EXPECT_EQ(tine.records.at(0).emails.at(0).value, "alex@spass.net");
    const auto thunderbird = readVCards(sample("thunderbird_export.vcf"));
    EXPECT_EQ(thunderbird.records.at(0).emails.at(0), (LabelledValue{"contact1@invalid", "pref"}));
    EXPECT_EQ(thunderbird.records.at(1).emails.at(0).value, "contact2@invalid");
}

// ---- syntax in small ----------------------------------------------------------------------------

TEST(VCardSyntax, QuotedParametersBareTypesAndEscapes) {
    const auto file = readVCards(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\\, Maria\\; Kowalska\\:\\\\x\r\n"
        "EMAIL;X-NOTE=\"a;b:c,d\";TYPE=\"work,pref\":anna@example.pl\r\n"
        "TEL;WORK;VOICE;PREF:+48 1\r\nNOTE:line\\none\\Ntwo\r\nEND:VCARD\r\n"s);
    const auto& r = file.records.at(0);
    EXPECT_EQ(r.formattedName, "Anna, Maria; Kowalska:\\x");
    EXPECT_EQ(r.emails.at(0), (LabelledValue{"anna@example.pl", "work,pref"}));
    EXPECT_EQ(r.phones.at(0), (LabelledValue{"+48 1", "work,pref"}));
    EXPECT_EQ(r.note, "line\none\ntwo");
}

TEST(VCardSyntax, FoldsWithSpaceOrTabInCrlfLfAndCrFiles) {
    const std::string lf = "BEGIN:VCARD\nFN:Jan\n  Kowal\n\tski\nEMAIL;TYPE=\n WORK:jan@example.pl\nEND:VCARD\n";
    std::string crlf, cr;
    for (const char c : lf) {
        crlf += c == '\n' ? "\r\n" : std::string(1, c);
        cr += c == '\n' ? '\r' : c;
    }
    for (const auto& text : {lf, crlf, cr, lf.substr(0, 19) + crlf.substr(21)}) {
        const auto file = readVCards(text);
        ASSERT_EQ(file.records.size(), 1u);
        EXPECT_EQ(file.records[0].formattedName, "Jan Kowalski");
        EXPECT_EQ(file.records[0].emails.at(0), (LabelledValue{"jan@example.pl", "work"}));
    }
}

TEST(VCardSyntax, CompaniesGendersRolesAndMessengers) {
    const auto file = readVCards(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Okna Plus\r\nORG:Okna Plus\r\nX-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ewa\r\nX-GENDER:Female\r\nROLE:Zaopatrzenie\r\n"
        "IMPP;X-SERVICE-TYPE=Skype:skype:ewa.k\r\nX-JABBER:ewa@jabber.example.pl\r\n"
        "X-SKYPE:ewa2\r\nIMPP:tg:ewa_tg\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Piotr\r\nGENDER:M;him\r\nKIND:individual\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nNOTE:nobody\r\nEND:VCARD\r\n"s);
    ASSERT_EQ(file.records.size(), 4u);
    EXPECT_TRUE(file.records[0].isCompany);
    const auto& ewa = file.records[1];
    EXPECT_FALSE(ewa.isCompany);
    EXPECT_EQ(ewa.gender, "F");
    EXPECT_EQ(ewa.jobTitle, "Zaopatrzenie");
    EXPECT_EQ(ewa.messengers, (std::vector<LabelledValue>{{"ewa.k", "skype"}, {"ewa@jabber.example.pl", "jabber"},
                                                          {"ewa2", "skype"}, {"ewa_tg", "telegram"}}));
    EXPECT_EQ(file.records[2].gender, "");
    EXPECT_EQ(extraOf(file.records[2], "GENDER"), "M;him");
    EXPECT_TRUE(hasProblem(file.records[3], ProblemCode::NoName));
}

TEST(VCardSyntax, UnindentedBase64OfVersion21EndsAtTheBlankLine) {
    const std::string jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U";
    const auto file = readVCards("BEGIN:VCARD\r\nVERSION:2.1\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:" + jpeg.substr(0, 30) +
                                 "\r\n" + jpeg.substr(30) + "\r\n\r\nFN:After Photo\r\nEND:VCARD\r\n");
    const auto& r = file.records.at(0);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.formattedName, "After Photo");
    EXPECT_EQ(r.photoType, "image/jpeg");
    EXPECT_EQ(r.photo.size(), jpeg.size() / 4 * 3);
}

TEST(VCardSyntax, AnUnknownCharsetOfOnePropertyIsReportedAndTheValueKept) {
    const auto file = readVCards("BEGIN:VCARD\r\nFN;CHARSET=KOI8-X:Jan\r\nEMAIL:jan@example.pl\r\nEND:VCARD\r\n"s);
    const auto& r = file.records.at(0);
    EXPECT_EQ(r.formattedName, "Jan");
    ASSERT_TRUE(hasProblem(r, ProblemCode::UnknownCharset, "FN"));
    EXPECT_EQ(r.problems[0].line, 2u);
    EXPECT_EQ(r.problems[0].detail, "KOI8-X");
}

// ---- bad input ----------------------------------------------------------------------------------

TEST(VCardBadInput, AWrongOverrideIsReportedAndTheCardsStillRead) {
    VCardReadOptions options;
    options.encoding = "UTF-8";
    const auto forced = readVCards("BEGIN:VCARD\r\nFN:Iksi\xF1ski\r\nEND:VCARD\r\n"s, options);
    ASSERT_EQ(forced.records.size(), 1u);
    EXPECT_TRUE(hasProblem(forced.records[0], ProblemCode::NotDecodable, "FN"));
    options.encoding = "no-such-encoding";
    const auto unknown = readVCards(fixture("outlook2007_cp1250.vcf"), options);
    ASSERT_FALSE(unknown.problems.empty());
    EXPECT_EQ(unknown.problems[0].code, ProblemCode::UnknownCharset);
    EXPECT_EQ(unknown.records.at(0).familyName, "Brzęczyszczykiewicz");
    options.encoding = "windows-1250";
    const auto overridden = readVCards("BEGIN:VCARD\r\nFN:\xA3\xF3" "d\x9F\r\nN;CHARSET=windows-1251:\xC8\xE2\xE0\xED\r\nEND:VCARD\r\n"s, options);
    EXPECT_EQ(overridden.records.at(0).formattedName, "Łódź");
    EXPECT_EQ(overridden.records.at(0).familyName, "Иван");
    EXPECT_EQ(overridden.encoding, "windows-1250");
}

TEST(VCardBadInput, TruncatedFileKeepsWhatItHas) {
    const auto whole = fixture("apple_30.vcf");
    for (const std::size_t cut : {whole.size() / 4, whole.size() / 2, whole.size() - 12}) {
        const auto file = readVCards(std::string_view(whole).substr(0, cut));
        ASSERT_EQ(file.records.size(), 1u) << cut;
        EXPECT_TRUE(hasProblem(file.records[0], ProblemCode::Truncated)) << cut;
        EXPECT_EQ(file.records[0].familyName, "Kowalska") << cut;
    }
}

TEST(VCardBadInput, JunkBytesAndEmptyInputGiveNoCards) {
    std::string junk;
    for (int i = 0; i < 20000; ++i) junk += static_cast<char>((i * 131 + 7) % 256);
    EXPECT_TRUE(readVCards(junk).records.empty());
    EXPECT_TRUE(readVCards("").records.empty());
    EXPECT_TRUE(readVCards("BEGIN:VCARD").records.size() == 1u);
    const auto withJunk = readVCards("BEGIN:VCARD\r\n" + junk + "\r\nFN:After Junk\r\nEND:VCARD\r\n");
    ASSERT_EQ(withJunk.records.size(), 1u);
    EXPECT_EQ(withJunk.records[0].formattedName, "After Junk");
}

TEST(VCardBadInput, LimitsKeepAHostileFileSmall) {
    VCardReadOptions options;
    options.maxPhotoBytes = 1000;
    options.maxLineBytes = 64 * 1024;
    options.maxCards = 3;
    const std::string photo(4000, 'A');
    const auto big = readVCards("BEGIN:VCARD\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + photo + "\r\nEND:VCARD\r\n", options);
    ASSERT_EQ(big.records.size(), 1u);
    EXPECT_TRUE(hasProblem(big.records[0], ProblemCode::TooLarge, "PHOTO"));
    EXPECT_TRUE(big.records[0].photo.empty());
    EXPECT_EQ(big.records[0].formattedName, "Big Photo");

    std::string longLine = "BEGIN:VCARD\r\nNOTE:";
    for (int i = 0; i < 2000; ++i) longLine += std::string(70, 'x') + "\r\n ";
    longLine += "end\r\nFN:Still Read\r\nEND:VCARD\r\n";
    const auto tooLong = readVCards(longLine, options);
    ASSERT_EQ(tooLong.records.size(), 1u);
    EXPECT_TRUE(hasProblem(tooLong.records[0], ProblemCode::TooLarge));
    EXPECT_TRUE(tooLong.records[0].note.empty());
    EXPECT_EQ(tooLong.records[0].formattedName, "Still Read");

    std::string many;
    for (int i = 0; i < 10; ++i) many += "BEGIN:VCARD\r\nFN:Card " + std::to_string(i) + "\r\nEND:VCARD\r\n";
    const auto cards = readVCards(many, options);
    EXPECT_EQ(cards.records.size(), 3u);
    ASSERT_FALSE(cards.problems.empty());
    EXPECT_EQ(cards.problems[0].code, ProblemCode::TooLarge);

    VCardReadOptions defaults;
    std::string hugePhoto = "BEGIN:VCARD\r\nFN:Huge\r\nPHOTO;ENCODING=b;TYPE=JPEG:";
    hugePhoto += std::string(800 * 1024, 'Q');
    hugePhoto += "\r\nEND:VCARD\r\n";
    const auto huge = readVCards(hugePhoto, defaults);
    EXPECT_TRUE(hasProblem(huge.records.at(0), ProblemCode::TooLarge, "PHOTO"));
    EXPECT_TRUE(huge.records.at(0).photo.empty());
}

TEST(VCardBadInput, ManyFoldsOrManyEmptyPropertiesCostTheirLimitNotMore) {
    std::string folds = "BEGIN:VCARD\r\nX-FOLDED";
    for (int i = 0; i < 200000; ++i) folds += "\r\n a";
    folds += "\r\nFN:After Folds\r\nEND:VCARD\r\n";
    const auto folded = readVCards(folds);
    ASSERT_EQ(folded.records.size(), 1u);
    EXPECT_EQ(folded.records[0].formattedName, "After Folds");
    EXPECT_TRUE(hasProblem(folded.records[0], ProblemCode::MalformedLine));

    std::string empty = "BEGIN:VCARD\r\nFN:Many Empty\r\n";
    for (int i = 0; i < 60000; ++i) empty += "X-A:\r\n";
    empty += "END:VCARD\r\n";
    const auto many = readVCards(empty);
    ASSERT_EQ(many.records.size(), 1u);
    EXPECT_TRUE(hasProblem(many.records[0], ProblemCode::TooLarge));
    EXPECT_LT(many.records[0].extra.size(), 40000u);
    EXPECT_EQ(many.records[0].formattedName, "Many Empty");
}

// ---- writing and reading back -------------------------------------------------------------------

namespace {

std::vector<ContactRecord> polishAndCyrillicRecords() {
    ContactRecord person;
    person.formattedName = "Grzegorz Brzęczyszczykiewicz";
    person.prefix = "inż.";
    person.givenName = "Grzegorz";
    person.familyName = "Brzęczyszczykiewicz";
    person.organisation = "Meble Łódź; Sp. z o.o.";
    person.department = "Dział sprzedaży, eksport";
    person.jobTitle = "Kierownik";
    person.emails = {{"g.b@meble-lodz.example.pl", "work,pref"}, {"grzegorz@example.pl", "prywatny"}};
    person.phones = {{"+48 42 630 11 22", "work"}, {"+48 601 222 333", "cell"}, {"+48 42 630 11 23", "work,fax"}};
    person.addresses = {{"work", "ul. Piotrkowska 104/5", "II piętro", "Łódź", "łódzkie", "90-926", "Polska"}};
    person.urls = {{"https://meble-lodz.example.pl/o-nas?a=1,2", ""}};
    person.messengers = {{"grzegorz.b", "skype"}, {"@grzegorz", "telegram"}, {"g@jabber.example.pl", "jabber"}};
    person.birthday = {1968, 11, 30};
    person.anniversary = {0, 6, 9};
    person.gender = "M";
    person.language = "pl";
    person.note = "Zażółć gęślą jaźń\nDruga linia: a\\b; c, d";
    person.categories = {"Klienci", "Hurt, detal"};
    person.sourceId = "urn:uuid:0b8e1d5a-1111-2222-3333-444455556666";
    person.photo = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(3000, '\x7F') + "\xFF\xD9";
    person.photoType = "image/jpeg";
    person.extra = {{"X-CRM-CODE", "PL-001"}, {"item7.X-ABDATE", "2020-01-01"}};

    ContactRecord company;
    company.isCompany = true;
    company.formattedName = "ООО «Окна-Сервис» — длинное название для проверки переноса строк по 75 октетов";
    company.organisation = company.formattedName;
    company.emails = {{"sales@okna.example.ru", "work"}};
    company.phones = {{"+7 495 123-45-67", ""}};
    company.addresses = {{"", "", "ул. Тверская, 1", "Москва", "", "125009", "Россия"}};
    company.note = std::string(300, 'z') + " Съешь же ещё этих мягких французских булок, да выпей чаю ";
    company.categories = {"Дилеры"};
    return {person, company};
}

std::vector<ContactRecord> readBack(const std::string& text) {
    auto file = readVCards(text);
    for (auto& record : file.records) {
        for (const auto& problem : record.problems) ADD_FAILURE() << toString(problem.code) << " " << problem.detail;
        record.line = 0;
    }
    return file.records;
}

void expectFoldedLines(const std::string& text) {
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        EXPECT_LE(end - start, 75u);
        if (end < text.size() - 2) {
            const auto next = static_cast<unsigned char>(text[end + 2]);
            EXPECT_FALSE(next == ' ' && (static_cast<unsigned char>(text[end + 3]) & 0xC0) == 0x80)
                << "a fold splits a UTF-8 character";
        }
        start = end + 2;
    }
    EXPECT_EQ(text.find('\n', 0) - 1, text.find("\r\n"));
}

}  // namespace

TEST(VCardWriter, Version30RoundTripKeepsPolishAndCyrillic) {
    const auto records = polishAndCyrillicRecords();
    const auto text = writeVCards(records, {VCardVersion::V3_0, ""});
    EXPECT_NE(text.find("VERSION:3.0\r\n"), std::string::npos);
    EXPECT_NE(text.find("FN;CHARSET=UTF-8:Grzegorz"), std::string::npos);
    EXPECT_NE(text.find("EMAIL;TYPE=WORK,PREF:"), std::string::npos);
    EXPECT_NE(text.find(".X-ABLabel;CHARSET=UTF-8:prywatny\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nEMAIL;TYPE=WORK,PREF:g.b@meble-lodz.example.pl\r\n"), std::string::npos);
    EXPECT_NE(text.find("ORG;CHARSET=UTF-8:Meble Łódź\\; Sp. z o.o.;Dział sprzedaży\\, eksport"), std::string::npos);
    EXPECT_NE(text.find("PHOTO;ENCODING=b;TYPE=JPEG:/9j/"), std::string::npos);
    expectFoldedLines(text);
    EXPECT_EQ(readBack(text), records);
}

TEST(VCardWriter, Version40RoundTripKeepsPolishAndCyrillic) {
    const auto records = polishAndCyrillicRecords();
    const auto text = writeVCards(records, {VCardVersion::V4_0, ""});
    EXPECT_NE(text.find("VERSION:4.0\r\n"), std::string::npos);
    EXPECT_NE(text.find("KIND:org\r\n"), std::string::npos);
    EXPECT_NE(text.find("PHOTO:data:image/jpeg;base64,/9j/"), std::string::npos);
    EXPECT_EQ(text.find("CHARSET"), std::string::npos);
    expectFoldedLines(text);
    EXPECT_EQ(readBack(text), records);
}

TEST(VCardWriter, CodePageForOldOutlookFallsBackToUtf8WhereItLacksLetters) {
    const auto records = polishAndCyrillicRecords();
    const auto text = writeVCards(records, {VCardVersion::V3_0, "cp1251"});
    EXPECT_NE(text.find("NOTE;CHARSET=windows-1251:"), std::string::npos);
    EXPECT_NE(text.find("FN;CHARSET=UTF-8:Grzegorz Brz"), std::string::npos);  // ę is not in windows-1251
    EXPECT_NE(text.find(fromUtf8("Дилеры", "windows-1251").bytes), std::string::npos);
    EXPECT_EQ(text.find('?'), text.find("?a=1\\,2"));
    EXPECT_EQ(readBack(text), records);
    EXPECT_THROW(writeVCards(records, {VCardVersion::V3_0, "cp-nonsense"}), ExchangeError);
}

TEST(VCardWriter, FoldsNeverSplitACharacter) {
    ContactRecord record;
    record.formattedName = std::string(10, 'a') + "ąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąąą";
    for (int shift = 0; shift < 4; ++shift) {
        record.formattedName.insert(0, "b");
        const auto text = writeVCards({record}, {VCardVersion::V4_0, ""});
        expectFoldedLines(text);
        EXPECT_TRUE(conduit::crm::isValidUtf8(text));
        EXPECT_EQ(readVCards(text).records.at(0).formattedName, record.formattedName);
    }
}

TEST(VCardWriter, WhatWasReadIsWrittenAndReadAgainTheSame) {
    for (const auto* name : {"regression_long_name_after_photo", "regression_escaped_data_uri", "android_multi",
                             "outlook2003_cp1251", "company_40", "broken"}) {
        const auto first = readVCards(readBytes(std::string(CONDUIT_SOURCE_DIR "/tests/fuzz/corpus/fuzz_vcard/") + name));
        for (const auto version : {VCardVersion::V3_0, VCardVersion::V4_0}) {
            auto again = readVCards(writeVCards(first.records, {version, ""}));
            ASSERT_EQ(again.records.size(), first.records.size()) << name;
            for (std::size_t i = 0; i < first.records.size(); ++i) {
                auto expected = first.records[i];
                auto actual = again.records[i];
                expected.line = actual.line = 0;
                expected.problems.clear();
                actual.problems.clear();
                EXPECT_EQ(actual, expected) << name << " card " << i << " version " << static_cast<int>(version);
            }
        }
    }
}
