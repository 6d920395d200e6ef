#include <conduit/crm/parties/host_catalogue_sync.hpp>

#include <conduit/crm/parties/host_counterparty.hpp>

#include <set>
#include <stdexcept>

namespace conduit::crm::parties {

HostCatalogueSync::HostCatalogueSync(Catalogue& catalogue, const sdk::IDirectory& directory, std::string country, Log log)
    : catalogue_(catalogue), directory_(directory), country_(std::move(country)), log_(std::move(log)) {}

HostSyncReport HostCatalogueSync::run() {
    HostSyncReport report;
    std::set<sdk::Id> present;
    for (const auto& counterparty : directory_.counterparties()) {
        ++report.seen;
        present.insert(counterparty.id);
        auto converted = fromHostCounterparty(counterparty, country_);
        report.valuesSkipped += converted.skipped.size();
        if (log_)
            for (const auto& s : converted.skipped) log_("counterparty #" + std::to_string(counterparty.id) + ": " + s);
        try {
            switch (catalogue_.applyHostCounterparty(converted.party).outcome) {
                case HostOutcome::Created: ++report.created; break;
                case HostOutcome::Changed: ++report.changed; break;
                case HostOutcome::Unchanged: break;
            }
        } catch (const std::exception& e) {
            // Another workstation created it a moment before (HOST_ID is unique), or the row is
            // locked: the next run takes it.
            ++report.failed;
            if (log_) log_("counterparty #" + std::to_string(counterparty.id) + " not synced: " + e.what());
        }
    }
    for (auto hostId : catalogue_.hostLinked())
        if (!present.count(hostId) && catalogue_.markRemovedInHost(hostId)) ++report.removed;
    report.ran = true;
    return report;
}

HostSyncReport HostCatalogueSync::runIfDue(std::chrono::seconds interval) {
    using namespace std::chrono;
    constexpr const char* kStamp = "directory.full_read";
    const auto now = duration_cast<seconds>(catalogue_.options().clock().time_since_epoch()).count();
    if (const auto last = catalogue_.syncStamp(kStamp); last && now >= *last && now - *last < interval.count()) return {};
    catalogue_.setSyncStamp(kStamp, now);
    return run();
}

}  // namespace conduit::crm::parties
