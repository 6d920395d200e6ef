// Named filters a user keeps: the filter panel's controls as a small value, stored per user as
// JSON through the host's settings (key "crm.filters.<userId>").
#pragma once

#include <conduit/crm/timeline/event.hpp>

#include <conduit/sdk/services.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace conduit::forms {

// What the filter panel shows, not the resulting FeedFilter: "last 7 days" stays relative.
struct FilterState {
    std::optional<sdk::Id> project, counterparty, author;
    std::vector<std::string> kinds;
    std::string module;                          // empty: any
    std::optional<crm::Importance> minImportance;
    int period = 0;                              // FilterPanel::Period
    std::string customFrom, customTo;            // "2026-01-31" (inclusive), for Period::Custom
    std::string text;
    bool onlyMine = false;
    friend bool operator==(const FilterState&, const FilterState&) = default;
};

std::string toJson(const FilterState& state);
// Unknown keys are ignored and wrong types read as "no restriction": a hand-edited or older
// entry never breaks the panel.
FilterState filterStateFromJson(const std::string& json);

// One user's saved filters. Every change is written at once (the host keeps settings).
class SavedFilters {
public:
    SavedFilters(sdk::ISettings& settings, sdk::Id user);

    std::vector<std::string> names() const;  // sorted
    std::optional<FilterState> get(const std::string& name) const;
    void save(const std::string& name, const FilterState& state);  // replaces one of that name
    void remove(const std::string& name);
    std::string key() const { return key_; }

private:
    std::map<std::string, FilterState> load() const;
    void store(const std::map<std::string, FilterState>& all);

    sdk::ISettings& settings_;
    std::string key_;
};

}  // namespace conduit::forms
