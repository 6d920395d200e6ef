// Helpers for Firebird databases located by a DatabaseLocation: create an embedded file on
// first use and build the SOCI connection string. Shared by hosts and plugins alike.
#pragma once

#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace conduit::sdk {

struct DatabaseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Creates an embedded UTF-8 database at `file` (and its folder) unless it exists.
// Returns true when a new file was created. Throws DatabaseError with Firebird's message.
bool createEmbeddedDatabase(const std::filesystem::path& file);

// SOCI connection string for the Firebird backend ("service=... user=... charset=UTF8").
std::string sociConnectString(const DatabaseLocation& where);

// Human-readable "where", without the password, for log lines and errors.
std::string describeLocation(const DatabaseLocation& where);

}  // namespace conduit::sdk
