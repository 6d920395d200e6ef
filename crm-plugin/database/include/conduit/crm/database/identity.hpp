// What tells one CRM database from another without a table of its own: its creation time and
// its path as the server sees it. Names an installation (e.g. in notification Message-IDs).
#pragma once

#include <string>

namespace conduit::crm {

class Database;

// The same text for every workstation attached to one database, different for another
// database. Throws StoreError when the database cannot be asked.
std::string databaseIdentity(Database& db);

}  // namespace conduit::crm
