// The roles of a production company and the rights each holds on event kinds: plain values,
// the rules that combine them, and how a host user gets their roles from their department.
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>

#include <conduit/sdk/directory.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

enum class Role { Dispatcher, ProjectManager, Planner, Finance, Orders, Measurer, Sales, Management, Admin, Client };

const std::vector<Role>& allRoles();
std::string_view roleCode(Role role);                   // "dispatcher", "project_manager", ..., "client"
std::optional<Role> roleFromCode(std::string_view code);
std::string_view roleName(Role role, std::string_view locale);  // ru, pl, en
// The role a host department gives its users; nullopt for a department outside the company's
// list (its users count as external clients unless mapped explicitly).
std::optional<Role> roleOfDepartment(std::string_view departmentCode);

// Edit and delete reach: nobody, the author of the entry only, or anyone's entries.
enum class Reach : int { None = 0, Own = 1, Any = 2 };

struct RoleRight {
    Role role = Role::Client;
    std::string kindPattern = "*";
    bool see = false;
    bool seeDetails = false;  // amounts, invoice numbers, bodies and attachments of payments etc.
    bool create = false;
    Reach edit = Reach::None;
    Reach remove = Reach::None;
    friend bool operator==(const RoleRight&, const RoleRight&) = default;
};

// An explicit mapping of a host user (stored in CRM_ACCESS_USER_ROLE).
struct UserRoleGrant {
    sdk::Id userId = 0;
    Role role = Role::Client;
    sdk::Id counterpartyId = 0;       // a client's own counterparty
    bool replacesDepartment = false;  // the department's role no longer applies
    friend bool operator==(const UserRoleGrant&, const UserRoleGrant&) = default;
};

// Who is asking: a host user with the roles they hold.
struct Viewer {
    sdk::Id userId = 0;
    std::set<Role> roles;
    sdk::Id clientCounterparty = 0;  // for Role::Client
    bool has(Role r) const { return roles.count(r) != 0; }
    bool isClientOnly() const { return roles.size() == 1 && has(Role::Client); }
    bool seesAllProjects() const { return has(Role::Management) || has(Role::Admin); }
};

// All rights of all roles, as stored. Answers per viewer (union over the viewer's roles, the
// most specific pattern of each role deciding).
class RightsTable {
public:
    RightsTable() = default;
    explicit RightsTable(std::vector<RoleRight> rights) : rights_(std::move(rights)) {}
    const std::vector<RoleRight>& rights() const { return rights_; }

    // The right of `role` that decides for `kind` (most specific matching pattern), if any.
    const RoleRight* decidingRight(Role role, std::string_view kind) const;

    bool maySee(const Viewer& v, std::string_view kind) const;
    bool maySeeDetails(const Viewer& v, std::string_view kind) const;
    bool mayCreate(const Viewer& v, std::string_view kind) const;
    Reach editReach(const Viewer& v, std::string_view kind) const;
    Reach deleteReach(const Viewer& v, std::string_view kind) const;

    // The see / details decisions of a viewer as ordered lists for SQL (see KindDecisions).
    KindDecisions seeDecisions(const Viewer& v) const;
    KindDecisions detailDecisions(const Viewer& v) const;

private:
    template <typename Get>
    KindDecisions decisions(const Viewer& v, Get get) const;
    std::vector<RoleRight> rights_;
};

// Patterns ordered most specific first: exact codes, then prefixes by length, then "*".
int patternSpecificity(std::string_view pattern);

}  // namespace conduit::crm
