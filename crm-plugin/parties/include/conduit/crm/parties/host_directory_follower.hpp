// Follows the host's directory while the plugin runs: each change signal wakes one worker that
// catches the catalogue up through the change log (the host's thread only sets a flag).
#pragma once

#include <conduit/crm/parties/host_catalogue_sync.hpp>

#include <conduit/sdk/directory_changes.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace conduit::crm::parties {

class HostDirectoryFollower {
public:
    using Report = std::function<void(const HostSyncReport&)>;  // after each catch-up that did something
    // `sync` must have been made with `changes`; both outlive the follower.
    HostDirectoryFollower(HostCatalogueSync& sync, sdk::IDirectoryChanges& changes, Report report = {});
    ~HostDirectoryFollower();  // stop()
    HostDirectoryFollower(const HostDirectoryFollower&) = delete;
    HostDirectoryFollower& operator=(const HostDirectoryFollower&) = delete;

    void start();
    // Unsubscribes, then lets a catch-up in progress finish. Idempotent.
    void stop();
    // Catch-ups that ran (tests wait for it).
    std::uint64_t rounds() const;

private:
    void loop();

    HostCatalogueSync& sync_;
    sdk::IDirectoryChanges& changes_;
    Report report_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool pending_ = false, stopping_ = false;
    std::uint64_t rounds_ = 0, subscription_ = 0;
    std::thread thread_;
};

}  // namespace conduit::crm::parties
