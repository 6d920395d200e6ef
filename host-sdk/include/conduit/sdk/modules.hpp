// The five host modules of SDK v1: their signal payloads, signals and catch-up queries.
// A host implements the modules it has; the registry answers which are present.
#pragma once

#include <conduit/sdk/values.hpp>

#include <boost/signals2/signal.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace conduit::sdk {

// ---- orders -------------------------------------------------------------------------------
struct MaterialsReservedForOrder {
    ChangeStamp stamp;
    Id orderId = 0, projectId = 0, counterpartyId = 0;
    std::string materials;  // human-readable list, host locale
};
struct PrepaymentRequired {
    ChangeStamp stamp;
    Id orderId = 0, projectId = 0, counterpartyId = 0;
    Money amount;
    Date dueDate{};
};
struct ProductionLaunched {
    ChangeStamp stamp;
    Id orderId = 0, projectId = 0, counterpartyId = 0;
    std::string orderNumber;
    Date plannedFinish{};
};
using OrdersChange = std::variant<MaterialsReservedForOrder, PrepaymentRequired, ProductionLaunched>;

// ---- scheduling ---------------------------------------------------------------------------
struct CrewAssigned {
    ChangeStamp stamp;
    Id projectId = 0, crewId = 0;
    std::string crewName, stage;
    Date date{};
};
enum class StageChange { Planned, Rescheduled, Started, Finished };
struct StageEvent {
    ChangeStamp stamp;
    StageChange change = StageChange::Planned;
    Id projectId = 0;
    std::string stage;           // "measurement", "production", "delivery", "installation"
    Date plannedStart{}, plannedFinish{};
    std::optional<Date> previousStart;  // set for Rescheduled
};
struct InstallationPlanned {
    ChangeStamp stamp;
    Id projectId = 0, crewId = 0;
    Date date{};
    std::optional<Date> previousDate;
};
using SchedulingChange = std::variant<CrewAssigned, StageEvent, InstallationPlanned>;

// ---- finished-goods warehouse -------------------------------------------------------------
struct ProjectItemsReceived {
    ChangeStamp stamp;
    Id projectId = 0, warehouseId = 0;
    std::string warehouseName, items;
    int quantity = 0;
};
using FgWarehouseChange = std::variant<ProjectItemsReceived>;

// ---- multi-warehouse ----------------------------------------------------------------------
struct ProjectInvoiced {
    ChangeStamp stamp;
    Id projectId = 0, warehouseId = 0;
    std::string invoiceNumber, warehouseName, kind;  // kind: "invoice" or "waybill"
};
struct MaterialsReserved {
    ChangeStamp stamp;
    Id projectId = 0, warehouseId = 0;
    std::string warehouseName, materials;
};
using MultiWarehouseChange = std::variant<ProjectInvoiced, MaterialsReserved>;

// ---- payments -----------------------------------------------------------------------------
enum class PaymentKind { Prepayment, Final, Other };
struct PaymentRegistered {
    ChangeStamp stamp;
    Id paymentId = 0, counterpartyId = 0, projectId = 0;
    Money amount;
    PaymentKind kind = PaymentKind::Other;
    std::string document;  // bank reference or cash receipt number
};
using PaymentsChange = std::variant<PaymentRegistered>;

// ---- module interfaces --------------------------------------------------------------------
// Signals are emitted after the host committed the change, on the thread that made it.
// changesSince(cursor) returns changes with stamp.seq > cursor, oldest first, at most `limit`.
class IModule {
public:
    virtual ~IModule() = default;
    virtual std::string_view id() const = 0;
};

class IOrdersModule : public IModule {
public:
    boost::signals2::signal<void(const MaterialsReservedForOrder&)> materialsReserved;
    boost::signals2::signal<void(const PrepaymentRequired&)> prepaymentRequired;
    boost::signals2::signal<void(const ProductionLaunched&)> productionLaunched;
    virtual std::vector<OrdersChange> changesSince(std::int64_t cursor, std::size_t limit) = 0;
};

class ISchedulingModule : public IModule {
public:
    boost::signals2::signal<void(const CrewAssigned&)> crewAssigned;
    boost::signals2::signal<void(const StageEvent&)> stageChanged;
    boost::signals2::signal<void(const InstallationPlanned&)> installationPlanned;
    virtual std::vector<SchedulingChange> changesSince(std::int64_t cursor, std::size_t limit) = 0;
};

class IFgWarehouseModule : public IModule {
public:
    boost::signals2::signal<void(const ProjectItemsReceived&)> itemsReceived;
    virtual std::vector<FgWarehouseChange> changesSince(std::int64_t cursor, std::size_t limit) = 0;
};

class IMultiWarehouseModule : public IModule {
public:
    boost::signals2::signal<void(const ProjectInvoiced&)> projectInvoiced;
    boost::signals2::signal<void(const MaterialsReserved&)> materialsReserved;
    virtual std::vector<MultiWarehouseChange> changesSince(std::int64_t cursor, std::size_t limit) = 0;
};

class IPaymentsModule : public IModule {
public:
    boost::signals2::signal<void(const PaymentRegistered&)> paymentRegistered;
    virtual std::vector<PaymentsChange> changesSince(std::int64_t cursor, std::size_t limit) = 0;
};

// Modules are optional: each accessor returns nullptr when the suite lacks that module.
class IModuleRegistry {
public:
    virtual ~IModuleRegistry() = default;
    virtual IOrdersModule* orders() = 0;
    virtual ISchedulingModule* scheduling() = 0;
    virtual IFgWarehouseModule* fgWarehouse() = 0;
    virtual IMultiWarehouseModule* multiWarehouse() = 0;
    virtual IPaymentsModule* payments() = 0;
    virtual std::vector<std::string> presentModules() const = 0;
};

}  // namespace conduit::sdk
