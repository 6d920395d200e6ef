// Internal to notify/: one unit of work on a pooled session (commit, or roll back and rethrow;
// a lost connection becomes ConnectionError), and the scheduler marks in CRM_NOTIFY_STATE.
#pragma once

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/errors.hpp>

#include <conduit/sdk/values.hpp>

#include <soci/soci.h>

#include <exception>
#include <optional>
#include <string>
#include <type_traits>

namespace conduit::crm::notify::detail {

// Declared right after a prepared statement: if the scope is left by an exception, the
// statement's implementation is kept alive (leaked) instead of freed. SOCI's Firebird statement
// throws from its destructor when the attachment died, which would terminate the host; one small
// object per lost connection is the price (EventWriter does the same).
class LeakOnUnwind {
public:
    explicit LeakOnUnwind(soci::statement& st) : st_(st), uncaught_(std::uncaught_exceptions()) {}
    ~LeakOnUnwind() {
        if (std::uncaught_exceptions() > uncaught_) (void)new soci::statement(st_);  // one more reference
    }
    LeakOnUnwind(const LeakOnUnwind&) = delete;
    LeakOnUnwind& operator=(const LeakOnUnwind&) = delete;

private:
    soci::statement& st_;
    int uncaught_;
};

template <typename F>
auto inTransaction(Database& db, F&& work) {
    auto lease = db.acquire();
    try {
        if constexpr (std::is_void_v<decltype(work(*lease))>) {
            work(*lease);
            lease->commit();
        } else {
            auto result = work(*lease);
            lease->commit();
            return result;
        }
    } catch (const std::exception& e) {
        if (isConnectionLost(e)) {
            lease.discard();
            throw ConnectionError(std::string("notifications: ") + e.what());
        }
        try {
            lease->rollback();
        } catch (const std::exception&) {
        }
        throw;
    }
}

// Another connection wrote the same row first: an update conflict, a deadlock report or a
// lock conflict on it, or a unique key it inserted. For the schedulers: another workstation
// did this tick's work (its rows are deduplicated anyway).
bool isConcurrentWrite(const std::exception& e);

// A mark's time, nullopt when never set.
std::optional<sdk::TimePoint> readMark(soci::session& s, const std::string& name);
// Sets a mark (insert or move forward; never moves it back).
void writeMark(soci::session& s, const std::string& name, sdk::TimePoint at);

}  // namespace conduit::crm::notify::detail
