// The catalogue's links between parties: people in companies (with influence history),
// relations between companies, certifications, the hierarchy ladder and custom fields.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "catalogue_tx.hpp"
#include "party_events.hpp"

#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_writer.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <charconv>

namespace conduit::crm::parties {
using detail::requireVisible;

namespace {

Party requireKind(soci::session& s, const CatalogueViewer& v, std::int64_t id, PartyKind kind) {
    auto p = requireVisible(s, v, id);
    if (p.mergedInto) throw CatalogueError(CatalogueProblem::AlreadyMerged, "party #" + std::to_string(id));
    if (p.kind != kind)
        throw CatalogueError(kind == PartyKind::Company ? CatalogueProblem::NotACompany : CatalogueProblem::NotAPerson,
                             "party #" + std::to_string(id));
    return p;
}

bool levelExists(soci::session& s, const std::string& code) {
    std::string c = code;
    int n = 0;
    s << "SELECT COUNT(*) FROM CRM_HIERARCHY_LEVEL WHERE CODE = :c", soci::use(c), soci::into(n);
    return n > 0;
}

void requireValid(soci::session& s, const Employment& e) {
    if (e.influence < kMinInfluence || e.influence > kMaxInfluence)
        throw CatalogueError(CatalogueProblem::InfluenceRange, std::to_string(e.influence));
    if (!e.levelCode.empty() && !levelExists(s, e.levelCode)) throw CatalogueError(CatalogueProblem::UnknownLevel, e.levelCode);
}

}  // namespace

Employment Catalogue::addEmployment(sdk::Id actor, Employment employment) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue employment", [&](soci::session& s) {
        const auto person = requireKind(s, v, employment.personId, PartyKind::Person);
        const auto company = requireKind(s, v, employment.companyId, PartyKind::Company);
        if (!mayEdit(v, company) && !mayEdit(v, person)) throw CatalogueError(CatalogueProblem::NotAllowed, "employment");
        requireValid(s, employment);
        auto e = employment;
        detail::insertEmployment(s, e);
        detail::recordInfluence(s, e.id, at, e.influence, actor, {});
        batch.begin();
        auto event = detail::employmentEvent(person, company, e, std::nullopt, true, actor, at);
        batch.insert(s, event);
        return e;
    });
}

Employment Catalogue::updateEmployment(sdk::Id actor, const Employment& employment, const std::string& influenceNote) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue employment", [&](soci::session& s) {
        auto current = detail::loadEmployment(s, employment.id);
        if (!current) throw CatalogueError(CatalogueProblem::NotFound, "employment #" + std::to_string(employment.id));
        const auto person = requireKind(s, v, current->personId, PartyKind::Person);
        const auto company = requireKind(s, v, current->companyId, PartyKind::Company);
        if (!mayEdit(v, company) && !mayEdit(v, person)) throw CatalogueError(CatalogueProblem::NotAllowed, "employment");
        requireValid(s, employment);
        auto next = employment;
        next.personId = current->personId;
        next.companyId = current->companyId;
        next.hostOwned = current->hostOwned;
        if (next == *current) return next;
        detail::updateEmployment(s, next);
        if (next.influence != current->influence) detail::recordInfluence(s, next.id, at, next.influence, actor, influenceNote);
        batch.begin();
        auto event = detail::employmentEvent(person, company, next, current->influence, false, actor, at);
        batch.insert(s, event);
        return next;
    });
}

std::vector<Employment> Catalogue::employmentsOfCompany(sdk::Id actor, std::int64_t companyId) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        requireVisible(s, v, companyId);
        auto all = detail::employments(s, "COMPANY_ID", companyId);
        // A private person stays out of a colleague's view of the company.
        std::erase_if(all, [&](const Employment& e) {
            auto person = detail::loadParty(s, e.personId);
            return !person || !maySee(v, *person);
        });
        return all;
    });
}

std::vector<Employment> Catalogue::employmentsOfPerson(sdk::Id actor, std::int64_t personId) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        requireVisible(s, v, personId);
        return detail::employments(s, "PERSON_ID", personId);
    });
}

