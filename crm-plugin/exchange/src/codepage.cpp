#include <conduit/crm/exchange/codepage.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

namespace conduit::crm::exchange {
namespace {

struct ConverterCloser {
    void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

Converter openConverter(std::string_view charset) {
    if (charset.empty() || charset.size() > 64) return nullptr;
    const std::string name(charset);
    UErrorCode status = U_ZERO_ERROR;
    Converter converter(ucnv_open(name.c_str(), &status));
    if (U_FAILURE(status)) return nullptr;
    return converter;
}

ExchangeProblem unknownCharset(std::string_view charset) {
    return {ProblemCode::UnknownCharset, 0, "", std::string(charset.substr(0, 64))};
}

std::string hexBytes(const char* bytes, int length) {
    std::string out;
    for (int i = 0; i < length && i < 8; ++i) {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%s%02X", i ? " " : "", static_cast<unsigned char>(bytes[i]));
        out += hex;
    }
    return out;
}

// What the first undecodable bytes were and where, kept while ICU substitutes U+FFFD.
struct BadBytes {
    const char* sourceStart = nullptr;
    const UChar* targetStart = nullptr;
    bool seen = false;
    std::size_t byteOffset = 0, textOffset = 0;
    std::string bytes;
};

void onBadBytes(const void* context, UConverterToUnicodeArgs* args, const char* codeUnits,
                int32_t length, UConverterCallbackReason reason, UErrorCode* status) {
    if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing was read
    auto* bad = static_cast<BadBytes*>(const_cast<void*>(context));
    if (!bad->seen) {
        bad->seen = true;
        const auto consumed = args->source - bad->sourceStart;
        bad->byteOffset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, consumed - length));
        bad->textOffset = static_cast<std::size_t>(args->target - bad->targetStart);
        bad->bytes = hexBytes(codeUnits, length);
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, codeUnits, length, reason, status);
}

std::size_t lineAt(const std::u16string& text, std::size_t offset) {
    const auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size()));
    return 1 + static_cast<std::size_t>(std::count(text.begin(), end, u'\n'));
}

std::string toUtf8String(const std::u16string& text) {
    std::string out(text.size() * 3, '\0');
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &length, text.data(),
                       static_cast<int32_t>(text.size()), 0xFFFD, nullptr, &status);
    out.resize(U_SUCCESS(status) ? static_cast<std::size_t>(length) : 0);
    return out;
}

// The bytes as UTF-16 through the converter, growing the buffer as the converter asks.
std::u16string decodeWith(UConverter* converter, std::string_view bytes, BadBytes& bad) {
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setToUCallBack(converter, onBadBytes, &bad, nullptr, nullptr, &status);
    std::u16string out(bytes.size() + 16, u'\0');
    const char* source = bytes.data();
    bad.sourceStart = source;
    UChar* target = out.data();
    for (;;) {
        status = U_ZERO_ERROR;
        bad.targetStart = out.data();
        ucnv_toUnicode(converter, &target, out.data() + out.size(), &source, bytes.data() + bytes.size(),
                       nullptr, true, &status);
        if (status != U_BUFFER_OVERFLOW_ERROR) break;
        const auto written = static_cast<std::size_t>(target - out.data());
        out.resize(out.size() * 2);
        target = out.data() + written;
    }
    out.resize(static_cast<std::size_t>(target - out.data()));
    if (!out.empty() && out.front() == u'\uFEFF') out.erase(0, 1);
    return out;
}

struct Decoded {
    std::u16string text;
    std::optional<ExchangeProblem> problem;
};

std::optional<Decoded> decode(std::string_view bytes, std::string_view charset) {
    const auto converter = openConverter(charset);
    if (!converter) return std::nullopt;
    BadBytes bad;
    Decoded decoded{decodeWith(converter.get(), bytes, bad), std::nullopt};
    if (bad.seen)
        decoded.problem = ExchangeProblem{ProblemCode::NotDecodable, lineAt(decoded.text, bad.textOffset), "",
                                          "byte " + std::to_string(bad.byteOffset) + ": " + bad.bytes};
    return decoded;
}

// The first character a code page lacks, and how many there were.
struct MissingCharacters {
    std::size_t count = 0;
    UChar32 first = 0;
};

void onMissingCharacter(const void* context, UConverterFromUnicodeArgs* args, const UChar* codeUnits,
                        int32_t length, UChar32 codePoint, UConverterCallbackReason reason, UErrorCode* status) {
    if (reason > UCNV_IRREGULAR) return;
    auto* missing = static_cast<MissingCharacters*>(const_cast<void*>(context));
    if (missing->count++ == 0) missing->first = codePoint;
    UCNV_FROM_U_CALLBACK_SUBSTITUTE(nullptr, args, codeUnits, length, codePoint, reason, status);
}

