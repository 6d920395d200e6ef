// The host's side of the catalogue: its counterparties arrive as parties whose host fields only
// the host changes, a counterparty the host drops is kept read-only, and how far the sync got.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "catalogue_tx.hpp"

#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

namespace conduit::crm::parties {
namespace {

constexpr sdk::Id kHost = 0;

// The stored party with the host's fields of `fromHost` over it; everything the CRM added stays.
Party withHostFields(const Party& stored, const Party& fromHost) {
    Party p = stored;
    p.fullName = fromHost.fullName;
    p.shortName = fromHost.shortName;
    p.taxIds = fromHost.taxIds;
    p.addresses = fromHost.addresses;
    p.phones = fromHost.phones;
    p.emails = fromHost.emails;
    if (!fromHost.language.empty()) p.language = fromHost.language;
    if (fromHost.terms) p.terms = fromHost.terms;
    p.roles |= fromHost.roles;
    p.removedInHost = false;
    return p;
}

}  // namespace

HostApplied Catalogue::applyHostCounterparty(const Party& fromHost) {
    if (!fromHost.hostId) throw CatalogueError(CatalogueProblem::NotFound, "host counterparty without an id");
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue host sync", [&](soci::session& s) {
        batch.begin();
        const auto existing = detail::partyOfHost(s, fromHost.hostId);
        if (!existing) {
            auto p = fromHost;
            p.id = 0;
            p.mergedInto = 0;
            p.createdAt = p.changedAt = at;
            detail::insertParty(s, p);
            auto e = detail::createdEvent(p, kHost, at, "party-host:" + std::to_string(p.hostId) + ":created");
            batch.insert(s, e);
            detail::auditParty(s, at, kHost, p.id, "host_create", nullptr, detail::toDocument(p));
            return HostApplied{p, HostOutcome::Created};
        }
        const auto current = detail::requireParty(s, *existing);
        auto next = withHostFields(current, fromHost);
        const auto changes = detail::changesBetween(current, next);
        if (changes.empty()) return HostApplied{current, HostOutcome::Unchanged};
        next.version = current.version + 1;
        next.changedAt = at;
        if (!detail::updateParty(s, next, current.version)) throw CatalogueError(CatalogueProblem::Stale, "host sync");
        auto e = detail::changedEvent(next, changes, kHost, at);
        batch.insert(s, e);
        detail::auditParty(s, at, kHost, next.id, "host_update", detail::toDocument(current), detail::toDocument(next));
        return HostApplied{next, HostOutcome::Changed};
    });
}

bool Catalogue::markRemovedInHost(sdk::Id hostId) {
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue host sync", [&](soci::session& s) {
        batch.begin();
        const auto id = detail::partyOfHost(s, hostId);
        if (!id) return false;
        const auto current = detail::requireParty(s, *id);
        if (current.removedInHost) return false;
        auto next = current;
        next.removedInHost = true;
        next.version = current.version + 1;
        next.changedAt = at;
        if (!detail::updateParty(s, next, current.version)) throw CatalogueError(CatalogueProblem::Stale, "host sync");
        auto e = detail::removedInHostEvent(next, at);
        batch.insert(s, e);
        detail::auditParty(s, at, kHost, next.id, "host_remove", detail::toDocument(current), detail::toDocument(next));
        return true;
    });
}

std::vector<sdk::Id> Catalogue::hostLinked() {
    return inTransaction(db_, "catalogue host sync", [&](soci::session& s) {
        std::vector<sdk::Id> out;
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT HOST_ID FROM CRM_PARTY WHERE HOST_ID IS NOT NULL AND STATE = 0", soci::into(id));
        st.execute(false);
        while (st.fetch()) out.push_back(id);
        return out;
    });
}

std::optional<std::int64_t> Catalogue::syncStamp(const std::string& name) {
    return inTransaction(db_, "catalogue host sync", [&](soci::session& s) -> std::optional<std::int64_t> {
        std::string n = name;
        long long stamp = 0;
        s << "SELECT LAST_STAMP FROM CRM_HOST_SYNC WHERE NAME = :n", soci::use(n), soci::into(stamp);
        if (!s.got_data()) return std::nullopt;
        return stamp;
    });
}

void Catalogue::setSyncStamp(const std::string& name, std::int64_t stamp) {
    const auto at = options_.clock();
    inTransaction(db_, "catalogue host sync", [&](soci::session& s) {
        std::string n = name;
        long long value = stamp;
        std::tm when = rows::toTm(at);
        s << "UPDATE OR INSERT INTO CRM_HOST_SYNC (NAME, LAST_STAMP, SYNCED_AT) VALUES (:n, :v, :t) MATCHING (NAME)", soci::use(n),
            soci::use(value), soci::use(when);
    });
}

}  // namespace conduit::crm::parties
