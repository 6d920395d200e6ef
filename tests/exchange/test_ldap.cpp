// LdapSource against a real slapd on loopback: paging through a size limit, filters, the bind,
// bad queries, no server, and a server that dies between pages.
#include "slapd_server.hpp"
#include "smtp_server.hpp"  // unusedLocalPort()

#include <conduit/crm/exchange/ldap_source.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace conduit::crm;
using namespace conduit::crm::exchange;
using conduit::test::SlapdOptions;
using conduit::test::SlapdServer;

namespace {

constexpr const char* kPeople = "ou=people,dc=example,dc=com";
constexpr const char* kReaderDn = "cn=reader,ou=accounts,dc=example,dc=com";
constexpr const char* kReaderPassword = "Czytelnik-Читатель-7";
constexpr int kPersons = 1200;

struct Person {
    std::string uid, given, family, cn, mail, city, organisation;
    std::string photo;  // bytes, every 97th person
};

// Polish for even numbers, Russian for odd; every letter the two alphabets add to Latin occurs.
Person person(int i) {
    static const std::vector<std::string> polishGiven{"Łukasz", "Małgorzata", "Żaneta", "Ścibor", "Józef", "Grażyna", "Bożena", "Zdzisław"};
    static const std::vector<std::string> polishFamily{"Wójcik", "Woźniak", "Żółtowski", "Gęsiarz", "Łęcki", "Ślusarczyk", "Dąbrowska", "Kołłątaj", "Chmielewski"};
    static const std::vector<std::string> russianGiven{"Алексей", "Юлия", "Фёдор", "Ирина", "Эльвира", "Щедрослав", "Ярослава"};
    static const std::vector<std::string> russianFamily{"Щербаков", "Кузнецова", "Жуков", "Яшина", "Объедков", "Эйдельман", "Цыганкова", "Хрущёв"};
    const bool polish = i % 2 == 0;
    const auto& given = polish ? polishGiven : russianGiven;
    const auto& family = polish ? polishFamily : russianFamily;
    Person p;
    p.uid = "p" + std::to_string(i);
    p.given = given[static_cast<std::size_t>(i / 2) % given.size()];
    p.family = family[static_cast<std::size_t>(i / 3) % family.size()];
    p.cn = p.given + " " + p.family + " " + std::to_string(i);
    p.mail = p.uid + "@okna-" + (polish ? "lodz.pl" : "spb.ru");
    p.city = polish ? (i % 4 == 0 ? "Łódź" : "Gdańsk") : "Санкт-Петербург";
    p.organisation = polish ? "Okna Łódź sp. z o.o." : "ООО «Окна и двери»";
    if (i % 97 == 0) p.photo = std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11) + std::string(1, static_cast<char>(i % 256)) + "\xFF\xD9";
    return p;
}

std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
}

std::string directoryLdif() {
    std::string ldif = "dn: ou=accounts,dc=example,dc=com\nobjectClass: organizationalUnit\nou: accounts\n\n"
                       "dn: " + std::string(kReaderDn) + "\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
                       "cn: reader\nuserPassword: " + kReaderPassword + "\n\n"
                       "dn: " + std::string(kPeople) + "\nobjectClass: organizationalUnit\nou: people\n\n"
                       "dn: o=Okna Łódź sp. z o.o.,dc=example,dc=com\nobjectClass: organization\no: Okna Łódź sp. z o.o.\n"
                       "l: Łódź\ntelephoneNumber: +48 42 555 0100\n\n";
    for (int i = 0; i < kPersons; ++i) {
        const Person p = person(i);
        ldif += "dn: uid=" + p.uid + "," + kPeople + "\nobjectClass: inetOrgPerson\nuid: " + p.uid + "\ncn: " + p.cn +
                "\ngivenName: " + p.given + "\nsn: " + p.family + "\nmail: " + p.mail + "\nl: " + p.city + "\no: " +
                p.organisation + "\ntelephoneNumber: +48 42 555 " + std::to_string(1000 + i) + "\n";
        if (!p.photo.empty()) ldif += "jpegPhoto:: " + base64(p.photo) + "\n";
        ldif += "\n";
    }
    return ldif;
}

LdapQuery readerQuery(const SlapdServer& server) {
    LdapQuery q;
    q.url = server.url();
    q.bindDn = kReaderDn;
    q.password = kReaderPassword;
    q.baseDn = kPeople;
    q.pageSize = 250;
    q.connectTimeout = std::chrono::seconds(5);
    q.operationTimeout = std::chrono::seconds(30);
    return q;
}

