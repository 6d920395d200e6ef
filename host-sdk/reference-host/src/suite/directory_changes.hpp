// The suite's directory changes (SDK 1.3): counterparties added, renamed, moved or dropped are
// rows of the change log (module "directory"), told to subscribers once their transaction commits.
#pragma once

#include "host_database.hpp"

#include <conduit/sdk/directory_changes.hpp>

#include <map>
#include <mutex>
#include <string>

namespace refhost {

class HostDirectoryChanges final : public sdk::IDirectoryChanges {
public:
    explicit HostDirectoryChanges(HostDatabase& db) : db_(db) {}

    std::vector<sdk::DirectoryChange> changesSince(std::int64_t cursor, std::size_t limit) const override;
    std::int64_t lastSeq() const override;
    // Derived from the suite's own books: orders per year, the payment habit, the kind of customer.
    std::optional<sdk::CommercialTerms> commercialTerms(sdk::Id counterpartyId) const override;
    std::uint64_t subscribe(std::function<void(const sdk::DirectoryChange&)> changed) override;
    void unsubscribe(std::uint64_t subscription) override;

    // The suite's side: log a counterparty's change in `tx`, tell subscribers after its commit.
    void recordCounterparty(HostTransaction& tx, sdk::DirectoryChangeKind kind, sdk::Id id, const Actor& by);

private:
    void tell(const sdk::DirectoryChange& change);

    HostDatabase& db_;
    std::mutex mutex_;
    std::map<std::uint64_t, std::function<void(const sdk::DirectoryChange&)>> subscribers_;
    std::uint64_t nextId_ = 1;
};

// What the simulator's staff do to the customer list.
void renameCounterparty(HostTransaction& tx, HostDirectoryChanges& changes, sdk::Id id, const std::string& name, const Actor& by);
void moveCounterparty(HostTransaction& tx, HostDirectoryChanges& changes, sdk::Id id, const std::string& city,
                      const std::string& address, const Actor& by);

}  // namespace refhost