std::vector<InfluenceChange> Catalogue::influenceHistory(sdk::Id actor, std::int64_t employmentId) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        auto e = detail::loadEmployment(s, employmentId);
        if (!e) throw CatalogueError(CatalogueProblem::NotFound, "employment #" + std::to_string(employmentId));
        requireVisible(s, v, e->personId);
        std::vector<InfluenceChange> out;
        long long id = employmentId;
        soci::rowset<soci::row> rs = (s.prepare << "SELECT CHANGED_AT, INFLUENCE, CHANGED_BY, NOTE FROM CRM_INFLUENCE"
                                                   " WHERE EMPLOYMENT_ID = :e ORDER BY CHANGED_AT",
                                      soci::use(id));
        for (const auto& r : rs)
            out.push_back({rows::toTimePoint(r.get<std::tm>(0)), r.get<int>(1), r.get<long long>(2),
                           r.get_indicator(3) == soci::i_null ? "" : r.get<std::string>(3)});
        return out;
    });
}

std::vector<HierarchyLevel> Catalogue::hierarchyLevels() {
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        std::vector<HierarchyLevel> out;
        soci::rowset<soci::row> rs =
            (s.prepare << "SELECT CODE, RANK_NO, NAME_RU, NAME_PL, NAME_EN FROM CRM_HIERARCHY_LEVEL ORDER BY RANK_NO, CODE");
        for (const auto& r : rs)
            out.push_back({r.get<std::string>(0), r.get<int>(1), r.get<std::string>(2), r.get<std::string>(3), r.get<std::string>(4)});
        return out;
    });
}

void Catalogue::setHierarchyLevel(sdk::Id actor, const HierarchyLevel& level) {
    if (!viewer(actor).administers) throw CatalogueError(CatalogueProblem::NotAllowed, "hierarchy level");
    if (level.code.empty() || level.code.size() > 32) throw CatalogueError(CatalogueProblem::UnknownLevel, level.code);
    const auto at = options_.clock();
    inTransaction(db_, "catalogue levels", [&](soci::session& s) {
        std::string code = level.code, ru = level.nameRu, pl = level.namePl, en = level.nameEn;
        int rank = level.rank;
        s << "UPDATE OR INSERT INTO CRM_HIERARCHY_LEVEL (CODE, RANK_NO, NAME_RU, NAME_PL, NAME_EN) VALUES (:c, :r, :ru, :pl, :en)"
             " MATCHING (CODE)",
            soci::use(code), soci::use(rank), soci::use(ru), soci::use(pl), soci::use(en);
        AuditLog::recordAt(s, at, actor, "hierarchy_level", code, "update", nullptr,
                           nlohmann::json{{"rank", rank}, {"ru", ru}, {"pl", pl}, {"en", en}});
    });
}

PartyRelation Catalogue::addRelation(sdk::Id actor, PartyRelation relation) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    if (relation.fromId == relation.toId) throw CatalogueError(CatalogueProblem::SelfRelation, std::to_string(relation.fromId));
    detail::EventBatch batch(writer_, options_.installationLanguage);
    return inTransaction(db_, "catalogue relation", [&](soci::session& s) {
        const auto from = requireKind(s, v, relation.fromId, PartyKind::Company);
        const auto to = requireKind(s, v, relation.toId, PartyKind::Company);
        if (!mayEdit(v, from) && !mayEdit(v, to)) throw CatalogueError(CatalogueProblem::NotAllowed, "relation");
        auto r = relation;
        r.createdAt = at;
        r.createdBy = actor;
        detail::insertRelation(s, r);
        batch.begin();
        auto event = detail::relationEvent(from, to, r, false, actor, at);
        batch.insert(s, event);
        return r;
    });
}

void Catalogue::endRelation(sdk::Id actor, std::int64_t relationId, sdk::Date until) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    detail::EventBatch batch(writer_, options_.installationLanguage);
    inTransaction(db_, "catalogue relation", [&](soci::session& s) {
        auto r = detail::loadRelation(s, relationId);
        if (!r) throw CatalogueError(CatalogueProblem::NotFound, "relation #" + std::to_string(relationId));
        const auto from = requireVisible(s, v, r->fromId);
        const auto to = requireVisible(s, v, r->toId);
        if (!mayEdit(v, from) && !mayEdit(v, to)) throw CatalogueError(CatalogueProblem::NotAllowed, "relation");
        long long id = relationId;
        std::tm end = rows::toTm(until);
        s << "UPDATE CRM_PARTY_RELATION SET UNTIL = :u WHERE ID = :id", soci::use(end), soci::use(id);
        r->until = until;
        batch.begin();
        auto event = detail::relationEvent(from, to, *r, true, actor, at);
        batch.insert(s, event);
    });
}

