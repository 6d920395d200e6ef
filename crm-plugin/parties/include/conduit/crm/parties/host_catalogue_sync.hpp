// Keeps the catalogue's host-linked parties as the host's directory has them: a new counterparty
// becomes a party, a changed one changes its host fields, one the host dropped is kept read-only.
#pragma once

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/directory_changes.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace conduit::crm::parties {

struct HostSyncReport {
    std::size_t seen = 0, created = 0, changed = 0, removed = 0, valuesSkipped = 0, failed = 0;
    bool ran = false;       // false: another workstation read the directory a moment ago
    bool fullRead = false;  // the whole directory was read (no change log, or no stamp yet)
};

class HostCatalogueSync {
public:
    using Log = std::function<void(const std::string&)>;
    // `country`: the installation's (PL, RU), for numbers the host wrote without one. `changes`:
    // the host's change log and commercial terms (SDK 1.3), or null for a host without them.
    HostCatalogueSync(Catalogue& catalogue, const sdk::IDirectory& directory, std::string country, Log log = {},
                      const sdk::IDirectoryChanges* changes = nullptr);

    // Reads the whole directory once; each counterparty is its own transaction, so a failure
    // leaves the ones before it applied and the next run continues.
    HostSyncReport run();
    // As run(), unless any workstation on this database ran it within `interval` (many seats
    // starting at nine do not each read the whole directory).
    HostSyncReport runIfDue(std::chrono::seconds interval);
    // With the change log: what changed since the last change applied (on any workstation of
    // this database), in order, the stamp kept after each batch, so what happened while no
    // workstation ran is caught up. Without a stamp yet: run() and start from the newest change.
    HostSyncReport catchUp(std::size_t batch = 500);

private:
    void apply(const sdk::Counterparty& counterparty, HostSyncReport& report);

    Catalogue& catalogue_;
    const sdk::IDirectory& directory_;
    std::string country_;
    Log log_;
    const sdk::IDirectoryChanges* changes_;
};

}  // namespace conduit::crm::parties
