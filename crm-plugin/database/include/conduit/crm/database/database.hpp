// Connections to the CRM database wherever the host put it (embedded file or Firebird server):
// a small pool of SOCI sessions that replaces broken ones, so a restarted server is picked up.
#pragma once

#include <conduit/crm/database/durability.hpp>
#include <conduit/crm/database/errors.hpp>

#include <conduit/sdk/services.hpp>

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm {

// Whether a session's attachment still answers (a lost connection: false; other errors: true).
bool sessionAlive(soci::session& s);

class Database {
public:
    // Creates the embedded file when missing (Kind::Embedded). The one Database whose commits
    // must be made durable (the event store's, which owns the writer) passes `durability`: an
    // embedded file's write mode is set to it; other Databases on the same file leave the mode
    // alone. A server's database keeps what its administrator chose. Does not connect yet.
    explicit Database(sdk::DatabaseLocation where, std::size_t maxSessions = 4,
                      std::optional<Durability> durability = std::nullopt);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A pooled session, returned on destruction. Work on it through a UnitOfWork
    // (unit_of_work.hpp): SOCI's Firebird backend keeps an implicit transaction open otherwise.
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        soci::session& operator*() const { return *session_; }
        soci::session* operator->() const { return session_.get(); }
        // The connection failed: close it instead of returning it to the pool.
        void discard() { broken_ = true; }

    private:
        friend class Database;
        Lease(Database& db, std::unique_ptr<soci::session> s);
        Database* db_;
        std::unique_ptr<soci::session> session_;
        bool broken_ = false;
    };

    // Blocks while all sessions are out. Throws ConnectionError when a new connection fails.
    Lease acquire();

    // A session outside the pool, for a thread that keeps one (the writer).
    std::unique_ptr<soci::session> connect() const;

    const sdk::DatabaseLocation& location() const { return where_; }
    // True when the writer must sync the file after each commit (embedded, SyncPerBatch).
    bool syncsPerBatch() const { return syncsPerBatch_; }
    std::string describe() const;  // "embedded database /x/crm.fdb" (never the password)

private:
    void release(std::unique_ptr<soci::session> s, bool broken);

    sdk::DatabaseLocation where_;
    std::string connectString_;
    std::size_t maxSessions_;
    bool syncsPerBatch_ = false;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<soci::session>> idle_;
    std::size_t out_ = 0;
};

// Whether a database exception means the connection is gone (retry on a new one) rather than a
// problem with the statement or its data. These classifiers also see the database's exception
// nested in an error mapped by the unit of work (unit_of_work.hpp).
bool isConnectionLost(const std::exception& e);
// Whether it is a unique-key violation (an idempotency key or content hash already stored).
bool isUniqueViolation(const std::exception& e);
// Whether another transaction holds or changed the same row (update conflict, deadlock, lock).
bool isWriteConflict(const std::exception& e);
// What a database exception says, without the statement and its bound values that SOCI appends
// to what(): those can be a payment's amount or a note's text, which must not reach a log.
std::string databaseMessage(const std::exception& e);

}  // namespace conduit::crm
