#include <conduit/crm/exchange/codepage.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

using namespace conduit::crm::exchange;
using namespace std::literals;

namespace {

const auto kPolishCp1250 = "Za\xBF\xF3\xB3\xE6 g\xEA\x9Cl\xB9 ja\x9F\xF1"sv;
const auto kPolishUtf8 = "Zażółć gęślą jaźń"sv;
const auto kRussianCp1251 =
    "\xD1\xFA\xE5\xF8\xFC \xE6\xE5 \xE5\xF9\xB8 \xFD\xF2\xE8\xF5 \xEC\xFF\xE3\xEA\xE8\xF5 "
    "\xF4\xF0\xE0\xED\xF6\xF3\xE7\xF1\xEA\xE8\xF5 \xE1\xF3\xEB\xEE\xEA"sv;
const auto kRussianUtf8 = "Съешь же ещё этих мягких французских булок"sv;

std::string readSample(const std::string& name) {
    std::ifstream in(std::string(CONDUIT_SOURCE_DIR "/../shared/samples/contacts/") + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(CodePage, ReadsTheCodePagesOutlookAndOldMailersWrite) {
    EXPECT_EQ(toUtf8(kPolishCp1250, "windows-1250").text, kPolishUtf8);
    EXPECT_EQ(toUtf8(kRussianCp1251, "cp1251").text, kRussianUtf8);
    EXPECT_EQ(toUtf8("\xA3\xF3" "d\xBC"sv, "ISO-8859-2").text, "Łódź");
    EXPECT_EQ(toUtf8("\xE9\xD7\xC1\xCE\xCF\xD7"sv, "KOI8-R").text, "Иванов");
    EXPECT_EQ(toUtf8("A\x01\xF3\x00" "d\x00z\x01"sv, "UTF-16LE").text, "Łódź");
    EXPECT_EQ(toUtf8("Smith, John", "us-ascii").text, "Smith, John");
    const auto ok = toUtf8(kPolishCp1250, "WINDOWS-1250");
    EXPECT_TRUE(ok.ok());
}

TEST(CodePage, AnUnknownCharsetIsNamedInTheProblem) {
    const auto result = toUtf8("abc", "KOI8-X");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.problem->code, ProblemCode::UnknownCharset);
    EXPECT_EQ(result.problem->detail, "KOI8-X");
    EXPECT_TRUE(result.text.empty());
    EXPECT_EQ(toUtf8("abc", "").problem->code, ProblemCode::UnknownCharset);
    EXPECT_FALSE(charsetName("no-such-charset"));
}

TEST(CodePage, BytesThatAreNotTextSayWhereAndKeepTheRest) {
    const auto ascii = toUtf8("line one\nline \x80two"sv, "us-ascii");
    ASSERT_FALSE(ascii.ok());
    EXPECT_EQ(ascii.problem->code, ProblemCode::NotDecodable);
    EXPECT_EQ(ascii.problem->line, 2u);
    EXPECT_EQ(ascii.problem->detail, "byte 14: 80");
    EXPECT_EQ(ascii.text, "line one\nline \uFFFDtwo");

    const auto utf8 = toUtf8("ok\n\nCa\xE9sar"sv, "UTF-8");
    ASSERT_FALSE(utf8.ok());
    EXPECT_EQ(utf8.problem->line, 3u);
    EXPECT_NE(utf8.problem->detail.find("byte 6"), std::string::npos) << utf8.problem->detail;
    EXPECT_NE(utf8.text.find("sar"), std::string::npos);
}

TEST(CodePage, WritesPolishAndCyrillicInTheirCodePages) {
    const auto polish = fromUtf8(kPolishUtf8, "windows-1250");
    EXPECT_TRUE(polish.ok());
    EXPECT_EQ(polish.bytes, kPolishCp1250);
    const auto russian = fromUtf8(kRussianUtf8, "cp1251");
    EXPECT_TRUE(russian.ok());
    EXPECT_EQ(russian.bytes, kRussianCp1251);
    EXPECT_EQ(fromUtf8("Łódź", "UTF-16LE").bytes, "A\x01\xF3\x00" "d\x00z\x01"sv);
}

TEST(CodePage, ACharacterTheCodePageLacksIsReportedNotHidden) {
    const auto result = fromUtf8("Łódź Иван", "windows-1250");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.problem->code, ProblemCode::NotEncodable);
    EXPECT_EQ(result.missing, 4u);
    EXPECT_NE(result.problem->detail.find("U+0418"), std::string::npos) << result.problem->detail;
    EXPECT_NE(result.problem->detail.find("windows-1250"), std::string::npos);
    EXPECT_EQ(result.bytes, "\xA3\xF3" "d\x9F ????"sv) << "the missing ones as the question marks the header promises";

    const auto broken = fromUtf8("Ca\xE9sar"sv, "windows-1250");
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.problem->code, ProblemCode::NotDecodable);
    EXPECT_EQ(fromUtf8("abc", "KOI8-X").problem->code, ProblemCode::UnknownCharset);
}

TEST(CodePage, NamesACharsetAsFilesAndHeadersCarryIt) {
    EXPECT_EQ(charsetName("cp1251"), "windows-1251");
    EXPECT_EQ(charsetName("Windows-1250"), "windows-1250");
    EXPECT_EQ(charsetName("utf8"), "UTF-8");
    EXPECT_EQ(charsetName("UTF-16LE"), "UTF-16LE");
}

