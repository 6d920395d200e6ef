// Duplicates and merges: the draft's keys against the catalogue as someone types, the sweep that
// fills the review list, and a merge that records every reference it moves so undo can put it back.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "duplicate_rules.hpp"
#include "catalogue_tx.hpp"

#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>

namespace conduit::crm::parties {
namespace {

using Json = nlohmann::json;

using detail::reasonOf;
using detail::strength;
constexpr int kMaxGroup = detail::kMaxDuplicateGroup;

std::vector<long long> partiesWithKey(soci::session& s, const detail::PartyKey& key) {
    std::string type = key.type, value = key.value;
    long long id = 0;
    std::vector<long long> out;
    soci::statement st = (s.prepare << "SELECT K.PARTY_ID FROM CRM_PARTY_KEY K JOIN CRM_PARTY P ON P.ID = K.PARTY_ID"
                                       " WHERE K.KEY_VALUE = :v AND K.KEY_TYPE = :t AND P.STATE <> 1 ROWS "
                                    << (kMaxGroup + 1),
                          soci::use(value), soci::use(type), soci::into(id));
    st.execute(false);
    while (st.fetch()) out.push_back(id);
    return out;
}

// ---- moving references --------------------------------------------------------------------

struct MergeIds {
    long long merge = 0, survivor = 0, absorbed = 0;
};

// Points `column` of `table`'s rows from the absorbed party to the survivor, each row's id kept
// under `what` for undo.
std::size_t moveColumn(soci::session& s, const MergeIds& m, const char* what, const char* table, const char* column) {
    long long merge = m.merge, from = m.absorbed, to = m.survivor;
    std::string w = what;
    s << "INSERT INTO CRM_MERGE_MOVE (MERGE_ID, WHAT, ROW_ID, OLD_VALUE) SELECT :m, :w, ID, " << column << " FROM " << table
      << " WHERE " << column << " = :a",
        soci::use(merge), soci::use(w), soci::use(from);
    soci::statement st = (s.prepare << "UPDATE " << table << " SET " << column << " = :b WHERE " << column << " = :a",
                          soci::use(to), soci::use(from));
    st.execute(true);
    return static_cast<std::size_t>(st.get_affected_rows());
}

void restoreColumn(soci::session& s, long long merge, const char* what, const char* table, const char* column) {
    std::string w = what;
    long long m = merge;
    s << "UPDATE " << table << " T SET " << column << " = (SELECT M.OLD_VALUE FROM CRM_MERGE_MOVE M WHERE M.MERGE_ID = :m"
      << " AND M.WHAT = :w AND M.ROW_ID = T.ID) WHERE T.ID IN (SELECT ROW_ID FROM CRM_MERGE_MOVE WHERE MERGE_ID = :m2 AND WHAT = :w2)",
        soci::use(m), soci::use(w), soci::use(m), soci::use(w);
}

// The absorbed party's timeline joins the survivor's: its subject rows are re-pointed, or dropped
// where the event already names the survivor (a relation between the two).
std::size_t moveSubjects(soci::session& s, const MergeIds& m, const SubjectType& type) {
    long long merge = m.merge, from = m.absorbed, to = m.survivor;
    std::string t = type.code();
    const std::string bothNamed = " EXISTS (SELECT 1 FROM CRM_EVENT_SUBJECT X WHERE X.EVENT_ID = S.EVENT_ID AND X.SUBJECT_TYPE = :t2"
                                  " AND X.SUBJECT_ID = :b)";
    s << "INSERT INTO CRM_MERGE_MOVE (MERGE_ID, WHAT, ROW_ID, OLD_VALUE) SELECT :m, IIF(" << bothNamed
      << ", 'subject_dup', 'subject'), S.EVENT_ID, S.SUBJECT_ID FROM CRM_EVENT_SUBJECT S WHERE S.SUBJECT_TYPE = :t AND S.SUBJECT_ID = :a",
        soci::use(merge), soci::use(t), soci::use(to), soci::use(t), soci::use(from);
    s << "DELETE FROM CRM_EVENT_SUBJECT S WHERE S.SUBJECT_TYPE = :t AND S.SUBJECT_ID = :a AND" << bothNamed, soci::use(t),
        soci::use(from), soci::use(t), soci::use(to);
    soci::statement st = (s.prepare << "UPDATE CRM_EVENT_SUBJECT SET SUBJECT_ID = :b WHERE SUBJECT_TYPE = :t AND SUBJECT_ID = :a",
                          soci::use(to), soci::use(t), soci::use(from));
    st.execute(true);
    return static_cast<std::size_t>(st.get_affected_rows());
}

void restoreSubjects(soci::session& s, const MergeIds& m, const SubjectType& type) {
    long long merge = m.merge, from = m.absorbed, to = m.survivor;
    std::string t = type.code();
    s << "UPDATE CRM_EVENT_SUBJECT SET SUBJECT_ID = :a WHERE SUBJECT_TYPE = :t AND SUBJECT_ID = :b AND EVENT_ID IN"
         " (SELECT ROW_ID FROM CRM_MERGE_MOVE WHERE MERGE_ID = :m AND WHAT = 'subject')",
        soci::use(from), soci::use(t), soci::use(to), soci::use(merge);
    s << "INSERT INTO CRM_EVENT_SUBJECT (EVENT_ID, SUBJECT_TYPE, SUBJECT_ID, OCCURRED_AT) SELECT E.ID, :t, :a, E.OCCURRED_AT"
         " FROM CRM_MERGE_MOVE M JOIN CRM_EVENT E ON E.ID = M.ROW_ID WHERE M.MERGE_ID = :m AND M.WHAT = 'subject_dup'",
        soci::use(t), soci::use(from), soci::use(merge);
}

// The catalogue's own events of a party that now is the host counterparty carry its id, as the
// events written after the merge do (its card reads the counterparty's feed).
void linkToHost(soci::session& s, const MergeIds& m, const SubjectType& type, sdk::Id hostId) {
    long long merge = m.merge, party = m.survivor, host = hostId;
    std::string t = type.code();
    s << "INSERT INTO CRM_MERGE_MOVE (MERGE_ID, WHAT, ROW_ID, OLD_VALUE) SELECT :m, 'counterparty', E.ID, NULL FROM CRM_EVENT E"
         " JOIN CRM_EVENT_SUBJECT S ON S.EVENT_ID = E.ID WHERE S.SUBJECT_TYPE = :t AND S.SUBJECT_ID = :p AND E.COUNTERPARTY_ID IS NULL"
         " AND E.KIND STARTING WITH 'party.'",
        soci::use(merge), soci::use(t), soci::use(party);
    s << "UPDATE CRM_EVENT SET COUNTERPARTY_ID = :h WHERE ID IN (SELECT ROW_ID FROM CRM_MERGE_MOVE WHERE MERGE_ID = :m AND"
         " WHAT = 'counterparty')",
        soci::use(host), soci::use(merge);
}

void unlinkFromHost(soci::session& s, long long merge) {
    s << "UPDATE CRM_EVENT SET COUNTERPARTY_ID = NULL WHERE ID IN (SELECT ROW_ID FROM CRM_MERGE_MOVE WHERE MERGE_ID = :m AND"
         " WHAT = 'counterparty')",
        soci::use(merge);
}

// ---- the merged record --------------------------------------------------------------------

template <typename T>
void unite(std::vector<T>& into, const std::vector<T>& more) {
    for (const auto& x : more)
        if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(x);
}

bool chosen(const MergeChoices& c, const char* field) {
    const auto it = c.find(field);
    return it != c.end() && it->second == MergeSide::Absorbed;
}

void pickText(std::string& into, const std::string& other, bool takeOther) {
    if (takeOther || into.empty()) into = other.empty() ? into : other;
}

// The survivor as the merge leaves it: chosen fields from the absorbed side, lists united. A
// host counterparty's host fields are the host's and stay as they are.
Party mergedRecord(const Party& survivor, const Party& absorbed, const MergeChoices& c) {
    Party m = survivor;
    const bool hostFieldsFixed = survivor.isHostOwned() || absorbed.isHostOwned();
    const Party& host = survivor.isHostOwned() ? survivor : absorbed;
    if (hostFieldsFixed) {
        m.fullName = host.fullName, m.shortName = host.shortName, m.taxIds = host.taxIds, m.addresses = host.addresses;
        m.phones = host.phones, m.emails = host.emails, m.language = host.language;
        m.hostId = host.hostId, m.terms = host.terms, m.removedInHost = host.removedInHost;
    } else {
        if (chosen(c, "name")) m.fullName = absorbed.fullName, m.shortName = absorbed.shortName;
        chosen(c, "tax_ids") ? void(m.taxIds = absorbed.taxIds) : unite(m.taxIds, absorbed.taxIds);
        chosen(c, "addresses") ? void(m.addresses = absorbed.addresses) : unite(m.addresses, absorbed.addresses);
        chosen(c, "phones") ? void(m.phones = absorbed.phones) : unite(m.phones, absorbed.phones);
        chosen(c, "emails") ? void(m.emails = absorbed.emails) : unite(m.emails, absorbed.emails);
        pickText(m.language, absorbed.language, chosen(c, "language"));
    }
    if (chosen(c, "name") && m.kind == PartyKind::Person && !hostFieldsFixed)
        m.givenName = absorbed.givenName, m.patronymic = absorbed.patronymic, m.familyName = absorbed.familyName;
    m.roles |= absorbed.roles;
    unite(m.messengers, absorbed.messengers);
    unite(m.dates, absorbed.dates);
    m.tags.insert(absorbed.tags.begin(), absorbed.tags.end());
    pickText(m.region, absorbed.region, chosen(c, "region"));
    pickText(m.industry, absorbed.industry, chosen(c, "industry"));
    pickText(m.category, absorbed.category, chosen(c, "category"));
    pickText(m.source, absorbed.source, chosen(c, "source"));
    pickText(m.website, absorbed.website, chosen(c, "website"));
    if (chosen(c, "notes")) m.notes = absorbed.notes;
    else if (!absorbed.notes.empty() && m.notes.find(absorbed.notes) == std::string::npos)
        m.notes += (m.notes.empty() ? "" : "\n\n") + absorbed.notes;
    if (chosen(c, "owner") || !m.ownerId) m.ownerId = absorbed.ownerId ? absorbed.ownerId : m.ownerId;
    if (chosen(c, "photo") || m.photo.empty()) m.photo = absorbed.photo.empty() ? m.photo : absorbed.photo;
    if (m.kind == PartyKind::Person && (chosen(c, "gender") || m.gender == Gender::Unknown))
        m.gender = absorbed.gender, m.grammaticalGender = absorbed.grammaticalGender;
    m.doNotContact = survivor.doNotContact || absorbed.doNotContact;  // a refusal is never lost
    m.isPrivate = survivor.isPrivate && absorbed.isPrivate;
    for (const auto& [code, value] : absorbed.custom)
        if (chosen(c, ("custom." + code).c_str()) || !m.custom.count(code)) m.custom[code] = value;
    if (m.parentId == absorbed.id) m.parentId = 0;
    return m;
}

Json beforeDocument(const Party& survivor, const Party& absorbed) {
    return {{"survivor", detail::toDocument(survivor)},
            {"absorbed", detail::toDocument(absorbed)},
            {"survivor_had_photo", !survivor.photo.empty()}};
}

void refuseImpossibleMerge(const Party& survivor, const Party& absorbed) {
    const auto ids = "#" + std::to_string(survivor.id) + " <- #" + std::to_string(absorbed.id);
    if (survivor.id == absorbed.id) throw CatalogueError(CatalogueProblem::MergeIntoItself, ids);
    if (survivor.mergedInto) throw CatalogueError(CatalogueProblem::MergeIntoAlias, ids);
    if (absorbed.mergedInto) throw CatalogueError(CatalogueProblem::AlreadyMerged, ids);
    if (survivor.kind != absorbed.kind) throw CatalogueError(CatalogueProblem::MergeAcrossKinds, ids);
    if (survivor.isHostOwned() && absorbed.isHostOwned()) throw CatalogueError(CatalogueProblem::MergeBothHost, ids);
    // A counterparty the host dropped is kept as it was, for its events.
    if (survivor.removedInHost || absorbed.removedInHost) throw CatalogueError(CatalogueProblem::HostOwned, ids);
}

long long insertMerge(soci::session& s, const Party& survivor, const Party& absorbed, sdk::Id actor, sdk::TimePoint at) {
    long long id = detail::nextId(s, "CRM_PARTY_SEQ"), sid = survivor.id, aid = absorbed.id, by = actor;
    std::tm when = rows::toTm(at);
    const std::string text = beforeDocument(survivor, absorbed).dump();
    auto doc = std::make_unique<soci::blob>(s);
    doc->append(text.data(), text.size());
    s << "INSERT INTO CRM_PARTY_MERGE (ID, SURVIVOR_ID, ABSORBED_ID, MERGED_AT, MERGED_BY, BEFORE_DOC) VALUES (:i, :s, :a, :t, :b, :d)",
        soci::use(id), soci::use(sid), soci::use(aid), soci::use(when), soci::use(by), soci::use(*doc);
    return id;
}

void setDuplicateState(soci::session& s, std::int64_t x, std::int64_t y, int state, sdk::TimePoint at, const char* reason) {
    long long a = std::min(x, y), b = std::max(x, y);
    int st = state;
    std::tm when = rows::toTm(at);
    std::string r = reason;
    s << "UPDATE OR INSERT INTO CRM_DUPLICATE (PARTY_A, PARTY_B, REASON, FOUND_AT, STATE) VALUES (:a, :b, :r, :t, :s)"
         " MATCHING (PARTY_A, PARTY_B)",
        soci::use(a), soci::use(b), soci::use(r), soci::use(when), soci::use(st);
}

void dropKeys(soci::session& s, std::int64_t partyId) {
    long long id = partyId;
    s << "DELETE FROM CRM_PARTY_KEY WHERE PARTY_ID = :p", soci::use(id);
}

// A branch's company is in its document too, so each branch is rewritten as a whole.
void setParent(soci::session& s, std::int64_t branchId, std::int64_t parentId) {
    auto branch = detail::requireParty(s, branchId);
    auto next = branch;
    next.parentId = parentId;
    next.version = branch.version + 1;
    if (!detail::updateParty(s, next, branch.version)) throw CatalogueError(CatalogueProblem::Stale, "branch");
}

std::vector<long long> idsOf(soci::session& s, const std::string& sql, long long a, long long b) {
    std::vector<long long> out;
    long long id = 0;
    soci::statement st = (s.prepare << sql, soci::use(a), soci::use(b), soci::into(id));
    st.execute(false);
    while (st.fetch()) out.push_back(id);
    return out;
}

void moveBranches(soci::session& s, const MergeIds& m) {
    for (auto id : idsOf(s, "SELECT ID FROM CRM_PARTY WHERE PARENT_ID = :a AND ID <> :b", m.absorbed, m.survivor)) {
        setParent(s, id, m.survivor);
        long long merge = m.merge, row = id, old = m.absorbed;
        s << "INSERT INTO CRM_MERGE_MOVE (MERGE_ID, WHAT, ROW_ID, OLD_VALUE) VALUES (:m, 'branch', :r, :o)", soci::use(merge),
            soci::use(row), soci::use(old);
    }
}

void restoreBranches(soci::session& s, const MergeIds& m) {
    for (auto id : idsOf(s, "SELECT ROW_ID FROM CRM_MERGE_MOVE WHERE MERGE_ID = :m AND WHAT = 'branch' AND OLD_VALUE = :a", m.merge,
                         m.absorbed))
        setParent(s, id, m.absorbed);
}

MergeResult moveReferences(soci::session& s, const MergeIds& ids, PartyKind kind) {
    MergeResult r;
    r.mergeId = ids.merge;
    const auto type = kind == PartyKind::Company ? subject_types::company : subject_types::person;
    r.eventsMoved = moveSubjects(s, ids, type);
    if (kind == PartyKind::Company) {
        r.employmentsMoved = moveColumn(s, ids, "emp_company", "CRM_EMPLOYMENT", "COMPANY_ID");
        moveBranches(s, ids);
    } else {
        r.employmentsMoved = moveColumn(s, ids, "emp_person", "CRM_EMPLOYMENT", "PERSON_ID");
        moveColumn(s, ids, "emp_reports", "CRM_EMPLOYMENT", "REPORTS_TO");
    }
    r.relationsMoved = moveColumn(s, ids, "rel_from", "CRM_PARTY_RELATION", "FROM_ID") +
                       moveColumn(s, ids, "rel_to", "CRM_PARTY_RELATION", "TO_ID");
    r.certificationsMoved = moveColumn(s, ids, "certification", "CRM_CERTIFICATION", "PARTY_ID");
    return r;
}

void restoreReferences(soci::session& s, const MergeIds& ids, PartyKind kind) {
    unlinkFromHost(s, ids.merge);
    restoreSubjects(s, ids, kind == PartyKind::Company ? subject_types::company : subject_types::person);
    restoreColumn(s, ids.merge, "emp_company", "CRM_EMPLOYMENT", "COMPANY_ID");
    restoreBranches(s, ids);
    restoreColumn(s, ids.merge, "emp_person", "CRM_EMPLOYMENT", "PERSON_ID");
    restoreColumn(s, ids.merge, "emp_reports", "CRM_EMPLOYMENT", "REPORTS_TO");
    restoreColumn(s, ids.merge, "rel_from", "CRM_PARTY_RELATION", "FROM_ID");
    restoreColumn(s, ids.merge, "rel_to", "CRM_PARTY_RELATION", "TO_ID");
    restoreColumn(s, ids.merge, "certification", "CRM_CERTIFICATION", "PARTY_ID");
}

struct StoredMerge {
    MergeIds ids;
    Json before;
    bool undone = false;
    bool laterMergeExists = false;
};

std::optional<StoredMerge> loadMerge(soci::session& s, std::int64_t mergeId) {
    StoredMerge m;
    long long id = mergeId;
    soci::blob doc(s);
    std::tm undone{};
    soci::indicator iUndone = soci::i_null;
    s << "SELECT SURVIVOR_ID, ABSORBED_ID, BEFORE_DOC, UNDONE_AT FROM CRM_PARTY_MERGE WHERE ID = :i", soci::use(id),
        soci::into(m.ids.survivor), soci::into(m.ids.absorbed), soci::into(doc), soci::into(undone, iUndone);
    if (!s.got_data()) return std::nullopt;
    m.ids.merge = mergeId;
    std::string text(doc.get_len(), '\0');
    if (!text.empty()) doc.read(0, text.data(), text.size());
    m.before = Json::parse(text, nullptr, false);
    m.undone = iUndone != soci::i_null;
    int later = 0;
    s << "SELECT COUNT(*) FROM CRM_PARTY_MERGE WHERE ID > :i AND UNDONE_AT IS NULL AND (SURVIVOR_ID IN (:s, :a) OR ABSORBED_ID IN"
         " (:s2, :a2))",
        soci::use(id), soci::use(m.ids.survivor), soci::use(m.ids.absorbed), soci::use(m.ids.survivor), soci::use(m.ids.absorbed),
        soci::into(later);
    m.laterMergeExists = later > 0;
    return m;
}

// Puts the store's record of a party back as `doc` says, over its current version.
Party restored(const Party& current, const Json& doc) {
    Party p = current;
    detail::fromDocument(doc, p);
    p.mergedInto = 0;
    return p;
}

}  // namespace

std::vector<DuplicateMatch> Catalogue::possibleDuplicates(sdk::Id actor, const Party& draft, std::size_t limit) {
    const auto v = viewer(actor);
    if (!v.internal) return {};
    return inTransaction(db_, "catalogue duplicates", [&](soci::session& s) {
        std::map<long long, std::vector<DuplicateReason>> found;
        for (const auto& key : detail::keysOf(detail::withStoredValues(draft, options_.defaultCountry))) {
            const auto reason = reasonOf(key.type);
            if (!reason) continue;
            const auto ids = partiesWithKey(s, key);
            if (ids.size() > static_cast<std::size_t>(kMaxGroup)) continue;
            for (auto id : ids)
                if (id != draft.id) found[id].push_back(*reason);
        }
        std::vector<DuplicateMatch> out;
        for (auto& [id, reasons] : found) {
            auto p = detail::loadParty(s, id);
            if (!p || !maySee(v, *p)) continue;
            std::sort(reasons.begin(), reasons.end(), [](auto a, auto b) { return strength(a) > strength(b); });
            reasons.erase(std::unique(reasons.begin(), reasons.end()), reasons.end());
            // A similar name alone is a hint; beside a stronger reason it says nothing more.
            if (reasons.size() > 1) std::erase(reasons, DuplicateReason::SimilarName);
            out.push_back({id, p->displayName(), reasons});
        }
        std::sort(out.begin(), out.end(), [](const DuplicateMatch& a, const DuplicateMatch& b) {
            const int sa = strength(a.reasons.front()) * 10 + int(a.reasons.size()), sb = strength(b.reasons.front()) * 10 + int(b.reasons.size());
            return sa != sb ? sa > sb : a.partyId < b.partyId;
        });
        if (out.size() > limit) out.resize(limit);
        return out;
    });
}

SweepReport Catalogue::sweepDuplicates() {
    const auto at = options_.clock();
    return inTransaction(db_, "catalogue duplicate sweep", [&](soci::session& s) {
        SweepReport report;
        std::vector<std::pair<std::string, std::string>> shared;
        {
            std::string type, value;
            // Two people of one name are namesakes more often than not: the sweep pairs people by
            // phone, e-mail or tax id (the editor still shows namesakes while one types).
            soci::statement st = (s.prepare << "SELECT KEY_TYPE, KEY_VALUE FROM CRM_PARTY_KEY WHERE KEY_TYPE IN ('name', 'phone',"
                                               " 'email', 'tax') AND NOT (KEY_TYPE = 'name' AND KEY_VALUE STARTING WITH 'p:')"
                                               " GROUP BY KEY_VALUE, KEY_TYPE HAVING COUNT(*) BETWEEN 2 AND "
                                            << kMaxGroup,
                                  soci::into(type), soci::into(value));
            st.execute(false);
            while (st.fetch()) shared.emplace_back(type, value);
        }
        for (const auto& [type, value] : shared) {
            ++report.keysCompared;
            const auto ids = partiesWithKey(s, {type, value});
            for (std::size_t i = 0; i < ids.size(); ++i)
                for (std::size_t j = i + 1; j < ids.size(); ++j) {
                    ++report.pairsFound;
                    long long a = std::min(ids[i], ids[j]), b = std::max(ids[i], ids[j]);
                    int known = 0;
                    s << "SELECT COUNT(*) FROM CRM_DUPLICATE WHERE PARTY_A = :a AND PARTY_B = :b", soci::use(a), soci::use(b),
                        soci::into(known);
                    if (known) continue;
                    setDuplicateState(s, a, b, 0, at, type.c_str());
                    ++report.pairsNew;
                }
        }
        return report;
    });
}

std::vector<DuplicatePair> Catalogue::reviewList(sdk::Id actor, std::size_t limit) {
    const auto v = viewer(actor);
    if (!v.internal) return {};
    return inTransaction(db_, "catalogue duplicates", [&](soci::session& s) {
        std::vector<DuplicatePair> out;
        long long a = 0, b = 0;
        std::string reason;
        soci::statement st = (s.prepare << "SELECT D.PARTY_A, D.PARTY_B, D.REASON FROM CRM_DUPLICATE D JOIN CRM_PARTY A ON A.ID ="
                                           " D.PARTY_A JOIN CRM_PARTY B ON B.ID = D.PARTY_B WHERE D.STATE = 0 AND A.STATE <> 1 AND"
                                           " B.STATE <> 1 ORDER BY D.FOUND_AT DESC, D.PARTY_A, D.PARTY_B",
                              soci::into(a), soci::into(b), soci::into(reason));
        st.execute(false);
        std::vector<DuplicatePair> pairs;
        while (st.fetch()) pairs.push_back({a, b, reasonOf(reason).value_or(DuplicateReason::SameName)});
        for (const auto& p : pairs) {
            if (out.size() == limit) break;
            const auto x = detail::loadParty(s, p.a), y = detail::loadParty(s, p.b);
            if (x && y && maySee(v, *x) && maySee(v, *y)) out.push_back(p);
        }
        return out;
    });
}

void Catalogue::dismissDuplicate(sdk::Id actor, std::int64_t a, std::int64_t b) {
    const auto v = viewer(actor);
    if (!v.edits && !v.merges) throw CatalogueError(CatalogueProblem::NotAllowed, "dismiss duplicate");
    const auto at = options_.clock();
    inTransaction(db_, "catalogue duplicates", [&](soci::session& s) {
        const auto x = detail::requireVisible(s, v, a), y = detail::requireVisible(s, v, b);
        setDuplicateState(s, x.id, y.id, 1, at, "user");
        detail::auditParty(s, at, actor, std::min(a, b), "not_duplicate", nullptr, Json{{"a", a}, {"b", b}});
    });
}

MergeResult Catalogue::merge(sdk::Id actor, std::int64_t survivorId, std::int64_t absorbedId, const MergeChoices& choices) {
    const auto v = viewer(actor);
    if (!v.merges) throw CatalogueError(CatalogueProblem::NotAllowed, "merge");
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue merge", [&](soci::session& s) {
        batch.begin();
        const auto survivor = detail::requireVisible(s, v, survivorId);
        const auto absorbed = detail::requireVisible(s, v, absorbedId);
        refuseImpossibleMerge(survivor, absorbed);
        if (!mayEdit(v, survivor) || !mayEdit(v, absorbed)) throw CatalogueError(CatalogueProblem::NotAllowed, "merge");
        const MergeIds ids{insertMerge(s, survivor, absorbed, actor, at), survivor.id, absorbed.id};
        auto gone = absorbed;
        gone.mergedInto = survivor.id;
        gone.hostId = 0;  // the survivor carries the host link now (the column is unique)
        gone.version = absorbed.version + 1;
        gone.changedAt = at;
        if (!detail::updateParty(s, gone, absorbed.version)) throw CatalogueError(CatalogueProblem::Stale, "merge");
        dropKeys(s, absorbed.id);
        auto kept = mergedRecord(survivor, absorbed, choices);
        kept.version = survivor.version + 1;
        kept.changedAt = at;
        if (!detail::updateParty(s, kept, survivor.version)) throw CatalogueError(CatalogueProblem::Stale, "merge");
        auto result = moveReferences(s, ids, survivor.kind);
        if (kept.hostId && !survivor.hostId) linkToHost(s, ids, subjectOf(kept).type, kept.hostId);
        setDuplicateState(s, survivor.id, absorbed.id, 2, at, "merged");
        auto event = detail::mergedEvent(kept, absorbed, ids.merge, false, actor, at);
        batch.insert(s, event);
        detail::auditParty(s, at, actor, survivor.id, "merge", beforeDocument(survivor, absorbed),
                           Json{{"survivor", detail::toDocument(kept)}, {"absorbed", absorbed.id}, {"merge", ids.merge}});
        return result;
    });
}

