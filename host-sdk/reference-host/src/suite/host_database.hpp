// The reference suite's own Firebird database: a small session pool, write transactions that
// carry the change log and emit module signals only after commit, and the schema with seed data.
#pragma once

#include <conduit/sdk/values.hpp>

#include <soci/soci.h>

#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace refhost {

namespace sdk = conduit::sdk;

// Who made a change and when, in the suite's (simulated) time. Wall-clock time never enters host data.
struct Actor {
    sdk::Id userId = 0;
    sdk::TimePoint at{};
};

class HostDatabase;

// One unit of work on the host data. Every module operation and every simulator step runs in
// one; signals queued with onCommit() are emitted after the commit, outside the writer lock.
// One writer at a time: a thread holding a HostTransaction must not open another (nor call an
// operation overload without a transaction argument) until it has committed or dropped the first.
class HostTransaction {
public:
    explicit HostTransaction(HostDatabase& db);
    ~HostTransaction();  // rolls back unless committed
    HostTransaction(const HostTransaction&) = delete;
    HostTransaction& operator=(const HostTransaction&) = delete;

    soci::session& sql() { return *session_; }
    void onCommit(std::function<void()> after) { afterCommit_.push_back(std::move(after)); }
    void commit();

private:
    HostDatabase& db_;
    std::unique_lock<std::mutex> writer_;
    soci::session* session_;
    std::vector<std::function<void()>> afterCommit_;
    bool done_ = false;
};

class HostDatabase {
public:
    // Creates the embedded file with its schema and seed data when missing, atomically (built
    // under a temporary name, then renamed), so a process killed while creating it starts over.
    explicit HostDatabase(const std::filesystem::path& file, std::size_t poolSize = 4);
    ~HostDatabase();
    HostDatabase(const HostDatabase&) = delete;
    HostDatabase& operator=(const HostDatabase&) = delete;

    const std::filesystem::path& file() const { return file_; }

    // Runs a read-only unit of work on a pooled session and ends its transaction (SOCI's
    // Firebird backend would otherwise keep the snapshot open).
    template <class F>
    auto read(F&& work) {
        Lease lease(*this);
        try {
            if constexpr (std::is_void_v<decltype(work(*lease.session))>) {
                work(*lease.session);
                lease.session->commit();
            } else {
                auto result = work(*lease.session);
                lease.session->commit();
                return result;
            }
        } catch (...) {
            try { lease.session->rollback(); } catch (...) {}
            throw;
        }
    }

private:
    friend class HostTransaction;
    struct Lease {
        explicit Lease(HostDatabase& db);
        ~Lease();
        HostDatabase& db;
        soci::session* session;
    };
    soci::session* acquire();
    void release(soci::session* s);
    void ensureSchema();
    void connectTo(const std::filesystem::path& file);  // sessions made from now on go there
    void disconnectAll();  // only while no session is leased

    std::filesystem::path file_;
    std::string connectString_;
    std::size_t poolSize_;
    std::mutex poolMutex_;
    std::condition_variable poolFree_;
    std::vector<std::unique_ptr<soci::session>> sessions_;
    std::vector<soci::session*> idle_;
    std::mutex writerMutex_;  // one writer at a time: ids are MAX(ID)+1 inside the transaction
};

// ---- value conversions shared by the modules ------------------------------------------------
std::tm toTm(sdk::Date d);
std::tm toTm(sdk::TimePoint t);
sdk::Date dateFromTm(const std::tm& tm);
sdk::TimePoint timeFromTm(const std::tm& tm);
std::string isoDate(sdk::Date d);            // "2026-01-05"
sdk::Date parseIsoDate(const std::string& s);
std::string isoTime(sdk::TimePoint t);       // "2026-01-05 08:12:00"

// Next free id of a host table (MAX(ID)+1) read inside the caller's transaction. Never Firebird
// generators: they are not transactional, and a killed step would burn values.
enum class HostTable {
    Counterparties, Projects, Orders, Payments, CrewAssignments, Receipts, StockDocuments, Reservations
};
sdk::Id nextId(soci::session& sql, HostTable table);

}  // namespace refhost