std::string encodeWith(UConverter* converter, const std::u16string& text, MissingCharacters& missing) {
    UErrorCode status = U_ZERO_ERROR;
    // ICU's own substitute in the windows-125x pages is SUB (0x1A), which Excel shows as nothing.
    ucnv_setSubstChars(converter, "?", 1, &status);
    status = U_ZERO_ERROR;
    ucnv_setFromUCallBack(converter, onMissingCharacter, &missing, nullptr, nullptr, &status);
    std::string out(text.size() * 2 + 16, '\0');
    const UChar* source = text.data();
    char* target = out.data();
    for (;;) {
        status = U_ZERO_ERROR;
        ucnv_fromUnicode(converter, &target, out.data() + out.size(), &source, text.data() + text.size(),
                         nullptr, true, &status);
        if (status != U_BUFFER_OVERFLOW_ERROR) break;
        const auto written = static_cast<std::size_t>(target - out.data());
        out.resize(out.size() * 2);
        target = out.data() + written;
    }
    out.resize(static_cast<std::size_t>(target - out.data()));
    return out;
}

std::optional<std::u16string> utf16Of(std::string_view utf8) {
    std::u16string out(utf8.size() + 1, u'\0');
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(out.data(), static_cast<int32_t>(out.size()), &length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(length));
    return out;
}

std::string describeCharacter(UChar32 codePoint) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(codePoint));
    std::string out;
    char utf8[U8_MAX_LENGTH];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(utf8, length, U8_MAX_LENGTH, codePoint, error);
    if (!error) out.assign(utf8, static_cast<std::size_t>(length)).append(" ");
    return out + hex;
}

// ---- the guess of a single-byte code page -------------------------------------------------------

// How much a letter outside ASCII says for a code page: the letters its readers write.
struct Letters {
    std::u16string_view letters;
    int weight = 0;
};

constexpr std::u16string_view kPolish = u"ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";
constexpr std::u16string_view kLatinShared = u"ÁáÂâÄäÇçÉéËëÍíÎîÓóÔôÖöÚúÜüÝýßŠšŽž";
constexpr std::u16string_view kCentral = u"čďěňřťůČĎĚŇŘŤŮőűŐŰĺľĹĽŕŔăĂşŞţŢ";
constexpr std::u16string_view kWestern = u"ÀàÃãÅåÆæÈèÊêÌìÏïÑñÒòÕõØøÙùÛûÿŸœŒ";
constexpr std::u16string_view kCommonMarks = u"\u00A0«»–—„“”‘’‚…€№°§©®•·±×";

struct Candidate {
    std::string_view name;
    std::array<Letters, 3> letters;
};

// On a tie (only letters both Latin pages read alike) the Western page is named: the text is the same.
constexpr std::array<Candidate, 3> kCandidates{{
    {"windows-1252", {{{kWestern, 2}, {kLatinShared, 2}, {u"", 0}}}},
    {"windows-1250", {{{kPolish, 3}, {kLatinShared, 2}, {kCentral, 1}}}},
    {"windows-1251", {{{u"", 0}, {u"", 0}, {u"", 0}}}},
}};

struct Word {
    int ascii = 0, latin = 0, cyrillic = 0, other = 0, unknownLatin = 0;
    int latinWeight = 0;
};

int weightOf(char16_t letter, const std::array<Letters, 3>& weights) {
    for (const auto& group : weights)
        if (group.letters.find(letter) != std::u16string_view::npos) return group.weight;
    return 0;
}

