#include "plugin_settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace conduit::crm {
namespace {

constexpr std::string_view kCursorPrefix = "crm.cursor.";
// "on": Firebird's forced writes for an embedded CRM database instead of one sync per batch.
constexpr std::string_view kForcedWrites = "crm.store.forced_writes";

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// ForcedWrites for a "yes", SyncPerBatch for a "no" or nothing, nullopt for anything else.
std::optional<Durability> parseDurability(std::string_view text) {
    const std::string v = lowered(text);
    if (durabilityFromSetting(v) == Durability::ForcedWrites) return Durability::ForcedWrites;
    if (v.empty() || v == "off" || v == "false" || v == "0" || v == "no") return Durability::SyncPerBatch;
    return std::nullopt;
}

}  // namespace

std::string cursorKey(std::string_view module) { return std::string(kCursorPrefix) + std::string(module); }

std::optional<std::int64_t> parseCursor(std::string_view text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
    return value;
}

PluginSettings readPluginSettings(const sdk::ISettings& settings, const std::vector<std::string>& modules,
                                  const std::string& hostLocale) {
    PluginSettings out;
    for (const auto& module : modules) {
        const auto key = cursorKey(module);
        const auto stored = settings.get(key);
        if (!stored) continue;
        if (const auto cursor = parseCursor(*stored))
            out.cursors[module] = *cursor;
        else
            out.ignored.push_back({key, *stored, "catch-up from the beginning"});
    }
    const auto forced = settings.get(kForcedWrites).value_or("");
    if (const auto durability = parseDurability(forced))
        out.durability = *durability;
    else
        out.ignored.push_back({std::string(kForcedWrites), forced, "off"});
    const auto zone = settings.get(kTimeZoneSetting).value_or("");
    out.zone = installationZone(zone, hostLocale);
    if (!zone.empty() && out.zone.id() != zone) out.ignored.push_back({kTimeZoneSetting, zone, out.zone.id()});
    return out;
}

void saveCursors(sdk::ISettings& settings, const std::map<std::string, std::int64_t>& cursors) {
    for (const auto& [module, seq] : cursors) settings.set(cursorKey(module), std::to_string(seq));
}

}  // namespace conduit::crm
