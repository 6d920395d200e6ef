// The LDIF reader on real exports of other projects and on broken files, and the attribute map
// that turns an entry into a contact (presets, JSON a user edits).
#include "test_support.hpp"

#include <conduit/crm/exchange/attribute_map.hpp>
#include <conduit/crm/exchange/ldif_reader.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

using namespace conduit::crm;
using namespace conduit::crm::exchange;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) ADD_FAILURE() << "cannot open " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ContactFile sample(const std::string& name) {
    return readLdif(readFile(CONDUIT_SOURCE_DIR "/../shared/samples/contacts/" + name));
}

const ContactRecord* byDn(const ContactFile& file, const std::string& dn) {
    for (const auto& r : file.records)
        if (r.sourceId == dn) return &r;
    ADD_FAILURE() << "no entry " << dn;
    return nullptr;
}

std::string extraOf(const ContactRecord& r, const std::string& name) {
    for (const auto& [key, value] : r.extra)
        if (key == name) return value;
    return "";
}

bool hasExtra(const ContactFile& file, const std::string& lowerName) {
    for (const auto& r : file.records)
        for (const auto& [key, value] : r.extra) {
            std::string k = key;
            for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (k == lowerName) return true;
        }
    return false;
}

std::size_t problemsIn(const ContactFile& file) {
    std::size_t n = file.problems.size();
    for (const auto& r : file.records) n += r.problems.size();
    return n;
}

void expectAllText(const ContactFile& file) {
    for (const auto& r : file.records) {
        for (const auto* s : {&r.sourceId, &r.formattedName, &r.givenName, &r.familyName, &r.note, &r.organisation})
            EXPECT_TRUE(isValidUtf8(*s)) << r.sourceId;
        for (const auto& [key, value] : r.extra) EXPECT_TRUE(isValidUtf8(value)) << key;
    }
}

// Counts from SOURCES.md: dn lines, of which inetOrgPerson entries. The other entries are
// domains, organisational units, countries, groups, devices and password policies: not contacts.
TEST(LdifSamples, PhpLdapAdminDumpGivesItsTwentyPeopleWithCyrillicNames) {
    const auto file = sample("phpldapadmin_ldif-example.com.ldif");
    EXPECT_EQ(file.records.size(), 20u);  // 25 dn, 20 inetOrgPerson
    EXPECT_EQ(problemsIn(file), 0u);
    expectAllText(file);
    const auto* people = byDn(file, "cn=Человеки,ou=Non English Chars,dc=example.com");
    ASSERT_TRUE(people);
    EXPECT_EQ(people->formattedName, "Человеки");
    EXPECT_EQ(people->familyName, "Человеки");
    const auto* ded = byDn(file, "cn=Дед Логопед,cn=Человеки,ou=Non English Chars,dc=example.com");
    ASSERT_TRUE(ded);
    EXPECT_EQ(ded->givenName, "Дед");
    EXPECT_EQ(ded->familyName, "Логопед");
    EXPECT_EQ(ded->photoType, "image/jpeg");
    EXPECT_TRUE(ded->photo.ends_with("\xFF\xD9"));
    const auto* multi = byDn(file, "uid=multi+uid=value,ou=Bad DNs,dc=example.com");
    ASSERT_TRUE(multi);
    EXPECT_EQ(extraOf(*multi, "uid"), "multi");
    EXPECT_EQ(multi->extra.size(), 2u);  // both uids kept
    EXPECT_TRUE(byDn(file, "uid=quote\\22double,ou=Bad DNs,dc=example.com"));
}

TEST(LdifSamples, OpenLdapDirsyncGivesItsElevenPeopleWithCommentsInside) {
    const auto file = sample("openldap_test-dirsync-nocp.ldif");
    EXPECT_EQ(file.records.size(), 11u);  // 20 dn, 11 inetOrgPerson
    EXPECT_EQ(problemsIn(file), 0u);
    const auto* barbara = byDn(file, "cn=Barbara Jensen,ou=Information Technology Division,ou=People,dc=example,dc=com");
    ASSERT_TRUE(barbara);
    EXPECT_EQ(barbara->familyName, " Jensen ");  // base64 kept its spaces
    EXPECT_EQ(barbara->emails.at(0).value, "bjensen@mailgw.example.com");
    EXPECT_EQ(barbara->jobTitle, "Mythical Manager, Research Systems");
    ASSERT_EQ(barbara->addresses.size(), 2u);
    EXPECT_EQ(barbara->addresses[0].street, "ITD Prod Dev & Deployment\n535 W. William St. Room 4212\nAnytown, MI 48103-4943");
    EXPECT_EQ(barbara->addresses[1].label, "home");
    EXPECT_EQ(barbara->phones.size(), 4u);
    EXPECT_FALSE(hasExtra(file, "userpassword")) << "a password hash must not reach the catalogue";
}

