// Schema migrations: the numbered sql/NNN_*.sql scripts, compiled in, applied in order on start.
// Idempotent and resumable; a database whose schema is newer than this build is refused.
#pragma once

#include <conduit/crm/foundation/clock.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm {

struct Migration {
    int version;
    std::string name;      // file name without .sql: "001_events"
    std::string_view sql;  // statements separated by ';' at line ends
};

// Generated at build time from sql/ (see crm-plugin/core/CMakeLists.txt).
const std::vector<Migration>& embeddedMigrations();

// Splits a script into statements: drops "--" comment lines, splits on ';' ending a line.
std::vector<std::string> splitStatements(std::string_view script);

struct MigrationReport {
    int fromVersion = 0;
    int toVersion = 0;
    std::vector<std::string> applied;  // names of migrations applied by this run
};

class Migrations {
public:
    // `clock` stamps when each migration was applied.
    explicit Migrations(std::vector<Migration> migrations = embeddedMigrations(), Clock clock = systemClock());

    int latestVersion() const;
    // The schema version of the database (0: no CRM tables yet). Ends its transaction.
    static int currentVersion(soci::session& s);

    // Brings the schema to latestVersion(). Each statement commits on its own (Firebird cannot
    // use a table in the transaction that created it) and is recorded, so a run interrupted
    // half-way resumes at the next statement. Throws SchemaTooNewError for a newer database.
    MigrationReport apply(soci::session& s) const;

private:
    std::vector<Migration> migrations_;
    Clock clock_;
};

}  // namespace conduit::crm
