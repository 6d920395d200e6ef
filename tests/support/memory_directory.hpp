// An in-memory host directory for tests that need names, project owners, users and departments but
// no host database; lists come back ordered by id. (Tests against the real reference host use its
// own directory.)
#pragma once

#include <conduit/sdk/directory.hpp>

#include <map>

namespace conduit::test {

class MemoryDirectory : public sdk::IDirectory {
public:
    void add(sdk::Counterparty c) { counterparties_[c.id] = std::move(c); }
    void add(sdk::Project p) { projects_[p.id] = std::move(p); }
    void add(sdk::User u) { users_[u.id] = std::move(u); }
    void add(sdk::Department d) { departments_[d.id] = std::move(d); }

    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return find(counterparties_, id); }
    std::optional<sdk::Project> project(sdk::Id id) const override { return find(projects_, id); }
    std::optional<sdk::User> user(sdk::Id id) const override { return find(users_, id); }
    std::optional<sdk::Department> department(sdk::Id id) const override { return find(departments_, id); }
    std::vector<sdk::Counterparty> counterparties() const override { return values(counterparties_); }
    std::vector<sdk::Project> projects() const override { return values(projects_); }
    std::vector<sdk::User> users() const override { return values(users_); }
    std::vector<sdk::Department> departments() const override { return values(departments_); }

private:
    template <class T>
    static std::optional<T> find(const std::map<sdk::Id, T>& m, sdk::Id id) {
        auto it = m.find(id);
        return it == m.end() ? std::nullopt : std::optional<T>(it->second);
    }
    template <class T>
    static std::vector<T> values(const std::map<sdk::Id, T>& m) {
        std::vector<T> out;
        for (const auto& [_, v] : m) out.push_back(v);
        return out;
    }
    std::map<sdk::Id, sdk::Counterparty> counterparties_;
    std::map<sdk::Id, sdk::Project> projects_;
    std::map<sdk::Id, sdk::User> users_;
    std::map<sdk::Id, sdk::Department> departments_;
};

}  // namespace conduit::test