TEST(LdifSamples, SlapcatDumpGivesThreeHundredUsersAndTheOrganisation) {
    const auto file = sample("openldap_its8800_db.ldif");
    ASSERT_EQ(file.records.size(), 301u);  // 305 dn: 300 inetOrgPerson and dc=example,dc=com, an organization
    EXPECT_EQ(problemsIn(file), 0u);
    EXPECT_TRUE(file.records[0].isCompany);
    EXPECT_EQ(file.records[0].formattedName, "example");
    EXPECT_EQ(file.records[0].addresses.at(0).street, "Example Organization, LLC\n1234 Anywhere Street\nExample, CA 99999")
        << "the folded postalAddress";
    for (std::size_t i = 1; i < file.records.size(); ++i) {
        const auto& r = file.records[i];
        const auto n = std::to_string(i);
        EXPECT_EQ(r.sourceId, "uid=user." + n + ",ou=user,dc=example,dc=com");
        EXPECT_EQ(r.formattedName, "User " + n);
        EXPECT_EQ(r.emails.at(0).value, "user." + n + "@example.com");
        EXPECT_FALSE(r.isCompany);
        EXPECT_FALSE(extraOf(r, "entryUUID").empty());
    }
    EXPECT_FALSE(hasExtra(file, "userpassword"));
    EXPECT_FALSE(hasExtra(file, "entrycsn"));
}

TEST(LdifSamples, FuturamaPeopleWithAFoldedPhotoAndAMultiValuedRdn) {
    const auto fry = sample("futurama_10_people_fry.ldif");
    ASSERT_EQ(fry.records.size(), 1u);
    EXPECT_EQ(problemsIn(fry), 0u);
    EXPECT_EQ(fry.records[0].formattedName, "Fry") << "displayName before cn";
    EXPECT_EQ(extraOf(fry.records[0], "cn"), "Philip J. Fry");
    EXPECT_EQ(fry.records[0].photoType, "image/jpeg");
    EXPECT_GT(fry.records[0].photo.size(), 20000u);
    EXPECT_TRUE(fry.records[0].photo.ends_with("\xFF\xD9"));

    const auto amy = sample("futurama_10_people_amy.ldif");
    ASSERT_EQ(amy.records.size(), 1u);
    EXPECT_EQ(problemsIn(amy), 0u) << "the base64 whose last folded line is ' ='";
    EXPECT_EQ(amy.records[0].sourceId, "cn=Amy Wong+sn=Kroker,ou=people,dc=planetexpress,dc=com");
    EXPECT_EQ(amy.records[0].emails.at(0).value, "amy@planetexpress.com");
    EXPECT_EQ(amy.records[0].department, "Intern");
}

TEST(LdifSamples, ThunderbirdAddressBookGivesItsTwoContactsNotTheList) {
    const auto file = readLdif(readFile(CONDUIT_SOURCE_DIR "/../shared/samples/contacts/thunderbird_export.ldif"),
                               AttributeMap::thunderbird());
    ASSERT_EQ(file.records.size(), 2u);  // 3 dn, 2 inetOrgPerson; the groupOfNames is a list
    EXPECT_EQ(problemsIn(file), 0u);
    const auto& two = file.records[1];
    EXPECT_EQ(two.sourceId, "cn=contact number two,mail=contact2@invalid");
    EXPECT_EQ(two.givenName, "contact");
    EXPECT_EQ(two.familyName, "two");
    EXPECT_EQ(two.emails.at(0).value, "contact2@invalid");
    EXPECT_EQ(two.jobTitle, "\"worker\"");
    EXPECT_EQ(two.note, "here's some unicode text\u2026");
    EXPECT_EQ(extraOf(two, "mozillaCustom1"), "custom, 1");
    EXPECT_EQ(extraOf(two, "mozillaCustom3"), "custom\r3");
    EXPECT_EQ(extraOf(two, "mozillaCustom4"), "custom\n4");
}

