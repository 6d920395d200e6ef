#include "catalogue_rows.hpp"

#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <memory>

namespace conduit::crm::parties::detail {

std::string blobText(soci::blob& blob, soci::indicator ind) {
    if (ind == soci::i_null) return {};
    std::string bytes(blob.get_len(), '\0');
    if (!bytes.empty()) blob.read(0, bytes.data(), bytes.size());
    return bytes;
}

namespace {

std::optional<std::tm> tmOf(const std::optional<sdk::Date>& d) {
    if (!d) return std::nullopt;
    return rows::toTm(*d);
}

std::optional<sdk::Date> dateOf(const std::tm& tm, soci::indicator ind) {
    if (ind == soci::i_null) return std::nullopt;
    return rows::toDate(tm);
}

// The party's columns, bound by name for INSERT and UPDATE alike.
struct PartyColumns {
    long long id = 0, roles = 0, owner = 0, parent = 0, host = 0, merged = 0;
    std::string kind, name, fold, region, industry, category, country;
    int isPrivate = 0, state = 0, version = 0;
    std::tm created{}, changed{};
    soci::indicator iOwner = soci::i_null, iRegion = soci::i_null, iIndustry = soci::i_null, iCategory = soci::i_null,
                    iCountry = soci::i_null, iParent = soci::i_null, iHost = soci::i_null, iMerged = soci::i_null;

