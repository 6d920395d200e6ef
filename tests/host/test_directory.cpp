// The suite's directory over its seed data: lookups, counts, the dispatcher as current user,
// and Polish/Russian texts that round-trip byte for byte through the Firebird UTF-8 database.
#include "host_test_support.hpp"

#include "seed_data.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace hosttest;

TEST(HostDirectoryTest, SeedDataIsRealisticAndComplete) {
    conduit::test::TempDir dir{"host-directory"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    auto& directory = suite->directory();

    const auto counterparties = directory.counterparties();
    ASSERT_EQ(counterparties.size(), 300u);
    const auto persons = std::count_if(counterparties.begin(), counterparties.end(),
                                       [](const auto& c) { return c.kind == sdk::CounterpartyKind::Person; });
    EXPECT_GT(persons, 150);  // about 60%
    EXPECT_LT(persons, 210);
    for (const char* lang : {"pl", "ru", "en"})
        EXPECT_TRUE(std::any_of(counterparties.begin(), counterparties.end(),
                                [&](const auto& c) { return c.language == lang; }))
            << lang;
    for (const auto& c : counterparties) {
        EXPECT_FALSE(c.name.empty());
        EXPECT_NE(c.contactEmail.find('@'), std::string::npos) << c.contactEmail;
    }

    const auto departments = directory.departments();
    std::vector<std::string> codes;
    for (const auto& d : departments) codes.push_back(d.code);
    EXPECT_EQ(codes, (std::vector<std::string>{"dispatch", "finance", "orders", "measurement", "production", "sales",
                                               "management", "admin"}));
    const auto users = directory.users();
    EXPECT_EQ(users.size(), 15u);
    for (const auto& u : users) EXPECT_TRUE(directory.department(u.departmentId)) << u.login;

    const auto me = suite->currentUser();
    ASSERT_TRUE(directory.department(me.departmentId));
    EXPECT_EQ(directory.department(me.departmentId)->code, "dispatch");
    EXPECT_TRUE(directory.projects().empty());  // projects come from the simulator's enquiries
}

TEST(HostDirectoryTest, LookupsByIdAndMissingIds) {
    conduit::test::TempDir dir{"host-directory"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    auto& directory = suite->directory();
    const auto c = directory.counterparty(42);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->id, 42);
    EXPECT_EQ(directory.counterparties()[41].name, c->name);
    EXPECT_FALSE(directory.counterparty(100000));
    EXPECT_FALSE(directory.project(1));
    EXPECT_FALSE(directory.user(0));
    ASSERT_TRUE(directory.user(2));
    EXPECT_EQ(directory.user(2)->fullName, "Фёдор Щербаков");
    EXPECT_EQ(directory.user(2)->language, "ru");
    ASSERT_TRUE(directory.department(4));
    EXPECT_EQ(directory.department(4)->code, "measurement");
}

TEST(HostDirectoryTest, PolishAndRussianTextsRoundTrip) {
    conduit::test::TempDir dir{"host-directory"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    refhost::NewCounterparty c;
    c.kind = "person";
    c.name = "Щербаков Фёдор";
    c.city = "Łódź";
    c.address = "ul. Żeromskiego 7, 90-001 Łódź";
    c.contactName = "Zażółć gęślą jaźń";
    c.contactEmail = "f.shcherbakov@example.ru";
    c.contactPhone = "+7 911 000-00-00";
    c.language = "ru";
    c.paymentHabit = "prompt";
    c.notes = "Съешь же ещё этих мягких французских булок — ZAŻÓŁĆ GĘŚLĄ JAŹŃ";
    {
        refhost::HostTransaction tx(suite->database());
        refhost::insertCounterparty(tx.sql(), 301, c);
        tx.commit();
    }
    suite.reset();  // a fresh process would read it back the same
    suite = openSuite(dir.path(), logger);
    const auto back = suite->directory().counterparty(301);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->name, c.name);
    EXPECT_EQ(back->city, c.city);
    EXPECT_EQ(back->address, c.address);
    EXPECT_EQ(back->contactName, c.contactName);
    EXPECT_EQ(back->language, "ru");
    EXPECT_EQ(suite->directory().counterparties().size(), 301u);  // reopening does not seed again
}

TEST(HostDirectoryTest, SeedDataIsTheSameInEveryDatabase) {
    conduit::test::TempDir a{"host-directory"}, b{"host-directory"};
    QuietLogger logger;
    const auto first = openSuite(a.path(), logger)->directory().counterparties();
    const auto second = openSuite(b.path(), logger)->directory().counterparties();
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].name, second[i].name);
        EXPECT_EQ(first[i].contactEmail, second[i].contactEmail);
    }
}

TEST(HostDirectoryTest, AsciiSlugTransliterates) {
    EXPECT_EQ(refhost::asciiSlug("Щербаков Фёдор"), "shcherbakov.fedor");
    EXPECT_EQ(refhost::asciiSlug("Łukasz Woźniak"), "lukasz.wozniak");
}