TEST(LdifFixture, PolishAndCyrillicEntriesWithChangeTypeAddAndFolding) {
    const auto file = readLdif(readFile(CONDUIT_SOURCE_DIR "/tests/exchange/fixtures/ldap/polish_cyrillic.ldif"));
    ASSERT_EQ(file.records.size(), 3u);
    EXPECT_EQ(problemsIn(file), 0u);
    const auto& lucja = file.records[0];
    EXPECT_EQ(lucja.line, 4u);
    EXPECT_EQ(lucja.formattedName, "Łucja Żółkiewska-Gęś");
    EXPECT_EQ(lucja.note, "Odpowiada za przetargi na okna PCV.");
    EXPECT_EQ(lucja.language, "pl");
    EXPECT_EQ(lucja.phones.size(), 2u);
    EXPECT_EQ(lucja.phones[1].label, "cell");
    ASSERT_EQ(lucja.addresses.size(), 2u);
    EXPECT_EQ(lucja.addresses[0].city, "Łódź");
    EXPECT_EQ(lucja.addresses[1].street, "ul. Piotrkowska 104\n90-926 Łódź\nPolska");
    const auto& agata = file.records[1];
    EXPECT_EQ(agata.sourceId, "cn=Агата Щербакова,ou=ludzie,dc=okna,dc=pl");
    EXPECT_EQ(agata.givenName, "Агата");
    EXPECT_EQ(agata.urls.at(0).value, "https://okna.pl/ru");
    EXPECT_TRUE(file.records[2].isCompany);
    EXPECT_EQ(file.records[2].formattedName, "ООО «Двери Севера»");
}

// Each broken entry or line is reported with its line; every other entry is still read.
TEST(LdifBadInput, BrokenLinesAreReportedWithTheirNumbersAndTheRestIsRead) {
    const std::string ldif =
        "version: 1\r\n"                                      // 1
        "\r\n"                                                // 2
        "dn: cn=Jan Kowalski,dc=okna,dc=pl\r\n"               // 3
        "cn: Jan Kowalski\r\n"                                // 4
        "this line has no colon\r\n"                          // 5
        "mail:: ***not base64***\r\n"                         // 6
        "jpegPhoto:< file:///etc/passwd\r\n"                  // 7
        "telephoneNumber: +48 22 555 01 02\r\n"               // 8
        "\r\n"                                                // 9
        "cn: an entry without its dn\r\n"                     // 10
        "mail: lost@okna.pl\r\n"                              // 11
        "\r\n"                                                // 12
        "dn: cn=Zmiana,dc=okna,dc=pl\r\n"                     // 13
        "changetype: modify\r\n"                              // 14
        "replace: mail\r\n"                                   // 15
        "\r\n"                                                // 16
        "dn:: !!!\r\n"                                        // 17
        "cn: broken dn\r\n"                                   // 18
        "\r\n"                                                // 19
        "dn: cn=Ewa \xC5\x81\xFF,dc=okna,dc=pl\r\n"           // 20
        "cn: Ewa \xC5\x81\xFF\r\n"                            // 21
        "\r\n"                                                // 22
        " continuation with nothing before\r\n"               // 23
        "\r\n"                                                // 24
        "dn: cn=Anna Nowak,dc=okna,dc=pl\r\n"                 // 25
        "changetype: add\r\n"                                 // 26
        "cn: Anna Nowak\r\n";                                 // 27 (no blank line at the end)
    const auto file = readLdif(ldif);
    ASSERT_EQ(file.records.size(), 3u);
    const auto& jan = file.records[0];
    EXPECT_EQ(jan.formattedName, "Jan Kowalski");
    EXPECT_EQ(jan.phones.at(0).value, "+48 22 555 01 02");
    EXPECT_TRUE(jan.emails.empty());
    EXPECT_TRUE(jan.photo.empty());
    ASSERT_EQ(jan.problems.size(), 3u);
    EXPECT_EQ(jan.problems[0].code, ProblemCode::MalformedLine);
    EXPECT_EQ(jan.problems[0].line, 5u);
    EXPECT_EQ(jan.problems[1].code, ProblemCode::BadBase64);
    EXPECT_EQ(jan.problems[1].line, 6u);
    EXPECT_EQ(jan.problems[1].field, "mail");
    EXPECT_EQ(jan.problems[2].code, ProblemCode::ValueByUrl);
    EXPECT_EQ(jan.problems[2].line, 7u);

    const auto& ewa = file.records[1];
    EXPECT_TRUE(isValidUtf8(ewa.formattedName));
    EXPECT_TRUE(isValidUtf8(ewa.sourceId));
    ASSERT_EQ(ewa.problems.size(), 1u);
    EXPECT_EQ(ewa.problems[0].code, ProblemCode::NotDecodable);
    EXPECT_EQ(ewa.problems[0].line, 20u);

    EXPECT_EQ(file.records[2].formattedName, "Anna Nowak");
    EXPECT_EQ(file.records[2].line, 25u);

    ASSERT_EQ(file.problems.size(), 4u);
    EXPECT_EQ(file.problems[0].code, ProblemCode::MalformedLine);
    EXPECT_EQ(file.problems[0].line, 10u);
    EXPECT_EQ(file.problems[1].code, ProblemCode::NotAnAddition);
    EXPECT_EQ(file.problems[1].line, 14u);
    EXPECT_EQ(file.problems[2].code, ProblemCode::BadBase64);
    EXPECT_EQ(file.problems[2].line, 17u);
    EXPECT_EQ(file.problems[3].code, ProblemCode::MalformedLine);
    EXPECT_EQ(file.problems[3].line, 23u);
}

