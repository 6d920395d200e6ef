// The host directory as the forms need it: names of projects, counterparties and users by id,
// and the full lists for the pickers. The host answers each call with a query, so the forms ask
// once and keep the answers (GUI thread only).
#pragma once

#include <conduit/sdk/directory.hpp>

#include <QHash>
#include <QString>

#include <optional>
#include <vector>

namespace conduit::forms {

class DirectoryCache {
public:
    explicit DirectoryCache(const sdk::IDirectory& directory) : directory_(directory) {}

    QString projectCode(sdk::Id id);         // "P-2026-0042"; empty for 0; "#17" when unknown
    QString projectLabel(sdk::Id id);        // "P-2026-0042 · Okna Kowalski"
    QString counterpartyName(sdk::Id id);    // empty for 0; "#17" when unknown
    QString userName(sdk::Id id);            // full name; empty for 0 (the system)
    std::optional<sdk::Project> project(sdk::Id id);
    std::optional<sdk::Counterparty> counterparty(sdk::Id id);

    // Whole lists, read once (the pickers' entries). Later additions are found by id lookups.
    const std::vector<sdk::Project>& projects();
    const std::vector<sdk::Counterparty>& counterparties();
    const std::vector<sdk::User>& users();

private:
    void loadProjects();
    void loadCounterparties();
    void loadUsers();

    const sdk::IDirectory& directory_;
    bool projectsLoaded_ = false, counterpartiesLoaded_ = false, usersLoaded_ = false;
    std::vector<sdk::Project> projectList_;
    std::vector<sdk::Counterparty> counterpartyList_;
    std::vector<sdk::User> userList_;
    // nullopt: asked and absent (ids in events were valid when written; no point in asking again).
    QHash<sdk::Id, std::optional<sdk::Project>> projects_;
    QHash<sdk::Id, std::optional<sdk::Counterparty>> counterparties_;
    QHash<sdk::Id, std::optional<sdk::User>> users_;
};

}  // namespace conduit::forms
