#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

namespace conduit::crm {

UnitOfWork::UnitOfWork(Database& db) : lease_(std::in_place, db.acquire()), session_(&**lease_) {}

UnitOfWork::UnitOfWork(soci::session& session) : session_(&session) {}

UnitOfWork::~UnitOfWork() {
    if (finished_) return;
    try {
        session_->rollback();
    } catch (const std::exception&) {
        // Whatever broke the rollback broke the session too.
        if (lease_) lease_->discard();
    }
}

void UnitOfWork::commit() {
    session_->commit();
    finished_ = true;
}

void UnitOfWork::rollback() {
    finished_ = true;
    session_->rollback();
}

void UnitOfWork::discard() {
    finished_ = true;
    if (lease_) lease_->discard();
}

namespace detail {

bool retryable(const std::exception& e, OnLostConnection policy, int attempt) {
    return policy == OnLostConnection::RetryOnce && attempt == 0 && isConnectionLost(e);
}

void rethrowMapped(const std::exception& e, UnitOfWork& unit, const Database& db, const std::string& what) {
    if (dynamic_cast<const StoreError*>(&e)) throw;
    if (isConnectionLost(e)) {
        unit.discard();
        std::throw_with_nested(ConnectionError(what + " (" + db.describe() + "): connection lost: " + databaseMessage(e)));
    }
    if (dynamic_cast<const soci::soci_error*>(&e))
        std::throw_with_nested(StoreError(what + " (" + db.describe() + "): " + databaseMessage(e)));
    throw;
}

}  // namespace detail
}  // namespace conduit::crm
