#include <conduit/crm/exchange/exchange_problem.hpp>

#include <gtest/gtest.h>

#include <set>

using namespace conduit::crm;
using namespace conduit::crm::exchange;

TEST(ExchangeProblem, IsWordedInTheReadersLanguageWithItsPlace) {
    const ExchangeProblem problem{ProblemCode::BadQuotedPrintable, 12, "EMAIL", "=ZZ"};
    EXPECT_EQ(describe(problem, Locale(Language::Pl)),
              "Wiersz 12, pole EMAIL: błąd kodowania quoted-printable (=ZZ)");
    EXPECT_EQ(describe(problem, Locale(Language::Ru)),
              "Строка 12, поле EMAIL: ошибка в кодировке quoted-printable (=ZZ)");
    EXPECT_EQ(describe({ProblemCode::WriteFailed, 0, "", ""}, Locale(Language::En)),
              "the file could not be written; the previous file is kept");
}

TEST(ExchangeProblem, EveryCodeHasItsOwnNameAndWords) {
    std::set<std::string_view> ids;
    std::set<std::string> words;
    for (int c = 0; c <= static_cast<int>(ProblemCode::WriteFailed); ++c) {
        const auto code = static_cast<ProblemCode>(c);
        ids.insert(toString(code));
        for (auto language : {Language::Ru, Language::Pl, Language::En})
            words.insert(describe({code, 0, "", ""}, Locale(language)));
    }
    const auto count = static_cast<std::size_t>(ProblemCode::WriteFailed) + 1;
    EXPECT_EQ(ids.size(), count);
    EXPECT_EQ(words.size(), 3 * count);
}
