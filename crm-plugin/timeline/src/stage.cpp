#include <conduit/crm/timeline/stage.hpp>

#include <conduit/crm/foundation/locale.hpp>

namespace conduit::crm {
namespace {

struct StageNames {
    const char* code;
    LocalizedText name;
};

constexpr StageNames kStages[] = {
    {"measurement", {"замер", "pomiar", "measurement"}},
    {"production", {"производство", "produkcja", "production"}},
    {"delivery", {"доставка", "dostawa", "delivery"}},
    {"installation", {"монтаж", "montaż", "installation"}},
};

}  // namespace

std::string stageName(std::string_view code, std::string_view locale) {
    for (const auto& s : kStages)
        if (code == s.code) return Locale::of(locale).pick(s.name);
    return std::string(code);
}

const std::vector<std::string>& builtinStages() {
    static const std::vector<std::string> codes = [] {
        std::vector<std::string> out;
        for (const auto& s : kStages) out.emplace_back(s.code);
        return out;
    }();
    return codes;
}

}  // namespace conduit::crm