TEST(DecodeFile, AByteOrderMarkDecidesAndIsDropped) {
    const auto utf8 = decodeFile("\xEF\xBB\xBFŁódź"sv);
    EXPECT_EQ(utf8.text, "Łódź");
    EXPECT_EQ(utf8.encoding, "UTF-8");
    EXPECT_FALSE(utf8.guessed);
    const auto le = decodeFile("\xFF\xFE" "A\x01\xF3\x00" "d\x00z\x01"sv);
    EXPECT_EQ(le.text, "Łódź");
    EXPECT_EQ(le.encoding, "UTF-16LE");
    const auto be = decodeFile("\xFE\xFF\x01" "A\x00\xF3\x00" "d\x01z"sv);
    EXPECT_EQ(be.text, "Łódź");
    EXPECT_EQ(be.encoding, "UTF-16BE");
    EXPECT_TRUE(be.problems.empty());
}

TEST(DecodeFile, RecognisesUtf16WithoutAByteOrderMark) {
    const auto sample = decodeFile(readSample("roundcube_utf-16_sample.vcf"));
    EXPECT_EQ(sample.encoding, "UTF-16BE");
    EXPECT_TRUE(sample.guessed);
    EXPECT_EQ(sample.text.rfind("BEGIN:VCARD", 0), 0u);
    EXPECT_TRUE(sample.problems.empty());
    const auto fromText = fromUtf8("BEGIN:VCARD\r\nFN:Андрей Żółw\r\nEND:VCARD\r\n", "UTF-16LE");
    const auto le = decodeFile(fromText.bytes);
    EXPECT_EQ(le.encoding, "UTF-16LE");
    EXPECT_EQ(le.text, "BEGIN:VCARD\r\nFN:Андрей Żółw\r\nEND:VCARD\r\n");
}

TEST(DecodeFile, ValidUtf8IsTakenAsIt) {
    const auto text = decodeFile("FN:Андрей Żółw\n");
    EXPECT_EQ(text.encoding, "UTF-8");
    EXPECT_FALSE(text.guessed);
    EXPECT_EQ(text.text, "FN:Андрей Żółw\n");
}

TEST(DecodeFile, GuessesPolishRussianAndWesternCodePages) {
    const auto polish = decodeFile(kPolishCp1250);
    EXPECT_EQ(polish.encoding, "windows-1250");
    EXPECT_TRUE(polish.guessed);
    EXPECT_EQ(polish.text, kPolishUtf8);
    const auto names = decodeFile("Grzegorz Brz\xEA" "czyszczykiewicz, Chrz\xB9szczyrzewoszyce, \xA3\xEAko\xB3ody"sv);
    EXPECT_EQ(names.encoding, "windows-1250");
    EXPECT_EQ(decodeFile("Piotr Iksi\xF1ski"sv).text, "Piotr Iksiński");
    EXPECT_EQ(decodeFile("\xAF\xF3\xB3kiewski"sv).text, "Żółkiewski");

    const auto russian = decodeFile(kRussianCp1251);
    EXPECT_EQ(russian.encoding, "windows-1251");
    EXPECT_EQ(russian.text, kRussianUtf8);
    EXPECT_EQ(decodeFile("\xC8\xE2\xE0\xED\xEE\xE2 \xC8\xE2\xE0\xED"sv).text, "Иванов Иван");

    const auto french = decodeFile("H\xE9l\xE8ne Dupr\xE9, cr\xE8me br\xFBl\xE9" "e \xE0 la fran\xE7" "aise"sv);
    EXPECT_EQ(french.encoding, "windows-1252");
    EXPECT_EQ(french.text, "Hélène Dupré, crème brûlée à la française");
    EXPECT_EQ(decodeFile("M\xFCller Stra\xDF" "e"sv).text, "Müller Straße");
}

TEST(DecodeFile, AnOverrideForcesTheEncoding) {
    const auto forced = decodeFile(kRussianCp1251, "KOI8-R");
    EXPECT_EQ(forced.encoding, "KOI8-R");
    EXPECT_FALSE(forced.guessed);
    EXPECT_NE(forced.text, kRussianUtf8);
    const auto bom = decodeFile("\xFF\xFE" "A\x01"sv, "UTF-16LE");
    EXPECT_EQ(bom.text, "Ł");
}

TEST(DecodeFile, AWrongOverrideIsReportedWithItsLine) {
    const auto wrong = decodeFile("FN:Smith\nFN:"s + std::string(kRussianCp1251), "UTF-8");
    ASSERT_EQ(wrong.problems.size(), 1u);
    EXPECT_EQ(wrong.problems[0].code, ProblemCode::NotDecodable);
    EXPECT_EQ(wrong.problems[0].line, 2u);
    EXPECT_EQ(wrong.text.substr(0, 12), "FN:Smith\nFN:");

    const auto unknown = decodeFile(kPolishCp1250, "windows-9999");
    ASSERT_FALSE(unknown.problems.empty());
    EXPECT_EQ(unknown.problems[0].code, ProblemCode::UnknownCharset);
    EXPECT_EQ(unknown.problems[0].detail, "windows-9999");
    EXPECT_EQ(unknown.text, kPolishUtf8);
}

TEST(DecodeFile, TruncatedAndJunkBytesNeverStopTheRead) {
    const auto cut = decodeFile("\xFF\xFE" "A\x01\xF3"sv);
    EXPECT_EQ(cut.encoding, "UTF-16LE");
    ASSERT_EQ(cut.problems.size(), 1u);
    EXPECT_EQ(cut.problems[0].code, ProblemCode::NotDecodable);
    EXPECT_EQ(cut.text.substr(0, 2), "Ł");

    std::string junk;
    for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) % 256);
    const auto decoded = decodeFile(junk);
    EXPECT_FALSE(decoded.encoding.empty());
    EXPECT_FALSE(decoded.text.empty());
    EXPECT_TRUE(decodeFile("").text.empty());
}