void addLetter(Word& word, char16_t letter, const std::array<Letters, 3>& weights) {
    if (letter < 0x80) {
        ++word.ascii;
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    const auto script = uscript_getScript(letter, &status);
    if (script == USCRIPT_CYRILLIC) {
        ++word.cyrillic;
    } else if (script == USCRIPT_LATIN) {
        ++word.latin;
        const int weight = weightOf(letter, weights);
        word.latinWeight += weight;
        if (weight == 0) ++word.unknownLatin;
    } else {
        ++word.other;
    }
}

// Cyrillic words of Cyrillic letters, Latin words with a few letters of the language: plausible.
// Words mixing scripts, or Latin words made of accented letters only: a wrong code page.
int scoreOf(const Word& word) {
    const int accented = word.latin + word.cyrillic + word.other;
    if (accented == 0) return 0;
    if (word.cyrillic > 0 && (word.ascii > 0 || word.latin > 0)) return -3 * accented;
    if (word.cyrillic > 0) return 2 * word.cyrillic - 2 * word.other;
    if (word.ascii == 0 && word.latin >= 2) return -accented;
    return word.latinWeight - 2 * (word.unknownLatin + word.other);
}

int scoreOfMark(char16_t mark) {
    if (mark < 0x80 || kCommonMarks.find(mark) != std::u16string_view::npos) return 0;
    if (mark == u'\uFFFD' || (mark >= 0x80 && mark < 0xA0)) return -5;
    return -1;
}

int plausibility(const std::u16string& text, const std::array<Letters, 3>& weights) {
    int score = 0;
    Word word;
    for (const char16_t c : text) {
        if (u_isalpha(c)) {
            addLetter(word, c, weights);
            continue;
        }
        score += scoreOf(word) + scoreOfMark(c);
        word = Word{};
    }
    return score + scoreOf(word);
}

DecodedText guessSingleByte(std::string_view bytes) {
    DecodedText best;
    int bestScore = 0;
    for (const auto& candidate : kCandidates) {
        auto decoded = decode(bytes, candidate.name);
        if (!decoded) continue;
        const int score = plausibility(decoded->text, candidate.letters);
        if (!best.encoding.empty() && score <= bestScore) continue;
        bestScore = score;
        best.text = toUtf8String(decoded->text);
        best.encoding = std::string(candidate.name);
        best.problems.clear();
        if (decoded->problem) best.problems.push_back(*decoded->problem);
    }
    best.guessed = true;
    return best;
}

// ---- what says the encoding before a guess ------------------------------------------------------

std::string_view byteOrderMark(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8";
    if (bytes.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
    if (bytes.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
    return {};
}

// Text of mostly Latin letters, digits and markup in UTF-16 has a zero byte in every other place.
std::string_view utf16ByZeros(std::string_view bytes) {
    const std::size_t pairs = std::min<std::size_t>(bytes.size(), 8192) / 2;
    if (pairs < 2) return {};
    std::size_t zeroFirst = 0, zeroSecond = 0;
    for (std::size_t i = 0; i < pairs; ++i) {
        const bool first = bytes[2 * i] == '\0', second = bytes[2 * i + 1] == '\0';
        if (first && !second) ++zeroFirst;
        if (second && !first) ++zeroSecond;
    }
    const auto clearly = [pairs](std::size_t many, std::size_t few) { return many * 4 >= pairs && few * 20 <= many; };
    if (clearly(zeroSecond, zeroFirst)) return "UTF-16LE";
    if (clearly(zeroFirst, zeroSecond)) return "UTF-16BE";
    return {};
}

DecodedText decodeAs(std::string_view bytes, std::string_view charset, bool guessed) {
    DecodedText out;
    auto decoded = decode(bytes, charset);
    if (!decoded) {
        out.problems.push_back(unknownCharset(charset));
        return out;
    }
    out.text = toUtf8String(decoded->text);
    out.encoding = charsetName(charset).value_or(std::string(charset));
    out.guessed = guessed;
    if (decoded->problem) out.problems.push_back(*decoded->problem);
    return out;
}

DecodedText detect(std::string_view bytes) {
    if (const auto bom = byteOrderMark(bytes); !bom.empty()) return decodeAs(bytes, bom, false);
    if (const auto utf16 = utf16ByZeros(bytes); !utf16.empty()) return decodeAs(bytes, utf16, true);
    if (isValidUtf8(bytes)) return DecodedText{std::string(bytes), "UTF-8", false, {}};
    return guessSingleByte(bytes);
}

}  // namespace

Utf8Text toUtf8(std::string_view bytes, std::string_view charset) {
    auto decoded = decode(bytes, charset);
    if (!decoded) return {"", unknownCharset(charset)};
    return {toUtf8String(decoded->text), decoded->problem};
}

EncodedText fromUtf8(std::string_view utf8, std::string_view charset) {
    const auto converter = openConverter(charset);
    if (!converter) return {"", unknownCharset(charset), 0};
    const auto text = utf16Of(utf8);
    if (!text) return {"", ExchangeProblem{ProblemCode::NotDecodable, 0, "", "invalid UTF-8"}, 0};
    MissingCharacters missing;
    EncodedText out{encodeWith(converter.get(), *text, missing), std::nullopt, missing.count};
    if (missing.count > 0)
        out.problem = ExchangeProblem{ProblemCode::NotEncodable, 0, "",
                                      describeCharacter(missing.first) + ", " + std::to_string(missing.count) +
                                          " in all, for " + charsetName(charset).value_or(std::string(charset))};
    return out;
}

std::optional<std::string> charsetName(std::string_view charset) {
    const auto converter = openConverter(charset);
    if (!converter) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    const char* internal = ucnv_getName(converter.get(), &status);
    if (U_FAILURE(status)) return std::string(charset);
    for (const char* standard : {"IANA", "MIME", "WINDOWS"}) {
        status = U_ZERO_ERROR;
        const char* name = ucnv_getStandardName(internal, standard, &status);
        if (U_SUCCESS(status) && name != nullptr) return std::string(name);
    }
    return std::string(internal);
}

DecodedText decodeFile(std::string_view bytes, std::string_view override) {
    if (override.empty()) return detect(bytes);
    if (charsetName(override)) return decodeAs(bytes, override, false);
    auto detected = detect(bytes);
    detected.problems.insert(detected.problems.begin(), unknownCharset(override));
    return detected;
}

}  // namespace conduit::crm::exchange
