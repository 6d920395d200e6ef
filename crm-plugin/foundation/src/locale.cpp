#include <conduit/crm/foundation/locale.hpp>

#include <optional>

namespace conduit::crm {
namespace {

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool isSeparator(char c) { return c == '_' || c == '-' || c == '.' || c == '@'; }

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The language subtag, lowercased: the leading letters up to the first '_', '-', '.' or '@'.
// Anything else after the letters ("ru1", "en GB") makes the tag unreadable, hence "".
std::string languageSubtag(std::string_view tag) {
    tag = trimmed(tag);
    std::string out;
    std::size_t i = 0;
    for (; i < tag.size() && isAsciiLetter(tag[i]); ++i) out += lower(tag[i]);
    if (i < tag.size() && !isSeparator(tag[i])) return {};
    return out;
}

std::optional<Language> languageOf(std::string_view subtag) {
    if (subtag == "ru") return Language::Ru;
    if (subtag == "pl") return Language::Pl;
    if (subtag == "en") return Language::En;
    return std::nullopt;
}

bool present(const char* text) { return text != nullptr && *text != '\0'; }

const char* inLanguage(const LocalizedText& text, Language language) {
    switch (language) {
        case Language::Ru: return text.ru;
        case Language::Pl: return text.pl;
        case Language::En: return text.en;
    }
    return nullptr;
}

}  // namespace

Locale Locale::of(std::string_view tag) {
    return Locale(languageOf(languageSubtag(tag)).value_or(Language::En));
}

std::string_view Locale::code() const {
    switch (language_) {
        case Language::Ru: return "ru";
        case Language::Pl: return "pl";
        case Language::En: return "en";
    }
    return "pl";
}

const char* Locale::pick(const LocalizedText& text) const {
    for (const char* candidate : {inLanguage(text, language_), text.en, text.pl, text.ru})
        if (present(candidate)) return candidate;
    return "";
}

std::string Locale::icuName() const {
    switch (language_) {
        case Language::Ru: return "ru_RU";
        case Language::Pl: return "pl_PL";
        case Language::En: return "en_GB";
    }
    return "pl_PL";
}

}  // namespace conduit::crm