ProblemCode codeOfFailedRead(const LdapQuery& query, std::string* what = nullptr) {
    try {
        LdapSource(query).read();
    } catch (const ExchangeError& e) {
        if (what) *what = e.what();
        return e.problem.code;
    }
    ADD_FAILURE() << "the read did not fail";
    return ProblemCode::WriteFailed;
}

std::string extraOf(const ContactRecord& r, const std::string& name) {
    for (const auto& [key, value] : r.extra)
        if (key == name) return value;
    return "";
}

class LdapDirectory : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new SlapdServer(SlapdOptions{.entries = directoryLdif()}); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static SlapdServer* server_;
};
SlapdServer* LdapDirectory::server_ = nullptr;

TEST_F(LdapDirectory, ReadsEveryPersonThroughTheSizeLimitInPagesWithNamesIntact) {
    std::vector<std::size_t> progress;
    const auto read = LdapSource(readerQuery(*server_)).read([&](std::size_t soFar) {
        progress.push_back(soFar);
        return true;
    });
    ASSERT_TRUE(read.complete);
    ASSERT_EQ(read.contacts.records.size(), static_cast<std::size_t>(kPersons));
    EXPECT_EQ(read.pages, 5u);  // 4 x 250 + 200
    EXPECT_EQ(progress, (std::vector<std::size_t>{250, 500, 750, 1000, 1200}));

    std::map<std::string, const ContactRecord*> byDn;
    for (const auto& r : read.contacts.records) byDn[r.sourceId] = &r;
    ASSERT_EQ(byDn.size(), static_cast<std::size_t>(kPersons)) << "an entry came twice";
    for (int i = 0; i < kPersons; ++i) {
        const Person p = person(i);
        const auto found = byDn.find("uid=" + p.uid + "," + kPeople);
        ASSERT_NE(found, byDn.end()) << p.uid;
        const ContactRecord& r = *found->second;
        EXPECT_EQ(r.formattedName, p.cn);
        EXPECT_EQ(r.givenName, p.given);
        EXPECT_EQ(r.familyName, p.family);
        EXPECT_EQ(r.organisation, p.organisation);
        ASSERT_EQ(r.emails.size(), 1u);
        EXPECT_EQ(r.emails[0].value, p.mail);
        ASSERT_EQ(r.addresses.size(), 1u);
        EXPECT_EQ(r.addresses[0].city, p.city);
        EXPECT_EQ(r.photo, p.photo) << p.uid;
        EXPECT_EQ(extraOf(r, "uid"), p.uid);
        EXPECT_FALSE(extraOf(r, "entryUUID").empty()) << "operational attribute asked for";
        EXPECT_FALSE(r.isCompany);
        EXPECT_TRUE(r.problems.empty());
    }
}

TEST_F(LdapDirectory, WithoutPagingTheSizeLimitCutsTheResultAndTheReadSaysSo) {
    auto q = readerQuery(*server_);
    q.pageSize = 0;
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryLimited);
}

TEST_F(LdapDirectory, PagesLargerThanTheLimitAndSmallerOnesGiveTheSameEntries) {
    auto q = readerQuery(*server_);
    q.pageSize = 73;
    const auto small = LdapSource(q).read();
    q.pageSize = 5000;
    const auto large = LdapSource(q).read();
    std::set<std::string> a, b;
    for (const auto& r : small.contacts.records) a.insert(r.sourceId);
    for (const auto& r : large.contacts.records) b.insert(r.sourceId);
    EXPECT_EQ(a.size(), static_cast<std::size_t>(kPersons));
    EXPECT_EQ(a, b);
    EXPECT_EQ(small.pages, static_cast<std::size_t>((kPersons + 72) / 73));
}

TEST_F(LdapDirectory, TheFilterNarrowsOnUtf8Values) {
    auto q = readerQuery(*server_);
    q.filter = "(&(objectClass=person)(l=Łódź))";
    const auto read = LdapSource(q).read();
    std::size_t expected = 0;
    for (int i = 0; i < kPersons; ++i) expected += person(i).city == "Łódź";
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(read.contacts.records.size(), expected);
    for (const auto& r : read.contacts.records) EXPECT_EQ(r.addresses.at(0).city, "Łódź");

    q.filter = "(sn=Щербаков)";
    std::size_t shcherbakovs = 0;
    for (int i = 0; i < kPersons; ++i) shcherbakovs += person(i).family == "Щербаков";
    EXPECT_EQ(LdapSource(q).read().contacts.records.size(), shcherbakovs);
}

