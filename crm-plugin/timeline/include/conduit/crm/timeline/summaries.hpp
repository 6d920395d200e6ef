// The one-glance story of a subject (a counterparty, a project, a company, a person, ...): counts by
// kind, last payment, next due date and open issues. Each figure is one query on its index range.
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/subject.hpp>

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
    // Newest payment.* event with an amount (not payment.overdue) dated today or before. Its
    // amount is empty for a viewer without payment details: read it through Event::amount's
    // optional, never dereferenced unchecked.
    std::optional<Event> lastPayment;
    std::optional<Event> nextDue;          // the soonest event due today or later (dates as dates)
    // Important (High or Critical) events due today or later, but for prepayment demands already
    // paid (a prepayment of the project arrived after the demand): what needs attention.
    std::int64_t openIssues = 0;
};

// SQL condition (alias E) true for a prepayment demand a later prepayment of its project settled.
extern const char* const kSettledSql;

class SummaryQuery {
public:
    enum class Scope { Counterparty, Project };
    // Counted and picked from what `access` may see only (details redacted), when set.
    SummaryQuery(SubjectRef subject, sdk::TimePoint now, std::optional<AccessScope> access = std::nullopt)
        : subject_(std::move(subject)), now_(now), access_(std::move(access)) {}
    SummaryQuery(Scope scope, sdk::Id id, sdk::TimePoint now, std::optional<AccessScope> access = std::nullopt)
        : SummaryQuery(scope == Scope::Project ? projectSubject(id) : counterpartySubject(id), now, std::move(access)) {}
    Summary run(soci::session& s) const;  // in the caller's unit of work

private:
    SubjectRef subject_;
    sdk::TimePoint now_;
    std::optional<AccessScope> access_;
};

}  // namespace conduit::crm
