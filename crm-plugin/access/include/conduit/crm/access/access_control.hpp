// Rights in one place: turns a host user into a Viewer (roles from their department, explicit
// mappings, project participation), answers may-see/create/edit/delete/receive, produces the
// AccessScope the read API enforces in SQL, and lets an administrator change the rules (audited).
//
// Usage (plugin entry):
//   AuditLog audit(store->database());
//   AccessControl access(*store, directory, audit);
//   FeedFilter f; f.access = access.scope(currentUserId);   // forms: every feed page
//   store->writer().addParticipant(&AuditLog::recordCreatedEntries);  // entries audited once
//   userEvents.enforce(access);                               // refuses creation without the right
//   notifySender.setRecipientCheck([&](auto r, auto& e) { return access.mayReceive(r, e); });
//
// Thread-safety: every member may be called from any thread. Rules are cached and reloaded after
// each change made through this object; a change made by another workstation is picked up within
// `recheck` (every change writes an audit row in its transaction: the newest one's id is the
// rules' version, read at most once per `recheck`).
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/access/roles.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <conduit/sdk/directory.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace conduit::crm {

class EventStore;

// Whom a notification is for: a host user, or a counterparty's contact (an external client).
struct Recipient {
    enum class Kind { User, Contact };
    Kind kind = Kind::User;
    sdk::Id id = 0;  // the user id, or the counterparty id whose contact it is
    static Recipient user(sdk::Id id) { return {Kind::User, id}; }
    static Recipient contact(sdk::Id counterpartyId) { return {Kind::Contact, counterpartyId}; }
};

// A change to the rules refused (not an administrator, malformed pattern): message in English
// for the log, localized by AccessDenied where people see it.
struct AccessRuleError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

class AccessControl {
public:
    AccessControl(EventStore& store, const sdk::IDirectory& directory, AuditLog& audit,
                  std::chrono::milliseconds recheck = std::chrono::seconds(5));

    void reload() const;  // re-reads rights, mappings and restricted projects (and their version) now

    Viewer viewer(sdk::Id userId) const;
    AccessScope scope(sdk::Id userId) const;

    bool maySee(sdk::Id userId, const Event& e) const;
    bool mayCreate(sdk::Id userId, const std::string& kind, sdk::Id projectId) const;
    // Edit/delete apply to user events (no source module); host events are never changed.
    bool mayEdit(sdk::Id userId, const Event& e) const;
    bool mayDelete(sdk::Id userId, const Event& e) const;
    bool mayAdminister(sdk::Id userId) const;  // change rights, mappings, restrictions
    bool mayRestrict(sdk::Id userId, sdk::Id projectId) const;  // admin, management, the project's manager

    // The notification sender asks at send time: may this person be told about this event?
    bool mayReceive(const Recipient& who, const Event& e) const;
    // The event as `userId` may see it: nullopt when hidden, payment details removed when not
    // theirs to see (amount, invoice number, body, attachments).
    std::optional<Event> visibleCopy(sdk::Id userId, const Event& e) const;

    // Administration (audited, object type "right", "user_role", "project_access").
    // Throw AccessRuleError when `actor` may not, or the input is malformed.
    std::vector<RoleRight> rights() const;
    void setRight(sdk::Id actor, const RoleRight& right);
    void removeRight(sdk::Id actor, Role role, const std::string& kindPattern);
    void grantRole(sdk::Id actor, const UserRoleGrant& grant);
    void revokeRole(sdk::Id actor, sdk::Id userId, Role role);
    void setProjectRestricted(sdk::Id actor, sdk::Id projectId, bool restricted);
    void addParticipant(sdk::Id actor, sdk::Id projectId, sdk::Id userId);
    void removeParticipant(sdk::Id actor, sdk::Id projectId, sdk::Id userId);
    bool isRestricted(sdk::Id projectId) const;
    std::vector<sdk::Id> participants(sdk::Id projectId) const;  // manager, measurer, named

private:
    struct Snapshot {
        RightsTable rights;
        std::vector<UserRoleGrant> grants;
        std::vector<sdk::Id> restricted;
        std::vector<std::pair<sdk::Id, sdk::Id>> members;  // (project, user)
    };
    Snapshot snapshot() const;  // the cache, reloaded first when another workstation changed it
    void reloadIfChangedElsewhere() const;
    Viewer viewerFrom(const Snapshot& s, sdk::Id userId) const;
    AccessScope scopeFrom(const Snapshot& s, const Viewer& v) const;
    bool isParticipant(const Snapshot& s, sdk::Id projectId, sdk::Id userId) const;
    void requireAdmin(sdk::Id actor) const;

    EventStore& store_;
    const sdk::IDirectory& directory_;
    AuditLog& audit_;
    const std::chrono::milliseconds recheck_;
    mutable std::mutex mutex_;
    mutable Snapshot cache_;
    mutable long long version_ = 0;  // of cache_: the newest rights-change audit row's id
    mutable std::chrono::steady_clock::time_point checkedAt_{};
};

nlohmann::json toJson(const RoleRight& r);
nlohmann::json toJson(const UserRoleGrant& g);

}  // namespace conduit::crm