TEST_F(LdapDirectory, AnOrganisationsEntryIsACompany) {
    auto q = readerQuery(*server_);
    q.baseDn = server_->suffix();
    q.filter = "(objectClass=organization)";
    const auto read = LdapSource(q).read();
    std::vector<const ContactRecord*> companies;
    for (const auto& r : read.contacts.records)
        if (r.isCompany) companies.push_back(&r);
    ASSERT_EQ(companies.size(), 2u);  // the suffix's own entry and the window maker
    const auto* okna = companies[0]->organisation == "example" ? companies[1] : companies[0];
    EXPECT_EQ(okna->formattedName, "Okna Łódź sp. z o.o.");
    EXPECT_EQ(okna->phones.at(0).value, "+48 42 555 0100");
}

TEST_F(LdapDirectory, AWrongPasswordIsRefusedAndNeverShown) {
    auto q = readerQuery(*server_);
    q.password = "Zły-пароль-1";
    std::string what;
    EXPECT_EQ(codeOfFailedRead(q, &what), ProblemCode::DirectoryRefused);
    EXPECT_EQ(what.find(q.password), std::string::npos) << what;
    q.password.clear();  // a DN with no password is an unauthenticated bind, not anonymous
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryRefused);
}

TEST_F(LdapDirectory, AnUnknownBaseOrABrokenFilterIsABadQuery) {
    auto q = readerQuery(*server_);
    q.baseDn = "ou=nobody,dc=example,dc=com";
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryBadQuery);
    q = readerQuery(*server_);
    q.filter = "(cn=Jan";
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryBadQuery);
    q = readerQuery(*server_);
    q.baseDn = "not a dn";
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryBadQuery);
}

TEST_F(LdapDirectory, ProgressThatSaysStopEndsTheReadIncomplete) {
    const auto read = LdapSource(readerQuery(*server_)).read([](std::size_t soFar) { return soFar < 500; });
    EXPECT_FALSE(read.complete);
    EXPECT_EQ(read.contacts.records.size(), 500u);
    EXPECT_TRUE(LdapSource(readerQuery(*server_)).read().complete) << "the server is still fine";
}

TEST(LdapUnreachable, NothingListeningIsUnreachable) {
    LdapQuery q;
    q.url = "ldap://127.0.0.1:" + std::to_string(conduit::test::unusedLocalPort());
    q.baseDn = kPeople;
    q.connectTimeout = std::chrono::seconds(2);
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryUnreachable);
    q.url = "http://127.0.0.1/";
    EXPECT_EQ(codeOfFailedRead(q), ProblemCode::DirectoryUnreachable);
}

TEST(LdapUnreachable, AServerKilledBetweenPagesIsUnreachableAndNothingIsClaimedComplete) {
    SlapdServer server(SlapdOptions{.entries = directoryLdif()});
    std::vector<std::size_t> progress;
    std::string what;
    ProblemCode code = ProblemCode::WriteFailed;
    try {
        LdapSource(readerQuery(server)).read([&](std::size_t soFar) {
            progress.push_back(soFar);
            if (soFar == 500) server.kill();
            return true;
        });
        ADD_FAILURE() << "a read from a killed server was given as complete";
    } catch (const ExchangeError& e) {
        code = e.problem.code;
        what = e.problem.detail;
    }
    EXPECT_EQ(code, ProblemCode::DirectoryUnreachable);
    EXPECT_EQ(progress, (std::vector<std::size_t>{250, 500}));
    EXPECT_NE(what.find("500 read"), std::string::npos) << what;
    EXPECT_FALSE(server.running());
}

TEST(LdapUnreachable, AServerThatStopsAnsweringBetweenPagesTimesOutAsUnreachable) {
    SlapdServer server(SlapdOptions{.entries = directoryLdif()});
    auto q = readerQuery(server);
    q.operationTimeout = std::chrono::seconds(1);
    const auto started = std::chrono::steady_clock::now();
    ProblemCode code = ProblemCode::WriteFailed;
    try {
        LdapSource(q).read([&](std::size_t) {
            server.suspend();
            return true;
        });
    } catch (const ExchangeError& e) {
        code = e.problem.code;
    }
    server.resume();
    EXPECT_EQ(code, ProblemCode::DirectoryUnreachable);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
