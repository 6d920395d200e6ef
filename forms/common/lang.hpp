// The workstation's language: picks the Russian, Polish or English wording of a UI text.
// Forms take one Lang from the host locale, read by the one rule of crm::Locale (unknown: English).
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <QString>

#include <string>
#include <string_view>

namespace conduit::forms {

class Lang {
public:
    enum class Code { En, Ru, Pl };
    explicit Lang(std::string_view locale = "en") : code_(codeOf(crm::Locale::of(locale))), locale_(locale) {}

    // Literals are UTF-8 source text; one call per visible string keeps the three side by side.
    QString pick(const char* en, const char* ru, const char* pl) const {
        return QString::fromUtf8(code_ == Code::Ru ? ru : code_ == Code::Pl ? pl : en);
    }
    // `text` in the reader's quotation marks: “…”, «…», „…”.
    QString quoted(const QString& text) const {
        return pick("\u201C", "\u00AB", "\u201E") + text + pick("\u201D", "\u00BB", "\u201D");
    }
    Code code() const { return code_; }
    const std::string& locale() const { return locale_; }

private:
    static Code codeOf(const crm::Locale& l) {
        return l.language() == crm::Language::Ru ? Code::Ru : l.language() == crm::Language::Pl ? Code::Pl : Code::En;
    }
    Code code_;
    std::string locale_;
};

}  // namespace conduit::forms
