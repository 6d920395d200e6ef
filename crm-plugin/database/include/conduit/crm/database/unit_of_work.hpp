// One unit of work on the CRM database: a pooled session whose transaction rolls back unless
// committed, and the one mapping of its errors (a lost connection means "retry later").
#pragma once

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/errors.hpp>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>

namespace soci {
class session;
}

namespace conduit::crm {

// Like soci::transaction on a lease: SOCI's Firebird backend keeps its implicit transaction
// open, so an early return or an exception must not leave it to the next user of the session.
class UnitOfWork {
public:
    explicit UnitOfWork(Database& db);  // throws ConnectionError when no session can be had
    // On a session its owner keeps outside the pool (the writer's own connection).
    explicit UnitOfWork(soci::session& session);
    ~UnitOfWork();                      // rolls back unless committed; never throws
    UnitOfWork(const UnitOfWork&) = delete;
    UnitOfWork& operator=(const UnitOfWork&) = delete;

    soci::session& session() const { return *session_; }
    void commit();
    void rollback();
    // The connection is gone: a pooled session is closed instead of going back to the pool (an
    // owner's session is the owner's to drop). Nothing more is sent on it.
    void discard();

private:
    std::optional<Database::Lease> lease_;
    soci::session* session_;
    bool finished_ = false;
};

enum class OnLostConnection {
    Fail,       // ConnectionError at once
    RetryOnce,  // a pooled session may have died while idle (a restarted server): one fresh try
};

namespace detail {
// Called from a catch block: throws what the caught exception means to a caller. StoreError and
// its kinds pass unchanged; a lost connection discards the session and becomes ConnectionError;
// another database error becomes StoreError (databaseMessage(): never the bound values); any
// other exception (a domain error of the work itself) keeps its type. A mapped error nests the
// database's exception, so isUniqueViolation() and isWriteConflict() still see what happened.
[[noreturn]] void rethrowMapped(const std::exception& e, UnitOfWork& unit, const Database& db, const std::string& what);
bool retryable(const std::exception& e, OnLostConnection policy, int attempt);
}  // namespace detail

// Runs work(session) in one unit of work and commits it; returns what work returns. `what` names
// the work in error messages ("access rules", "audit log").
template <typename F>
auto inTransaction(Database& db, const std::string& what, F&& work, OnLostConnection policy = OnLostConnection::Fail) {
    for (int attempt = 0;; ++attempt) {
        UnitOfWork unit(db);
        try {
            if constexpr (std::is_void_v<decltype(work(unit.session()))>) {
                work(unit.session());
                unit.commit();
                return;
            } else {
                auto result = work(unit.session());
                unit.commit();
                return result;
            }
        } catch (const std::exception& e) {
            if (detail::retryable(e, policy, attempt)) {
                unit.discard();
                continue;
            }
            detail::rethrowMapped(e, unit, db, what);
        }
    }
}

}  // namespace conduit::crm
