#include "common/directory_cache.hpp"

namespace conduit::forms {

namespace {

// A directory that cannot answer (host database busy or gone) must not take the form down.
template <typename F>
auto ask(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception&) {
        return {};
    }
}

QString unknown(sdk::Id id) { return QStringLiteral("#%1").arg(id); }

}  // namespace

void DirectoryCache::loadProjects() {
    if (projectsLoaded_) return;
    projectsLoaded_ = true;
    projectList_ = ask([&] { return directory_.projects(); });
    for (const auto& p : projectList_) projects_.insert(p.id, p);
}

void DirectoryCache::loadCounterparties() {
    if (counterpartiesLoaded_) return;
    counterpartiesLoaded_ = true;
    counterpartyList_ = ask([&] { return directory_.counterparties(); });
    for (const auto& c : counterpartyList_) counterparties_.insert(c.id, c);
}

void DirectoryCache::loadUsers() {
    if (usersLoaded_) return;
    usersLoaded_ = true;
    userList_ = ask([&] { return directory_.users(); });
    for (const auto& u : userList_) users_.insert(u.id, u);
}

std::optional<sdk::Project> DirectoryCache::project(sdk::Id id) {
    if (id == 0) return std::nullopt;
    loadProjects();
    auto it = projects_.find(id);
    if (it == projects_.end()) it = projects_.insert(id, ask([&] { return directory_.project(id); }));
    return *it;
}

QString DirectoryCache::projectCode(sdk::Id id) {
    if (id == 0) return {};
    const auto p = project(id);
    return p ? QString::fromStdString(p->code) : unknown(id);
}

QString DirectoryCache::projectLabel(sdk::Id id) {
    if (id == 0) return {};
    const auto p = project(id);
    if (!p) return unknown(id);
    return QString::fromStdString(p->code) + QStringLiteral(" · ") + QString::fromStdString(p->name);
}

std::optional<sdk::Counterparty> DirectoryCache::counterparty(sdk::Id id) {
    if (id == 0) return std::nullopt;
    loadCounterparties();
    auto it = counterparties_.find(id);
    if (it == counterparties_.end())
        it = counterparties_.insert(id, ask([&] { return directory_.counterparty(id); }));
    return *it;
}

QString DirectoryCache::counterpartyName(sdk::Id id) {
    if (id == 0) return {};
    const auto c = counterparty(id);
    return c ? QString::fromStdString(c->name) : unknown(id);
}

QString DirectoryCache::userName(sdk::Id id) {
    if (id == 0) return {};
    loadUsers();
    auto it = users_.find(id);
    if (it == users_.end()) it = users_.insert(id, ask([&] { return directory_.user(id); }));
    return *it ? QString::fromStdString((*it)->fullName) : unknown(id);
}

const std::vector<sdk::Project>& DirectoryCache::projects() {
    loadProjects();
    return projectList_;
}

const std::vector<sdk::Counterparty>& DirectoryCache::counterparties() {
    loadCounterparties();
    return counterpartyList_;
}

const std::vector<sdk::User>& DirectoryCache::users() {
    loadUsers();
    return userList_;
}

}  // namespace conduit::forms
