// The plugin's own host settings: the module cursors (crm.cursor.<module>) and the store's
// durability (crm.store.forced_writes) and time zone (crm.time_zone), read so that a value that does not parse never stops it.
#pragma once

#include <conduit/crm/database/durability.hpp>
#include <conduit/crm/foundation/time_zone.hpp>

#include <conduit/sdk/services.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

// A stored value that was not understood, and what is used instead.
struct IgnoredSetting {
    std::string key, value, fallback;
};

struct PluginSettings {
    std::map<std::string, std::int64_t> cursors;  // only modules with a readable cursor
    Durability durability = Durability::SyncPerBatch;
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // crm.time_zone, else the host language's home zone
    std::vector<IgnoredSetting> ignored;
};

std::string cursorKey(std::string_view module);

// A cursor as stored: a whole decimal number, nothing else; nullopt otherwise.
std::optional<std::int64_t> parseCursor(std::string_view text);

// Reads the settings of the plugin for the present `modules`. A bad cursor is left out, so that
// module catches up from its beginning (the store skips what it has already); a bad durability
// keeps the default. Both are listed in `ignored`.
PluginSettings readPluginSettings(const sdk::ISettings& settings, const std::vector<std::string>& modules,
                                  const std::string& hostLocale);

void saveCursors(sdk::ISettings& settings, const std::map<std::string, std::int64_t>& cursors);

}  // namespace conduit::crm
