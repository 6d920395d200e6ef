// The duplicate keys: one person or firm written in another script, case, order or spelling
// gets the same key; different people keep different ones.
#include <conduit/crm/parties/match_key.hpp>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace conduit::crm::parties;

TEST(MatchKey, CyrillicAndLatinSpellingsOfOneNameMeet) {
    EXPECT_EQ(personNameKey("Иванов Пётр"), "ivanov petr");
    EXPECT_EQ(personNameKey("Petr IVANOV"), personNameKey("Пётр Иванов"));
    EXPECT_EQ(personNameKey("Щукин"), "shchukin");
    EXPECT_EQ(personNameKey("Жуков"), personNameKey("Zhukov"));
    EXPECT_EQ(personNameKey("Łódź"), "lodz");
    EXPECT_EQ(personNameKey("Dąbrowska-Wójcik Agnieszka"), personNameKey("agnieszka dabrowska wojcik"));
    EXPECT_NE(personNameKey("Anna Nowak"), personNameKey("Anna Nowik"));
}

TEST(MatchKey, CompanyLegalFormsAndQuotesDoNotMakeAnotherFirm) {
    EXPECT_EQ(companyNameKey("ООО «Ромашка»"), "romashka");
    EXPECT_EQ(companyNameKey("Romashka LLC"), "romashka");
    EXPECT_EQ(companyNameKey("Okna-Bud Sp. z o.o."), companyNameKey("OKNA BUD"));
    EXPECT_EQ(companyNameKey("Drewmax S.A."), companyNameKey("drewmax"));
    EXPECT_EQ(companyNameKey("Kowalski i Syn sp.j."), companyNameKey("Kowalski i Syn"));
    EXPECT_EQ(companyNameKey("ООО"), "ooo");  // a name that is only a legal form keeps it
    EXPECT_NE(companyNameKey("Okna Bud"), companyNameKey("Okna Dom"));
}

TEST(MatchKey, TheLooseKeyMergesPolishAndEnglishSpellingsOfRussianNames) {
    EXPECT_EQ(looseKey(personNameKey("Wołkow")), looseKey(personNameKey("Волков")));
    EXPECT_EQ(looseKey(personNameKey("Jurjew")), looseKey(personNameKey("Юрьев")));
    EXPECT_EQ(looseKey(personNameKey("Szczukin")), looseKey(personNameKey("Щукин")));
    EXPECT_EQ(looseKey(personNameKey("Czechow")), looseKey(personNameKey("Чехов")));
    EXPECT_EQ(looseKey(personNameKey("Vyacheslav Wolkow")), looseKey(personNameKey("Вячеслав Волков")));
    EXPECT_NE(looseKey(personNameKey("Волков")), looseKey(personNameKey("Волгин")));
}

TEST(MatchKey, SafeFromManyThreadsAndOnBrokenText) {
    std::vector<std::thread> threads;
    std::vector<std::string> keys(8);
    for (std::size_t i = 0; i < keys.size(); ++i)
        threads.emplace_back([&, i] {
            for (int n = 0; n < 200; ++n) keys[i] = personNameKey("Пётр Иванов");
        });
    for (auto& t : threads) t.join();
    for (const auto& k : keys) EXPECT_EQ(k, "ivanov petr");
    EXPECT_NO_THROW(personNameKey(std::string("\xff\xfe Ivan", 7)));
    EXPECT_EQ(personNameKey(""), "");
}
