#include <conduit/crm/access/access_control.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/timeline/feed_query.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <algorithm>

namespace conduit::crm {
namespace {
constexpr const char* kWhat = "access rules";
}  // namespace

nlohmann::json toJson(const RoleRight& r) {
    return {{"role", roleCode(r.role)}, {"kindPattern", r.kindPattern}, {"see", r.see}, {"seeDetails", r.seeDetails},
            {"create", r.create}, {"edit", static_cast<int>(r.edit)}, {"delete", static_cast<int>(r.remove)}};
}

nlohmann::json toJson(const UserRoleGrant& g) {
    return {{"userId", g.userId}, {"role", roleCode(g.role)}, {"counterpartyId", g.counterpartyId},
            {"replacesDepartment", g.replacesDepartment}};
}

namespace {
// The rules' version: every change to them writes an audit row of one of these types in its own
// transaction (see below), so the newest such row tells whether another workstation changed them.
long long rulesVersion(soci::session& s) {
    long long id = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT MAX(ID) FROM CRM_AUDIT WHERE OBJECT_TYPE IN ('right', 'user_role', 'project_access')", soci::into(id, ind);
    return ind == soci::i_ok ? id : 0;
}

RightsTable readRights(soci::session& s) {
    std::vector<RoleRight> rights;
    std::string role, pattern;
    int see = 0, details = 0, create = 0, edit = 0, remove = 0;
    soci::statement st = (s.prepare << "SELECT ROLE_CODE, KIND_PATTERN, MAY_SEE, MAY_SEE_DETAILS, MAY_CREATE, MAY_EDIT,"
                                       " MAY_DELETE FROM CRM_ACCESS_RIGHT",
                          soci::into(role), soci::into(pattern), soci::into(see), soci::into(details),
                          soci::into(create), soci::into(edit), soci::into(remove));
    st.execute(false);
    while (st.fetch()) {
        const auto r = roleFromCode(role);
        if (!r) continue;  // a role of a newer plugin
        rights.push_back({*r, pattern, see != 0, details != 0, create != 0, static_cast<Reach>(std::clamp(edit, 0, 2)),
                          static_cast<Reach>(std::clamp(remove, 0, 2))});
    }
    return RightsTable(std::move(rights));
}

void readGrants(soci::session& s, std::vector<UserRoleGrant>& grants) {
    long long user = 0, counterparty = 0;
    std::string role;
    int replaces = 0;
    soci::indicator iCp = soci::i_null;
    soci::statement st = (s.prepare << "SELECT USER_ID, ROLE_CODE, COUNTERPARTY_ID, REPLACES_DEPARTMENT FROM CRM_ACCESS_USER_ROLE",
                          soci::into(user), soci::into(role), soci::into(counterparty, iCp), soci::into(replaces));
    st.execute(false);
    while (st.fetch())
        if (const auto r = roleFromCode(role)) grants.push_back({user, *r, iCp == soci::i_ok ? counterparty : 0, replaces != 0});
}

void readProjects(soci::session& s, std::vector<sdk::Id>& restricted, std::vector<std::pair<sdk::Id, sdk::Id>>& members) {
    long long project = 0, user = 0;
    {
        soci::statement st = (s.prepare << "SELECT PROJECT_ID FROM CRM_ACCESS_PROJECT WHERE RESTRICTED = 1", soci::into(project));
        st.execute(false);
        while (st.fetch()) restricted.push_back(project);
    }
    soci::statement st = (s.prepare << "SELECT PROJECT_ID, USER_ID FROM CRM_ACCESS_PROJECT_MEMBER", soci::into(project), soci::into(user));
    st.execute(false);
    while (st.fetch()) members.emplace_back(project, user);
}
}  // namespace

AccessControl::AccessControl(EventStore& store, const sdk::IDirectory& directory, AuditLog& audit,
                             std::chrono::milliseconds recheck)
    : store_(store), directory_(directory), audit_(audit), recheck_(recheck) {
    reload();
}

void AccessControl::reload() const {
    Snapshot fresh;
    long long version = 0;
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        version = rulesVersion(s);  // first: a change committed while reading shows as newer next time
        fresh.rights = readRights(s);
        readGrants(s, fresh.grants);
        readProjects(s, fresh.restricted, fresh.members);
    });
    std::sort(fresh.restricted.begin(), fresh.restricted.end());
    std::lock_guard lock(mutex_);
    cache_ = std::move(fresh);
    version_ = version;
    checkedAt_ = std::chrono::steady_clock::now();
}

