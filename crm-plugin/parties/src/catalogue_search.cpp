// The catalogue list's query: what someone types becomes prefix walks of the key index; a few
// candidates are fetched by id, many are found by walking the name index with the same tests.
#include <conduit/crm/parties/catalogue.hpp>

#include "party_document.hpp"

#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/foundation/search_fold.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <set>

namespace conduit::crm::parties {
namespace {

// Beyond this many candidates for a word the name index is walked instead. Reading a word's
// candidates costs a key row each; walking the name index costs a row per party passed, and a
// pair of words each common ("okna kra": 13,000 firms each) may be far apart in name order.
constexpr std::size_t kMaxCandidates = 20000;

const char* kSearchedKeys = "('word', 'phone', 'email', 'tax')";

// What one typed token may start: a word of a name, a phone (digits), an e-mail or a tax id.
std::vector<std::string> tokensOf(const std::string& text) {
    std::vector<std::string> out;
    if (text.find('@') != std::string::npos) {
        out.push_back(searchFold(text));
        out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& t) { return t.empty(); }), out.end());
        for (auto& t : out) t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
        return out;
    }
    auto digits = detail::phoneDigits(text);
    if (digits.size() >= 3) {
        // A national trunk prefix is not part of the stored number: 8 (495)… in Russia, 0… elsewhere.
        if (digits.size() == 11 && digits[0] == '8') digits.erase(0, 1);
        else if (digits.size() > 6 && digits[0] == '0') digits.erase(0, 1);
        // "8 (495) 12…" may be a Russian number begun with its trunk prefix or a Polish one of
        // area 84: either is looked for ('|' separates alternatives).
        if (digits.size() >= 4 && digits[0] == '8') digits += "|" + digits.substr(1);
        out.push_back(digits);
        return out;
    }
    return detail::words(text);
}

CatalogueRow rowFrom(const soci::row& r) {
    CatalogueRow row;
    const auto text = [&](std::size_t i) { return r.get_indicator(i) == soci::i_null ? std::string{} : r.get<std::string>(i); };
    row.id = r.get<long long>(0);
    row.kind = text(1).rfind("P", 0) == 0 ? PartyKind::Person : PartyKind::Company;
    row.name = text(2);
    row.region = text(3);
    row.industry = text(4);
    row.category = text(5);
    row.country = text(6);
    row.roles = static_cast<PartyRoles>(r.get<int>(7));
    row.ownerId = r.get_indicator(8) == soci::i_null ? 0 : r.get<long long>(8);
    row.hostId = r.get_indicator(9) == soci::i_null ? 0 : r.get<long long>(9);
    row.isPrivate = r.get<int>(10) != 0;
    const int state = r.get<int>(11);
    row.merged = state == 1;
    row.removedInHost = state == 2;
    return row;
}

