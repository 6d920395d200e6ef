// The audit log: who created, changed or deleted which user event, rule or right, and when, with
// the values before and after as JSON. Append-only; read by object or by actor, newest first.
#pragma once

#include <conduit/crm/foundation/clock.hpp>

#include <conduit/sdk/values.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm {

class Database;
struct Event;

// An event as audit JSON: every field, its further subjects, attachments by name, type, size and
// hash (no content).
nlohmann::json auditJson(const Event& e);

struct AuditEntry {
    std::int64_t id = 0;
    sdk::TimePoint at{};
    sdk::Id actor = 0;
    std::string objectType;  // "event", "rule", "right", "user_role", "project_access"
    std::string objectId;    // an event's idempotency key, a rule's id, "role/pattern", ...
    std::string action;      // "create", "update", "delete"
    nlohmann::json oldValue;  // null when there was none (create)
    nlohmann::json newValue;  // null when there is none (delete)
};

class AuditLog {
public:
    // `clock` stamps the rows this log records.
    explicit AuditLog(Database& db, Clock clock = systemClock()) : db_(db), clock_(std::move(clock)) {}

    // Appends one row in its own transaction. Throws StoreError when it cannot be written.
    std::int64_t record(sdk::Id actor, const std::string& objectType, const std::string& objectId,
                        const std::string& action, const nlohmann::json& oldValue, const nlohmann::json& newValue);
    // The same inside a caller's transaction (a change and its audit row commit together).
    std::int64_t record(soci::session& s, sdk::Id actor, const std::string& objectType, const std::string& objectId,
                        const std::string& action, const nlohmann::json& oldValue, const nlohmann::json& newValue) const {
        return recordAt(s, clock_(), actor, objectType, objectId, action, oldValue, newValue);
    }
    // The same stamped `at`, for a caller that keeps its own clock.
    static std::int64_t recordAt(soci::session& s, sdk::TimePoint at, sdk::Id actor, const std::string& objectType,
                                 const std::string& objectId, const std::string& action, const nlohmann::json& oldValue,
                                 const nlohmann::json& newValue);

    // The writer's transaction participant for user entries (EventWriter::addParticipant): one
    // "create" row per entry stored in the batch, committed with it, with the values as stored.
    // A double save (the same request twice) is stored once, so it is audited once. Stamped with
    // the entry's recordedAt, so the row and the event it audits tell the same time.
    static void recordCreatedEntries(soci::session& s, const std::vector<const Event*>& newEvents);

    // Newest first; `before` is the smallest id of the previous page (keyset).
    std::vector<AuditEntry> byObject(const std::string& objectType, const std::string& objectId, std::size_t limit = 100,
                                     std::optional<std::int64_t> before = std::nullopt);
    std::vector<AuditEntry> byActor(sdk::Id actor, std::size_t limit = 100, std::optional<std::int64_t> before = std::nullopt);

private:
    Database& db_;
    Clock clock_;
};

}  // namespace conduit::crm
