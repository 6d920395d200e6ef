#include <conduit/crm/parties/match_key.hpp>

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace conduit::crm::parties {
namespace {

// Russian first (BGN/PCGN, the Latin spelling Russian names meet in documents), then any other
// script, then Polish ż as the zh it sounds, then ASCII and lower-case.
std::string toLatin(std::string_view text) {
    static std::mutex mutex;  // a Transliterator is not thread-safe; building one is slow
    static std::unique_ptr<icu::Transliterator> transliterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        UParseError parseError{};
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
            "conduit-match", icu::UnicodeString::fromUTF8(":: Russian-Latin/BGN; :: Any-Latin; [żŻ] > zh; :: Latin-ASCII; :: Any-Lower;"),
            UTRANS_FORWARD, parseError, status));
        return U_SUCCESS(status) ? std::move(t) : nullptr;
    }();
    auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    {
        std::lock_guard lock(mutex);
        if (transliterator) transliterator->transliterate(u);
        else u.toLower(icu::Locale::getRoot());
    }
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::vector<std::string> words(std::string_view latin) {
    std::vector<std::string> out;
    std::string word;
    for (char c : latin) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) word += c;
        else if (c != '\'' && !word.empty()) out.push_back(std::exchange(word, {}));  // yur'yev: one word
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

std::string joinedSorted(std::vector<std::string> ws) {
    std::sort(ws.begin(), ws.end());
    std::string out;
    for (const auto& w : ws) out += (out.empty() ? "" : " ") + w;
    return out;
}

bool isLegalForm(const std::string& w) {
    static constexpr std::array<std::string_view, 22> kForms{
        "ooo", "oao", "zao", "pao", "ao", "nao", "ip", "tsentr", "spzoo", "sa", "spj", "spk", "ska", "sc",
        "ltd", "llc", "gmbh", "inc", "plc", "ag", "kg", "bv"};
    return std::find(kForms.begin(), kForms.end(), w) != kForms.end();
}

// "Sp. z o.o." arrives as the words sp z o o; "S.A." as s a: joined back before the check.
std::vector<std::string> withoutLegalForms(const std::vector<std::string>& ws) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < ws.size(); ++i) {
        if (i + 3 < ws.size() && ws[i] == "sp" && ws[i + 1] == "z" && ws[i + 2] == "o" && ws[i + 3] == "o") {
            i += 3;
            continue;
        }
        if (i + 1 < ws.size() && ws[i].size() <= 2 && ws[i + 1].size() == 1 && isLegalForm(ws[i] + ws[i + 1])) {
            ++i;
            continue;
        }
        if (i + 1 < ws.size() && ws[i] == "sp" && (ws[i + 1] == "j" || ws[i + 1] == "k")) {
            ++i;
            continue;
        }
        if (!isLegalForm(ws[i])) out.push_back(ws[i]);
    }
    return out.empty() ? ws : out;  // a name that is only a legal form keeps it
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::string looseWord(std::string s) {
    // Polish spellings of Russian sounds first (szcz before sz and cz), then the letters one sound has.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kMerges{{
        {"szcz", "shch"}, {"sz", "sh"}, {"cz", "ch"}, {"rz", "zh"}, {"w", "v"}, {"j", "y"},
        {"kh", "h"}, {"ch", "h"}, {"ks", "x"}, {"ye", "e"}, {"yi", "i"}, {"iy", "i"}, {"yy", "y"},
    }};
    for (const auto& [from, to] : kMerges) replaceAll(s, from, to);
    std::string out;
    for (char c : s)
        if (out.empty() || out.back() != c) out += c;  // doubled letters: one
    return out;
}

}  // namespace

std::string personNameKey(std::string_view name) { return joinedSorted(words(toLatin(name))); }

std::string companyNameKey(std::string_view name) { return joinedSorted(withoutLegalForms(words(toLatin(name)))); }

std::string looseKey(std::string_view key) {
    std::vector<std::string> ws;
    for (auto& w : words(key)) ws.push_back(looseWord(std::move(w)));
    return joinedSorted(std::move(ws));  // sorted again: a merge can change the words' order
}

}  // namespace conduit::crm::parties
