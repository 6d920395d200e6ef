// Listens to every host module that is present and counts what arrives, per module and per
// signal. The first building block of the adapters: it proves the wiring and reports it.
#pragma once

#include <conduit/sdk/modules.hpp>

#include <boost/signals2/connection.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace conduit::crm {

struct ModuleActivity {
    std::string module;
    std::map<std::string, long> bySignal;  // signal name -> count
    long total() const;
};

class ModuleMonitor {
public:
    explicit ModuleMonitor(sdk::IModuleRegistry& modules);
    ~ModuleMonitor();  // disconnects
    ModuleMonitor(const ModuleMonitor&) = delete;
    ModuleMonitor& operator=(const ModuleMonitor&) = delete;

    void disconnect();
    std::vector<ModuleActivity> activity() const;
    std::vector<std::string> connectedModules() const { return connectedModules_; }

private:
    // Slots hold this by shared_ptr: a slot may still run just after disconnect() returns.
    struct Counters {
        mutable std::mutex mutex;
        std::map<std::string, std::map<std::string, long>> counts;
        void bump(const std::string& module, const std::string& signal);
    };
    std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
    std::vector<boost::signals2::scoped_connection> connections_;
    std::vector<std::string> connectedModules_;
};

}  // namespace conduit::crm