void AccessControl::reloadIfChangedElsewhere() const {
    long long known = 0;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (now - checkedAt_ < recheck_) return;
        checkedAt_ = now;  // one caller looks; the others go on with the cache meanwhile
        known = version_;
    }
    try {
        long long current = 0;
        inTransaction(store_.database(), kWhat, [&](soci::session& s) { current = rulesVersion(s); });
        if (current != known) reload();
    } catch (const std::exception&) {
        // The database is unreachable: the rules last read stay in force; the next look retries.
    }
}

AccessControl::Snapshot AccessControl::snapshot() const {
    reloadIfChangedElsewhere();
    std::lock_guard lock(mutex_);
    return cache_;
}

Viewer AccessControl::viewerFrom(const Snapshot& s, sdk::Id userId) const {
    Viewer v;
    v.userId = userId;
    bool replaced = false;
    for (const auto& g : s.grants) {
        if (g.userId != userId) continue;
        v.roles.insert(g.role);
        if (g.role == Role::Client) v.clientCounterparty = g.counterpartyId;
        replaced = replaced || g.replacesDepartment;
    }
    const auto user = userId ? directory_.user(userId) : std::nullopt;
    if (user && !replaced) {
        const auto dept = user->departmentId ? directory_.department(user->departmentId) : std::nullopt;
        const auto role = dept ? roleOfDepartment(dept->code) : std::nullopt;
        // A user outside the company's departments is an external client (of no counterparty
        // until mapped: they see nothing).
        v.roles.insert(role.value_or(Role::Client));
    }
    if (user) {
        // Managing or measuring a project gives that role's rights too.
        for (const auto& p : directory_.projects()) {
            if (p.managerUserId == userId) v.roles.insert(Role::ProjectManager);
            if (p.measurerUserId == userId) v.roles.insert(Role::Measurer);
        }
    }
    if (v.roles.size() > 1 && v.has(Role::Client) && !replaced) {
        // Company rights outrank the unmapped-client default.
        bool explicitClient = std::any_of(s.grants.begin(), s.grants.end(),
                                          [&](const UserRoleGrant& g) { return g.userId == userId && g.role == Role::Client; });
        if (!explicitClient) v.roles.erase(Role::Client);
    }
    return v;
}

bool AccessControl::isParticipant(const Snapshot& s, sdk::Id projectId, sdk::Id userId) const {
    if (!userId) return false;
    if (std::find(s.members.begin(), s.members.end(), std::make_pair(projectId, userId)) != s.members.end()) return true;
    const auto p = directory_.project(projectId);
    return p && (p->managerUserId == userId || p->measurerUserId == userId);
}

AccessScope AccessControl::scopeFrom(const Snapshot& s, const Viewer& v) const {
    AccessScope scope;
    scope.userId = v.userId;
    scope.see = s.rights.seeDecisions(v);
    scope.details = s.rights.detailDecisions(v);
    if (v.isClientOnly()) scope.onlyCounterparty = v.clientCounterparty;
    if (!v.seesAllProjects())
        for (sdk::Id p : s.restricted)
            if (!isParticipant(s, p, v.userId)) scope.hiddenProjects.push_back(p);
    return scope;
}

Viewer AccessControl::viewer(sdk::Id userId) const { return viewerFrom(snapshot(), userId); }

AccessScope AccessControl::scope(sdk::Id userId) const {
    const auto s = snapshot();
    return scopeFrom(s, viewerFrom(s, userId));
}

bool AccessControl::maySee(sdk::Id userId, const Event& e) const {
    return scope(userId).mayView(e.kind, e.projectId, e.counterpartyId);
}

bool AccessControl::mayCreate(sdk::Id userId, const std::string& kind, sdk::Id projectId) const {
    const auto s = snapshot();
    const auto v = viewerFrom(s, userId);
    if (!s.rights.mayCreate(v, kind)) return false;
    if (projectId && !v.seesAllProjects() && std::binary_search(s.restricted.begin(), s.restricted.end(), projectId) &&
        !isParticipant(s, projectId, userId))
        return false;
    return true;
}

bool AccessControl::mayEdit(sdk::Id userId, const Event& e) const {
    if (!isUserEntry(e) || !maySee(userId, e)) return false;
    const auto s = snapshot();
    const Reach reach = s.rights.editReach(viewerFrom(s, userId), e.kind);
    return reach == Reach::Any || (reach == Reach::Own && e.authorId == userId);
}

