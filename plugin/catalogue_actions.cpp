#include "catalogue_actions.hpp"

#include "action_fields.hpp"

#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/parties/host_counterparty.hpp>

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <sstream>

namespace conduit::crm {
namespace {

using namespace parties;

constexpr LocalizedText kSaved{"Сохранено", "Zapisano", "Saved"};
constexpr LocalizedText kNoParty{"Не указана компания или контакт", "Nie wskazano firmy ani osoby", "No company or person given"};
constexpr LocalizedText kSwept{"Проверка дублей: пар найдено {}, новых {}", "Sprawdzanie duplikatów: par {}, nowych {}",
                               "Duplicate check: {} pairs, {} new"};

using Refusal = ActionRefusal;

std::optional<long long> number(const sdk::ActionRequest& r, const std::string& name, const Locale& reader) {
    const auto t = actionText(r, name);
    if (t.empty()) return std::nullopt;
    long long value = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc{} || ptr != t.data() + t.size()) throw valueNotAllowed(reader, name);
    return value;
}

// "2026-03-14" as a calendar date.
std::optional<sdk::Date> dateField(const sdk::ActionRequest& r, const std::string& name, const Locale& reader) {
    const auto t = actionText(r, name);
    if (t.empty()) return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    char dash1 = 0, dash2 = 0;
    std::istringstream in(t);
    in >> y >> dash1 >> m >> dash2 >> d;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
    if (!in || dash1 != '-' || dash2 != '-' || !ymd.ok()) throw valueNotAllowed(reader, name);
    return sdk::Date(ymd);
}

std::vector<std::string> listField(const sdk::ActionRequest& r, const std::string& name) {
    std::vector<std::string> out;
    std::istringstream in(actionText(r, name));
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

struct Context {
    Catalogue& catalogue;
    const sdk::IDirectory& directory;
    Locale reader;
};

// A host counterparty the catalogue has not read yet (new since the last sync) is read now.
std::optional<Party> hostParty(const sdk::ActionRequest& r, const Context& x, sdk::Id hostId) {
    if (auto p = x.catalogue.byHostCounterparty(r.userId, hostId)) return p;
    const auto counterparty = x.directory.counterparty(hostId);
    if (!counterparty) return std::nullopt;
    x.catalogue.applyHostCounterparty(fromHostCounterparty(*counterparty, x.catalogue.options().defaultCountry).party);
    return x.catalogue.byHostCounterparty(r.userId, hostId);
}

// The party named by `<name>` (catalogue id), `<name>_host` (host counterparty id) or
// `<name>_request` (the request that created it).
std::int64_t partyField(const sdk::ActionRequest& r, const Context& x, const std::string& name) {
    if (auto id = number(r, name, x.reader)) return x.catalogue.resolve(*id);
    if (auto host = number(r, name + "_host", x.reader))
        if (auto p = hostParty(r, x, *host)) return p->id;
    if (const auto key = actionText(r, name + "_request"); !key.empty())
        if (auto p = x.catalogue.byRequest(r.userId, key)) return p->id;
    throw Refusal{name, x.reader.pick(kNoParty)};
}

void contactFields(const sdk::ActionRequest& r, Party& p, const std::string& country) {
    if (const auto phone = actionText(r, "phone"); !phone.empty()) {
        Phone typed;
        typed.number.e164 = phone;  // as typed; the catalogue checks and normalises it
        typed.label = actionText(r, "phone_label");
        p.phones.push_back(std::move(typed));
    }
    if (const auto email = actionText(r, "email"); !email.empty()) {
        Email typed;
        typed.address.address = email;
        p.emails.push_back(std::move(typed));
    }
    p.language = actionText(r, "language");
    p.ownerId = r.userId;
    if (const auto city = actionText(r, "city"); !city.empty())
        p.addresses.push_back({AddressPurpose::Legal, actionText(r, "country").empty() ? country : actionText(r, "country"), actionText(r, "postcode"),
                               city, actionText(r, "street"), {}, {}, {}});
}

std::string addCompany(const sdk::ActionRequest& r, const Context& x) {
    auto& c = x.catalogue;
    const auto& reader = x.reader;
    Party p;
    p.kind = PartyKind::Company;
    p.fullName = actionText(r, "name");
    p.shortName = actionText(r, "short_name");
    for (const auto& code : listField(r, "roles")) {
        const auto role = partyRoleFromString(code);
        if (!role) throw valueNotAllowed(reader, "roles", code);
        p.roles |= roleBit(*role);
    }
    if (const auto nip = actionText(r, "nip"); !nip.empty()) p.taxIds.push_back({TaxIdKind::PlNip, nip});
    if (const auto inn = actionText(r, "inn"); !inn.empty()) p.taxIds.push_back({TaxIdKind::RuInn, inn});
    p.region = actionText(r, "region");
    p.industry = actionText(r, "industry");
    p.category = actionText(r, "category");
    p.source = actionText(r, "source");
    p.website = actionText(r, "website");
    for (const auto& tag : listField(r, "tags")) p.tags.insert(tag);
    contactFields(r, p, c.options().defaultCountry);
    return std::to_string(c.create(r.userId, p, r.requestId).id);
}

std::string addPerson(const sdk::ActionRequest& r, const Context& x) {
    auto& c = x.catalogue;
    const auto& reader = x.reader;
    Party p;
    p.kind = PartyKind::Person;
    p.givenName = actionText(r, "given_name");
    p.patronymic = actionText(r, "patronymic");
    p.familyName = actionText(r, "family_name");
    p.fullName = actionText(r, "name");
    if (p.fullName.empty()) p.fullName = p.givenName + (p.patronymic.empty() ? "" : " " + p.patronymic) + " " + p.familyName;
    p.gender = genderFromString(actionText(r, "gender")).value_or(Gender::Unknown);
    p.grammaticalGender = p.gender == Gender::Female ? GrammaticalGender::Feminine
                          : p.gender == Gender::Male ? GrammaticalGender::Masculine
                                                     : GrammaticalGender::Neuter;
    if (auto birthday = dateField(r, "birthday", reader)) {
        const std::chrono::year_month_day ymd{*birthday};
        p.dates.push_back({MemorableDateKind::Birthday, unsigned(ymd.month()), unsigned(ymd.day()), int(ymd.year()), {}});
    }
    contactFields(r, p, c.options().defaultCountry);
    const auto person = c.create(r.userId, p, r.requestId);
    if (actionText(r, "company").empty() && actionText(r, "company_host").empty() && actionText(r, "company_request").empty())
        return std::to_string(person.id);
    Employment job;
    job.personId = person.id;
    job.companyId = partyField(r, x, "company");
    job.jobTitle = actionText(r, "job");
    job.department = actionText(r, "department");
    job.levelCode = actionText(r, "level");
    job.decisionRole = decisionRoleFromString(actionText(r, "decision")).value_or(DecisionRole::None);
    job.influence = static_cast<int>(number(r, "influence", reader).value_or(0));
    // A repeated request finds the person it created; the job is added once.
    for (const auto& e : c.employmentsOfPerson(r.userId, person.id))
        if (e.companyId == job.companyId) return std::to_string(person.id);
    c.addEmployment(r.userId, job);
    return std::to_string(person.id);
}

std::string addRelation(const sdk::ActionRequest& r, const Context& x) {
    auto& c = x.catalogue;
    const auto& reader = x.reader;
    PartyRelation rel;
    const auto kind = relationKindFromString(actionText(r, "kind"));
    if (!kind) throw valueNotAllowed(reader, "kind");
    rel.kind = *kind;
    rel.fromId = partyField(r, x, "from");
    rel.toId = partyField(r, x, "to");
    rel.since = dateField(r, "since", reader);
    for (const auto& existing : c.relationsOf(r.userId, rel.fromId))
        if (existing.kind == rel.kind && existing.fromId == rel.fromId && existing.toId == rel.toId && !existing.until)
            return std::to_string(existing.id);
    return std::to_string(c.addRelation(r.userId, rel).id);
}

std::string certify(const sdk::ActionRequest& r, const Context& x) {
    auto& c = x.catalogue;
    const auto& reader = x.reader;
    Certification cert;
    cert.partyId = partyField(r, x, "party");
    cert.programme = actionText(r, "programme");
    cert.level = actionText(r, "level");
    cert.issued = dateField(r, "issued", reader).value_or(sdk::Date{});
    cert.validUntil = dateField(r, "valid_until", reader);
    cert.issuer = actionText(r, "issuer");
    if (!r.files.empty()) {
        cert.documentName = r.files.front().fileName;
        cert.documentContent = r.files.front().content;
    }
    for (const auto& existing : c.certificationsOf(r.userId, cert.partyId))
        if (existing.programme == cert.programme && existing.issued == cert.issued) return std::to_string(existing.id);
    return std::to_string(c.addCertification(r.userId, cert).id);
}

std::string merge(const sdk::ActionRequest& r, const Context& x) {
    const auto survivor = partyField(r, x, "survivor");
    const auto absorbed = partyField(r, x, "absorbed");
    if (survivor == absorbed) return std::to_string(survivor);  // merged already (a repeated request)
    x.catalogue.merge(r.userId, survivor, absorbed);
    return std::to_string(survivor);
}

std::string dispatch(const sdk::ActionRequest& r, const Context& x) {
    if (r.action == kActionMerge) return merge(r, x);
    if (r.action == kActionCompany) return addCompany(r, x);
    if (r.action == kActionPerson) return addPerson(r, x);
    if (r.action == kActionRelation) return addRelation(r, x);
    return certify(r, x);
}

}  // namespace

sdk::ActionResult handleCatalogueAction(const sdk::ActionRequest& request, Catalogue& catalogue, const sdk::IDirectory& directory,
                                        const std::string& locale) {
    const auto reader = Locale::of(locale);
    const Context context{catalogue, directory, reader};
    try {
        if (request.action == kActionSweep) {
            const auto report = catalogue.sweepDuplicates();
            return {true, fmt::format(fmt::runtime(reader.pick(kSwept)), report.pairsFound, report.pairsNew), {}, {}};
        }
        const auto reference = dispatch(request, context);
        return {true, reader.pick(kSaved), {}, reference};
    } catch (const Refusal& refusal) {
        return {false, refusal.message, refusal.field, {}};
    } catch (const FieldError& e) {
        return {false, describe(e, reader), e.field, {}};
    } catch (const CatalogueError& e) {
        return {false, describe(e, reader), {}, {}};
    } catch (const std::exception& e) {
        return {false, e.what(), {}, {}};
    }
}

void provideCatalogueActions(sdk::IActionRegistry& registry, Catalogue& catalogue, const sdk::IDirectory& directory,
                             const std::string& locale) {
    for (const char* name : {kActionCompany, kActionPerson, kActionRelation, kActionCertify, kActionSweep, kActionMerge})
        registry.provide(name, [&catalogue, &directory, locale](const sdk::ActionRequest& r) {
            return handleCatalogueAction(r, catalogue, directory, locale);
        });
}

void withdrawCatalogueActions(sdk::IActionRegistry& registry) {
    for (const char* name : {kActionCompany, kActionPerson, kActionRelation, kActionCertify, kActionSweep, kActionMerge}) registry.withdraw(name);
}

}  // namespace conduit::crm
