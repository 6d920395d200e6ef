// Tax and registry numbers: real numbers of known firms pass, one changed digit fails, and
// every refusal reads in the editor's language.
#include <conduit/crm/parties/tax_id.hpp>

#include <gtest/gtest.h>

using namespace conduit::crm;
using namespace conduit::crm::parties;

namespace {

// One digit changed (the last but one, +1 mod 10): a typo the check digit must catch.
std::string withTypo(std::string digits) {
    char& c = digits[digits.size() - 2];
    c = static_cast<char>('0' + (c - '0' + 1) % 10);
    return digits;
}

}  // namespace

TEST(TaxId, RealPolishNumbersPassWithTheSeparatorsPeopleWrite) {
    EXPECT_EQ(parseTaxId(TaxIdKind::PlNip, "774-00-01-454").value, "7740001454");  // PKN Orlen
    EXPECT_EQ(parseTaxId(TaxIdKind::PlNip, "PL 774 000 14 54").value, "7740001454");
    EXPECT_EQ(parseTaxId(TaxIdKind::PlNip, "pl7740001454").value, "7740001454");
    EXPECT_EQ(parseTaxId(TaxIdKind::PlRegon, "610188201").value, "610188201");
    EXPECT_FALSE(taxIdProblem(TaxIdKind::PlRegon, "61018820100010"));  // a local unit: the firm's 9 digits and 5 more
    EXPECT_EQ(displayText(parseTaxId(TaxIdKind::PlNip, "7740001454")), "774-000-14-54");
}

TEST(TaxId, RealRussianNumbersPass) {
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuInn, "7707083893"));    // Sberbank, an organisation
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuInn, "500100732259"));  // a person (12 digits)
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuOgrn, "1027700132195"));
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuOgrnip, "304500116000157"));
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuKpp, "773601001"));
    EXPECT_FALSE(taxIdProblem(TaxIdKind::RuKpp, "7736AB001"));  // reason codes with letters since 2013
}

TEST(TaxId, OneWrongDigitIsCaughtByTheCheckDigit) {
    for (auto [kind, valid] : std::vector<std::pair<TaxIdKind, std::string>>{
             {TaxIdKind::PlNip, "7740001454"}, {TaxIdKind::PlRegon, "610188201"}, {TaxIdKind::PlRegon, "61018820100010"},
             {TaxIdKind::RuInn, "7707083893"}, {TaxIdKind::RuInn, "500100732259"}, {TaxIdKind::RuOgrn, "1027700132195"},
             {TaxIdKind::RuOgrnip, "304500116000157"}}) {
        SCOPED_TRACE(valid);
        ASSERT_FALSE(taxIdProblem(kind, valid));
        EXPECT_EQ(taxIdProblem(kind, withTypo(valid)), FieldProblem::WrongChecksum);
    }
}

TEST(TaxId, WrongShapesAreNamedForWhatTheyAre) {
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, ""), FieldProblem::Empty);
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, " - "), FieldProblem::Empty);
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, "77400O1454"), FieldProblem::NotDigits);  // letter O for zero
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, "774000145"), FieldProblem::WrongLength);
    EXPECT_EQ(taxIdProblem(TaxIdKind::RuInn, "77070838931"), FieldProblem::WrongLength);
    EXPECT_EQ(taxIdProblem(TaxIdKind::RuKpp, "77360100"), FieldProblem::WrongLength);
    EXPECT_EQ(taxIdProblem(TaxIdKind::RuKpp, "77X601001"), FieldProblem::NotDigits);
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, "1' OR '1'='1"), FieldProblem::NotDigits);
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, std::string(200, '1')), FieldProblem::TooLong);
    // A NIP whose weighted sum leaves 10 is never issued, whatever its last digit.
    EXPECT_EQ(taxIdProblem(TaxIdKind::PlNip, "9000000001"), FieldProblem::WrongChecksum);
}

TEST(TaxId, TheRefusalReadsInTheEditorsLanguageWithTheFieldsName) {
    try {
        parseTaxId(TaxIdKind::RuInn, "7707083894");
        FAIL() << "a wrong check digit was accepted";
    } catch (const FieldError& e) {
        EXPECT_EQ(e.field, "inn");
        EXPECT_EQ(describe(e, Locale(Language::Ru)), "ИНН: неверное контрольное число — проверьте цифры");
        EXPECT_EQ(describe(e, Locale(Language::Pl)), "INN: nieprawidłowa cyfra kontrolna — sprawdź cyfry");
        EXPECT_EQ(std::string(e.what()), "INN: wrong check digit — check the digits");
    }
    EXPECT_EQ(describe(FieldProblem::Empty, Locale(Language::Ru)), "Не заполнено");
}

TEST(TaxId, KindCodesRoundTrip) {
    for (auto k : {TaxIdKind::PlNip, TaxIdKind::PlRegon, TaxIdKind::RuInn, TaxIdKind::RuKpp, TaxIdKind::RuOgrn, TaxIdKind::RuOgrnip})
        EXPECT_EQ(taxIdKindFromString(toString(k)), k);
    EXPECT_FALSE(taxIdKindFromString("vat"));
}
