#include "host_database.hpp"

#include "seed_data.hpp"

#include <conduit/sdk/firebird_file.hpp>

#include <soci/firebird/soci-firebird.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace refhost {
namespace {

struct TableDdl {
    const char* name;
    const char* ddl;
};

// The host schema. Money is BIGINT minor units; dates are DATE, moments TIMESTAMP (simulated time).
constexpr TableDdl kSchema[] = {
    {"HOST_META", "CREATE TABLE HOST_META (ID INTEGER NOT NULL PRIMARY KEY, SCHEMA_VERSION INTEGER NOT NULL, "
                  "SEEDED SMALLINT NOT NULL)"},
    {"HOST_DEPARTMENTS", "CREATE TABLE HOST_DEPARTMENTS (ID BIGINT NOT NULL PRIMARY KEY, CODE VARCHAR(20) NOT NULL, "
                         "NAME VARCHAR(100) NOT NULL)"},
    {"HOST_USERS", "CREATE TABLE HOST_USERS (ID BIGINT NOT NULL PRIMARY KEY, LOGIN VARCHAR(40) NOT NULL, "
                   "FULL_NAME VARCHAR(120) NOT NULL, EMAIL VARCHAR(120) NOT NULL, DEPARTMENT_ID BIGINT NOT NULL, "
                   "LANG VARCHAR(2) NOT NULL)"},
    {"HOST_COUNTERPARTIES",
     "CREATE TABLE HOST_COUNTERPARTIES (ID BIGINT NOT NULL PRIMARY KEY, KIND VARCHAR(10) NOT NULL, "
     "NAME VARCHAR(200) NOT NULL, TAX_ID VARCHAR(20) NOT NULL, CITY VARCHAR(80) NOT NULL, "
     "ADDRESS VARCHAR(200) NOT NULL, CONTACT_NAME VARCHAR(120) NOT NULL, CONTACT_EMAIL VARCHAR(120) NOT NULL, "
     "CONTACT_PHONE VARCHAR(30) NOT NULL, LANG VARCHAR(2) NOT NULL, PAYMENT_HABIT VARCHAR(10) NOT NULL, "
     "NOTES VARCHAR(500) NOT NULL)"},
    {"HOST_PROJECTS",
     "CREATE TABLE HOST_PROJECTS (ID BIGINT NOT NULL PRIMARY KEY, CODE VARCHAR(20) NOT NULL, NAME VARCHAR(200) NOT NULL, "
     "COUNTERPARTY_ID BIGINT NOT NULL, MANAGER_ID BIGINT NOT NULL, MEASURER_ID BIGINT NOT NULL, "
     "STATUS VARCHAR(30) NOT NULL, ADDRESS VARCHAR(200) NOT NULL, VALUE_MINOR BIGINT NOT NULL, "
     "CURRENCY VARCHAR(3) NOT NULL, CREATED_AT TIMESTAMP NOT NULL, STATUS_DATE DATE NOT NULL)"},
    {"HOST_ORDERS",
     "CREATE TABLE HOST_ORDERS (ID BIGINT NOT NULL PRIMARY KEY, PROJECT_ID BIGINT NOT NULL, "
     "ORDER_NUMBER VARCHAR(30) NOT NULL, STATUS VARCHAR(30) NOT NULL, AMOUNT_MINOR BIGINT NOT NULL, "
     "CURRENCY VARCHAR(3) NOT NULL, PREPAYMENT_MINOR BIGINT NOT NULL, PREPAYMENT_DUE DATE, PLANNED_FINISH DATE, "
     "MATERIALS VARCHAR(500) NOT NULL, CREATED_AT TIMESTAMP NOT NULL)"},
    {"HOST_CREWS", "CREATE TABLE HOST_CREWS (ID BIGINT NOT NULL PRIMARY KEY, NAME VARCHAR(100) NOT NULL, "
                   "LEADER VARCHAR(120) NOT NULL, PHONE VARCHAR(30) NOT NULL)"},
    {"HOST_WAREHOUSES", "CREATE TABLE HOST_WAREHOUSES (ID BIGINT NOT NULL PRIMARY KEY, CODE VARCHAR(20) NOT NULL, "
                        "NAME VARCHAR(120) NOT NULL, KIND VARCHAR(20) NOT NULL, CITY VARCHAR(80) NOT NULL)"},
    {"HOST_PAYMENTS",
     "CREATE TABLE HOST_PAYMENTS (ID BIGINT NOT NULL PRIMARY KEY, COUNTERPARTY_ID BIGINT NOT NULL, "
     "PROJECT_ID BIGINT NOT NULL, AMOUNT_MINOR BIGINT NOT NULL, CURRENCY VARCHAR(3) NOT NULL, "
     "KIND VARCHAR(20) NOT NULL, DOCUMENT VARCHAR(60) NOT NULL, PAID_AT TIMESTAMP NOT NULL)"},
    {"HOST_STAGES",
     "CREATE TABLE HOST_STAGES (PROJECT_ID BIGINT NOT NULL, STAGE VARCHAR(20) NOT NULL, "
     "PLANNED_START DATE NOT NULL, PLANNED_FINISH DATE NOT NULL, STATUS VARCHAR(20) NOT NULL, "
     "STARTED_AT TIMESTAMP, FINISHED_AT TIMESTAMP, PRIMARY KEY (PROJECT_ID, STAGE))"},
    {"HOST_CREW_ASSIGNMENTS",
     "CREATE TABLE HOST_CREW_ASSIGNMENTS (ID BIGINT NOT NULL PRIMARY KEY, PROJECT_ID BIGINT NOT NULL, "
     "CREW_ID BIGINT NOT NULL, STAGE VARCHAR(20) NOT NULL, WORK_DATE DATE NOT NULL)"},
    {"HOST_INSTALLATIONS",
     "CREATE TABLE HOST_INSTALLATIONS (PROJECT_ID BIGINT NOT NULL PRIMARY KEY, CREW_ID BIGINT NOT NULL, "
     "INSTALL_DATE DATE NOT NULL)"},
    {"HOST_RECEIPTS",
     "CREATE TABLE HOST_RECEIPTS (ID BIGINT NOT NULL PRIMARY KEY, PROJECT_ID BIGINT NOT NULL, "
     "WAREHOUSE_ID BIGINT NOT NULL, ITEMS VARCHAR(500) NOT NULL, QUANTITY INTEGER NOT NULL, "
     "RECEIVED_AT TIMESTAMP NOT NULL)"},
    {"HOST_STOCK_DOCUMENTS",
     "CREATE TABLE HOST_STOCK_DOCUMENTS (ID BIGINT NOT NULL PRIMARY KEY, PROJECT_ID BIGINT NOT NULL, "
     "WAREHOUSE_ID BIGINT NOT NULL, KIND VARCHAR(10) NOT NULL, DOC_NUMBER VARCHAR(30) NOT NULL, "
     "ISSUED_AT TIMESTAMP NOT NULL)"},
    {"HOST_RESERVATIONS",
     "CREATE TABLE HOST_RESERVATIONS (ID BIGINT NOT NULL PRIMARY KEY, PROJECT_ID BIGINT NOT NULL, "
     "ORDER_ID BIGINT NOT NULL, WAREHOUSE_ID BIGINT NOT NULL, MATERIALS VARCHAR(500) NOT NULL, "
     "RESERVED_AT TIMESTAMP NOT NULL)"},
    {"HOST_CHANGE_LOG",
     "CREATE TABLE HOST_CHANGE_LOG (SEQ BIGINT NOT NULL PRIMARY KEY, MODULE VARCHAR(20) NOT NULL, "
     "CHANGE_TYPE VARCHAR(40) NOT NULL, ENTITY VARCHAR(80) NOT NULL, VERSION BIGINT NOT NULL, "
     "AT_TS TIMESTAMP NOT NULL, USER_ID BIGINT NOT NULL, PAYLOAD VARCHAR(4000) NOT NULL)"},
    {"HOST_SIM_STATE",
     "CREATE TABLE HOST_SIM_STATE (ID INTEGER NOT NULL PRIMARY KEY, SEED BIGINT NOT NULL, "
     "DAY_DONE INTEGER NOT NULL, STEP_IN_DAY INTEGER NOT NULL, STEPS BIGINT NOT NULL)"},
};

constexpr TableDdl kIndices[] = {
    {"HOST_CHANGE_LOG_MODULE", "CREATE INDEX HOST_CHANGE_LOG_MODULE ON HOST_CHANGE_LOG (MODULE, SEQ)"},
    {"HOST_CHANGE_LOG_ENTITY", "CREATE INDEX HOST_CHANGE_LOG_ENTITY ON HOST_CHANGE_LOG (MODULE, ENTITY)"},
    {"HOST_PROJECTS_STATUS", "CREATE INDEX HOST_PROJECTS_STATUS ON HOST_PROJECTS (STATUS, ID)"},
    {"HOST_ORDERS_PROJECT", "CREATE INDEX HOST_ORDERS_PROJECT ON HOST_ORDERS (PROJECT_ID)"},
    {"HOST_STAGES_STATUS", "CREATE INDEX HOST_STAGES_STATUS ON HOST_STAGES (STATUS, PLANNED_START)"},
};

// True when the system tables know `name` (a table or an index).
bool exists(soci::session& sql, const char* query, const char* name) {
    std::string n = name;
    int count = 0;
    sql << query, soci::use(n), soci::into(count);
    return count > 0;
}

constexpr int kSchemaVersion = 1;

}  // namespace

