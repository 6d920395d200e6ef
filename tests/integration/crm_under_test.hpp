// The reference host's real suite (host.fdb) with the CRM's store and module adapters wired the
// way the plugin entry wires them (crm.fdb, cursors saved after a successful flush), in-process.
#pragma once

#include <module_adapters.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <reference_suite.hpp>

#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace conduit::itest {

namespace sdk = conduit::sdk;

class Logger final : public sdk::ILogger {
public:
    void log(sdk::LogLevel level, std::string_view component, std::string_view message) override;
    std::vector<std::string> lines() const;
    long count(std::string_view needle) const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// Settings kept in DATA/settings.json, so a restarted process finds its cursors.
class FileSettings final : public sdk::ISettings {
public:
    explicit FileSettings(std::filesystem::path file);
    std::optional<std::string> get(std::string_view key) const override;
    void set(std::string_view key, std::string_view value) override;

private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> values_;
};

// A host with the five modules (host.fdb in `dataDir`), its services, and no CRM yet.
struct RealHost {
    explicit RealHost(const std::filesystem::path& dataDir, std::string locale = "pl");
    ~RealHost();  // prints the log when CONDUIT_TEST_VERBOSE is set
    Logger logger;
    FileSettings settings;
    refhost::ReferenceSuite suite;
    struct Rest;
    std::unique_ptr<Rest> rest;  // mail and forms stand-ins
    sdk::HostServices services;
};

// What the plugin entry's start()/stop() do with the store and the adapters (cursors read and saved by
// the plugin's own plugin_settings).
class Crm {
public:
    explicit Crm(sdk::HostServices& services, std::size_t queueCapacity = 1'000'000);
    ~Crm();  // stop()
    void stop();  // drains the adapters, flushes, saves cursors, closes the store
    adapters::ModuleAdapters& adapters() { return *adapters_; }
    crm::EventStore& store() { return *store_; }

private:
    sdk::HostServices& services_;
    std::unique_ptr<crm::EventStore> store_;
    std::unique_ptr<adapters::ModuleAdapters> adapters_;
};

// Every event in the store at `crmFile` (through EventStore::feed pages), oldest first by id.
std::vector<crm::Event> storedEvents(const std::filesystem::path& crmFile);
std::vector<crm::Event> storedEvents(crm::EventStore& store, const crm::FeedFilter& filter = {});

// Every change-log row of every present module (changesSince(0)), as HostChanges.
std::vector<adapters::HostChange> allChanges(sdk::IModuleRegistry& modules);

// Idempotency keys of stored events and of host changes: "one event per change" is equal sets.
inline std::set<std::string> keysOf(const std::vector<crm::Event>& events) {
    std::set<std::string> keys;
    for (auto& e : events) keys.insert(e.idempotencyKey);
    return keys;
}
inline std::set<std::string> keysOf(const std::vector<adapters::HostChange>& changes) {
    std::set<std::string> keys;
    for (auto& c : changes) keys.insert(crm::idempotencyKey(adapters::stampOf(c)));
    return keys;
}

}  // namespace conduit::itest
