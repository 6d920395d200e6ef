// The reference host's own production suite: its Firebird database (counterparties, projects,
// orders, crews, warehouses, payments), the five modules that change it, and its directory.
#pragma once

#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

namespace refhost {

namespace sdk = conduit::sdk;

struct SuiteOptions {
    std::filesystem::path databaseFile;  // embedded host database, created and seeded if missing
    // Which modules this installation has; all five by default (tests drop some to check that
    // plugins cope with absent modules). Names as in ChangeStamp::module.
    std::set<std::string> modules{"orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"};
};

// The concrete pieces live in their own headers: host_database.hpp (HostDatabase, HostTransaction,
// Actor), orders_module.hpp, scheduling_module.hpp, warehouse_modules.hpp, payments_module.hpp
// (the operations), host_directory.hpp, host_dump.hpp (dumpHostData) and simulator.hpp.
class HostDatabase;
class OrdersModule;
class SchedulingModule;
class FgWarehouseModule;
class MultiWarehouseModule;
class PaymentsModule;
class HostDirectoryChanges;

class ReferenceSuite {
public:
    ReferenceSuite(SuiteOptions options, sdk::ILogger& logger);
    ~ReferenceSuite();
    ReferenceSuite(const ReferenceSuite&) = delete;
    ReferenceSuite& operator=(const ReferenceSuite&) = delete;

    sdk::IModuleRegistry& modules();
    sdk::IDirectory& directory();
    // The directory's change log and signal (SDK 1.3), and what the simulator changes through it.
    HostDirectoryChanges& directoryChanges();
    sdk::User currentUser() const;  // the workstation's user: the dispatcher

    HostDatabase& database();
    // Concrete modules for the simulator (nullptr when absent).
    OrdersModule* orders();
    SchedulingModule* scheduling();
    FgWarehouseModule* fgWarehouse();
    MultiWarehouseModule* multiWarehouse();
    PaymentsModule* payments();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace refhost