// Candidate ids for one token from the key index, or nullopt when there are too many.
std::vector<std::string> alternatives(const std::string& token) {
    std::vector<std::string> out;
    for (std::size_t from = 0;;) {
        const auto bar = token.find('|', from);
        out.push_back(token.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
        if (bar == std::string::npos) return out;
        from = bar + 1;
    }
}

std::optional<std::vector<long long>> candidates(soci::session& s, const std::string& token) {
    constexpr std::size_t kFetched = 1000;  // ids a fetch: thousands of candidates are common
    std::vector<long long> out;
    for (const auto& alternative : alternatives(token)) {
        std::string t = alternative;
        std::vector<long long> ids(kFetched);
        soci::statement st = (s.prepare << "SELECT PARTY_ID FROM CRM_PARTY_KEY WHERE KEY_VALUE STARTING WITH :t AND KEY_TYPE IN "
                                        << kSearchedKeys << " ROWS " << (kMaxCandidates * 3),
                              soci::use(t), soci::into(ids));
        std::size_t rows = 0;
        for (bool more = st.execute(true); more || !ids.empty(); more = st.fetch()) {
            rows += ids.size();
            out.insert(out.end(), ids.begin(), ids.end());
            if (!more) break;
            ids.resize(kFetched);
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        if (out.size() > kMaxCandidates || rows >= kMaxCandidates * 3) return std::nullopt;
    }
    return out;
}

// The per-row test of one token: it starts one of the party's searched keys. The party's few
// keys are read by its id; `|| ''` keeps Firebird from also walking the value index's range of
// the token for every row tested (thousands of entries each: seconds for a page).
std::string tokenTest(const std::string& token, BoundParams& params) {
    std::string any;
    for (const auto& alternative : alternatives(token))
        any += (any.empty() ? "" : " OR ") + std::string("K.KEY_VALUE || '' STARTING WITH ") + params.add(alternative);
    return "EXISTS (SELECT 1 FROM CRM_PARTY_KEY K WHERE K.PARTY_ID = P.ID AND (" + any + ") AND K.KEY_TYPE IN " + kSearchedKeys + ")";
}

std::vector<long long> employees(soci::session& s, std::int64_t company) {
    long long c = company, id = 0;
    std::vector<long long> out;
    soci::statement st = (s.prepare << "SELECT PERSON_ID FROM CRM_EMPLOYMENT WHERE COMPANY_ID = :c", soci::use(c), soci::into(id));
    st.execute(false);
    while (st.fetch()) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<long long> intersect(std::optional<std::vector<long long>> a, const std::vector<long long>& b) {
    if (!a) return b;
    std::vector<long long> out;
    std::set_intersection(a->begin(), a->end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// The candidates as rows of the transaction's own table, to join (it empties at commit).
void keepCandidates(soci::session& s, const std::vector<long long>& ids) {
    long long id = 0;
    soci::statement st = (s.prepare << "INSERT INTO CRM_PARTY_CANDIDATE (ID) VALUES (:id)", soci::use(id));
    for (const auto candidate : ids) {
        id = candidate;
        st.execute(true);
    }
}

struct FoundRow {
    std::string fold;
    CatalogueRow row;
};

// Appends the first `rows` parties the conditions leave, in name order.
void readPage(soci::session& s, BoundParams& params, const std::string& from, const std::vector<std::string>& where, bool sortFound,
              std::size_t rows, std::vector<FoundRow>& out) {
    std::string sql = "SELECT P.ID, CAST(P.KIND AS VARCHAR(1)), P.NAME, P.REGION, P.INDUSTRY, P.CATEGORY, P.COUNTRY, P.ROLES, P.OWNER_ID,"
                      " P.HOST_ID, P.PRIVATE, P.STATE, P.NAME_FOLD FROM " + from;
    for (std::size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
    sql += sortFound ? " ORDER BY P.NAME_FOLD || '', P.ID + 0" : " ORDER BY P.NAME_FOLD, P.ID";
    sql += " ROWS " + std::to_string(rows);
    soci::row r;
    auto prep = (s.prepare << sql);
    params.bind(prep);
    prep, soci::into(r);
    soci::statement st(prep);
    st.execute(false);
    while (st.fetch()) out.push_back({r.get<std::string>(12), rowFrom(r)});
}

}  // namespace

CataloguePage Catalogue::find(sdk::Id actor, const CatalogueFilter& filter) {
    const auto v = viewer(actor);
    CataloguePage page;
    if (!v.internal) return page;
    const auto tokens = tokensOf(filter.text);
    return inTransaction(db_, "catalogue find", [&](soci::session& s) {
        BoundParams params;
        std::vector<std::string> where;
        // Each token with few enough candidates narrows the ids in memory; a token that starts
        // too many keys ("a") is tested per row instead.
        std::optional<std::vector<long long>> ids;
        std::vector<std::string> tested;
        for (const auto& token : tokens) {
            if (auto c = candidates(s, token)) ids = intersect(std::move(ids), *c);
            else tested.push_back(token);
            if (ids && ids->empty()) return page;
        }
        if (filter.employer) ids = intersect(std::move(ids), employees(s, *filter.employer));
        if (ids && ids->empty()) return page;
        for (const auto& t : tested) where.push_back(tokenTest(t, params));
        if (filter.kind) where.push_back("P.KIND = " + params.add(detail::kindCode(*filter.kind)));
        if (filter.anyRole) where.push_back("BIN_AND(P.ROLES, " + params.add(static_cast<long long>(filter.anyRole)) + ") <> 0");
        if (filter.region) where.push_back("P.REGION = " + params.add(*filter.region));
        if (filter.category) where.push_back("P.CATEGORY = " + params.add(*filter.category));
        if (filter.industry) where.push_back("P.INDUSTRY = " + params.add(*filter.industry));
        if (filter.owner) where.push_back("P.OWNER_ID = " + params.add(static_cast<long long>(*filter.owner)));
        if (filter.tag)
            where.push_back("EXISTS (SELECT 1 FROM CRM_PARTY_KEY K WHERE K.PARTY_ID = P.ID AND K.KEY_VALUE = " +
                            params.add(searchFold(*filter.tag)) + " AND K.KEY_TYPE = 'tag')");
        if (!filter.includeMerged) where.push_back("P.STATE <> 1");
        if (!v.seesAll) where.push_back("(P.PRIVATE = 0 OR P.OWNER_ID = " + params.add(static_cast<long long>(v.userId)) + ")");
        if (filter.after) {
            const auto n1 = params.add(filter.after->nameFold), n2 = params.add(filter.after->nameFold);
            where.push_back("(P.NAME_FOLD > " + n1 + " OR (P.NAME_FOLD = " + n2 + " AND P.ID > " +
                            params.add(static_cast<long long>(filter.after->id)) + "))");
        }
        // Candidates are sorted; otherwise an index is walked in name order and the walk stops
        // at the page's end: a region's or category's own (region or category, then name), or
        // the name index. An owner's parties with no text are sorted from the owner's index (the
        // name walk could read the whole table for an owner of a few).
        const bool byOwnerOnly = filter.owner && !filter.region && !filter.category && tokens.empty();
        const bool sortFound = ids.has_value() || byOwnerOnly;
        const auto limit = std::max<std::size_t>(1, std::min<std::size_t>(filter.limit, 500));
        std::vector<FoundRow> found;
        std::string from = "CRM_PARTY P";
        if (ids) {
            keepCandidates(s, *ids);
            from = "CRM_PARTY_CANDIDATE C JOIN CRM_PARTY P ON P.ID = C.ID";
        }
        readPage(s, params, from, where, sortFound, limit + 1, found);
        for (std::size_t i = 0; i < found.size() && i < limit; ++i) page.rows.push_back(std::move(found[i].row));
        if (found.size() > limit) page.next = CatalogueCursor{found[limit - 1].fold, page.rows.back().id};
        return page;
    });
}

CatalogueCounts Catalogue::counts() {
    return inTransaction(db_, "catalogue counts", [&](soci::session& s) {
        CatalogueCounts c;
        int companies = 0, people = 0, host = 0, merged = 0;
        s << "SELECT COALESCE(SUM(IIF(KIND = 'C' AND STATE <> 1, 1, 0)), 0), COALESCE(SUM(IIF(KIND = 'P' AND STATE <> 1, 1, 0)), 0),"
             " COALESCE(SUM(IIF(HOST_ID IS NOT NULL AND STATE <> 1, 1, 0)), 0), COALESCE(SUM(IIF(STATE = 1, 1, 0)), 0) FROM CRM_PARTY",
            soci::into(companies), soci::into(people), soci::into(host), soci::into(merged);
        c.companies = companies;
        c.people = people;
        c.hostLinked = host;
        c.merged = merged;
        c.crmOnly = companies + people - host;
        for (auto role : allPartyRoles()) {
            long long bit = roleBit(role);
            int n = 0;
            s << "SELECT COUNT(*) FROM CRM_PARTY WHERE STATE <> 1 AND BIN_AND(ROLES, :b) <> 0", soci::use(bit), soci::into(n);
            c.byRole.emplace_back(role, n);
        }
        return c;
    });
}

}  // namespace conduit::crm::parties
