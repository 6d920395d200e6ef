// The user's language and the project's single policy for choosing it from a locale tag,
// plus the trilingual text literal every user-visible message is written as.
#pragma once

#include <string>
#include <string_view>

namespace conduit::crm {

enum class Language { Ru, Pl, En };

// One message in the three languages of the suite, written as {"…", "…", "…"} literals.
struct LocalizedText {
    const char* ru;
    const char* pl;
    const char* en;
};

// Fallback policy (the only one in the project — do not invent another elsewhere):
//  * A tag is read by its language subtag only: "ru", "RU", "ru_RU", "ru-RU", "pl_PL.UTF-8",
//    "en_GB", "en-US@x" all name their language; case, region, encoding and modifiers are ignored.
//  * An empty tag, "C"/"POSIX" or a language the suite does not speak ("de", "xx") gives English,
//    the one language every user of a multinational installation can be expected to read.
//  * A text missing in the chosen language falls back to English, then Polish, then Russian,
//    so a half-translated message still shows something readable rather than nothing.
class Locale {
public:
    Locale() = default;  // English, as for an unknown tag
    explicit Locale(Language language) : language_(language) {}

    static Locale of(std::string_view tag);

    Language language() const { return language_; }
    std::string_view code() const;  // "ru", "pl", "en"
    // Never null; "" only when the text has no translation at all.
    const char* pick(const LocalizedText& text) const;
    // The ICU locale whose conventions the suite wants: en_GB for English because the suite's
    // English users are in Europe (day-first dates, 24-hour clock).
    std::string icuName() const;

    friend bool operator==(const Locale&, const Locale&) = default;

private:
    Language language_ = Language::En;
};

inline std::string_view tr(const LocalizedText& text, const Locale& locale) { return locale.pick(text); }

}  // namespace conduit::crm