// ---- transactions --------------------------------------------------------------------------

HostTransaction::HostTransaction(HostDatabase& db)
    : db_(db), writer_(db.writerMutex_), session_(db.acquire()) {}

HostTransaction::~HostTransaction() {
    if (!done_) {
        try { session_->rollback(); } catch (...) {}
    }
    db_.release(session_);
}

void HostTransaction::commit() {
    session_->commit();
    done_ = true;
    writer_.unlock();
    auto emits = std::move(afterCommit_);
    for (auto& emit : emits) emit();
}

// ---- pool -------------------------------------------------------------------------------------

HostDatabase::Lease::Lease(HostDatabase& d) : db(d), session(d.acquire()) {}
HostDatabase::Lease::~Lease() { db.release(session); }

HostDatabase::HostDatabase(const std::filesystem::path& file, std::size_t poolSize)
    : file_(file), poolSize_(poolSize < 1 ? 1 : poolSize) {
    soci::register_factory_firebird();
    // A new database is built under a temporary name and renamed when complete: a process killed
    // while Firebird writes a fresh file would otherwise leave a half-made database behind.
    if (!std::filesystem::exists(file_)) {
        auto building = file_;
        building += ".creating";
        if (std::filesystem::exists(building)) {
            // Left by a process killed while creating it. Set aside, not deleted: Firebird keys its
            // lock files by inode, and a new file on the freed inode would meet the dead process's
            // held lock and hang.
            for (int n = 1;; ++n) {
                auto aside = file_;
                aside += ".abandoned-" + std::to_string(n);
                if (!std::filesystem::exists(aside)) {
                    std::filesystem::rename(building, aside);
                    break;
                }
            }
        }
        sdk::createEmbeddedDatabase(building);
        connectTo(building);
        ensureSchema();
        disconnectAll();
        std::filesystem::rename(building, file_);
    }
    connectTo(file_);
    ensureSchema();  // a no-op on a complete database
}

