#include <conduit/crm/parties/catalogue_access.hpp>

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/roles.hpp>

#include <initializer_list>

namespace conduit::crm::parties {
namespace {

bool anyOf(const Viewer& v, std::initializer_list<Role> roles) {
    for (auto r : roles)
        if (v.has(r)) return true;
    return false;
}

}  // namespace

CatalogueViewer catalogueViewer(const Viewer& v) {
    CatalogueViewer c;
    c.userId = v.userId;
    c.internal = !v.roles.empty() && !v.isClientOnly();
    if (!c.internal) return c;
    c.seesAll = anyOf(v, {Role::Management, Role::Admin});
    c.edits = anyOf(v, {Role::Sales, Role::ProjectManager, Role::Orders, Role::Dispatcher, Role::Management, Role::Admin});
    c.seesRestricted = anyOf(v, {Role::Finance, Role::Management, Role::Sales, Role::Admin});
    c.merges = anyOf(v, {Role::Sales, Role::Management, Role::Admin});
    c.administers = v.has(Role::Admin);
    return c;
}

ViewerOf viewersFrom(const AccessControl& access) {
    return [&access](sdk::Id userId) { return catalogueViewer(access.viewer(userId)); };
}

}  // namespace conduit::crm::parties
