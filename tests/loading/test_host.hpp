// A tiny in-process host for loading tests: real PluginManager, simple in-memory services,
// a payments module whose signal the test fires from any thread.
#pragma once

#include <conduit/sdk/plugin_manager.hpp>

#include <memory_directory.hpp>
#include <null_services.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace conduit::test {

class CapturingLogger : public sdk::ILogger {
public:
    void log(sdk::LogLevel level, std::string_view component, std::string_view message) override;
    std::vector<std::string> lines() const;
    bool contains(std::string_view needle) const;
    // Index of the first line containing needle, or -1.
    int indexOf(std::string_view needle) const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class MemorySettings : public sdk::ISettings {
public:
    std::optional<std::string> get(std::string_view key) const override;
    void set(std::string_view key, std::string_view value) override;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> values_;
};

class RecordingForms : public sdk::IFormRegistry {
public:
    void addForm(sdk::FormSpec spec) override;
    void removeForm(const std::string& id) override;
    bool openForm(const std::string& id) override;
    std::vector<std::string> ids() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, sdk::FormSpec> forms_;
};



struct TestHost {
    explicit TestHost(const std::filesystem::path& dataDir);
    ~TestHost();  // prints the log when CONDUIT_TEST_VERBOSE is set
    CapturingLogger logger;
    MemorySettings settings;
    PaymentsOnlyModules modules;
    RecordingForms forms;
    NullMail mail;
    MemoryDirectory directory;  // empty: the loading tests need no names
    sdk::HostServices services;
    void emitPayment(std::int64_t seq);
};

}  // namespace conduit::test
