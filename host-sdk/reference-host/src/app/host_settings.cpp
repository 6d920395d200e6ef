#include "host_settings.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace refhost {

HostSettings::HostSettings(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;  // no settings yet
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("settings file " + file_.string() + " is not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw std::runtime_error("settings file " + file_.string() + " must hold a JSON object");
    for (auto& [k, v] : j.items()) {
        if (!v.is_string())
            throw std::runtime_error("settings file " + file_.string() + ": value of '" + k + "' must be a string");
        values_[k] = v.get<std::string>();
    }
}

std::optional<std::string> HostSettings::get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

void HostSettings::set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    values_[std::string(key)] = std::string(value);
    save();
}

void HostSettings::save() const {
    nlohmann::json j = nlohmann::json::object();
    for (auto& [k, v] : values_) j[k] = v;
    // Write-then-rename: a crash mid-write never leaves a truncated settings file.
    auto tmp = file_;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << j.dump(2) << '\n';
        if (!out) throw std::runtime_error("cannot write settings file " + tmp.string());
    }
    std::filesystem::rename(tmp, file_);
}

}  // namespace refhost
