// Notification rules: which events (kind patterns, scope) go to whom (roles, users, the customer's
// contact) and when (on occurrence, before/after a due date, in a daily digest). Stored in the
// database (CRM_NOTIFY_RULE), managed through RuleStore; a default set is seeded once.
#pragma once

#include <conduit/crm/foundation/kind_pattern.hpp>
#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/database/database.hpp>

#include <conduit/sdk/values.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm::notify {

// Who a rule addresses; roles are resolved per event through the host directory.
enum class RecipientRole {
    ProjectManager,       // Project.managerUserId of the event's project
    Measurer,             // Project.measurerUserId
    Department,           // every user of the department with Department.code == department
    CrewLead,             // no crews in the directory: see RecipientResolver::setCrewLeadLookup
    User,                 // one named user (userId)
    CounterpartyContact,  // the event's counterparty's contact person: external, in their language
};

struct RecipientSpec {
    RecipientRole role = RecipientRole::ProjectManager;
    std::string department;  // RecipientRole::Department: "dispatch", "finance", "orders", ...
    sdk::Id userId = 0;      // RecipientRole::User
    friend bool operator==(const RecipientSpec&, const RecipientSpec&) = default;
};

// When a rule fires.
enum class Timing {
    OnOccurrence,  // as soon as the event is stored
    Reminder,      // at offsets from Event.dueAt (events without dueAt never match)
    Digest,        // collected and sent once a day at digestHour
};

struct Rule {
    std::int64_t id = 0;  // assigned by RuleStore::add
    std::string name;     // shown in the rules editor and in the mail footer ("why you got this")
    // Kind patterns: "payment.received", "payment.*" (a prefix ending in ".*") or "*" (all).
    std::vector<std::string> kinds;
    // Scope: both empty = any event; otherwise the event's project is in `projects` or its
    // counterparty is in `counterparties` (one project, one counterparty or a group of them).
    std::vector<sdk::Id> projects, counterparties;
    std::vector<RecipientSpec> recipients;
    Timing timing = Timing::OnOccurrence;
    // Timing::Reminder: when to fire, relative to dueAt. Negative = before ("-2 days":
    // installation in 2 days), zero = at the due time, positive = after it ("stage overdue").
    std::vector<std::chrono::minutes> offsets;
    int digestHour = 8;          // Timing::Digest: hour of day 0..23 (the installation's time zone)
    bool attachFiles = false;    // attach the event's attachments to the mail
    bool enabled = true;
    std::string seedKey;         // set on the default rules ("default.payments"), empty for user rules
    friend bool operator==(const Rule&, const Rule&) = default;
};

// A rule that fails validation; `field` names what is wrong for an editor to highlight
// ("name", "kinds", "recipients", "offsets", "digestHour", "scope").
struct RuleError : std::invalid_argument {
    RuleError(std::string field, const std::string& message) : std::invalid_argument(message), field(std::move(field)) {}
    std::string field;
};

// Empty when the rule is valid; otherwise the first problem (message in English).
std::optional<RuleError> validate(const Rule& rule);

// The rule's name as `reader` reads it: a default rule's in their language, unless an
// administrator renamed it.
std::string ruleName(const Rule& rule, const Locale& reader);
std::string ruleName(std::string_view storedName, const Locale& reader);

// Whether a kind pattern (foundation/kind_pattern.hpp) matches a kind code.
bool kindMatches(std::string_view pattern, std::string_view kind);

// Whether the rule applies to the event (kind and scope; timing and dueAt are the caller's).
bool applies(const Rule& rule, const Event& event);

// Stable names for the database and the rules editor ("project_manager", "reminder", ...).
std::string_view toString(RecipientRole role);
std::string_view toString(Timing timing);
std::optional<RecipientRole> recipientRoleFromString(std::string_view s);
std::optional<Timing> timingFromString(std::string_view s);

// The department codes the directory knows (for the editor's pick list and validation).
const std::vector<std::string>& knownDepartments();

// A sensible default set for a window/door or furniture manufacturer: payments to the project
// manager and finance, production launched / installation planned to the customer in their
// language, installation reminder 2 days before to the manager, measurer and dispatch,
// prepayment due tomorrow and overdue to finance, notes in a morning digest to the dispatcher,
// failed notifications to dispatch. Each has a seedKey.
std::vector<Rule> defaultRules();

// Rules in CRM_NOTIFY_RULE. Thread-safe (pooled sessions); every call is one transaction.
// Throws RuleError for invalid input (nothing written), StoreError/ConnectionError otherwise.
class RuleStore {
public:
    // `clock` stamps the rules' creation and change times.
    explicit RuleStore(Database& db, Clock clock = systemClock());

    std::vector<Rule> list();              // all rules, enabled or not, by id
    std::optional<Rule> find(std::int64_t id);
    std::int64_t add(Rule rule);           // validates; returns the new id
    void update(const Rule& rule);         // validates; RuleError("id") if no such rule
    void setEnabled(std::int64_t id, bool enabled);  // disable keeps the rule, just silent
    void remove(std::int64_t id);          // RuleError("id") if no such rule; its sent history stays

    // Adds defaultRules() the first time it runs against a database and never again (a deleted
    // default stays deleted). Safe when several instances start at once. True if it seeded now.
    bool seedDefaults();

    // The enabled rules, read through `session` inside the caller's transaction (the writer's).
    static std::vector<Rule> enabledRules(soci::session& session);

private:
    Database& db_;
    Clock clock_;
};

}  // namespace conduit::crm::notify