TEST(LdifBadInput, NothingOrGarbageGivesNoEntriesAndNoCrash) {
    EXPECT_TRUE(readLdif("").records.empty());
    EXPECT_TRUE(readLdif("\n\n\n").records.empty());
    EXPECT_TRUE(readLdif("# only a comment\n continued\n").records.empty());
    const auto garbage = readLdif(std::string("\0\xFF\x01:\n::\n:<\n", 11));
    EXPECT_TRUE(garbage.records.empty());
    EXPECT_EQ(garbage.problems.size(), 1u);
    const auto noName = readLdif("dn: cn=x\nobjectClass: person\n");
    ASSERT_EQ(noName.records.size(), 1u);
    ASSERT_EQ(noName.records[0].problems.size(), 1u);
    EXPECT_EQ(noName.records[0].problems[0].code, ProblemCode::NoName);
}

TEST(LdifBadInput, VersionLineAndChangeRecordsOfEveryKind) {
    const auto file = readLdif("version: 1\ndn: cn=A,dc=pl\ncn: A\n\n"
                               "dn: cn=B,dc=pl\nchangetype: delete\n\n"
                               "dn: cn=C,dc=pl\ncontrol: 1.2.840.113556.1.4.805 true\nchangetype: modrdn\nnewrdn: cn=D\n\n"
                               "dn: cn=E,dc=pl\ncontrol: 1.2.3 false\nchangetype: add\ncn: E\n");
    ASSERT_EQ(file.records.size(), 2u);
    EXPECT_EQ(file.records[0].formattedName, "A");
    EXPECT_EQ(file.records[0].line, 2u);
    EXPECT_EQ(file.records[1].formattedName, "E");
    EXPECT_TRUE(file.records[1].extra.empty()) << "a control is not an attribute";
    ASSERT_EQ(file.problems.size(), 2u);
    EXPECT_EQ(file.problems[0], (ExchangeProblem{ProblemCode::NotAnAddition, 6, "changetype", "delete"}));
    EXPECT_EQ(file.problems[1], (ExchangeProblem{ProblemCode::NotAnAddition, 10, "changetype", "modrdn"}));
}

TEST(LdifBadInput, Base64EdgeCases) {
    EXPECT_EQ(readLdif("dn: cn=a\ncn:: QQ\n").records.at(0).formattedName, "A") << "padding left out";
    EXPECT_EQ(readLdif("dn: cn=a\ncn:: QQ==\n").records.at(0).formattedName, "A");
    EXPECT_EQ(readLdif("dn: cn=a\ncn:: Q\n").records.at(0).problems.at(0).code, ProblemCode::BadBase64);
    EXPECT_EQ(readLdif("dn: cn=a\ncn:: QQ==QQ==\n").records.at(0).problems.at(0).code, ProblemCode::BadBase64);
    EXPECT_EQ(readLdif("dn: cn=a\ncn:: QQ===\n").records.at(0).problems.at(0).code, ProblemCode::BadBase64);
}

TEST(AttributeMap, JsonRoundTripKeepsEveryPreset) {
    for (const auto& map : {AttributeMap::openLdap(), AttributeMap::activeDirectory(), AttributeMap::thunderbird(),
                            AttributeMap::standard()}) {
        std::vector<ExchangeProblem> problems;
        EXPECT_EQ(AttributeMap::fromJson(map.toJson(), problems), map);
        EXPECT_TRUE(problems.empty());
    }
}

