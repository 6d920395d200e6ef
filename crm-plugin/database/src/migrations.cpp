#include <conduit/crm/database/migrations.hpp>

#include <conduit/crm/database/errors.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <ctime>

namespace conduit::crm {
namespace {

bool versionTableExists(soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM RDB$RELATIONS WHERE RDB$RELATION_NAME = 'CRM_SCHEMA_VERSION'", soci::into(n);
    return n > 0;
}

std::tm utcTm(sdk::TimePoint at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

}  // namespace

std::vector<std::string> splitStatements(std::string_view script) {
    std::vector<std::string> out;
    std::string current;
    std::size_t pos = 0;
    while (pos < script.size()) {
        std::size_t end = script.find('\n', pos);
        if (end == std::string_view::npos) end = script.size();
        std::string_view line = script.substr(pos, end - pos);
        pos = end + 1;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line.substr(first, 2) == "--") continue;
        const auto last = line.find_last_not_of(" \t\r");
        line = line.substr(0, last + 1);
        if (line.back() == ';') {
            current.append(line.substr(0, line.size() - 1));
            // A stray ';' line is no statement (found by fuzz_migration_splitter).
            if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(std::move(current));
            current.clear();
        } else {
            current.append(line).append("\n");
        }
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
    return out;
}

Migrations::Migrations(std::vector<Migration> migrations, Clock clock)
    : migrations_(std::move(migrations)), clock_(std::move(clock)) {
    std::sort(migrations_.begin(), migrations_.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
}

int Migrations::latestVersion() const { return migrations_.empty() ? 0 : migrations_.back().version; }

int Migrations::currentVersion(soci::session& s) {
    int version = 0;
    if (versionTableExists(s)) {
        soci::indicator ind = soci::i_ok;
        s << "SELECT MAX(VERSION) FROM CRM_SCHEMA_VERSION WHERE COMPLETED = 1", soci::into(version, ind);
        if (ind == soci::i_null) version = 0;
    }
    s.commit();
    return version;
}

MigrationReport Migrations::apply(soci::session& s) const {
    if (!versionTableExists(s)) {
        // Bootstrap, outside the numbered scripts: the runner needs this table to know anything.
        s << "CREATE TABLE CRM_SCHEMA_VERSION ("
             " VERSION INTEGER NOT NULL PRIMARY KEY,"
             " NAME VARCHAR(100) NOT NULL,"
             " STEPS_DONE INTEGER NOT NULL,"
             " COMPLETED SMALLINT NOT NULL,"
             " APPLIED_AT TIMESTAMP NOT NULL)";
        s.commit();
    }
    MigrationReport report;
    report.fromVersion = currentVersion(s);
    if (report.fromVersion > latestVersion())
        throw SchemaTooNewError("the CRM database has schema version " + std::to_string(report.fromVersion) +
                                ", newer than this plugin's " + std::to_string(latestVersion()) +
                                ": it was written by a newer Conduit CRM. Update the plugin on this workstation; "
                                "the database was left untouched.");

    for (const auto& m : migrations_) {
        if (m.version <= report.fromVersion) continue;
        int stepsDone = 0;
        soci::indicator ind = soci::i_null;
        s << "SELECT STEPS_DONE FROM CRM_SCHEMA_VERSION WHERE VERSION = :v", soci::use(m.version), soci::into(stepsDone, ind);
        if (ind == soci::i_null) {
            stepsDone = 0;
            std::tm now = utcTm(clock_());
            s << "INSERT INTO CRM_SCHEMA_VERSION (VERSION, NAME, STEPS_DONE, COMPLETED, APPLIED_AT) VALUES (:v, :n, 0, 0, :t)",
                soci::use(m.version), soci::use(m.name), soci::use(now);
        }
        s.commit();

        const auto statements = splitStatements(m.sql);
        for (int i = stepsDone; i < static_cast<int>(statements.size()); ++i) {
            // The statement and its step record commit together: a crash never leaves a step
            // applied but unrecorded.
            try {
                const int done = i + 1;
                s << statements[i];
                s << "UPDATE CRM_SCHEMA_VERSION SET STEPS_DONE = :d WHERE VERSION = :v", soci::use(done), soci::use(m.version);
                s.commit();
            } catch (const std::exception& e) {
                try { s.rollback(); } catch (const std::exception&) {}
                throw StoreError("CRM migration " + m.name + " failed at statement " + std::to_string(i + 1) + ": " + e.what());
            }
        }
        std::tm now = utcTm(clock_());
        s << "UPDATE CRM_SCHEMA_VERSION SET COMPLETED = 1, APPLIED_AT = :t WHERE VERSION = :v", soci::use(now), soci::use(m.version);
        s.commit();
        report.applied.push_back(m.name);
    }
    report.toVersion = currentVersion(s);
    return report;
}

}  // namespace conduit::crm