    explicit PartyColumns(const Party& p)
        : id(p.id), roles(p.roles), owner(p.ownerId), parent(p.parentId), host(p.hostId), merged(p.mergedInto),
          kind(detail::kindCode(p.kind)), name(p.displayName().substr(0, 1200)), fold(nameFold(p)), region(p.region),
          industry(p.industry), category(p.category), isPrivate(p.isPrivate ? 1 : 0),
          state(p.mergedInto ? 1 : p.removedInHost ? 2 : 0), version(p.version), created(rows::toTm(p.createdAt)),
          changed(rows::toTm(p.changedAt)) {
        if (!p.addresses.empty()) country = p.addresses.front().country;
        iOwner = owner ? soci::i_ok : soci::i_null;
        iRegion = region.empty() ? soci::i_null : soci::i_ok;
        iIndustry = industry.empty() ? soci::i_null : soci::i_ok;
        iCategory = category.empty() ? soci::i_null : soci::i_ok;
        iCountry = country.size() == 2 ? soci::i_ok : soci::i_null;
        iParent = parent ? soci::i_ok : soci::i_null;
        iHost = host ? soci::i_ok : soci::i_null;
        iMerged = merged ? soci::i_ok : soci::i_null;
    }
};

}  // namespace

std::int64_t nextId(soci::session& s, const char* sequence) {
    long long id = 0;
    s << "SELECT NEXT VALUE FOR " << sequence << " FROM RDB$DATABASE", soci::into(id);
    return id;
}

std::optional<Party> loadParty(soci::session& s, std::int64_t id) {
    long long key = id, merged = 0;
    int version = 0, state = 0;
    std::tm created{}, changed{};
    soci::indicator iMerged = soci::i_null, iDoc = soci::i_null, iPhoto = soci::i_null, iFound = soci::i_null;
    soci::blob doc(s), photo(s);
    s << "SELECT VERSION, STATE, MERGED_INTO, CREATED_AT, CHANGED_AT, DOC, PHOTO FROM CRM_PARTY WHERE ID = :id", soci::use(key),
        soci::into(version, iFound), soci::into(state), soci::into(merged, iMerged), soci::into(created), soci::into(changed),
        soci::into(doc, iDoc), soci::into(photo, iPhoto);
    if (!s.got_data()) return std::nullopt;
    Party p;
    const auto json = nlohmann::json::parse(blobText(doc, iDoc), nullptr, false);
    if (json.is_object()) fromDocument(json, p);
    p.photo = blobText(photo, iPhoto);
    p.id = id;
    p.version = version;
    p.mergedInto = iMerged == soci::i_null ? 0 : merged;
    p.removedInHost = state == 2 || p.removedInHost;
    p.createdAt = rows::toTimePoint(created);
    p.changedAt = rows::toTimePoint(changed);
    return p;
}

std::optional<std::int64_t> partyOfHost(soci::session& s, sdk::Id hostId) {
    long long host = hostId, id = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT ID FROM CRM_PARTY WHERE HOST_ID = :h", soci::use(host), soci::into(id, ind);
    if (!s.got_data() || ind == soci::i_null) return std::nullopt;
    return id;
}

void insertParty(soci::session& s, Party& p) {
    p.id = nextId(s, "CRM_PARTY_SEQ");
    p.version = 1;
    RowWriter(s).party(p, 0);
}

bool updateParty(soci::session& s, const Party& p, int expected) {
    PartyColumns c(p);
    int was = expected;
    const std::string docText = toDocument(p).dump();
    auto doc = std::make_unique<soci::blob>(s);
    doc->append(docText.data(), docText.size());
    auto photo = std::make_unique<soci::blob>(s);
    if (!p.photo.empty()) photo->append(p.photo.data(), p.photo.size());
    soci::indicator iPhoto = p.photo.empty() ? soci::i_null : soci::i_ok;
    soci::statement st =
        (s.prepare << "UPDATE CRM_PARTY SET KIND = :kind, NAME = :name, NAME_FOLD = :fold, ROLES = :roles, OWNER_ID = :owner,"
                      " REGION = :region, INDUSTRY = :industry, CATEGORY = :category, COUNTRY = :country, PARENT_ID = :parent,"
                      " HOST_ID = :host, PRIVATE = :private, STATE = :state, MERGED_INTO = :merged, VERSION = :version,"
                      " CHANGED_AT = :changed, DOC = :doc, PHOTO = :photo WHERE ID = :id AND VERSION = :was",
         soci::use(c.kind), soci::use(c.name), soci::use(c.fold), soci::use(c.roles), soci::use(c.owner, c.iOwner),
         soci::use(c.region, c.iRegion), soci::use(c.industry, c.iIndustry), soci::use(c.category, c.iCategory),
         soci::use(c.country, c.iCountry), soci::use(c.parent, c.iParent), soci::use(c.host, c.iHost), soci::use(c.isPrivate),
         soci::use(c.state), soci::use(c.merged, c.iMerged), soci::use(c.version), soci::use(c.changed), soci::use(*doc),
         soci::use(*photo, iPhoto), soci::use(c.id), soci::use(was));
    st.execute(true);
    const bool updated = st.get_affected_rows() == 1;
    st.clean_up();
    doc.reset();
    photo.reset();
    if (updated) writeKeys(s, p);
    return updated;
}

void writeKeys(soci::session& s, const Party& p) {
    long long id = p.id;
    s << "DELETE FROM CRM_PARTY_KEY WHERE PARTY_ID = :id", soci::use(id);
    // A merged party is found through its survivor only.
    if (!p.mergedInto) RowWriter(s).keys(p);
}

namespace {

struct EmploymentColumns {
    long long id = 0, person = 0, company = 0, reports = 0;
    std::string job, department, level, decision;
    int influence = 0, hostOwned = 0;
    std::tm since{}, until{};
    soci::indicator iJob, iDept, iLevel, iReports, iSince, iUntil;

