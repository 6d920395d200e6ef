// One value for anything a host module reports: what an adapter's slot copies into the ingest
// queue on the host's thread, and what catch-up reads back from changesSince().
#pragma once

#include <conduit/sdk/modules.hpp>

#include <variant>

namespace conduit::adapters {

namespace sdk = conduit::sdk;

using HostChange = std::variant<sdk::MaterialsReservedForOrder, sdk::PrepaymentRequired, sdk::ProductionLaunched,
                                sdk::CrewAssigned, sdk::StageEvent, sdk::InstallationPlanned,
                                sdk::ProjectItemsReceived, sdk::ProjectInvoiced, sdk::MaterialsReserved,
                                sdk::PaymentRegistered>;

inline const sdk::ChangeStamp& stampOf(const HostChange& change) {
    return std::visit([](const auto& p) -> const sdk::ChangeStamp& { return p.stamp; }, change);
}

// Widens a module's own change variant (from changesSince) into a HostChange.
template <class ModuleChange>
HostChange widen(ModuleChange&& change) {
    return std::visit([](auto&& p) -> HostChange { return HostChange{std::forward<decltype(p)>(p)}; },
                      std::forward<ModuleChange>(change));
}

}  // namespace conduit::adapters