void HostDatabase::connectTo(const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Embedded;
    where.file = file;
    connectString_ = sdk::sociConnectString(where);
}

void HostDatabase::disconnectAll() {
    std::lock_guard lock(poolMutex_);
    idle_.clear();
    sessions_.clear();
}

HostDatabase::~HostDatabase() = default;

soci::session* HostDatabase::acquire() {
    std::unique_lock lock(poolMutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto* s = idle_.back();
            idle_.pop_back();
            return s;
        }
        if (sessions_.size() < poolSize_) {
            sessions_.push_back(std::make_unique<soci::session>("firebird", connectString_));
            return sessions_.back().get();
        }
        poolFree_.wait(lock);
    }
}

void HostDatabase::release(soci::session* s) {
    {
        std::lock_guard lock(poolMutex_);
        idle_.push_back(s);
    }
    poolFree_.notify_one();
}

void HostDatabase::ensureSchema() {
    // Tables first (DDL commits on its own), then the seed in one transaction marked by HOST_META.
    // Each missing table or index is created and committed on its own: a first start killed
    // half-way simply continues on the next one.
    {
        Lease lease(*this);
        auto& sql = *lease.session;
        for (const auto& table : kSchema) {
            if (!exists(sql, "SELECT COUNT(*) FROM RDB$RELATIONS WHERE RDB$RELATION_NAME = :n", table.name)) {
                sql << table.ddl;
            }
            sql.commit();
        }
        for (const auto& index : kIndices) {
            if (!exists(sql, "SELECT COUNT(*) FROM RDB$INDICES WHERE RDB$INDEX_NAME = :n", index.name)) {
                sql << index.ddl;
            }
            sql.commit();
        }
    }
    HostTransaction tx(*this);
    int seeded = 0;
    soci::indicator ind = soci::i_null;
    tx.sql() << "SELECT SEEDED FROM HOST_META WHERE ID = 1", soci::into(seeded, ind);
    if (ind == soci::i_ok && seeded) return;  // destructor ends the read transaction
    seedHostData(tx.sql());
    int version = kSchemaVersion;
    tx.sql() << "INSERT INTO HOST_META (ID, SCHEMA_VERSION, SEEDED) VALUES (1, :v, 1)", soci::use(version);
    tx.commit();
}

