#include <conduit/sdk/firebird_file.hpp>

#include <ibase.h>
#include <soci/firebird/soci-firebird.h>
#include <soci/soci.h>

#include <algorithm>
#include <vector>

#include <mutex>

namespace conduit::sdk {
namespace {

std::string statusText(const ISC_STATUS* status) {
    std::string text;
    char buf[512];
    const ISC_STATUS* p = status;
    while (fb_interpret(buf, sizeof buf, &p)) {
        if (!text.empty()) text += "; ";
        text += buf;
    }
    return text.empty() ? "unknown Firebird error" : text;
}

std::string quoteSqlLiteral(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

// A raw attachment (SOCI has no way to pass isc_dpb_force_write), detached on scope exit.
class RawAttachment {
public:
    RawAttachment(const std::filesystem::path& file, std::vector<char> extra) {
        std::vector<char> dpb{isc_dpb_version1, isc_dpb_user_name, 6, 'S', 'Y', 'S', 'D', 'B', 'A'};
        dpb.insert(dpb.end(), extra.begin(), extra.end());
        const std::string path = file.string();
        ISC_STATUS_ARRAY status{};
        if (isc_attach_database(status, 0, path.c_str(), &db_, static_cast<short>(dpb.size()), dpb.data()))
            throw DatabaseError("cannot open " + path + " to read or set its write mode: " + statusText(status));
    }
    ~RawAttachment() {
        ISC_STATUS_ARRAY status{};
        if (db_) isc_detach_database(status, &db_);
    }
    RawAttachment(const RawAttachment&) = delete;
    RawAttachment& operator=(const RawAttachment&) = delete;

    bool forcedWrites() {
        const char items[] = {isc_info_forced_writes, isc_info_end};
        char buffer[64]{};
        ISC_STATUS_ARRAY status{};
        if (isc_database_info(status, &db_, sizeof items, items, sizeof buffer, buffer))
            throw DatabaseError("cannot read the write mode of a database: " + statusText(status));
        if (buffer[0] != isc_info_forced_writes) throw DatabaseError("unexpected answer to isc_info_forced_writes");
        const short len = static_cast<short>(isc_vax_integer(buffer + 1, 2));
        return isc_vax_integer(buffer + 3, len) != 0;
    }

private:
    isc_db_handle db_ = 0;
};

}  // namespace

bool embeddedForcedWrites(const std::filesystem::path& file) { return RawAttachment(file, {}).forcedWrites(); }

void setEmbeddedForcedWrites(const std::filesystem::path& file, bool on) {
    RawAttachment set(file, {isc_dpb_force_write, 1, static_cast<char>(on ? 1 : 0)});
    if (set.forcedWrites() != on) throw DatabaseError("the database " + file.string() + " did not take the write mode");
}

void registerFirebirdBackend() {
    static std::once_flag once;
    std::call_once(once, [] {
        try {
            soci::register_factory_firebird();
        } catch (const soci::soci_error&) {
            // "Backend firebird is used and can't be unloaded": another binary of this process
            // (the host, or a plugin) registered the same shared libsoci_firebird already.
            const auto names = soci::dynamic_backends::list_all();
            if (std::find(names.begin(), names.end(), "firebird") == names.end()) throw;
        }
    });
}

void shutdownFirebird() { fb_shutdown(0, fb_shutrsn_app_stopped); }

bool createEmbeddedDatabase(const std::filesystem::path& file) {
    static std::mutex mutex;  // two components of one process creating one file at once
    std::lock_guard lock(mutex);
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return false;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) throw DatabaseError("cannot create folder " + file.parent_path().string() + ": " + ec.message());

    // CREATE DATABASE cannot be prepared with parameters; the path comes from configuration, and
    // is quoted as an SQL literal.
    const std::string sql = "CREATE DATABASE " + quoteSqlLiteral(file.string()) +
                            " USER 'SYSDBA' PAGE_SIZE 16384 DEFAULT CHARACTER SET UTF8";
    ISC_STATUS_ARRAY status{};
    isc_db_handle db = 0;
    isc_tr_handle tr = 0;
    if (isc_dsql_execute_immediate(status, &db, &tr, 0, sql.c_str(), SQL_DIALECT_V6, nullptr))
        throw DatabaseError("cannot create database " + file.string() + ": " + statusText(status));
    isc_detach_database(status, &db);
    return true;
}

std::string sociConnectString(const DatabaseLocation& where) {
    // SOCI's Firebird backend splits parameters on spaces and has no quoting: refuse what it
    // would mis-parse rather than connect somewhere unintended.
    auto checked = [](const std::string& v, const char* what) {
        if (v.find_first_of(" \t\n") != std::string::npos)
            throw DatabaseError(std::string("database ") + what + " must not contain spaces: '" + v + "'");
        return v;
    };
    std::string service;
    if (where.kind == DatabaseLocation::Kind::Embedded) {
        service = checked(where.file.string(), "file path");
    } else {
        service = checked(where.host, "host") + "/" + std::to_string(where.port) + ":" + checked(where.database, "path");
    }
    std::string s = "service=" + service + " user=" + checked(where.user.empty() ? "SYSDBA" : where.user, "user") +
                    " charset=UTF8";
    if (!where.password.empty()) s += " password=" + checked(where.password, "password");
    return s;
}

std::string describeLocation(const DatabaseLocation& where) {
    if (where.kind == DatabaseLocation::Kind::Embedded) return "embedded database " + where.file.string();
    return "Firebird server " + where.host + ":" + std::to_string(where.port) + " database " + where.database;
}

}  // namespace conduit::sdk
