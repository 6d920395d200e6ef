// Internal to notify/: the host directory remembered for one batch of events. A host directory
// may query its database on every call (the reference host does); the writer thread resolves
// many events of the same projects and departments per batch and must not pay that each time.
#pragma once

#include <conduit/sdk/directory.hpp>

#include <map>
#include <optional>
#include <vector>

namespace conduit::crm::notify::detail {

class DirectoryCache final : public sdk::IDirectory {
public:
    explicit DirectoryCache(const sdk::IDirectory& source) : source_(source) {}

    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return once(counterparties_, id, [&] { return source_.counterparty(id); }); }
    std::optional<sdk::Project> project(sdk::Id id) const override { return once(projects_, id, [&] { return source_.project(id); }); }
    std::optional<sdk::User> user(sdk::Id id) const override { return once(users_, id, [&] { return source_.user(id); }); }
    std::optional<sdk::Department> department(sdk::Id id) const override { return once(departments_, id, [&] { return source_.department(id); }); }
    std::vector<sdk::Counterparty> counterparties() const override { return source_.counterparties(); }
    std::vector<sdk::Project> projects() const override { return source_.projects(); }
    std::vector<sdk::User> users() const override {
        if (!allUsers_) allUsers_ = source_.users();
        return *allUsers_;
    }
    std::vector<sdk::Department> departments() const override {
        if (!allDepartments_) allDepartments_ = source_.departments();
        return *allDepartments_;
    }

private:
    template <typename T, typename F>
    static std::optional<T> once(std::map<sdk::Id, std::optional<T>>& cache, sdk::Id id, F&& load) {
        auto it = cache.find(id);
        if (it == cache.end()) it = cache.emplace(id, load()).first;
        return it->second;
    }

    const sdk::IDirectory& source_;
    mutable std::map<sdk::Id, std::optional<sdk::Counterparty>> counterparties_;
    mutable std::map<sdk::Id, std::optional<sdk::Project>> projects_;
    mutable std::map<sdk::Id, std::optional<sdk::User>> users_;
    mutable std::map<sdk::Id, std::optional<sdk::Department>> departments_;
    mutable std::optional<std::vector<sdk::User>> allUsers_;
    mutable std::optional<std::vector<sdk::Department>> allDepartments_;
};

}  // namespace conduit::crm::notify::detail