    explicit EmploymentColumns(const Employment& e)
        : id(e.id), person(e.personId), company(e.companyId), reports(e.reportsTo), job(e.jobTitle), department(e.department),
          level(e.levelCode), decision(toString(e.decisionRole)), influence(e.influence), hostOwned(e.hostOwned ? 1 : 0) {
        iJob = job.empty() ? soci::i_null : soci::i_ok;
        iDept = department.empty() ? soci::i_null : soci::i_ok;
        iLevel = level.empty() ? soci::i_null : soci::i_ok;
        iReports = reports ? soci::i_ok : soci::i_null;
        iSince = e.since ? soci::i_ok : soci::i_null;
        iUntil = e.until ? soci::i_ok : soci::i_null;
        if (e.since) since = rows::toTm(*e.since);
        if (e.until) until = rows::toTm(*e.until);
    }
};

const char* kEmploymentColumns =
    "ID, PERSON_ID, COMPANY_ID, JOB_TITLE, DEPARTMENT, LEVEL_CODE, REPORTS_TO, DECISION_ROLE, INFLUENCE, SINCE, UNTIL, HOST_OWNED";

Employment employmentFrom(const soci::row& r) {
    Employment e;
    e.id = r.get<long long>(0);
    e.personId = r.get<long long>(1);
    e.companyId = r.get<long long>(2);
    e.jobTitle = r.get_indicator(3) == soci::i_null ? "" : r.get<std::string>(3);
    e.department = r.get_indicator(4) == soci::i_null ? "" : r.get<std::string>(4);
    e.levelCode = r.get_indicator(5) == soci::i_null ? "" : r.get<std::string>(5);
    e.reportsTo = r.get_indicator(6) == soci::i_null ? 0 : r.get<long long>(6);
    e.decisionRole = decisionRoleFromString(r.get_indicator(7) == soci::i_null ? "" : r.get<std::string>(7)).value_or(DecisionRole::None);
    e.influence = r.get<int>(8);
    e.since = dateOf(r.get_indicator(9) == soci::i_null ? std::tm{} : r.get<std::tm>(9), r.get_indicator(9));
    e.until = dateOf(r.get_indicator(10) == soci::i_null ? std::tm{} : r.get<std::tm>(10), r.get_indicator(10));
    e.hostOwned = r.get<int>(11) != 0;
    return e;
}

}  // namespace

// Each statement is prepared on first use and reused for every row after: its values are
// members, refilled per row, bound once.
struct RowWriter::PartyInsert {
    PartyColumns c{Party{}};
    long long load = 0;
    // Refilled per row: the backend writes a new blob from their bytes at each execution.
    soci::blob doc, photo;
    soci::indicator iLoad = soci::i_null, iPhoto = soci::i_null;
    soci::statement st;

    explicit PartyInsert(soci::session& s)
        : doc(s), photo(s), st((s.prepare << "INSERT INTO CRM_PARTY (ID, KIND, NAME, NAME_FOLD, ROLES, OWNER_ID, REGION, INDUSTRY, CATEGORY, COUNTRY,"
                           " PARENT_ID, HOST_ID, PRIVATE, STATE, MERGED_INTO, VERSION, CREATED_AT, CHANGED_AT, DOC, PHOTO, LOAD_ID)"
                           " VALUES (:id, :kind, :name, :fold, :roles, :owner, :region, :industry, :category, :country, :parent,"
                           " :host, :private, :state, :merged, :version, :created, :changed, :doc, :photo, :load)",
              soci::use(c.id), soci::use(c.kind), soci::use(c.name), soci::use(c.fold), soci::use(c.roles), soci::use(c.owner, c.iOwner),
              soci::use(c.region, c.iRegion), soci::use(c.industry, c.iIndustry), soci::use(c.category, c.iCategory),
              soci::use(c.country, c.iCountry), soci::use(c.parent, c.iParent), soci::use(c.host, c.iHost), soci::use(c.isPrivate),
              soci::use(c.state), soci::use(c.merged, c.iMerged), soci::use(c.version), soci::use(c.created), soci::use(c.changed),
              soci::use(doc), soci::use(photo, iPhoto), soci::use(load, iLoad))) {}
};

struct RowWriter::KeyInsert {
    std::string type, value;
    long long id = 0;
    soci::statement st;

    explicit KeyInsert(soci::session& s)
        : st((s.prepare << "INSERT INTO CRM_PARTY_KEY (KEY_TYPE, KEY_VALUE, PARTY_ID) VALUES (:t, :v, :id)", soci::use(type),
              soci::use(value), soci::use(id))) {}
};

struct RowWriter::EmploymentInsert {
    EmploymentColumns c{Employment{}};
    soci::statement st;

