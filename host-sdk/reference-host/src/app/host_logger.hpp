// The reference host's logger: every component's lines (host and plugins) go to the console
// and to DATA/logs/host.log through spdlog.
#pragma once

#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <memory>

namespace spdlog { class logger; }

namespace refhost {

class HostLogger : public conduit::sdk::ILogger {
public:
    // logFile empty: console only. quiet: console shows warnings and errors only.
    explicit HostLogger(const std::filesystem::path& logFile, bool quiet = false);
    ~HostLogger() override;
    void log(conduit::sdk::LogLevel level, std::string_view component, std::string_view message) override;
    void flush();

private:
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace refhost
