// Errors of the event store, each with a message a person can act on.
// ConnectionError means "retry later"; the others mean "something must change".
#pragma once

#include <stdexcept>

namespace conduit::crm {

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The database could not be reached or the connection was lost (server down, file missing).
struct ConnectionError : StoreError {
    using StoreError::StoreError;
};

// The database was written by a newer plugin: its schema is ahead of this build's migrations.
struct SchemaTooNewError : StoreError {
    using StoreError::StoreError;
};

}  // namespace conduit::crm
