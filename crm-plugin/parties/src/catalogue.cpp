#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "catalogue_tx.hpp"
#include "party_events.hpp"

#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_writer.hpp>

#include <soci/soci.h>

#include <algorithm>

namespace conduit::crm::parties {

using detail::FieldChange;
using detail::requireParty;

SubjectRef partySubject(PartyKind kind, std::int64_t id) {
    return {kind == PartyKind::Company ? subject_types::company : subject_types::person, id};
}

SubjectRef subjectOf(const Party& party) { return partySubject(party.kind, party.id); }

namespace {

constexpr std::size_t kMaxNameChars = 300;
constexpr std::size_t kMaxPhotoBytes = 512 * 1024;

std::optional<FieldError> nameProblem(const Party& p) {
    const auto blank = [](const std::string& t) { return t.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (blank(p.fullName) && blank(p.shortName)) return FieldError(FieldProblem::Empty, "name");
    if (utf8Length(p.fullName) > kMaxNameChars || utf8Length(p.shortName) > kMaxNameChars)
        return FieldError(FieldProblem::TooLong, "name");
    return std::nullopt;
}

void checkLength(std::vector<FieldError>& out, const std::string& value, std::size_t max, const char* field) {
    if (utf8Length(value) > max) out.emplace_back(FieldProblem::TooLong, field);
}

std::optional<std::int64_t> partyOfRequest(soci::session& s, const std::string& key) {
    std::string k = key;
    long long id = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT S.SUBJECT_ID FROM CRM_EVENT E JOIN CRM_EVENT_SUBJECT S ON S.EVENT_ID = E.ID WHERE E.IDEMPOTENCY_KEY = :k",
        soci::use(k), soci::into(id, ind);
    if (!s.got_data() || ind == soci::i_null) return std::nullopt;
    return id;
}

}  // namespace

Catalogue::Catalogue(Database& db, EventWriter& writer, ViewerOf viewerOf, CatalogueOptions options)
    : db_(db), writer_(writer), viewerOf_(std::move(viewerOf)), options_(std::move(options)) {
    if (!options_.clock) options_.clock = systemClock();
    detail::registerCatalogueTexts();
}

CatalogueViewer Catalogue::viewer(sdk::Id actor) const {
    if (actor == 0 || !viewerOf_) return {actor, true, true, true, true, true, true};  // the system
    return viewerOf_(actor);
}

std::vector<FieldError> Catalogue::check(const Party& p) {
    return checkAgainst(p, p.custom.empty() ? std::vector<CustomField>{} : customFields());
}

std::vector<FieldError> Catalogue::checkAgainst(const Party& p, const std::vector<CustomField>& fields) const {
    std::vector<FieldError> out;
    if (auto problem = nameProblem(p)) out.push_back(*problem);
    for (const auto& t : p.taxIds)
        if (auto problem = taxIdProblem(t.kind, t.value)) out.emplace_back(*problem, std::string(toString(t.kind)));
    const auto region = p.addresses.empty() ? options_.defaultCountry : p.addresses.front().country;
    for (const auto& ph : p.phones)
        if (auto problem = phoneProblem(ph.number.e164, region)) out.emplace_back(*problem, "phone");
    for (const auto& e : p.emails)
        if (auto problem = emailProblem(e.address.address)) out.emplace_back(*problem, "email");
    const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(options_.clock()));
    for (const auto& d : p.dates)
        if (auto problem = memorableDateProblem(d.kind, d.day, d.month, d.year, today))
            out.emplace_back(*problem, d.kind == MemorableDateKind::Birthday ? "birthday" : "date");
    checkLength(out, p.region, 100, "region");
    checkLength(out, p.industry, 100, "industry");
    checkLength(out, p.category, 100, "category");
    checkLength(out, p.website, 300, "website");
    checkLength(out, p.notes, 20000, "notes");
    for (const auto& tag : p.tags) checkLength(out, tag, 100, "tags");
    if (p.photo.size() > kMaxPhotoBytes) out.emplace_back(FieldProblem::TooLong, "photo");
    if (p.kind == PartyKind::Person && p.parentId) out.emplace_back(FieldProblem::WrongValue, "parent");
    if (!p.custom.empty()) {
        for (const auto& entry : p.custom) {
            const std::string& code = entry.first;
            const auto it = std::find_if(fields.begin(), fields.end(), [&code](const CustomField& f) { return f.code == code; });
            if (it == fields.end() || !fits(*it, entry.second)) out.emplace_back(FieldProblem::WrongValue, "custom." + code);
        }
    }
    return out;
}

Party Catalogue::create(sdk::Id actor, Party draft, const std::string& requestKey) {
    const auto v = viewer(actor);
    if (!mayCreate(v, draft)) throw CatalogueError(CatalogueProblem::NotAllowed, "create");
    if (draft.hostId) throw CatalogueError(CatalogueProblem::HostOwned, "host_id");
    if (const auto problems = check(draft); !problems.empty()) throw problems.front();
    const auto at = options_.clock();
    draft = detail::newRecord(std::move(draft), options_.defaultCountry, at);
    detail::EventBatch batch(writer_, options_.installationLanguage);
    auto stored = inTransaction(db_, "catalogue create", [&](soci::session& s) {
        const auto key = requestKey.empty() ? std::string{} : "party-request:" + requestKey;
        if (!key.empty())
            if (auto existing = partyOfRequest(s, key)) return requireParty(s, *existing);
        if (draft.parentId) {
            const auto parent = requireParty(s, draft.parentId);
            if (parent.kind != PartyKind::Company) throw CatalogueError(CatalogueProblem::NotACompany, "parent");
        }
        auto p = draft;
        batch.begin();
        detail::insertParty(s, p);
        auto e = detail::createdEvent(p, actor, at, key.empty() ? "party:" + std::to_string(p.id) + ":created" : key);
        batch.insert(s, e);
        detail::auditParty(s, at, actor, p.id, "create", nullptr, detail::toDocument(p));
        return p;
    });
    return visibleCopy(v, std::move(stored));
}

Party Catalogue::update(sdk::Id actor, const Party& changed) {
    const auto v = viewer(actor);
    if (const auto problems = check(changed); !problems.empty()) throw problems.front();
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    auto stored = inTransaction(db_, "catalogue update", [&](soci::session& s) {
        const auto current = requireParty(s, changed.id);
        auto next = detail::changedRecord(v, current, changed, options_.defaultCountry);
        const auto changes = detail::changesBetween(current, next);
        if (changes.empty()) return current;
        next.version = current.version + 1;
        next.changedAt = at;
        if (!detail::updateParty(s, next, current.version))
            throw CatalogueError(CatalogueProblem::Stale, "party #" + std::to_string(changed.id));
        batch.begin();
        auto e = detail::changedEvent(next, changes, actor, at);
        batch.insert(s, e);
        detail::auditParty(s, at, actor, next.id, "update", detail::toDocument(current), detail::toDocument(next));
        return next;
    });
    return visibleCopy(v, std::move(stored));
}

std::optional<Party> Catalogue::get(sdk::Id actor, std::int64_t id) {
    const auto v = viewer(actor);
    auto p = inTransaction(db_, "catalogue read", [&](soci::session& s) -> std::optional<Party> {
        auto found = detail::loadParty(s, id);
        if (!found) return std::nullopt;
        return found->mergedInto ? detail::resolvedParty(s, id) : *found;
    });
    if (!p || !maySee(v, *p)) return std::nullopt;
    return visibleCopy(v, std::move(*p));
}

std::optional<Party> Catalogue::byHostCounterparty(sdk::Id actor, sdk::Id hostId) {
    const auto id = inTransaction(db_, "catalogue read", [&](soci::session& s) { return detail::partyOfHost(s, hostId); });
    if (!id) return std::nullopt;
    return get(actor, *id);
}

std::optional<Party> Catalogue::byRequest(sdk::Id actor, const std::string& requestKey) {
    if (requestKey.empty()) return std::nullopt;
    const auto id = inTransaction(db_, "catalogue read", [&](soci::session& s) { return partyOfRequest(s, "party-request:" + requestKey); });
    if (!id) return std::nullopt;
    return get(actor, *id);
}

std::int64_t Catalogue::resolve(std::int64_t id) {
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        auto p = detail::loadParty(s, id);
        if (!p) return id;
        return p->mergedInto ? detail::resolvedParty(s, id).id : id;
    });
}

