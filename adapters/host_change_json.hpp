// HostChange <-> one line of JSON, for the overflow journal: every SDK payload type, every field,
// exactly (ids, minor units, dates as day counts, times as epoch seconds, UTF-8 texts as they are).
#pragma once

#include "host_change.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace conduit::adapters {

struct JournalFormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// {"type":"PaymentRegistered","stamp":{...},...}. The type tag names the SDK struct.
nlohmann::json toJson(const HostChange& change);
// Throws JournalFormatError on an unknown type or a missing/mistyped field.
HostChange hostChangeFromJson(const nlohmann::json& j);

// One line, no newline inside. Invalid UTF-8 in a text becomes U+FFFD rather than an exception:
// the journal must take whatever the host sends.
std::string toJsonLine(const HostChange& change);
HostChange parseJsonLine(std::string_view line);

}  // namespace conduit::adapters
