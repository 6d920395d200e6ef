// The suite's change log: every module change is one row, written in the change's own transaction.
// changesSince() of each module is rebuilt from it, so catch-up sees exactly what signals carried.
#pragma once

#include "host_database.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace refhost {

struct ChangeRow {
    sdk::ChangeStamp stamp;
    std::string changeType;  // e.g. "prepayment_required"
    nlohmann::json payload;  // the payload's own fields, without the stamp
};

// Appends a row (seq = MAX(SEQ)+1, version = per-entity counter) and returns its stamp.
sdk::ChangeStamp appendChange(soci::session& sql, std::string_view module, std::string_view changeType,
                              const std::string& entity, const Actor& by, const nlohmann::json& payload);

// Rows of one module with seq > cursor, oldest first, at most `limit`.
std::vector<ChangeRow> readChanges(HostDatabase& db, std::string_view module, std::int64_t cursor, std::size_t limit);

}  // namespace refhost
