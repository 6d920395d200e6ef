#include <conduit/crm/parties/host_catalogue_sync.hpp>

#include <conduit/crm/parties/host_counterparty.hpp>

#include <set>
#include <stdexcept>

namespace conduit::crm::parties {

namespace {
constexpr const char* kFullReadStamp = "directory.full_read";
constexpr const char* kChangesStamp = "directory.changes";
}  // namespace

HostCatalogueSync::HostCatalogueSync(Catalogue& catalogue, const sdk::IDirectory& directory, std::string country, Log log,
                                     const sdk::IDirectoryChanges* changes)
    : catalogue_(catalogue), directory_(directory), country_(std::move(country)), log_(std::move(log)), changes_(changes) {}

void HostCatalogueSync::apply(const sdk::Counterparty& counterparty, HostSyncReport& report) {
    ++report.seen;
    auto converted = fromHostCounterparty(counterparty, country_);
    report.valuesSkipped += converted.skipped.size();
    if (log_)
        for (const auto& s : converted.skipped) log_("counterparty #" + std::to_string(counterparty.id) + ": " + s);
    try {
        if (changes_)
            if (const auto terms = changes_->commercialTerms(counterparty.id)) converted.party.terms = fromHostTerms(*terms);
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

HostSyncReport HostCatalogueSync::run() {
    HostSyncReport report;
    std::set<sdk::Id> present;
    for (const auto& counterparty : directory_.counterparties()) {
        present.insert(counterparty.id);
        apply(counterparty, report);
    }
    for (auto hostId : catalogue_.hostLinked())
        if (!present.count(hostId) && catalogue_.markRemovedInHost(hostId)) ++report.removed;
    report.ran = report.fullRead = true;
    return report;
}

HostSyncReport HostCatalogueSync::runIfDue(std::chrono::seconds interval) {
    using namespace std::chrono;
    const auto now = duration_cast<seconds>(catalogue_.options().clock().time_since_epoch()).count();
    if (const auto last = catalogue_.syncStamp(kFullReadStamp); last && now >= *last && now - *last < interval.count()) return {};
    catalogue_.setSyncStamp(kFullReadStamp, now);
    return run();
}

HostSyncReport HostCatalogueSync::catchUp(std::size_t batch) {
    if (!changes_) return runIfDue(std::chrono::minutes(10));
    auto cursor = catalogue_.syncStamp(kChangesStamp);
    if (!cursor) {
        // The newest stamp before the read: a change made while it reads is applied again next time.
        const auto start = changes_->lastSeq();
        auto report = run();
        catalogue_.setSyncStamp(kChangesStamp, start);
        return report;
    }
    HostSyncReport report;
    report.ran = true;
    for (;;) {
        const auto page = changes_->changesSince(*cursor, batch);
        for (const auto& change : page) {
            if (change.entity != sdk::DirectoryEntity::Counterparty) continue;
            const auto counterparty = change.kind == sdk::DirectoryChangeKind::Removed ? std::nullopt : directory_.counterparty(change.id);
            if (counterparty) apply(*counterparty, report);
            else if (catalogue_.markRemovedInHost(change.id)) ++report.removed;
        }
        if (page.empty()) break;
        *cursor = page.back().stamp.seq;
        // Another workstation may have gone further meanwhile: the stamp never goes back.
        if (const auto stored = catalogue_.syncStamp(kChangesStamp); !stored || *stored < *cursor) catalogue_.setSyncStamp(kChangesStamp, *cursor);
        if (page.size() < batch) break;
    }
    return report;
}

}  // namespace conduit::crm::parties