void Catalogue::undoMerge(sdk::Id actor, std::int64_t mergeId) {
    const auto v = viewer(actor);
    if (!v.merges) throw CatalogueError(CatalogueProblem::NotAllowed, "undo merge");
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    inTransaction(db_, "catalogue undo merge", [&](soci::session& s) {
        batch.begin();
        const auto m = loadMerge(s, mergeId);
        if (!m) throw CatalogueError(CatalogueProblem::NotFound, "merge #" + std::to_string(mergeId));
        if (m->undone || m->laterMergeExists || !m->before.is_object())
            throw CatalogueError(CatalogueProblem::NotUndoable, "merge #" + std::to_string(mergeId));
        const auto survivor = detail::requireVisible(s, v, m->ids.survivor);
        const auto absorbed = detail::requireParty(s, m->ids.absorbed);
        if (absorbed.mergedInto != survivor.id) throw CatalogueError(CatalogueProblem::NotUndoable, "merge #" + std::to_string(mergeId));
        auto back = restored(survivor, m->before["survivor"]);
        if (!m->before.value("survivor_had_photo", true)) back.photo.clear();
        back.version = survivor.version + 1;
        back.changedAt = at;
        // The host link goes back first: HOST_ID is unique.
        if (!detail::updateParty(s, back, survivor.version)) throw CatalogueError(CatalogueProblem::Stale, "undo merge");
        auto again = restored(absorbed, m->before["absorbed"]);
        again.version = absorbed.version + 1;
        again.changedAt = at;
        if (!detail::updateParty(s, again, absorbed.version)) throw CatalogueError(CatalogueProblem::Stale, "undo merge");
        restoreReferences(s, m->ids, survivor.kind);
        long long id = mergeId, by = actor;
        std::tm when = rows::toTm(at);
        s << "UPDATE CRM_PARTY_MERGE SET UNDONE_AT = :t, UNDONE_BY = :b WHERE ID = :i", soci::use(when), soci::use(by), soci::use(id);
        setDuplicateState(s, survivor.id, absorbed.id, 1, at, "unmerged");
        auto event = detail::mergedEvent(back, again, mergeId, true, actor, at);
        batch.insert(s, event);
        detail::auditParty(s, at, actor, survivor.id, "undo_merge", Json{{"merge", mergeId}}, detail::toDocument(back));
    });
}

}  // namespace conduit::crm::parties
