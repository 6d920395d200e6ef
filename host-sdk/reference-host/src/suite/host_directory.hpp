// The suite's directory over its own tables: counterparties, projects, users and departments,
// read-only, on pooled sessions (safe to call from the GUI thread while the simulator writes).
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/directory.hpp>

namespace refhost {

class HostDirectory final : public sdk::IDirectory {
public:
    explicit HostDirectory(HostDatabase& db) : db_(db) {}
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override;
    std::optional<sdk::Project> project(sdk::Id id) const override;
    std::optional<sdk::User> user(sdk::Id id) const override;
    std::optional<sdk::Department> department(sdk::Id id) const override;
    std::vector<sdk::Counterparty> counterparties() const override;
    std::vector<sdk::Project> projects() const override;
    std::vector<sdk::User> users() const override;
    std::vector<sdk::Department> departments() const override;

private:
    HostDatabase& db_;
};

}  // namespace refhost
