#include "load_changes.hpp"

#include "catalogue_rows.hpp"

#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <memory>

namespace conduit::crm::parties::detail {
namespace {

// A party changed twice by one load keeps what it was before the first change.
void keepPrior(soci::session& s, std::int64_t loadId, const Party& before, int versionAfter) {
    long long load = loadId, party = before.id;
    int after = versionAfter, known = 0;
    s << "SELECT COUNT(*) FROM CRM_PARTY_LOAD_PRIOR WHERE LOAD_ID = :l AND PARTY_ID = :p", soci::use(load), soci::use(party),
        soci::into(known);
    if (known) {
        s << "UPDATE CRM_PARTY_LOAD_PRIOR SET VERSION_AFTER = :v WHERE LOAD_ID = :l AND PARTY_ID = :p", soci::use(after),
            soci::use(load), soci::use(party);
        return;
    }
    const std::string text = toDocument(before).dump();
    auto doc = std::make_unique<soci::blob>(s);
    doc->append(text.data(), text.size());
    auto photo = std::make_unique<soci::blob>(s);
    if (!before.photo.empty()) photo->append(before.photo.data(), before.photo.size());
    soci::indicator iPhoto = before.photo.empty() ? soci::i_null : soci::i_ok;
    s << "INSERT INTO CRM_PARTY_LOAD_PRIOR (LOAD_ID, PARTY_ID, VERSION_AFTER, PRIOR_DOC, PRIOR_PHOTO)"
         " VALUES (:l, :p, :v, :d, :ph)",
        soci::use(load), soci::use(party), soci::use(after), soci::use(*doc), soci::use(*photo, iPhoto);
}

// The field a refused change names, as LoadReport says it.
std::string refusedField(const CatalogueError& e) {
    switch (e.problem) {
    case CatalogueProblem::Stale: return "version";
    case CatalogueProblem::AlreadyMerged: return "merged";
    case CatalogueProblem::HostOwned: return e.detail;
    default: return "party";
    }
}

}  // namespace

LoadChangesDone writeLoadChanges(soci::session& s, EventBatch& batch, const CatalogueViewer& v, const std::vector<Party>& changes,
                                 const std::vector<std::size_t>& rows, std::int64_t loadId, const std::string& country,
                                 sdk::TimePoint at) {
    LoadChangesDone done;
    for (const auto row : rows) {
        const auto& changed = changes[row];
        const auto current = loadParty(s, changed.id);
        if (!current) {
            done.refused.push_back({row, FieldError(FieldProblem::WrongValue, "party")});
            continue;
        }
        try {
            auto next = changedRecord(v, *current, changed, country);
            const auto fields = changesBetween(*current, next);
            if (fields.empty()) continue;
            next.version = current->version + 1;
            next.changedAt = at;
            if (!updateParty(s, next, current->version)) throw CatalogueError(CatalogueProblem::Stale, "party");
            keepPrior(s, loadId, *current, next.version);
            auto e = changedEvent(next, fields, v.userId, at);
            batch.insert(s, e);
            auditParty(s, at, v.userId, next.id, "update", toDocument(*current), toDocument(next));
            done.written.push_back(next.id);
        } catch (const CatalogueError& e) {
            done.refused.push_back({row, FieldError(FieldProblem::WrongValue, refusedField(e))});
        }
    }
    return done;
}

}  // namespace conduit::crm::parties::detail
