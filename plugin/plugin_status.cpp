#include "plugin_status.hpp"

namespace conduit::crm::status {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::size_t countOutbox(notify::Outbox& outbox, notify::OutboxStatus status) {
    constexpr std::size_t kPage = 1000;
    std::size_t n = 0;
    std::int64_t after = 0;
    for (;;) {
        const auto rows = outbox.rows({std::nullopt, status}, after, kPage);
        n += rows.size();
        if (rows.size() < kPage) return n;
        after = rows.back().id;
    }
}

std::string moduleLine(const adapters::ModuleActivity& a) {
    std::vector<std::string> parts;
    for (const auto& [kind, n] : a.byKind) parts.push_back(kind + " " + std::to_string(n));
    std::string line = a.module + ": " + std::to_string(a.total()) + " received";
    if (!parts.empty()) line += " (" + joined(parts) + ")";
    return line;
}

}  // namespace

std::string ignoredSetting(const IgnoredSetting& s) {
    return "setting " + s.key + " = \"" + s.value + "\" is not understood and was ignored (" + s.fallback + ")";
}

std::string storeOpened(EventStore& store, bool embedded, Durability durability) {
    std::string line = "event store: " + store.describe() + ", schema " + std::to_string(store.counts().schemaVersion);
    if (embedded) line += durability == Durability::ForcedWrites ? ", forced writes" : ", synced once per batch";
    return line;
}

std::string rulesLoaded(std::size_t rules) { return "notifications: " + std::to_string(rules) + " rules"; }

namespace {

std::string catalogueLine(const parties::CatalogueCounts& c) {
    std::string line = "catalogue: " + std::to_string(c.companies) + " companies, " + std::to_string(c.people) + " people (" +
                       std::to_string(c.hostLinked) + " from the host, " + std::to_string(c.crmOnly) + " CRM only, " +
                       std::to_string(c.merged) + " merged)";
    std::string roles;
    for (const auto& [role, n] : c.byRole)
        if (n) roles += (roles.empty() ? "" : ", ") + std::string(parties::toString(role)) + " " + std::to_string(n);
    if (!roles.empty()) line += "; roles: " + roles;
    return line;
}

}  // namespace

std::string catalogueAtStop(const parties::CatalogueCounts& counts, std::size_t duplicatePairs, std::size_t certificatesEnding) {
    return catalogueLine(counts) + "; " + std::to_string(duplicatePairs) + " possible duplicate pairs to review, " +
           std::to_string(certificatesEnding) + " certificates ending within 60 days";
}

std::string catalogueSynced(const parties::HostSyncReport& sync, const parties::CatalogueCounts& c) {
    std::string line = catalogueLine(c);
    if (!sync.ran) return line + "; host directory read lately by another workstation";
    line += (sync.fullRead ? "; host directory: " : "; host directory changes caught up: ") + std::to_string(sync.seen) +
            " counterparties, " + std::to_string(sync.created) + " new, " + std::to_string(sync.changed) + " changed, " +
            std::to_string(sync.removed) + " removed";
    if (sync.valuesSkipped) line += ", " + std::to_string(sync.valuesSkipped) + " values not taken (see the debug log)";
    if (sync.failed) line += ", " + std::to_string(sync.failed) + " left for the next start";
    return line;
}

std::string directoryFollowed(std::uint64_t rounds, std::size_t applied) {
    return "catalogue followed the host directory: " + std::to_string(applied) + " counterparties added, changed or removed in " +
           std::to_string(rounds) + " rounds";
}

std::string connectedModules(const std::vector<std::string>& modules) {
    return "connected to host modules: " + (modules.empty() ? std::string("none") : joined(modules));
}

std::string unsavedEvents(std::size_t events) {
    return std::to_string(events) + " events not yet stored; they are replayed from the host on next start";
}

std::string notificationsAtStop(notify::NotificationService& notifications, const notify::TickReport& last) {
    auto& outbox = notifications.outbox();
    return "notifications: " + std::to_string(countOutbox(outbox, notify::OutboxStatus::Sent)) + " sent, " +
           std::to_string(countOutbox(outbox, notify::OutboxStatus::Pending)) + " pending, " +
           std::to_string(countOutbox(outbox, notify::OutboxStatus::Failed)) + " failed (last round: " +
           std::to_string(last.sent.sent) + " sent, " + std::to_string(last.reminders.queued) + " reminders, " +
           std::to_string(last.digest.digests) + " digests" + (last.error.empty() ? ")" : "; error: " + last.error + ")");
}

std::vector<std::string> mailPerPerson(notify::Outbox& outbox) {
    std::vector<std::string> lines;
    std::size_t contacts = 0, contactMails = 0;
    for (const auto& t : outbox.sentPerRecipient()) {
        if (t.external) {
            ++contacts;
            contactMails += t.immediate + t.digests;
            continue;
        }
        lines.push_back("  " + (t.name.empty() ? t.address : t.name + " <" + t.address + ">") + ": " +
                        std::to_string(t.immediate) + " immediate, " + std::to_string(t.digests) + " digests (" +
                        std::to_string(t.digestItems) + " events in them)");
    }
    const std::size_t colleagues = lines.size();
    lines.insert(lines.begin(), "mail per person: " + std::to_string(colleagues) + " colleagues, busiest first:");
    lines.push_back("  customers' contacts: " + std::to_string(contacts) + " people, " + std::to_string(contactMails) + " mails");
    return lines;
}

std::vector<std::string> adapterActivity(const adapters::ModuleAdapters& adapters) {
    std::vector<std::string> lines;
    long total = 0;
    for (const auto& a : adapters.activity()) {
        lines.push_back(moduleLine(a));
        total += a.total();
    }
    const auto c = adapters.counts();
    lines.push_back("total received from host modules: " + std::to_string(total) + " (" + std::to_string(c.caughtUp) +
                    " by catch-up, " + std::to_string(c.overflowed) + " overflowed, " + std::to_string(c.failed) +
                    " failed" + (c.deferred ? ", " + std::to_string(c.deferred) + " kept for the next start" : "") + ")");
    return lines;
}

std::string storeActivity(const WriterCounts& w) {
    return "event store: " + std::to_string(w.written) + " written, " + std::to_string(w.duplicates) +
           " duplicates skipped, " + std::to_string(w.batches) + " batches" +
           (w.lastError.empty() ? "" : ", last error: " + w.lastError);
}

}  // namespace conduit::crm::status
