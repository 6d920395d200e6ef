#include <conduit/crm/timeline/stage.hpp>

namespace conduit::crm {

std::string stageName(std::string_view code, std::string_view locale) {
    struct Name {
        std::string_view code, ru, pl, en;
    };
    static constexpr Name names[] = {
        {"measurement", "замер", "pomiar", "measurement"},
        {"production", "производство", "produkcja", "production"},
        {"delivery", "доставка", "dostawa", "delivery"},
        {"installation", "монтаж", "montaż", "installation"},
    };
    for (const auto& n : names)
        if (code == n.code) return std::string(locale == "ru" ? n.ru : locale == "pl" ? n.pl : n.en);
    return std::string(code);
}

}  // namespace conduit::crm
