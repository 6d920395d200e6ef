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
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
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
    Followers,            // the users who follow the event's project, counterparty or other subject
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

// What is wrong with a rule or a change to the rules; an editor words it for its reader
// (describe()) and highlights `field`.
enum class RuleProblem {
    NameMissing, NameTooLong,
    KindsMissing, KindMalformed, TooManyKinds,
    ScopeIdInvalid, ScopeTooLarge,
    RecipientsMissing, UnknownDepartment, UserMissing, TooManyRecipients,
    OffsetsMissing, OffsetOutOfRange, OffsetTwice, TooManyOffsets, OffsetsNotReminder,
    DigestHourOutOfRange,
    SeedKeyTooLong, SeedKeyTaken,
    NoSuchRule,   // deleted meanwhile (here or on another workstation)
    NotAllowed,   // the actor may not change notification rules
};

// A rule refused, or a change refused. `field` names what is wrong for an editor to highlight
// ("name", "kinds", "recipients", "offsets", "digestHour", "scope", "seedKey", "id", "rights");
// `detail` is the offending value when there is one (a pattern, a department code, a rule id).
// what() is the English wording, for logs.
struct RuleError : std::invalid_argument {
    RuleError(RuleProblem problem, std::string field, std::string detail = {});
    RuleProblem problem;
    std::string field;
    std::string detail;
};

// The problem as `reader` reads it: "Правило уже удалено", "Podaj co najmniej jeden rodzaj zdarzeń".
std::string describe(const RuleError& error, const Locale& reader);
// Any error of the rules API in `reader`'s language: a RuleError described, a lost database
// connection as "try again", any other failure as "could not be saved" (its English detail is for the log).
std::string rulesErrorText(const std::exception& error, const Locale& reader);

// Empty when the rule is valid; otherwise the first problem.
std::optional<RuleError> validate(const Rule& rule);

// A reminder moment as `reader` reads it: "2 days before the due date", "за 3 часа до срока",
// "1 dzień po terminie", "at the due time" (ICU plural rules).
std::string offsetText(std::chrono::minutes offset, const Locale& reader);
// A number of mails as `reader` counts them: "212 писем", "2 wiadomości", "1 mail".
std::string mailsText(std::size_t count, const Locale& reader);

// A department the rules know by code, named for `reader` when the host directory has no name for it.
std::string departmentName(std::string_view code, const Locale& reader);

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

// A sensible default set for a window/door or furniture manufacturer that mails at once only what
// matters to each person: High and Critical events to those they concern (overdue payments,
// prepayment required, rescheduled stages to the project's manager, undelivered notifications),
// the due dates of their own projects (installation in 2 days, prepayment due and overdue, stage
// overdue); everything else of theirs in the morning digest. The customer's mails are as before.
// Each has a seedKey.
std::vector<Rule> defaultRules();

// The default set as an earlier version seeded it, oldest version first (index 0 = version 1):
// what RuleStore::seedDefaults() compares a stored default with before it upgrades it.
const std::vector<std::vector<Rule>>& earlierDefaultRules();

// Who may change the rules, asked on every change with the acting user's id (the plugin passes
// the rights model's "may administer"; notify does not know the rights itself).
using MayChangeRules = std::function<bool(sdk::Id actor)>;

// Rules in CRM_NOTIFY_RULE. Thread-safe (pooled sessions); every call is one transaction.
// Throws RuleError for invalid input or a refused change (nothing written), StoreError/ConnectionError otherwise.
class RuleStore {
public:
    // `clock` stamps the rules' creation and change times.
    explicit RuleStore(Database& db, Clock clock = systemClock());

    // From now on every change needs an actor `check` lets through (RuleError NotAllowed,
    // field "rights", otherwise); the changes without an actor below are then refused too.
    // Without it (the default: set-up code and tests) every change is allowed.
    void enforce(MayChangeRules check);

    std::vector<Rule> list();              // all rules, enabled or not, by id
    std::optional<Rule> find(std::int64_t id);

    // Changes made by `actor` (a host user id).
    std::int64_t add(sdk::Id actor, Rule rule);           // validates; returns the new id
    void update(sdk::Id actor, const Rule& rule);         // validates; NoSuchRule if it is gone
    void setEnabled(sdk::Id actor, std::int64_t id, bool enabled);  // disable keeps the rule, just silent
    void remove(sdk::Id actor, std::int64_t id);          // NoSuchRule if it is gone; its sent history stays

    // The same made by the installation itself (set-up code, tests): refused once enforce() is on.
    std::int64_t add(Rule rule);
    void update(const Rule& rule);
    void setEnabled(std::int64_t id, bool enabled);
    void remove(std::int64_t id);

    // Adds defaultRules() the first time it runs against a database and never again (a deleted
    // default stays deleted). Safe when several instances start at once. True if it seeded now.
    // On a database seeded by an earlier version it upgrades, once, every default rule nobody
    // changed (same seedKey and content as that version's) and adds the new defaults that take
    // over from it; a rule an administrator changed, disabled or deleted is left as it is.
    bool seedDefaults();

    // The enabled rules, read through `session` inside the caller's transaction (the writer's).
    static std::vector<Rule> enabledRules(soci::session& session);

private:
    void requireMayChange(std::optional<sdk::Id> actor) const;  // nullopt: the installation itself
    std::int64_t insertChecked(Rule rule);
    void updateChecked(const Rule& rule);
    void setEnabledChecked(std::int64_t id, bool enabled);
    void removeChecked(std::int64_t id);

    Database& db_;
    Clock clock_;
    mutable std::mutex checkMutex_;
    MayChangeRules mayChange_;
};

}  // namespace conduit::crm::notify