std::vector<PartyRelation> Catalogue::relationsOf(sdk::Id actor, std::int64_t partyId) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        requireVisible(s, v, partyId);
        auto all = detail::relations(s, partyId);
        std::erase_if(all, [&](const PartyRelation& r) {
            auto other = detail::loadParty(s, r.fromId == partyId ? r.toId : r.fromId);
            return !other || !maySee(v, *other);
        });
        return all;
    });
}

Certification Catalogue::addCertification(sdk::Id actor, Certification certification) {
    const auto v = viewer(actor);
    const auto at = options_.clock();
    if (certification.programme.empty()) throw FieldError(FieldProblem::Empty, "programme");
    if (certification.validUntil && *certification.validUntil < certification.issued) throw FieldError(FieldProblem::DateInvalid, "date");
    std::vector<std::int64_t> ids;
    std::optional<Event> withDocument;
    auto stored = inTransaction(db_, "catalogue certification", [&](soci::session& s) {
        const auto holder = requireVisible(s, v, certification.partyId);
        if (holder.mergedInto) throw CatalogueError(CatalogueProblem::AlreadyMerged, "party #" + std::to_string(holder.id));
        if (!mayEdit(v, holder)) throw CatalogueError(CatalogueProblem::NotAllowed, "certification");
        auto c = certification;
        c.createdAt = at;
        c.createdBy = actor;
        c.documentContent.clear();
        detail::insertCertification(s, c);
        auto event = detail::certificationEvent(holder, c, actor, at);
        detail::storeText(event, options_.installationLanguage);
        ids.clear();
        withDocument.reset();
        if (certification.documentContent.empty()) {
            if (auto id = writer_.insertWithin(s, event)) {
                ids.push_back(*id);
                c.documentEventId = *id;
                long long eventId = *id, certId = c.id;
                s << "UPDATE CRM_CERTIFICATION SET DOC_EVENT_ID = :e WHERE ID = :id", soci::use(eventId), soci::use(certId);
            }
        } else {
            // The certificate is the event's attachment; the writer stores attachment content in
            // its own batches, so that event is submitted once the certification has committed.
            event.attachments.push_back({c.documentName.empty() ? "certificate.pdf" : c.documentName, "application/pdf", 0, {},
                                         certification.documentContent});
            withDocument = std::move(event);
        }
        return c;
    });
    if (!ids.empty()) writer_.announce(ids);
    if (withDocument) writer_.submit(std::move(*withDocument));
    return stored;
}

std::vector<Certification> Catalogue::certificationsOf(sdk::Id actor, std::int64_t partyId) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        requireVisible(s, v, partyId);
        return detail::certifications(s, "PARTY_ID = :a OR PARTY_ID = :b", partyId, partyId);
    });
}

PartnerStatus Catalogue::partnerStatusOf(sdk::Id actor, std::int64_t companyId, sdk::Date today) {
    const auto v = viewer(actor);
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        requireVisible(s, v, companyId);
        auto all = detail::certifications(
            s, "PARTY_ID = :a OR PARTY_ID IN (SELECT PERSON_ID FROM CRM_EMPLOYMENT WHERE COMPANY_ID = :b AND UNTIL IS NULL)",
            companyId, companyId);
        return partnerStatus(all, today);
    });
}

std::vector<Certification> Catalogue::certificationsExpiring(sdk::Date from, sdk::Date to) {
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        std::tm a = rows::toTm(from), b = rows::toTm(to);
        std::vector<long long> ids(1000);
        s << "SELECT ID FROM CRM_CERTIFICATION WHERE VALID_UNTIL BETWEEN :a AND :b ORDER BY VALID_UNTIL", soci::use(a), soci::use(b),
            soci::into(ids);
        std::vector<Certification> out;
        for (auto id : ids) {
            auto c = detail::certifications(s, "ID = :a OR ID = :b", id, id);
            out.insert(out.end(), c.begin(), c.end());
        }
        return out;
    });
}

