#include <conduit/crm/parties/host_directory_follower.hpp>

namespace conduit::crm::parties {

HostDirectoryFollower::HostDirectoryFollower(HostCatalogueSync& sync, sdk::IDirectoryChanges& changes, Report report)
    : sync_(sync), changes_(changes), report_(std::move(report)) {}

HostDirectoryFollower::~HostDirectoryFollower() { stop(); }

void HostDirectoryFollower::start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] { loop(); });
    subscription_ = changes_.subscribe([this](const sdk::DirectoryChange&) {
        std::lock_guard lock(mutex_);
        pending_ = true;
        cv_.notify_one();
    });
}

void HostDirectoryFollower::stop() {
    if (subscription_) changes_.unsubscribe(subscription_);  // returns once a signal in progress is done
    subscription_ = 0;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

std::uint64_t HostDirectoryFollower::rounds() const {
    std::lock_guard lock(mutex_);
    return rounds_;
}

void HostDirectoryFollower::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        cv_.wait(lock, [this] { return pending_ || stopping_; });
        if (stopping_) return;
        pending_ = false;  // signals from now on ask for another round
        lock.unlock();
        HostSyncReport report;
        try {
            report = sync_.catchUp();
        } catch (const std::exception&) {
            report.failed = 1;  // the database is away: the next signal, or the next start, catches up
        }
        if (report_ && (report.created || report.changed || report.removed || report.failed)) report_(report);
        lock.lock();
        ++rounds_;
    }
}

}  // namespace conduit::crm::parties
