// What changed in the host's directory since a plugin last looked, and the commercial terms the
// host keeps per counterparty: for plugins that hold their own copy of customers (SDK 1.3).
#pragma once

#include <conduit/sdk/values.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace conduit::sdk {

enum class DirectoryEntity { Counterparty, Project, User };
enum class DirectoryChangeKind { Added, Changed, Removed };

struct DirectoryChange {
    ChangeStamp stamp;  // stamp.seq orders all changes; a plugin keeps the last one it applied
    DirectoryEntity entity = DirectoryEntity::Counterparty;
    DirectoryChangeKind kind = DirectoryChangeKind::Changed;
    Id id = 0;  // read the entity itself from IDirectory (a removed one is gone there)
};

// What the host's sales and finance agreed with a counterparty (shown, never edited, by plugins).
struct CommercialTerms {
    std::optional<Money> turnoverLastYear, turnoverThisYear, creditLimit;
    std::optional<int> discountBasisPoints;  // 250 = 2.5 %
    std::optional<int> paymentTermDays;
};

class IDirectoryChanges {
public:
    virtual ~IDirectoryChanges() = default;
    // Changes with stamp.seq > cursor, oldest first, at most `limit`: what a plugin missed while
    // it was not running, and what a signal told it about.
    virtual std::vector<DirectoryChange> changesSince(std::int64_t cursor, std::size_t limit) const = 0;
    // The newest stamp.seq there is (0: none): where a plugin that has just read everything starts.
    virtual std::int64_t lastSeq() const = 0;
    virtual std::optional<CommercialTerms> commercialTerms(Id counterpartyId) const = 0;
    // `changed` is called after each committed change, on the thread that committed it: keep it
    // short (wake a worker). Returns the subscription to pass to unsubscribe() before the plugin stops.
    virtual std::uint64_t subscribe(std::function<void(const DirectoryChange&)> changed) = 0;
    virtual void unsubscribe(std::uint64_t subscription) = 0;
};

}  // namespace conduit::sdk
