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

// Registers SOCI's Firebird backend statically (dlopen'ed backends crash on unload inside a
// plugin, SOCI #1373). Host and plugin share libsoci_core's registry, so the second caller in a
// process finds the backend registered already: that is fine, not an error.
void registerFirebirdBackend();

// Closes Firebird's embedded engine. Call once before the process exits, after every
// connection is closed: left to its exit handlers, libfbclient 3.0 can deadlock between its
// shutdown thread and atexit (seen here with two embedded databases open in one process).
void shutdownFirebird();

// Creates an embedded UTF-8 database at `file` (and its folder) unless it exists.
// Returns true when a new file was created. Throws DatabaseError with Firebird's message.
bool createEmbeddedDatabase(const std::filesystem::path& file);

// The forced-writes flag in the header of an embedded database file (each page write synchronous
// when on), read and set through an attachment of its own (what `gfix -write` does). Throw
// DatabaseError with Firebird's message.
bool embeddedForcedWrites(const std::filesystem::path& file);
void setEmbeddedForcedWrites(const std::filesystem::path& file, bool on);

// SOCI connection string for the Firebird backend ("service=... user=... charset=UTF8").
std::string sociConnectString(const DatabaseLocation& where);

// Human-readable "where", without the password, for log lines and errors.
std::string describeLocation(const DatabaseLocation& where);

}  // namespace conduit::sdk