    explicit EmploymentInsert(soci::session& s)
        : st((s.prepare << "INSERT INTO CRM_EMPLOYMENT (" << kEmploymentColumns
                        << ") VALUES (:id, :person, :company, :job, :dept, :lvl, :reports, :decision, :influence, :since, :until, :host)",
              soci::use(c.id), soci::use(c.person), soci::use(c.company), soci::use(c.job, c.iJob), soci::use(c.department, c.iDept),
              soci::use(c.level, c.iLevel), soci::use(c.reports, c.iReports), soci::use(c.decision), soci::use(c.influence),
              soci::use(c.since, c.iSince), soci::use(c.until, c.iUntil), soci::use(c.hostOwned))) {}
};

struct RowWriter::InfluenceInsert {
    long long employment = 0, by = 0;
    std::tm at{};
    int influence = 0;
    std::string note;
    soci::indicator iNote = soci::i_null;
    soci::statement st;

    explicit InfluenceInsert(soci::session& s)
        : st((s.prepare << "INSERT INTO CRM_INFLUENCE (EMPLOYMENT_ID, CHANGED_AT, INFLUENCE, CHANGED_BY, NOTE) VALUES (:e, :at, :i,"
                           " :by, :note)",
              soci::use(employment), soci::use(at), soci::use(influence), soci::use(by), soci::use(note, iNote))) {}
};

RowWriter::RowWriter(soci::session& s) : s_(s) {}
RowWriter::~RowWriter() = default;

void RowWriter::party(const Party& p, std::int64_t loadId, bool keysLater) {
    if (!party_) party_ = std::make_unique<PartyInsert>(s_);
    auto& row = *party_;
    row.c = PartyColumns(p);
    const auto docText = toDocument(p).dump();
    row.doc.trim(0);
    row.doc.append(docText.data(), docText.size());
    row.photo.trim(0);
    if (!p.photo.empty()) row.photo.append(p.photo.data(), p.photo.size());
    row.iPhoto = p.photo.empty() ? soci::i_null : soci::i_ok;
    row.load = loadId;
    row.iLoad = loadId ? soci::i_ok : soci::i_null;
    row.st.execute(true);
    if (!keysLater) return keys(p);
    for (auto& k : keysOf(p)) keptKeys_.emplace_back(std::move(k), p.id);
}

void RowWriter::keys(const Party& p) {
    for (const auto& k : keysOf(p)) key(k, p.id);
}

void RowWriter::sortedKeys() {
    std::sort(keptKeys_.begin(), keptKeys_.end(), [](const auto& a, const auto& b) {
        return a.first.value != b.first.value ? a.first.value < b.first.value : a < b;
    });
    for (const auto& [k, id] : keptKeys_) key(k, id);
    keptKeys_.clear();
}

void RowWriter::key(const PartyKey& k, std::int64_t partyId) {
    if (!key_) key_ = std::make_unique<KeyInsert>(s_);
    auto& row = *key_;
    row.id = partyId;
    row.type = k.type;
    row.value = k.value;
    row.st.execute(true);
}

void RowWriter::employment(const Employment& e) {
    if (!employment_) employment_ = std::make_unique<EmploymentInsert>(s_);
    employment_->c = EmploymentColumns(e);
    employment_->st.execute(true);
}

void RowWriter::influence(std::int64_t employmentId, sdk::TimePoint at, int influence, sdk::Id by, const std::string& note) {
    if (!influence_) influence_ = std::make_unique<InfluenceInsert>(s_);
    auto& row = *influence_;
    row.employment = employmentId;
    row.at = rows::toTm(at);
    row.influence = influence;
    row.by = by;
    row.note = note.substr(0, 300);
    row.iNote = row.note.empty() ? soci::i_null : soci::i_ok;
    row.st.execute(true);
}

std::int64_t reserveIds(soci::session& s, const char* sequence, std::size_t count) {
    long long last = 0;
    s << "SELECT GEN_ID(" << sequence << ", " << count << ") FROM RDB$DATABASE", soci::into(last);
    return last - static_cast<long long>(count) + 1;
}

std::optional<Employment> loadEmployment(soci::session& s, std::int64_t id) {
    long long key = id;
    soci::rowset<soci::row> rs = (s.prepare << "SELECT " << kEmploymentColumns << " FROM CRM_EMPLOYMENT WHERE ID = :id", soci::use(key));
    for (const auto& r : rs) return employmentFrom(r);
    return std::nullopt;
}

std::vector<Employment> employments(soci::session& s, const char* column, std::int64_t partyId) {
    long long key = partyId;
    std::vector<Employment> out;
    soci::rowset<soci::row> rs =
        (s.prepare << "SELECT " << kEmploymentColumns << " FROM CRM_EMPLOYMENT WHERE " << column << " = :id ORDER BY ID", soci::use(key));
    for (const auto& r : rs) out.push_back(employmentFrom(r));
    return out;
}

void insertEmployment(soci::session& s, Employment& e) {
    e.id = nextId(s, "CRM_PARTY_SEQ");
    RowWriter(s).employment(e);
}

void updateEmployment(soci::session& s, const Employment& e) {
    EmploymentColumns c(e);
    s << "UPDATE CRM_EMPLOYMENT SET PERSON_ID = :person, COMPANY_ID = :company, JOB_TITLE = :job, DEPARTMENT = :dept,"
         " LEVEL_CODE = :lvl, REPORTS_TO = :reports, DECISION_ROLE = :decision, INFLUENCE = :influence, SINCE = :since,"
         " UNTIL = :until, HOST_OWNED = :host WHERE ID = :id",
        soci::use(c.person), soci::use(c.company), soci::use(c.job, c.iJob), soci::use(c.department, c.iDept),
        soci::use(c.level, c.iLevel), soci::use(c.reports, c.iReports), soci::use(c.decision), soci::use(c.influence),
        soci::use(c.since, c.iSince), soci::use(c.until, c.iUntil), soci::use(c.hostOwned), soci::use(c.id);
}

void recordInfluence(soci::session& s, std::int64_t employmentId, sdk::TimePoint at, int influence, sdk::Id by,
                     const std::string& note) {
    RowWriter(s).influence(employmentId, at, influence, by, note);
}

namespace {

const char* kRelationColumns = "ID, KIND, FROM_ID, TO_ID, SINCE, UNTIL, NOTE, CREATED_AT, CREATED_BY";

PartyRelation relationFrom(const soci::row& r) {
    PartyRelation out;
    out.id = r.get<long long>(0);
    out.kind = relationKindFromString(r.get<std::string>(1)).value_or(RelationKind::DealerOf);
    out.fromId = r.get<long long>(2);
    out.toId = r.get<long long>(3);
    out.since = dateOf(r.get_indicator(4) == soci::i_null ? std::tm{} : r.get<std::tm>(4), r.get_indicator(4));
    out.until = dateOf(r.get_indicator(5) == soci::i_null ? std::tm{} : r.get<std::tm>(5), r.get_indicator(5));
    out.note = r.get_indicator(6) == soci::i_null ? "" : r.get<std::string>(6);
    out.createdAt = rows::toTimePoint(r.get<std::tm>(7));
    out.createdBy = r.get<long long>(8);
    return out;
}

}  // namespace

std::optional<PartyRelation> loadRelation(soci::session& s, std::int64_t id) {
    long long key = id;
    soci::rowset<soci::row> rs = (s.prepare << "SELECT " << kRelationColumns << " FROM CRM_PARTY_RELATION WHERE ID = :id", soci::use(key));
    for (const auto& r : rs) return relationFrom(r);
    return std::nullopt;
}

std::vector<PartyRelation> relations(soci::session& s, std::int64_t partyId) {
    long long a = partyId, b = partyId;
    std::vector<PartyRelation> out;
    soci::rowset<soci::row> rs = (s.prepare << "SELECT " << kRelationColumns
                                            << " FROM CRM_PARTY_RELATION WHERE FROM_ID = :a OR TO_ID = :b ORDER BY ID",
                                  soci::use(a), soci::use(b));
    for (const auto& r : rs) out.push_back(relationFrom(r));
    return out;
}

void insertRelation(soci::session& s, PartyRelation& r) {
    r.id = nextId(s, "CRM_PARTY_SEQ");
    long long id = r.id, from = r.fromId, to = r.toId, by = r.createdBy;
    std::string kind(toString(r.kind)), note = r.note.substr(0, 300);
    auto since = tmOf(r.since), until = tmOf(r.until);
    std::tm sinceTm = since.value_or(std::tm{}), untilTm = until.value_or(std::tm{}), created = rows::toTm(r.createdAt);
    soci::indicator iSince = since ? soci::i_ok : soci::i_null, iUntil = until ? soci::i_ok : soci::i_null,
                    iNote = note.empty() ? soci::i_null : soci::i_ok;
    s << "INSERT INTO CRM_PARTY_RELATION (" << kRelationColumns
      << ") VALUES (:id, :kind, :from, :to, :since, :until, :note, :created, :by)",
        soci::use(id), soci::use(kind), soci::use(from), soci::use(to), soci::use(sinceTm, iSince), soci::use(untilTm, iUntil),
        soci::use(note, iNote), soci::use(created), soci::use(by);
}

std::vector<Certification> certifications(soci::session& s, const std::string& condition, std::int64_t a, std::int64_t b) {
    long long x = a, y = b;
    std::vector<Certification> out;
    soci::rowset<soci::row> rs =
        (s.prepare << "SELECT ID, PARTY_ID, PROGRAMME, CERT_LEVEL, ISSUED, VALID_UNTIL, ISSUER, DOC_NAME, DOC_EVENT_ID, CREATED_AT,"
                      " CREATED_BY FROM CRM_CERTIFICATION WHERE "
                   << condition << " ORDER BY ISSUED DESC, ID DESC",
         soci::use(x), soci::use(y));
    for (const auto& r : rs) {
        Certification c;
        c.id = r.get<long long>(0);
        c.partyId = r.get<long long>(1);
        c.programme = r.get<std::string>(2);
        c.level = r.get_indicator(3) == soci::i_null ? "" : r.get<std::string>(3);
        c.issued = rows::toDate(r.get<std::tm>(4));
        c.validUntil = dateOf(r.get_indicator(5) == soci::i_null ? std::tm{} : r.get<std::tm>(5), r.get_indicator(5));
        c.issuer = r.get_indicator(6) == soci::i_null ? "" : r.get<std::string>(6);
        c.documentName = r.get_indicator(7) == soci::i_null ? "" : r.get<std::string>(7);
        c.documentEventId = r.get_indicator(8) == soci::i_null ? 0 : r.get<long long>(8);
        c.createdAt = rows::toTimePoint(r.get<std::tm>(9));
        c.createdBy = r.get<long long>(10);
        out.push_back(std::move(c));
    }
    return out;
}

void insertCertification(soci::session& s, Certification& c) {
    c.id = nextId(s, "CRM_PARTY_SEQ");
    long long id = c.id, party = c.partyId, docEvent = c.documentEventId, by = c.createdBy;
    std::string programme = c.programme.substr(0, 400), level = c.level.substr(0, 200), issuer = c.issuer.substr(0, 800),
                docName = c.documentName.substr(0, 800);
    std::tm issued = rows::toTm(c.issued), created = rows::toTm(c.createdAt);
    std::tm until = c.validUntil ? rows::toTm(*c.validUntil) : std::tm{};
    soci::indicator iLevel = level.empty() ? soci::i_null : soci::i_ok, iUntil = c.validUntil ? soci::i_ok : soci::i_null,
                    iIssuer = issuer.empty() ? soci::i_null : soci::i_ok, iDoc = docName.empty() ? soci::i_null : soci::i_ok,
                    iDocEvent = docEvent ? soci::i_ok : soci::i_null;
    s << "INSERT INTO CRM_CERTIFICATION (ID, PARTY_ID, PROGRAMME, CERT_LEVEL, ISSUED, VALID_UNTIL, ISSUER, DOC_NAME, DOC_EVENT_ID,"
         " CREATED_AT, CREATED_BY) VALUES (:id, :party, :programme, :lvl, :issued, :until, :issuer, :doc, :docEvent, :created, :by)",
        soci::use(id), soci::use(party), soci::use(programme), soci::use(level, iLevel), soci::use(issued),
        soci::use(until, iUntil), soci::use(issuer, iIssuer), soci::use(docName, iDoc), soci::use(docEvent, iDocEvent),
        soci::use(created), soci::use(by);
}

}  // namespace conduit::crm::parties::detail
