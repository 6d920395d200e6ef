// A host-side helper: finds plugin libraries in a folder, checks their SDK version before any
// plugin code runs, starts them in load order and stops them in reverse. Any host may use it.
#pragma once

#include <conduit/sdk/plugin.hpp>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace conduit::sdk {

struct LoadedPlugin {
    std::filesystem::path file;
    PluginInfo info;
    bool started = false;
    std::string error;  // why it did not load or start; empty when fine
};

class PluginManager {
public:
    explicit PluginManager(ILogger& logger);
    ~PluginManager();  // stops whatever is still running
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;

    // Loads every shared library in `folder` (sorted by file name). Failures are logged and
    // recorded in plugins(); they never throw.
    void loadFolder(const std::filesystem::path& folder);
    // Loads one library; returns false (and logs why) when it is not a usable plugin.
    bool load(const std::filesystem::path& file);
    // Starts every loaded plugin in load order; a plugin whose start throws is stopped and skipped.
    void startAll(HostServices& services);
    // Stops started plugins in reverse order. Libraries stay mapped until the process exits
    // (see DESIGN.md: unloading code that Qt or Signals2 may still reference is not safe).
    void stopAll();

    const std::vector<LoadedPlugin>& plugins() const { return records_; }
    std::size_t startedCount() const;

private:
    struct Entry;
    ILogger& log_;
    std::vector<LoadedPlugin> records_;
    std::vector<std::unique_ptr<Entry>> entries_;  // parallel to the usable records
};

}  // namespace conduit::sdk
