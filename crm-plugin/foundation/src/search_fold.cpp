#include <conduit/crm/foundation/search_fold.hpp>

#include "icu_support.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <memory>

namespace conduit::crm {

namespace {

constexpr UChar32 kCombiningBreve = 0x0306;
constexpr UChar32 kSmallI = 0x0438;  // и: with the breve it is й

// Latin letters with no separable mark (ł, ø, đ, ß, æ) have no decomposition; ICU's Latin-ASCII
// transform spells them as a reader would type them without the mark. Filtered to Latin letters
// so the rest of the text (Cyrillic, punctuation) is left as it is. One per thread: ICU
// transliterators are not meant to be shared between threads.
const icu::Transliterator& latinToAscii() {
    thread_local const std::unique_ptr<icu::Transliterator> t = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(
            icu::Transliterator::createInstance(icu::UnicodeString(u"[:Latin:] Latin-ASCII"), UTRANS_FORWARD, status));
        icu_support::check(status, "Latin-ASCII transliterator");
        return made;
    }();
    return *t;
}

bool isMarkToDrop(UChar32 c, const icu::UnicodeString& before) {
    if (u_charType(c) != U_NON_SPACING_MARK) return false;
    return !(c == kCombiningBreve && before.length() > 0 && before.char32At(before.length() - 1) == kSmallI);
}

bool isNonAsciiLatin(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return c > 0x7F && uscript_getScript(c, &status) == USCRIPT_LATIN && U_SUCCESS(status);
}

}  // namespace

std::string searchFold(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    icu_support::check(status, "normalizer");
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    text.foldCase();
    const icu::UnicodeString decomposed = nfd->normalize(text, status);
    icu_support::check(status, "NFD");
    icu::UnicodeString kept;
    bool latinLeft = false;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (isMarkToDrop(c, kept)) continue;
        latinLeft = latinLeft || isNonAsciiLatin(c);
        kept.append(c);
    }
    if (latinLeft) {
        latinToAscii().transliterate(kept);
        kept.foldCase();  // "Ǆ"-like results of the transform
    }
    const icu::UnicodeString composed = nfc->normalize(kept, status);  // и + breve back to й
    icu_support::check(status, "NFC");
    return icu_support::toUtf8(composed);
}

bool searchContains(std::string_view text, std::string_view query) {
    return searchFold(text).find(searchFold(query)) != std::string::npos;
}

std::string withBaseLetters(std::string_view utf8) {
    std::string out(utf8);
    for (const auto& [variant, base] : kLetterVariants)
        for (auto at = out.find(variant); at != std::string::npos; at = out.find(variant, at + base.size()))
            out.replace(at, variant.size(), base);
    return out;
}

}  // namespace conduit::crm
