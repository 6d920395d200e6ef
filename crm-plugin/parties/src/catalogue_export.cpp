// The catalogue as an export reads it: every party a reader may see, a page of rows at a time in
// id order (one statement per page, not a read per party), and the people's places in one join.
#include <conduit/crm/parties/catalogue.hpp>

#include "party_document.hpp"

#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>

namespace conduit::crm::parties {
namespace {

constexpr std::size_t kMaxPage = 5000;

std::string blobText(soci::blob& blob, soci::indicator ind) {
    if (ind == soci::i_null) return {};
    std::string bytes(blob.get_len(), '\0');
    if (!bytes.empty()) blob.read(0, bytes.data(), bytes.size());
    return bytes;
}

// The rights as a condition on the party's own columns, so a page is `limit` visible rows.
constexpr const char* kVisible = " AND (PRIVATE = 0 OR OWNER_ID = :me OR :all = 1)";

struct Rights {
    explicit Rights(const CatalogueViewer& v) : me(static_cast<long long>(v.userId)), all(v.seesAll ? 1 : 0) {}
    long long me;
    int all;
};

struct PartyRow {
    long long id = 0;
    int version = 0, state = 0;
    std::tm created{}, changed{};
    soci::indicator iDoc = soci::i_null, iPhoto = soci::i_null;
};

Party partyFrom(const PartyRow& row, const std::string& doc, std::string photo) {
    Party p;
    const auto json = nlohmann::json::parse(doc, nullptr, false);
    if (json.is_object()) detail::fromDocument(json, p);
    p.photo = std::move(photo);
    p.id = row.id;
    p.version = row.version;
    p.mergedInto = 0;
    p.removedInHost = row.state == 2 || p.removedInHost;
    p.createdAt = rows::toTimePoint(row.created);
    p.changedAt = rows::toTimePoint(row.changed);
    return p;
}

// A page's rows: the parties `v` may see and how far the page reached.
struct ReadRows {
    std::vector<Party> visible;
    std::size_t rows = 0;
    long long last = 0;
};

ReadRows readParties(soci::session& s, const CatalogueViewer& v, const ExportPageRequest& request, std::size_t limit) {
    PartyRow row;
    long long after = request.after;
    Rights rights(v);
    soci::blob doc(s), photo(s);
    const std::string photoColumn = request.withPhotos ? "PHOTO" : "CAST(NULL AS BLOB SUB_TYPE BINARY)";
    soci::statement st = (s.prepare << "SELECT ID, VERSION, STATE, CREATED_AT, CHANGED_AT, DOC, " << photoColumn
                                    << " FROM CRM_PARTY WHERE ID > :after AND STATE <> 1" << kVisible
                                    << " ORDER BY ID ROWS " << limit,
                          soci::use(after), soci::use(rights.me), soci::use(rights.all), soci::into(row.id),
                          soci::into(row.version), soci::into(row.state), soci::into(row.created), soci::into(row.changed),
                          soci::into(doc, row.iDoc), soci::into(photo, row.iPhoto));
    ReadRows out;
    st.execute(false);
    while (st.fetch()) {
        ++out.rows;
        out.last = row.id;
        auto p = partyFrom(row, blobText(doc, row.iDoc), blobText(photo, row.iPhoto));
        if (maySee(v, p)) out.visible.push_back(visibleCopy(v, std::move(p)));
    }
    return out;
}

std::optional<sdk::Date> dateAt(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return std::nullopt;
    return rows::toDate(r.get<std::tm>(i));
}

std::string textAt(const soci::row& r, std::size_t i) {
    return r.get_indicator(i) == soci::i_null ? std::string{} : r.get<std::string>(i);
}

long long idAt(const soci::row& r, std::size_t i) { return r.get_indicator(i) == soci::i_null ? 0 : r.get<long long>(i); }

ExportedPlace placeFrom(const soci::row& r) {
    ExportedPlace place;
    auto& e = place.employment;
    e.id = r.get<long long>(0);
    e.personId = r.get<long long>(1);
    e.companyId = r.get<long long>(2);
    e.jobTitle = textAt(r, 3);
    e.department = textAt(r, 4);
    e.levelCode = textAt(r, 5);
    e.reportsTo = idAt(r, 6);
    e.decisionRole = decisionRoleFromString(textAt(r, 7)).value_or(DecisionRole::None);
    e.influence = r.get<int>(8);
    e.since = dateAt(r, 9);
    e.until = dateAt(r, 10);
    e.hostOwned = r.get<int>(11) != 0;
    place.companyName = textAt(r, 12);
    return place;
}

// The places of the people with ids in (after, last], in companies `v` may see.
std::map<std::int64_t, std::vector<ExportedPlace>> readPlaces(soci::session& s, const CatalogueViewer& v, long long after,
                                                              long long last) {
    std::map<std::int64_t, std::vector<ExportedPlace>> out;
    soci::rowset<soci::row> rs =
        (s.prepare << "SELECT E.ID, E.PERSON_ID, E.COMPANY_ID, E.JOB_TITLE, E.DEPARTMENT, E.LEVEL_CODE, E.REPORTS_TO,"
                      " E.DECISION_ROLE, E.INFLUENCE, E.SINCE, E.UNTIL, E.HOST_OWNED, C.NAME, C.PRIVATE, C.OWNER_ID"
                      " FROM CRM_EMPLOYMENT E JOIN CRM_PARTY C ON C.ID = E.COMPANY_ID"
                      " WHERE E.PERSON_ID > :a AND E.PERSON_ID <= :b AND C.STATE <> 1 ORDER BY E.PERSON_ID, E.ID",
         soci::use(after), soci::use(last));
    for (const auto& r : rs) {
        const bool companyPrivate = r.get<int>(13) != 0;
        if (companyPrivate && !v.seesAll && idAt(r, 14) != static_cast<long long>(v.userId)) continue;
        auto place = placeFrom(r);
        out[place.employment.personId].push_back(std::move(place));
    }
    return out;
}

ExportPage pageOf(soci::session& s, const CatalogueViewer& v, const ExportPageRequest& request) {
    ExportPage page;
    const auto limit = std::clamp<std::size_t>(request.limit, 1, kMaxPage);
    auto read = readParties(s, v, request, limit);
    const auto& parties = read.visible;
    const bool anyPerson = std::any_of(parties.begin(), parties.end(), [](const Party& p) { return p.kind == PartyKind::Person; });
    auto places = anyPerson ? readPlaces(s, v, request.after, read.last) : std::map<std::int64_t, std::vector<ExportedPlace>>{};
    for (auto& p : read.visible) {
        ExportedParty exported{std::move(p), {}};
        if (auto it = places.find(exported.party.id); it != places.end()) exported.places = std::move(it->second);
        page.parties.push_back(std::move(exported));
    }
    if (read.rows == limit) page.next = read.last;
    return page;
}

}  // namespace

ExportPage Catalogue::exportPage(sdk::Id actor, const ExportPageRequest& request) {
    const auto v = viewer(actor);
    if (!v.internal) return {};
    return inTransaction(db_, "catalogue export", [&](soci::session& s) { return pageOf(s, v, request); });
}

std::size_t Catalogue::exportCount(sdk::Id actor) {
    const auto v = viewer(actor);
    if (!v.internal) return 0;
    return inTransaction(db_, "catalogue export", [&](soci::session& s) {
        long long n = 0;
        Rights rights(v);
        s << "SELECT COUNT(*) FROM CRM_PARTY WHERE STATE <> 1" << kVisible, soci::use(rights.me), soci::use(rights.all),
            soci::into(n);
        return static_cast<std::size_t>(n);
    });
}

}  // namespace conduit::crm::parties