// ---- conversions ------------------------------------------------------------------------------

std::tm toTm(sdk::Date d) {
    const std::chrono::year_month_day ymd{d};
    std::tm tm{};
    tm.tm_year = int(ymd.year()) - 1900;
    tm.tm_mon = int(unsigned(ymd.month())) - 1;
    tm.tm_mday = int(unsigned(ymd.day()));
    return tm;
}

std::tm toTm(sdk::TimePoint t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    std::tm tm = toTm(sdk::Date{day});
    const std::chrono::hh_mm_ss hms{t - day};
    tm.tm_hour = int(hms.hours().count());
    tm.tm_min = int(hms.minutes().count());
    tm.tm_sec = int(hms.seconds().count());
    return tm;
}

sdk::Date dateFromTm(const std::tm& tm) {
    return sdk::Date{std::chrono::year{tm.tm_year + 1900} / std::chrono::month{unsigned(tm.tm_mon + 1)} /
                     std::chrono::day{unsigned(tm.tm_mday)}};
}

sdk::TimePoint timeFromTm(const std::tm& tm) {
    return sdk::TimePoint{dateFromTm(tm)} + std::chrono::hours{tm.tm_hour} + std::chrono::minutes{tm.tm_min} +
           std::chrono::seconds{tm.tm_sec};
}

std::string isoDate(sdk::Date d) {
    const std::chrono::year_month_day ymd{d};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
    return buf;
}

sdk::Date parseIsoDate(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(s.c_str(), "%d-%u-%u", &y, &m, &d) != 3) throw std::runtime_error("bad date '" + s + "'");
    return sdk::Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

std::string isoTime(sdk::TimePoint t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()));
    return isoDate(sdk::Date{day}) + buf;
}

sdk::Id nextId(soci::session& sql, HostTable table) {
    // Whole statements per table: no SQL is assembled from text.
    const char* query = nullptr;
    switch (table) {
    case HostTable::Counterparties: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_COUNTERPARTIES"; break;
    case HostTable::Projects: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_PROJECTS"; break;
    case HostTable::Orders: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_ORDERS"; break;
    case HostTable::Payments: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_PAYMENTS"; break;
    case HostTable::CrewAssignments: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_CREW_ASSIGNMENTS"; break;
    case HostTable::Receipts: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_RECEIPTS"; break;
    case HostTable::StockDocuments: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_STOCK_DOCUMENTS"; break;
    case HostTable::Reservations: query = "SELECT COALESCE(MAX(ID), 0) + 1 FROM HOST_RESERVATIONS"; break;
    }
    long long id = 0;
    sql << query, soci::into(id);
    return id;
}

}  // namespace refhost
