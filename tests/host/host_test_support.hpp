// Helpers for the reference host tests: a quiet logger, a suite in a temporary folder, and
// field-by-field views of module payloads (the SDK payloads have no operator==).
#pragma once

#include "host_database.hpp"
#include "reference_suite.hpp"

#include <conduit/sdk/modules.hpp>

#include <test_support.hpp>

#include <memory>
#include <tuple>

namespace hosttest {

namespace sdk = conduit::sdk;

struct QuietLogger final : sdk::ILogger {
    void log(sdk::LogLevel, std::string_view, std::string_view) override {}
};

inline std::unique_ptr<refhost::ReferenceSuite> openSuite(const std::filesystem::path& folder, sdk::ILogger& logger,
                                                          refhost::SuiteOptions options = {}) {
    options.databaseFile = folder / "host.fdb";
    return std::make_unique<refhost::ReferenceSuite>(options, logger);
}

inline sdk::TimePoint at(int day, int hour, int minute = 0) {
    using namespace std::chrono;
    return sdk::TimePoint{sys_days{year{2026} / January / day}} + hours{hour} + minutes{minute};
}
inline sdk::Date date(int month, int day) {
    using namespace std::chrono;
    return sdk::Date{year{2026} / month / day};
}

inline auto fields(const sdk::MaterialsReservedForOrder& p) {
    return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.materials);
}
inline auto fields(const sdk::PrepaymentRequired& p) {
    return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.amount, p.dueDate);
}
inline auto fields(const sdk::ProductionLaunched& p) {
    return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.orderNumber, p.plannedFinish);
}
inline auto fields(const sdk::CrewAssigned& p) {
    return std::tie(p.stamp, p.projectId, p.crewId, p.crewName, p.stage, p.date);
}
inline auto fields(const sdk::StageEvent& p) {
    return std::tie(p.stamp, p.change, p.projectId, p.stage, p.plannedStart, p.plannedFinish, p.previousStart);
}
inline auto fields(const sdk::InstallationPlanned& p) {
    return std::tie(p.stamp, p.projectId, p.crewId, p.date, p.previousDate);
}
inline auto fields(const sdk::ProjectItemsReceived& p) {
    return std::tie(p.stamp, p.projectId, p.warehouseId, p.warehouseName, p.items, p.quantity);
}
inline auto fields(const sdk::ProjectInvoiced& p) {
    return std::tie(p.stamp, p.projectId, p.warehouseId, p.invoiceNumber, p.warehouseName, p.kind);
}
inline auto fields(const sdk::MaterialsReserved& p) {
    return std::tie(p.stamp, p.projectId, p.warehouseId, p.warehouseName, p.materials);
}
inline auto fields(const sdk::PaymentRegistered& p) {
    return std::tie(p.stamp, p.paymentId, p.counterpartyId, p.projectId, p.amount, p.kind, p.document);
}

// Payload equality, also across the variants changesSince returns.
template <class T>
bool samePayload(const T& a, const T& b) {
    return fields(a) == fields(b);
}
template <class... Ts>
bool samePayload(const std::variant<Ts...>& a, const std::variant<Ts...>& b) {
    if (a.index() != b.index()) return false;
    return std::visit([&](const auto& x) { return samePayload(x, std::get<std::decay_t<decltype(x)>>(b)); }, a);
}

}  // namespace hosttest