bool AccessControl::mayDelete(sdk::Id userId, const Event& e) const {
    if (!isUserEntry(e) || !maySee(userId, e)) return false;
    const auto s = snapshot();
    const Reach reach = s.rights.deleteReach(viewerFrom(s, userId), e.kind);
    return reach == Reach::Any || (reach == Reach::Own && e.authorId == userId);
}

bool AccessControl::mayAdminister(sdk::Id userId) const { return viewer(userId).has(Role::Admin); }

bool AccessControl::mayRestrict(sdk::Id userId, sdk::Id projectId) const {
    const auto v = viewer(userId);
    if (v.seesAllProjects()) return true;
    const auto p = directory_.project(projectId);
    return p && p->managerUserId == userId;
}

bool AccessControl::mayReceive(const Recipient& who, const Event& e) const {
    if (who.kind == Recipient::Kind::User) return maySee(who.id, e);
    // A counterparty's contact: the client role's kinds, about their own counterparty only, and
    // never about a restricted project.
    const auto s = snapshot();
    Viewer client;
    client.roles = {Role::Client};
    client.clientCounterparty = who.id;
    if (!who.id || e.counterpartyId != who.id || !s.rights.maySee(client, e.kind)) return false;
    return !(e.projectId && std::binary_search(s.restricted.begin(), s.restricted.end(), e.projectId));
}

std::optional<Event> AccessControl::visibleCopy(sdk::Id userId, const Event& e) const {
    const auto sc = scope(userId);
    if (!sc.mayView(e.kind, e.projectId, e.counterpartyId)) return std::nullopt;
    Event copy = e;
    redactDetails(sc, copy);
    return copy;
}

void AccessControl::requireAdmin(sdk::Id actor) const {
    if (!mayAdminister(actor)) throw AccessRuleError("user #" + std::to_string(actor) + " may not change access rules");
}

std::vector<RoleRight> AccessControl::rights() const { return snapshot().rights.rights(); }

void AccessControl::setRight(sdk::Id actor, const RoleRight& right) {
    requireAdmin(actor);
    if (!isValidKindPattern(right.kindPattern)) throw AccessRuleError("malformed kind pattern: " + right.kindPattern);
    const std::string objectId = std::string(roleCode(right.role)) + "/" + right.kindPattern;
    nlohmann::json before = nullptr;
    for (const auto& r : rights())
        if (r.role == right.role && r.kindPattern == right.kindPattern) before = toJson(r);
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        std::string role(roleCode(right.role)), pattern = right.kindPattern;
        int see = right.see, details = right.seeDetails, create = right.create, edit = static_cast<int>(right.edit),
            remove = static_cast<int>(right.remove);
        s << "UPDATE OR INSERT INTO CRM_ACCESS_RIGHT (ROLE_CODE, KIND_PATTERN, MAY_SEE, MAY_SEE_DETAILS, MAY_CREATE, MAY_EDIT, MAY_DELETE)"
             " VALUES (:r, :p, :s, :d, :c, :e, :x) MATCHING (ROLE_CODE, KIND_PATTERN)",
            soci::use(role), soci::use(pattern), soci::use(see), soci::use(details), soci::use(create), soci::use(edit),
            soci::use(remove);
        audit_.record(s, actor, "right", objectId, before.is_null() ? "create" : "update", before, toJson(right));
    });
    reload();
}

void AccessControl::removeRight(sdk::Id actor, Role role, const std::string& kindPattern) {
    requireAdmin(actor);
    nlohmann::json before = nullptr;
    for (const auto& r : rights())
        if (r.role == role && r.kindPattern == kindPattern) before = toJson(r);
    if (before.is_null()) return;
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        std::string code(roleCode(role)), pattern = kindPattern;
        s << "DELETE FROM CRM_ACCESS_RIGHT WHERE ROLE_CODE = :r AND KIND_PATTERN = :p", soci::use(code), soci::use(pattern);
        audit_.record(s, actor, "right", code + "/" + kindPattern, "delete", before, nullptr);
    });
    reload();
}

