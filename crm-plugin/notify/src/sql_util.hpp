// Internal to notify/: statements kept alive when their attachment died, concurrent writes of
// another workstation, and the scheduler marks in CRM_NOTIFY_STATE.
#pragma once

#include <conduit/crm/database/unit_of_work.hpp>

#include <conduit/sdk/values.hpp>

#include <soci/soci.h>

#include <exception>
#include <optional>
#include <string>

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

// Another connection wrote the same row first: an update conflict, a deadlock report or a
// lock conflict on it, or a unique key it inserted. For the schedulers: another workstation
// did this tick's work (its rows are deduplicated anyway).
bool isConcurrentWrite(const std::exception& e);

// A mark's time, nullopt when never set.
std::optional<sdk::TimePoint> readMark(soci::session& s, const std::string& name);
// Sets a mark (insert or move forward; never moves it back).
void writeMark(soci::session& s, const std::string& name, sdk::TimePoint at);

}  // namespace conduit::crm::notify::detail
