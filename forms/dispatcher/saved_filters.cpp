#include "dispatcher/saved_filters.hpp"

#include <nlohmann/json.hpp>

namespace conduit::forms {

namespace {

using nlohmann::json;

json toObject(const FilterState& s) {
    json j = json::object();
    if (s.project) j["project"] = *s.project;
    if (s.counterparty) j["counterparty"] = *s.counterparty;
    if (s.author) j["author"] = *s.author;
    if (!s.kinds.empty()) j["kinds"] = s.kinds;
    if (!s.module.empty()) j["module"] = s.module;
    if (s.minImportance) j["minImportance"] = static_cast<int>(*s.minImportance);
    if (s.period) j["period"] = s.period;
    if (!s.customFrom.empty()) j["from"] = s.customFrom;
    if (!s.customTo.empty()) j["to"] = s.customTo;
    if (!s.text.empty()) j["text"] = s.text;
    if (s.onlyMine) j["onlyMine"] = true;
    return j;
}

template <typename T>
std::optional<T> field(const json& j, const char* name) {
    const auto it = j.find(name);
    if (it == j.end()) return std::nullopt;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

FilterState fromObject(const json& j) {
    FilterState s;
    if (!j.is_object()) return s;
    s.project = field<sdk::Id>(j, "project");
    s.counterparty = field<sdk::Id>(j, "counterparty");
    s.author = field<sdk::Id>(j, "author");
    s.kinds = field<std::vector<std::string>>(j, "kinds").value_or(std::vector<std::string>{});
    s.module = field<std::string>(j, "module").value_or("");
    if (auto imp = field<int>(j, "minImportance"); imp && *imp >= 0 && *imp <= 3) s.minImportance = static_cast<crm::Importance>(*imp);
    s.period = field<int>(j, "period").value_or(0);
    s.customFrom = field<std::string>(j, "from").value_or("");
    s.customTo = field<std::string>(j, "to").value_or("");
    s.text = field<std::string>(j, "text").value_or("");
    s.onlyMine = field<bool>(j, "onlyMine").value_or(false);
    return s;
}

}  // namespace

std::string toJson(const FilterState& state) {
    return toObject(state).dump(-1, ' ', false, json::error_handler_t::replace);
}

FilterState filterStateFromJson(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    return j.is_discarded() ? FilterState{} : fromObject(j);
}

SavedFilters::SavedFilters(sdk::ISettings& settings, sdk::Id user)
    : settings_(settings), key_("crm.filters." + std::to_string(user)) {}

std::map<std::string, FilterState> SavedFilters::load() const {
    std::map<std::string, FilterState> all;
    const auto text = settings_.get(key_);
    if (!text) return all;
    const json j = json::parse(*text, nullptr, false);
    if (!j.is_object()) return all;  // damaged: start over rather than fail the panel
    for (const auto& [name, value] : j.items()) all[name] = fromObject(value);
    return all;
}

void SavedFilters::store(const std::map<std::string, FilterState>& all) {
    json j = json::object();
    for (const auto& [name, state] : all) j[name] = toObject(state);
    // Replacement characters instead of an exception for invalid UTF-8 in a typed name.
    settings_.set(key_, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::vector<std::string> SavedFilters::names() const {
    std::vector<std::string> out;
    for (const auto& [name, state] : load()) out.push_back(name);
    return out;
}

std::optional<FilterState> SavedFilters::get(const std::string& name) const {
    auto all = load();
    const auto it = all.find(name);
    if (it == all.end()) return std::nullopt;
    return it->second;
}

void SavedFilters::save(const std::string& name, const FilterState& state) {
    auto all = load();
    all[name] = state;
    store(all);
}

void SavedFilters::remove(const std::string& name) {
    auto all = load();
    if (all.erase(name)) store(all);
}

}  // namespace conduit::forms