namespace detail {

Party changedRecord(const CatalogueViewer& v, const Party& current, const Party& changed, const std::string& country) {
    const auto name = "party #" + std::to_string(changed.id);
    if (!maySee(v, current)) throw CatalogueError(CatalogueProblem::NotFound, name);
    if (!mayEdit(v, current)) throw CatalogueError(CatalogueProblem::NotAllowed, "update #" + std::to_string(changed.id));
    if (current.mergedInto) throw CatalogueError(CatalogueProblem::AlreadyMerged, name);
    if (current.removedInHost) throw CatalogueError(CatalogueProblem::HostOwned, "removed in host");
    if (current.version != changed.version) throw CatalogueError(CatalogueProblem::Stale, name);
    auto next = withStoredValues(changed, country);
    // What the reader was not shown stays as it is, and so does what the store keeps.
    if (changed.restrictedHidden || !v.seesRestricted) next.taxIds = current.taxIds;
    next.kind = current.kind;
    next.hostId = current.hostId;
    next.removedInHost = current.removedInHost;
    next.terms = current.terms;
    next.mergedInto = 0;
    next.restrictedHidden = false;
    next.createdAt = current.createdAt;
    next.changedAt = current.changedAt;
    next.version = current.version;
    if (current.isHostOwned())
        if (const auto fields = hostFieldsChanged(current, next); !fields.empty())
            throw CatalogueError(CatalogueProblem::HostOwned, fields.front());
    if (next.parentId == next.id) throw CatalogueError(CatalogueProblem::SelfRelation, "parent");
    return next;
}

Party newRecord(Party draft, const std::string& country, sdk::TimePoint at) {
    draft = withStoredValues(std::move(draft), country);
    draft.id = 0;
    draft.mergedInto = 0;
    draft.removedInHost = false;
    draft.terms.reset();
    draft.createdAt = draft.changedAt = at;
    return draft;
}

void auditParty(soci::session& s, sdk::TimePoint at, sdk::Id actor, std::int64_t partyId, const char* action,
                const nlohmann::json& before, const nlohmann::json& after) {
    AuditLog::recordAt(s, at, actor, "party", std::to_string(partyId), action, before, after);
}

Party requireParty(soci::session& s, std::int64_t id) {
    auto p = loadParty(s, id);
    if (!p) throw CatalogueError(CatalogueProblem::NotFound, "party #" + std::to_string(id));
    return *p;
}

Party requireVisible(soci::session& s, const CatalogueViewer& v, std::int64_t id) {
    auto p = loadParty(s, id);
    if (!p || !maySee(v, *p)) throw CatalogueError(CatalogueProblem::NotFound, "party #" + std::to_string(id));
    return *p;
}

Party resolvedParty(soci::session& s, std::int64_t id) {
    auto p = requireParty(s, id);
    for (int hops = 0; p.mergedInto && hops < 32; ++hops) p = requireParty(s, p.mergedInto);
    return p;
}

}  // namespace detail
}  // namespace conduit::crm::parties
