// The reference host's settings: a JSON object in DATA/settings.json, read on start and
// written back on every change, so plugins can keep small preferences across runs.
#pragma once

#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace refhost {

class HostSettings : public conduit::sdk::ISettings {
public:
    // Throws std::runtime_error naming the file when it exists but is not a JSON object of strings.
    explicit HostSettings(std::filesystem::path file);
    std::optional<std::string> get(std::string_view key) const override;
    void set(std::string_view key, std::string_view value) override;

private:
    void save() const;
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace refhost