TEST(AttributeMap, AnEditedMapIsReadAndItsBadPartsReported) {
    std::vector<ExchangeProblem> problems;
    const auto map = AttributeMap::fromJson(R"({"attributes": {
        "Pracownik-Telefon": {"field": "phone", "label": "cell"}, "employeeType": "job_title",
        "bogus": {"field": "no_such_field"}, "alsoBogus": 7},
        "companyClasses": ["organization", 3], "contactClasses": ["person"]})", problems);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].field, "bogus");
    EXPECT_EQ(problems[1].field, "alsoBogus");
    EXPECT_EQ(map.targetOf("PRACOWNIK-TELEFON;x-opt"), (AttributeTarget{AttributeField::Phone, "cell"}));
    EXPECT_EQ(map.targetOf("employeetype").field, AttributeField::JobTitle);
    EXPECT_EQ(map.targetOf("cn").field, AttributeField::Extra) << "only what the file maps";
    EXPECT_EQ(map.companyClasses, std::vector<std::string>{"organization"});

    const auto file = readLdif("dn: cn=x\nobjectClass: person\nemployeeType: Monter\npracownik-telefon: 601\n", map);
    ASSERT_EQ(file.records.size(), 1u);
    EXPECT_EQ(file.records[0].jobTitle, "Monter");
    EXPECT_EQ(file.records[0].phones.at(0), (LabelledValue{"601", "cell"}));

    EXPECT_THROW(AttributeMap::fromJson("{not json", problems), ExchangeError);
    EXPECT_THROW(AttributeMap::fromJson("[1,2]", problems), ExchangeError);
}

TEST(AttributeMap, UnmappedAttributesGoToExtraAndActiveDirectoryHasItsNames) {
    DirectoryEntry entry{"CN=Jan Nowak,OU=Sprzedaż,DC=okna,DC=local", 0, {}};
    entry.attributes = {
        {"objectClass", {"top", "person", "organizationalPerson", "user"}},
        {"cn", {"Jan Nowak"}},
        {"company", {"Okna Nowak"}},
        {"department", {"Sprzedaż"}},
        {"streetAddress", {"ul. Długa 5"}},
        {"co", {"Polska"}},
        {"wWWHomePage", {"https://okna.example"}},
        {"objectGUID", {std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16)}},
        {"objectSid", {std::string("\x01\x05\0\0", 4)}},
        {"extensionAttribute1", {"VIP"}},
        {"userCertificate;binary", {std::string("\x30\x82\xFF", 3)}},
    };
    const auto r = toContact(entry, AttributeMap::activeDirectory());
    EXPECT_EQ(r.organisation, "Okna Nowak");
    EXPECT_EQ(r.department, "Sprzedaż");
    EXPECT_EQ(r.addresses.at(0).street, "ul. Długa 5");
    EXPECT_EQ(r.addresses.at(0).country, "Polska");
    EXPECT_EQ(r.urls.at(0).value, "https://okna.example");
    EXPECT_EQ(extraOf(r, "objectGUID"), "04030201-0605-0807-090a-0b0c0d0e0f10");
    EXPECT_EQ(extraOf(r, "extensionAttribute1"), "VIP");
    EXPECT_EQ(extraOf(r, "userCertificate;binary"), "base64:MIL/");
    EXPECT_EQ(extraOf(r, "objectSid"), "");
    EXPECT_FALSE(r.isCompany);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_TRUE(isContactEntry(entry, AttributeMap::activeDirectory()));
    entry.attributes[0].values = {"top", "group"};
    EXPECT_FALSE(isContactEntry(entry, AttributeMap::activeDirectory()));
}

TEST(AttributeMap, ThunderbirdHomeAddressIsItsOwnAddress) {
    const auto file = readLdif(
        "dn: cn=Ola,mail=ola@dom.pl\nobjectclass: inetOrgPerson\nobjectclass: mozillaAbPersonAlpha\ncn: Ola\n"
        "mozillaHomeStreet: ul. Leśna 3\nmozillaHomeLocalityName: Sopot\nmozillaHomePostalCode: 81-001\n"
        "mozillaHomeUrl: https://ola.example\nmozillaNickname: Olka\n",
        AttributeMap::thunderbird());
    ASSERT_EQ(file.records.size(), 1u);
    const auto& r = file.records[0];
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0], (ContactAddress{"home", "ul. Leśna 3", "", "Sopot", "", "81-001", ""}));
    EXPECT_EQ(r.urls.at(0), (LabelledValue{"https://ola.example", "home"}));
    EXPECT_EQ(r.nickname, "Olka");
}

}  // namespace
