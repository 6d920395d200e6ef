// Plain value types shared by every module payload: ids, money, time, change stamps.
// Nothing here points into the host; every payload can be copied and kept after a signal returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace conduit::sdk {

using Id = std::int64_t;  // host entity ids; 0 means "none"
using TimePoint = std::chrono::sys_seconds;  // UTC, second precision
using Date = std::chrono::sys_days;          // calendar date (UTC midnight)

// Money in integer minor units (kopecks, grosze, cents): no floating point anywhere.
struct Money {
    std::int64_t minor = 0;
    std::string currency = "PLN";  // ISO 4217
    friend bool operator==(const Money&, const Money&) = default;
};

// Where a change comes from. `seq` is the module's monotonically increasing cursor;
// (module, entity, version) is stable across replays and is what idempotency keys derive from.
struct ChangeStamp {
    std::int64_t seq = 0;
    std::string module;   // "orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"
    std::string entity;   // e.g. "order:42", "project:17/stage:assembly"
    std::int64_t version = 0;
    TimePoint at{};       // when it happened in the host (simulated time in the reference host)
    Id userId = 0;        // host user who made the change, 0 for the system
    friend bool operator==(const ChangeStamp&, const ChangeStamp&) = default;
};

}  // namespace conduit::sdk