void AccessControl::grantRole(sdk::Id actor, const UserRoleGrant& g) {
    requireAdmin(actor);
    nlohmann::json before = nullptr;
    for (const auto& old : snapshot().grants)
        if (old.userId == g.userId && old.role == g.role) before = toJson(old);
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        long long user = g.userId, cp = g.counterpartyId;
        std::string role(roleCode(g.role));
        int replaces = g.replacesDepartment;
        soci::indicator iCp = cp ? soci::i_ok : soci::i_null;
        s << "UPDATE OR INSERT INTO CRM_ACCESS_USER_ROLE (USER_ID, ROLE_CODE, COUNTERPARTY_ID, REPLACES_DEPARTMENT)"
             " VALUES (:u, :r, :c, :x) MATCHING (USER_ID, ROLE_CODE)",
            soci::use(user), soci::use(role), soci::use(cp, iCp), soci::use(replaces);
        audit_.record(s, actor, "user_role", std::to_string(g.userId) + "/" + role, before.is_null() ? "create" : "update",
                      before, toJson(g));
    });
    reload();
}

void AccessControl::revokeRole(sdk::Id actor, sdk::Id userId, Role role) {
    requireAdmin(actor);
    nlohmann::json before = nullptr;
    for (const auto& old : snapshot().grants)
        if (old.userId == userId && old.role == role) before = toJson(old);
    if (before.is_null()) return;
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        long long user = userId;
        std::string code(roleCode(role));
        s << "DELETE FROM CRM_ACCESS_USER_ROLE WHERE USER_ID = :u AND ROLE_CODE = :r", soci::use(user), soci::use(code);
        audit_.record(s, actor, "user_role", std::to_string(userId) + "/" + code, "delete", before, nullptr);
    });
    reload();
}

void AccessControl::setProjectRestricted(sdk::Id actor, sdk::Id projectId, bool restricted) {
    if (!mayRestrict(actor, projectId))
        throw AccessRuleError("user #" + std::to_string(actor) + " may not restrict project #" + std::to_string(projectId));
    const bool was = isRestricted(projectId);
    if (was == restricted) return;
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        long long project = projectId;
        int flag = restricted;
        s << "UPDATE OR INSERT INTO CRM_ACCESS_PROJECT (PROJECT_ID, RESTRICTED) VALUES (:p, :r) MATCHING (PROJECT_ID)",
            soci::use(project), soci::use(flag);
        audit_.record(s, actor, "project_access", std::to_string(projectId), "update", {{"restricted", was}},
                      {{"restricted", restricted}});
    });
    reload();
}

void AccessControl::addParticipant(sdk::Id actor, sdk::Id projectId, sdk::Id userId) {
    if (!mayRestrict(actor, projectId))
        throw AccessRuleError("user #" + std::to_string(actor) + " may not name participants of project #" + std::to_string(projectId));
    const auto s0 = snapshot();
    if (std::find(s0.members.begin(), s0.members.end(), std::make_pair(projectId, userId)) != s0.members.end()) return;
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        long long project = projectId, user = userId;
        s << "INSERT INTO CRM_ACCESS_PROJECT_MEMBER (PROJECT_ID, USER_ID) VALUES (:p, :u)", soci::use(project), soci::use(user);
        audit_.record(s, actor, "project_access", std::to_string(projectId), "add_participant", nullptr, {{"userId", userId}});
    });
    reload();
}

void AccessControl::removeParticipant(sdk::Id actor, sdk::Id projectId, sdk::Id userId) {
    if (!mayRestrict(actor, projectId))
        throw AccessRuleError("user #" + std::to_string(actor) + " may not name participants of project #" + std::to_string(projectId));
    inTransaction(store_.database(), kWhat, [&](soci::session& s) {
        long long project = projectId, user = userId;
        s << "DELETE FROM CRM_ACCESS_PROJECT_MEMBER WHERE PROJECT_ID = :p AND USER_ID = :u", soci::use(project), soci::use(user);
        audit_.record(s, actor, "project_access", std::to_string(projectId), "remove_participant", {{"userId", userId}}, nullptr);
    });
    reload();
}

bool AccessControl::isRestricted(sdk::Id projectId) const {
    const auto s = snapshot();
    return std::binary_search(s.restricted.begin(), s.restricted.end(), projectId);
}

std::vector<sdk::Id> AccessControl::participants(sdk::Id projectId) const {
    std::vector<sdk::Id> out;
    if (const auto p = directory_.project(projectId)) {
        if (p->managerUserId) out.push_back(p->managerUserId);
        if (p->measurerUserId && p->measurerUserId != p->managerUserId) out.push_back(p->measurerUserId);
    }
    for (const auto& [project, user] : snapshot().members)
        if (project == projectId && std::find(out.begin(), out.end(), user) == out.end()) out.push_back(user);
    return out;
}

}  // namespace conduit::crm