std::string_view toString(CustomFieldType type) {
    switch (type) {
        case CustomFieldType::Number: return "number";
        case CustomFieldType::Date: return "date";
        case CustomFieldType::Choice: return "choice";
        default: return "text";
    }
}

std::optional<CustomFieldType> customFieldTypeFromString(std::string_view code) {
    for (auto t : {CustomFieldType::Text, CustomFieldType::Number, CustomFieldType::Date, CustomFieldType::Choice})
        if (toString(t) == code) return t;
    return std::nullopt;
}

bool fits(const CustomField& field, std::string_view value) {
    if (value.empty()) return true;
    switch (field.type) {
        case CustomFieldType::Text: return value.size() <= 1000;
        case CustomFieldType::Number: {
            double d = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
            return ec == std::errc() && p == value.data() + value.size();
        }
        case CustomFieldType::Date: {
            int y = 0;
            unsigned m = 0, d = 0;
            if (value.size() != 10 || std::sscanf(std::string(value).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return false;
            return std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}.ok();
        }
        case CustomFieldType::Choice: return std::find(field.choices.begin(), field.choices.end(), value) != field.choices.end();
    }
    return false;
}

std::vector<CustomField> Catalogue::customFields() {
    return inTransaction(db_, "catalogue read", [&](soci::session& s) {
        std::vector<CustomField> out;
        soci::rowset<soci::row> rs =
            (s.prepare << "SELECT CODE, FIELD_TYPE, APPLIES_TO, NAME_RU, NAME_PL, NAME_EN, CHOICES FROM CRM_CUSTOM_FIELD ORDER BY CODE");
        for (const auto& r : rs) {
            CustomField f;
            f.code = r.get<std::string>(0);
            f.type = customFieldTypeFromString(r.get<std::string>(1)).value_or(CustomFieldType::Text);
            const auto applies = r.get<std::string>(2);
            f.forCompanies = applies != "P";
            f.forPeople = applies != "C";
            f.nameRu = r.get<std::string>(3);
            f.namePl = r.get<std::string>(4);
            f.nameEn = r.get<std::string>(5);
            if (r.get_indicator(6) != soci::i_null) {
                const auto json = nlohmann::json::parse(r.get<std::string>(6), nullptr, false);
                if (json.is_array())
                    for (const auto& c : json)
                        if (c.is_string()) f.choices.push_back(c.get<std::string>());
            }
            out.push_back(std::move(f));
        }
        return out;
    });
}

void Catalogue::defineCustomField(sdk::Id actor, const CustomField& field) {
    if (!viewer(actor).administers) throw CatalogueError(CatalogueProblem::NotAllowed, "custom field");
    const bool codeOk = !field.code.empty() && field.code.size() <= 32 &&
                        std::all_of(field.code.begin(), field.code.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                        });
    if (!codeOk) throw CatalogueError(CatalogueProblem::UnknownCustomField, field.code);
    if (field.type == CustomFieldType::Choice && field.choices.empty()) throw CatalogueError(CatalogueProblem::CustomFieldValue, field.code);
    const auto at = options_.clock();
    inTransaction(db_, "catalogue custom field", [&](soci::session& s) {
        std::string code = field.code, type(toString(field.type)), applies = field.forCompanies && field.forPeople ? "B" : field.forPeople ? "P" : "C";
        std::string ru = field.nameRu, pl = field.namePl, en = field.nameEn, choices = nlohmann::json(field.choices).dump();
        soci::indicator iChoices = field.choices.empty() ? soci::i_null : soci::i_ok;
        s << "UPDATE OR INSERT INTO CRM_CUSTOM_FIELD (CODE, FIELD_TYPE, APPLIES_TO, NAME_RU, NAME_PL, NAME_EN, CHOICES)"
             " VALUES (:c, :t, :a, :ru, :pl, :en, :ch) MATCHING (CODE)",
            soci::use(code), soci::use(type), soci::use(applies), soci::use(ru), soci::use(pl), soci::use(en), soci::use(choices, iChoices);
        AuditLog::recordAt(s, at, actor, "custom_field", code, "update", nullptr,
                           nlohmann::json{{"type", type}, {"applies", applies}, {"choices", field.choices}});
    });
}

}  // namespace conduit::crm::parties
