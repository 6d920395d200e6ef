#include "reference_suite.hpp"

#include "host_database.hpp"
#include "directory_changes.hpp"
#include "host_directory.hpp"
#include "orders_module.hpp"
#include "payments_module.hpp"
#include "scheduling_module.hpp"
#include "warehouse_modules.hpp"

#include <stdexcept>

namespace refhost {
namespace {

const std::set<std::string> kKnownModules{"orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"};

// Answers which modules this installation has; absent ones are nullptr.
class ModuleRegistry final : public sdk::IModuleRegistry {
public:
    OrdersModule* ordersModule = nullptr;
    SchedulingModule* schedulingModule = nullptr;
    FgWarehouseModule* fgModule = nullptr;
    MultiWarehouseModule* multiModule = nullptr;
    PaymentsModule* paymentsModule = nullptr;

    sdk::IOrdersModule* orders() override { return ordersModule; }
    sdk::ISchedulingModule* scheduling() override { return schedulingModule; }
    sdk::IFgWarehouseModule* fgWarehouse() override { return fgModule; }
    sdk::IMultiWarehouseModule* multiWarehouse() override { return multiModule; }
    sdk::IPaymentsModule* payments() override { return paymentsModule; }
    std::vector<std::string> presentModules() const override {
        std::vector<std::string> out;  // in the order of the SDK's module list
        if (ordersModule) out.emplace_back("orders");
        if (schedulingModule) out.emplace_back("scheduling");
        if (fgModule) out.emplace_back("fg_warehouse");
        if (multiModule) out.emplace_back("multi_warehouse");
        if (paymentsModule) out.emplace_back("payments");
        return out;
    }
};

}  // namespace

struct ReferenceSuite::Impl {
    Impl(const SuiteOptions& options) : db(options.databaseFile), directory(db), changes(db) {}
    HostDatabase db;
    HostDirectory directory;
    HostDirectoryChanges changes;
    std::unique_ptr<OrdersModule> orders;
    std::unique_ptr<SchedulingModule> scheduling;
    std::unique_ptr<FgWarehouseModule> fg;
    std::unique_ptr<MultiWarehouseModule> multi;
    std::unique_ptr<PaymentsModule> payments;
    ModuleRegistry registry;
};

ReferenceSuite::ReferenceSuite(SuiteOptions options, sdk::ILogger& logger) {
    for (const auto& m : options.modules)
        if (!kKnownModules.count(m)) throw std::invalid_argument("unknown host module '" + m + "'");
    impl_ = std::make_unique<Impl>(options);
    auto has = [&](const char* m) { return options.modules.count(m) > 0; };
    if (has("orders")) impl_->registry.ordersModule = (impl_->orders = std::make_unique<OrdersModule>(impl_->db)).get();
    if (has("scheduling"))
        impl_->registry.schedulingModule = (impl_->scheduling = std::make_unique<SchedulingModule>(impl_->db)).get();
    if (has("fg_warehouse")) impl_->registry.fgModule = (impl_->fg = std::make_unique<FgWarehouseModule>(impl_->db)).get();
    if (has("multi_warehouse"))
        impl_->registry.multiModule = (impl_->multi = std::make_unique<MultiWarehouseModule>(impl_->db)).get();
    if (has("payments"))
        impl_->registry.paymentsModule = (impl_->payments = std::make_unique<PaymentsModule>(impl_->db)).get();

    std::string present;
    for (const auto& m : impl_->registry.presentModules()) present += (present.empty() ? "" : ", ") + m;
    logger.log(sdk::LogLevel::Info, "suite",
               "host database " + options.databaseFile.string() + "; modules: " + (present.empty() ? "none" : present));
}

ReferenceSuite::~ReferenceSuite() = default;

sdk::IModuleRegistry& ReferenceSuite::modules() { return impl_->registry; }
sdk::IDirectory& ReferenceSuite::directory() { return impl_->directory; }
HostDirectoryChanges& ReferenceSuite::directoryChanges() { return impl_->changes; }

sdk::User ReferenceSuite::currentUser() const {
    // The workstation belongs to the first dispatcher (seed user 1).
    if (auto u = impl_->directory.user(1)) return *u;
    throw std::runtime_error("host database has no dispatcher user");
}

HostDatabase& ReferenceSuite::database() { return impl_->db; }
OrdersModule* ReferenceSuite::orders() { return impl_->orders.get(); }
SchedulingModule* ReferenceSuite::scheduling() { return impl_->scheduling.get(); }
FgWarehouseModule* ReferenceSuite::fgWarehouse() { return impl_->fg.get(); }
MultiWarehouseModule* ReferenceSuite::multiWarehouse() { return impl_->multi.get(); }
PaymentsModule* ReferenceSuite::payments() { return impl_->payments.get(); }

}  // namespace refhost
