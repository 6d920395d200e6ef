// The one-glance story of a counterparty or a project: counts by kind, last payment, next due
// date and open issues. Each figure is one small query on that entity's index range.
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace conduit::crm {

struct Summary {
    std::int64_t total = 0;
    std::map<std::string, std::int64_t> countsByKind;
    std::optional<sdk::TimePoint> lastEventAt;
    std::optional<Event> lastPayment;      // newest payment.* event with an amount (not payment.overdue)
    std::optional<Event> nextDue;          // the soonest event whose due date is at or after `now`
    // Important (High or Critical) events whose due date is still ahead: what needs attention.
    // There is no "resolved" state yet; the workflow issue will refine this.
    std::int64_t openIssues = 0;
};

class SummaryQuery {
public:
    enum class Scope { Counterparty, Project };
    SummaryQuery(Scope scope, sdk::Id id, sdk::TimePoint now) : scope_(scope), id_(id), now_(now) {}
    // Counted and picked from what `access` may see only (details redacted), when set.
    SummaryQuery(Scope scope, sdk::Id id, sdk::TimePoint now, std::optional<AccessScope> access)
        : scope_(scope), id_(id), now_(now), access_(std::move(access)) {}
    Summary run(soci::session& s) const;  // in the caller's unit of work

private:
    Scope scope_;
    sdk::Id id_;
    sdk::TimePoint now_;
    std::optional<AccessScope> access_;
};

}  // namespace conduit::crm
