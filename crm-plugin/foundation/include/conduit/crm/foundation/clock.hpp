// The one clock every timestamp the CRM writes comes from: the host's when it provides one
// (a simulating host runs its own time, and the CRM must live in it), the system clock otherwise.
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include <conduit/sdk/values.hpp>

namespace conduit::crm {

using Clock = std::function<sdk::TimePoint()>;

// Now in UTC, truncated to whole seconds because sdk::TimePoint has second precision.
inline Clock systemClock() {
    return [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

// The host's clock when it has one; never call std::chrono::system_clock directly elsewhere,
// or timestamps from a simulated host would mix two timelines.
inline Clock clockOr(std::function<sdk::TimePoint()> hostClock) {
    return hostClock ? Clock(std::move(hostClock)) : systemClock();
}

}  // namespace conduit::crm
