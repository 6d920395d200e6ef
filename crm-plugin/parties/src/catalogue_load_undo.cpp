// Catalogue::undoLoad: a load taken back in one transaction. What it created goes unless the
// catalogue has come to rely on it since; what it changed gets its earlier fields back.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "catalogue_tx.hpp"
#include "party_events.hpp"

#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <set>

namespace conduit::crm::parties {
namespace {

constexpr int kLoadUndone = 3;

struct LoadRow {
    detail::LoadFigures figures;
    sdk::Id loadedBy = 0;
    int state = 0;
};

std::optional<LoadRow> readLoad(soci::session& s, std::int64_t loadId) {
    long long id = loadId, by = 0;
    int state = 0;
    std::string source;
    soci::indicator iSource = soci::i_null;
    s << "SELECT LOADED_BY, STATE, SOURCE FROM CRM_PARTY_LOAD WHERE ID = :id", soci::use(id), soci::into(by), soci::into(state),
        soci::into(source, iSource);
    if (!s.got_data()) return std::nullopt;
    LoadRow row;
    row.figures.id = loadId;
    row.figures.source = iSource == soci::i_null ? std::string{} : source;
    row.loadedBy = by;
    row.state = state;
    return row;
}

// Ids of the load's parties that something outside the load now refers to. Each query walks
// the load's parties by their LOAD_ID index and looks the reference up by its own index.
std::set<std::int64_t> reliedOn(soci::session& s, std::int64_t loadId) {
    static const char* const kQueries[] = {
        "SELECT p.ID FROM CRM_PARTY p WHERE p.LOAD_ID = :l AND (p.VERSION > 1 OR p.MERGED_INTO IS NOT NULL)",
        "SELECT p.ID FROM CRM_PARTY p JOIN CRM_EVENT_SUBJECT e ON e.SUBJECT_TYPE IN ('company', 'person') AND e.SUBJECT_ID = p.ID"
        " WHERE p.LOAD_ID = :l",
        "SELECT p.ID FROM CRM_PARTY p JOIN CRM_PARTY_RELATION r ON r.FROM_ID = p.ID OR r.TO_ID = p.ID WHERE p.LOAD_ID = :l",
        "SELECT p.ID FROM CRM_PARTY p JOIN CRM_CERTIFICATION c ON c.PARTY_ID = p.ID WHERE p.LOAD_ID = :l",
        "SELECT p.ID FROM CRM_PARTY p JOIN CRM_PARTY_MERGE m ON m.SURVIVOR_ID = p.ID OR m.ABSORBED_ID = p.ID WHERE p.LOAD_ID = :l",
        "SELECT p.ID FROM CRM_PARTY p JOIN CRM_PARTY b ON b.PARENT_ID = p.ID WHERE p.LOAD_ID = :l"
        " AND (b.LOAD_ID IS NULL OR b.LOAD_ID <> p.LOAD_ID)",
    };
    std::set<std::int64_t> ids;
    long long load = loadId, id = 0;
    for (const char* sql : kQueries) {
        soci::statement st = (s.prepare << sql, soci::use(load), soci::into(id));
        st.execute();
        while (st.fetch()) ids.insert(id);
    }
    return ids;
}

std::vector<std::int64_t> partiesOfLoad(soci::session& s, std::int64_t loadId) {
    std::vector<std::int64_t> ids;
    long long load = loadId, id = 0;
    soci::statement st = (s.prepare << "SELECT ID FROM CRM_PARTY WHERE LOAD_ID = :l ORDER BY ID", soci::use(load), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    return ids;
}

// A party's rows, through statements prepared once for the whole load.
class PartyRemover {
public:
    explicit PartyRemover(soci::session& s)
        : influence_((s.prepare << "DELETE FROM CRM_INFLUENCE WHERE EMPLOYMENT_ID IN (SELECT ID FROM CRM_EMPLOYMENT WHERE"
                                   " PERSON_ID = :a OR COMPANY_ID = :b)",
                      soci::use(id_), soci::use(id2_))),
          employments_((s.prepare << "DELETE FROM CRM_EMPLOYMENT WHERE PERSON_ID = :a OR COMPANY_ID = :b", soci::use(id_),
                        soci::use(id2_))),
          keys_((s.prepare << "DELETE FROM CRM_PARTY_KEY WHERE PARTY_ID = :a", soci::use(id_))),
          duplicates_((s.prepare << "DELETE FROM CRM_DUPLICATE WHERE PARTY_A = :a OR PARTY_B = :b", soci::use(id_), soci::use(id2_))),
          party_((s.prepare << "DELETE FROM CRM_PARTY WHERE ID = :a", soci::use(id_))) {}

    void remove(std::int64_t id) {
        id_ = id2_ = id;
        for (auto* st : {&influence_, &employments_, &keys_, &duplicates_, &party_}) st->execute(true);
    }

private:
    long long id_ = 0, id2_ = 0;
    soci::statement influence_, employments_, keys_, duplicates_, party_;
};

struct Prior {
    std::int64_t partyId = 0;
    int versionAfter = 0;
    std::string doc, photo;
};

std::vector<Prior> priorsOf(soci::session& s, std::int64_t loadId) {
    std::vector<Prior> out;
    long long load = loadId, party = 0;
    int after = 0;
    soci::blob doc(s), photo(s);
    soci::indicator iPhoto = soci::i_null;
    soci::statement st = (s.prepare << "SELECT PARTY_ID, VERSION_AFTER, PRIOR_DOC, PRIOR_PHOTO FROM CRM_PARTY_LOAD_PRIOR"
                                       " WHERE LOAD_ID = :l ORDER BY PARTY_ID",
                          soci::use(load), soci::into(party), soci::into(after), soci::into(doc), soci::into(photo, iPhoto));
    st.execute();
    while (st.fetch()) out.push_back({party, after, detail::blobText(doc, soci::i_ok), detail::blobText(photo, iPhoto)});
    return out;
}

void markUndone(soci::session& s, std::int64_t loadId, sdk::Id actor, sdk::TimePoint at) {
    long long id = loadId, by = actor;
    int state = kLoadUndone;
    std::tm when = rows::toTm(at);
    s << "UPDATE CRM_PARTY_LOAD SET STATE = :s, UNDONE_AT = :t, UNDONE_BY = :b WHERE ID = :id", soci::use(state), soci::use(when),
        soci::use(by), soci::use(id);
}

}  // namespace

LoadUndone Catalogue::undoLoad(sdk::Id actor, std::int64_t loadId) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue load undo", [&](soci::session& s) {
        batch.begin();
        const auto load = readLoad(s, loadId);
        if (!load) throw CatalogueError(CatalogueProblem::NotFound, "load #" + std::to_string(loadId));
        if (!v.internal || (load->loadedBy != actor && !v.merges))
            throw CatalogueError(CatalogueProblem::NotAllowed, "undo load #" + std::to_string(loadId));
        if (load->state == kLoadUndone) throw CatalogueError(CatalogueProblem::NotUndoable, "load #" + std::to_string(loadId));
        LoadUndone undone;
        for (const auto& prior : priorsOf(s, loadId)) {
            const auto current = detail::loadParty(s, prior.partyId);
            if (!current || current->version != prior.versionAfter || current->mergedInto) {
                undone.kept.push_back(prior.partyId);
                continue;
            }
            auto restored = *current;
            detail::fromDocument(nlohmann::json::parse(prior.doc, nullptr, false), restored);
            restored.photo = prior.photo;
            restored.version = current->version + 1;
            restored.changedAt = at;
            if (!detail::updateParty(s, restored, current->version)) throw CatalogueError(CatalogueProblem::Stale, "undo");
            auto e = detail::changedEvent(restored, detail::changesBetween(*current, restored), actor, at);
            batch.insert(s, e);
            detail::auditParty(s, at, actor, restored.id, "undo_load", detail::toDocument(*current), detail::toDocument(restored));
            ++undone.restored;
        }
        const auto relied = reliedOn(s, loadId);
        PartyRemover remover(s);
        for (const auto id : partiesOfLoad(s, loadId)) {
            if (relied.count(id)) {
                undone.kept.push_back(id);
                continue;
            }
            remover.remove(id);
            ++undone.removed;
        }
        markUndone(s, loadId, actor, at);
        auto e = detail::loadUndoneEvent(load->figures, undone, actor, at);
        batch.insert(s, e);
        AuditLog::recordAt(s, at, actor, "party_load", std::to_string(loadId), "undo", nullptr,
                           nlohmann::json{{"removed", undone.removed}, {"restored", undone.restored}, {"kept", undone.kept}});
        return undone;
    });
}

}  // namespace conduit::crm::parties
