#include <conduit/crm/foundation/display_names.hpp>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

namespace conduit::crm {
namespace {

struct StatusName {
    const char* code;
    LocalizedText name;
};

// Every status the suite's project life goes through, in order.
constexpr std::array<StatusName, 14> kStatuses{{
    {"new", {"новый", "nowy", "new"}},
    {"enquiry", {"запрос", "zapytanie", "enquiry"}},
    {"measured", {"замерен", "po pomiarze", "measured"}},
    {"awaiting_prepayment", {"ожидает предоплату", "oczekuje na przedpłatę", "awaiting prepayment"}},
    {"prepaid", {"предоплата получена", "przedpłata wpłacona", "prepaid"}},
    {"materials_reserved", {"материалы зарезервированы", "materiały zarezerwowane", "materials reserved"}},
    {"in_production", {"в производстве", "w produkcji", "in production"}},
    {"produced", {"изготовлен", "wyprodukowany", "produced"}},
    {"planned", {"запланирован", "zaplanowany", "planned"}},
    {"installation_planned", {"монтаж запланирован", "montaż zaplanowany", "installation planned"}},
    {"started", {"работы начаты", "prace rozpoczęte", "work started"}},
    {"finished", {"работы завершены", "prace zakończone", "work finished"}},
    {"installed", {"смонтирован", "zamontowany", "installed"}},
    {"closed", {"закрыт", "zamknięty", "closed"}},
}};

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// "русский" stays lower case in running text, but a value on its own line reads as a label:
// the first letter upper-cased by the reader's rules (ICU title casing of the first word).
icu::UnicodeString capitalized(icu::UnicodeString s, const icu::Locale& locale) {
    if (s.isEmpty()) return s;
    icu::UnicodeString first = s.tempSubString(0, s.moveIndex32(0, 1));
    first.toUpper(locale);
    return first + s.tempSubString(s.moveIndex32(0, 1));
}

}  // namespace

std::string projectStatusName(std::string_view status, const Locale& locale) {
    const auto it = std::find_if(kStatuses.begin(), kStatuses.end(), [&](const StatusName& s) { return status == s.code; });
    if (it != kStatuses.end()) return locale.pick(it->name);
    std::string words(status);
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
}

std::string languageName(std::string_view tag, const Locale& locale) {
    if (tag.empty()) return {};
    const std::string id(tag);
    const icu::Locale language(id.c_str());
    const icu::Locale reader(locale.icuName().c_str());
    icu::UnicodeString name;
    language.getDisplayLanguage(reader, name);
    // ICU echoes an unknown code back: the tag as given reads better than a lower-cased echo.
    if (name.isEmpty() || utf8(name) == language.getLanguage()) return id;
    return utf8(capitalized(name, reader));
}

}  // namespace conduit::crm
