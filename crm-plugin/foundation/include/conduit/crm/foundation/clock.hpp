// The CRM's one notion of "now": whatever stamps a time (events, audit, rules, read marks) takes
// a Clock, so a host that replays or simulates time sees its own time in every row.
#pragma once

#include <conduit/sdk/values.hpp>

#include <chrono>
#include <functional>
#include <utility>

namespace conduit::crm {

using Clock = std::function<sdk::TimePoint()>;

// UTC now, truncated to whole seconds (the precision of every stored time).
inline Clock systemClock() {
    return [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

// The host's clock when it gave one (SDK 1.1), else the system clock.
inline Clock clockOr(std::function<sdk::TimePoint()> hostClock) {
    return hostClock ? Clock(std::move(hostClock)) : systemClock();
}

}  // namespace conduit::crm
