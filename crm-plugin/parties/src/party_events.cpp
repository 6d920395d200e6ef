#include "party_events.hpp"

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/parties/catalogue.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <fmt/format.h>

#include <mutex>
#include <sstream>

namespace conduit::crm::parties::detail {
namespace {

constexpr std::size_t kMaxFieldsInEvent = 5;
constexpr std::size_t kMaxValueChars = 60;

struct FieldName {
    const char* code;
    LocalizedText name;
};

const FieldName kFieldNames[] = {
    {"name", {"Название", "Nazwa", "Name"}},
    {"short_name", {"Краткое название", "Nazwa skrócona", "Short name"}},
    {"given_name", {"Имя", "Imię", "Given name"}},
    {"patronymic", {"Отчество", "Imię ojca", "Patronymic"}},
    {"family_name", {"Фамилия", "Nazwisko", "Family name"}},
    {"roles", {"Роли", "Role", "Roles"}},
    {"tax_ids", {"Налоговые номера", "Numery podatkowe", "Tax ids"}},
    {"addresses", {"Адреса", "Adresy", "Addresses"}},
    {"phones", {"Телефоны", "Telefony", "Phones"}},
    {"emails", {"Эл. почта", "E-maile", "E-mails"}},
    {"messengers", {"Мессенджеры", "Komunikatory", "Messengers"}},
    {"tags", {"Метки", "Tagi", "Tags"}},
    {"dates", {"Памятные даты", "Ważne daty", "Memorable dates"}},
    {"region", {"Регион", "Region", "Region"}},
    {"industry", {"Отрасль", "Branża", "Industry"}},
    {"category", {"Категория", "Kategoria", "Category"}},
    {"source", {"Источник", "Źródło", "Source"}},
    {"website", {"Сайт", "Strona WWW", "Website"}},
    {"notes", {"Примечания", "Uwagi", "Notes"}},
    {"language", {"Язык", "Język", "Language"}},
    {"owner", {"Ответственный", "Opiekun", "Owner"}},
    {"private", {"Личный контакт", "Kontakt prywatny", "Private"}},
    {"gender", {"Пол", "Płeć", "Gender"}},
    {"grammatical_gender", {"Обращение", "Forma zwracania się", "Salutation form"}},
    {"do_not_contact", {"Не связываться", "Nie kontaktować", "Do not contact"}},
    {"photo", {"Фото", "Zdjęcie", "Photo"}},
    {"custom", {"Доп. поля", "Pola dodatkowe", "Custom fields"}},
    {"terms", {"Коммерческие условия", "Warunki handlowe", "Commercial terms"}},
    {"parent", {"Головная компания", "Firma macierzysta", "Parent company"}},
};

const LocalizedText kCompanyAdded{"В каталог добавлена компания «{}»", "Dodano do katalogu firmę „{}”", "Company “{}” added to the catalogue"};
const LocalizedText kPersonAdded{"В каталог добавлен контакт {}", "Dodano do katalogu osobę {}", "{} added to the catalogue"};
const LocalizedText kChanged{"Изменены данные «{}»: {}", "Zmieniono dane „{}”: {}", "“{}” changed: {}"};
const LocalizedText kMoreFields{"и ещё {}", "i jeszcze {}", "and {} more"};
const LocalizedText kEmpty{"(пусто)", "(puste)", "(empty)"};
const LocalizedText kMerged{"«{}» объединена с «{}»", "„{}” scalono z „{}”", "“{}” merged into “{}”"};
const LocalizedText kUnmerged{"Отменено объединение «{}» с «{}»", "Cofnięto scalenie „{}” z „{}”", "Merge of “{}” into “{}” undone"};
const LocalizedText kRemoved{"«{}» удалён в учётной системе; в CRM запись сохранена",
                             "„{}” usunięto w systemie; wpis w CRM zostaje", "“{}” was removed in the host; the CRM keeps the entry"};
const LocalizedText kEmployed{"{} — {} в «{}»", "{} — {} w „{}”", "{} — {} at “{}”"};
const LocalizedText kEmployedNoTitle{"{} — контакт в «{}»", "{} — kontakt w „{}”", "{} — contact at “{}”"};
const LocalizedText kInfluence{"Влияние {} в «{}»: {} → {}", "Wpływ {} w „{}”: {} → {}", "Influence of {} at “{}”: {} → {}"};
const LocalizedText kPositionChanged{"Изменена должность {} в «{}»: {}", "Zmieniono stanowisko {} w „{}”: {}",
                                     "{}'s position at “{}” changed: {}"};
const LocalizedText kRelation{"«{}» — {} «{}»", "„{}” — {} „{}”", "“{}” — {} “{}”"};
const LocalizedText kRelationEnded{"Завершена связь: «{}» — {} «{}»", "Zakończono powiązanie: „{}” — {} „{}”",
                                   "Relation ended: “{}” — {} “{}”"};
const LocalizedText kCertified{"{}: сертификат «{}»{}", "{}: certyfikat „{}”{}", "{}: certificate “{}”{}"};
const LocalizedText kLoaded{"Загружено в каталог: компаний — {}, людей — {}", "Wczytano do katalogu: firmy — {}, osoby — {}",
                           "Loaded into the catalogue: {} companies, {} people"};
const LocalizedText kLoadedFrom{"Источник: {}", "Źródło: {}", "Source: {}"};
const LocalizedText kLoadedDetails{"Должностей в компаниях: {}; отклонено строк: {}", "Stanowisk w firmach: {}; odrzucone wiersze: {}",
                                   "Positions in companies: {}; rows refused: {}"};
const LocalizedText kLoadChanged{"Изменено записей: {}", "Zmienione rekordy: {}", "Records changed: {}"};
const LocalizedText kLoadUndone{"Отменена загрузка в каталог: удалено — {}, восстановлено — {}",
                                "Cofnięto wczytanie do katalogu: usunięto — {}, przywrócono — {}",
                                "Load into the catalogue undone: {} removed, {} restored"};
const LocalizedText kLoadKept{"Оставлено (изменялись после загрузки): {}", "Pozostawione (zmieniane po wczytaniu): {}",
                              "Kept (changed since the load): {}"};
const LocalizedText kValidUntil{", действует до {}", ", ważny do {}", ", valid until {}"};

std::string say(const Formatter& f, const LocalizedText& text, auto&&... args) {
    return fmt::format(fmt::runtime(f.locale().pick(text)), std::forward<decltype(args)>(args)...);
}

std::string fieldName(std::string_view code, const Locale& reader) {
    for (const auto& f : kFieldNames)
        if (code == f.code) return reader.pick(f.name);
    return std::string(code);
}

std::string signedInfluence(const std::string& v) {
    if (v.empty()) return v;
    return v[0] == '-' || v == "0" ? v : "+" + v;
}

EventText renderCreated(const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, x.text("party_kind") == "person" ? kPersonAdded : kCompanyAdded, x.text("party")), {}};
}

EventText renderChanged(const Event&, const EventFacts& x, const Formatter& f) {
    std::vector<std::string> fields;
    std::stringstream list(x.text("changed"));
    for (std::string code; std::getline(list, code, ',');) fields.push_back(code);
    std::string names, body;
    for (const auto& code : fields) {
        names += (names.empty() ? "" : ", ") + fieldName(code, f.locale());
        auto before = x.text("old." + code), after = x.text("new." + code);
        if (before.empty()) before = f.locale().pick(kEmpty);
        if (after.empty()) after = f.locale().pick(kEmpty);
        body += (body.empty() ? "" : "\n") + fieldName(code, f.locale()) + ": " + before + " → " + after;
    }
    if (const auto more = x.text("more"); !more.empty()) names += " " + say(f, kMoreFields, more);
    return {say(f, kChanged, x.text("party"), names), body};
}

EventText renderMerged(const Event& e, const EventFacts& x, const Formatter& f) {
    return {say(f, e.kind == kinds::kPartyMergeUndone ? kUnmerged : kMerged, x.text("absorbed"), x.text("survivor")), {}};
}

EventText renderRemoved(const Event&, const EventFacts& x, const Formatter& f) { return {say(f, kRemoved, x.text("party")), {}}; }

EventText renderEmployment(const Event& e, const EventFacts& x, const Formatter& f) {
    const auto person = x.text("person"), company = x.text("company"), job = x.text("job");
    if (e.kind == kinds::kEmploymentAdded)
        return {job.empty() ? say(f, kEmployedNoTitle, person, company) : say(f, kEmployed, person, job, company), {}};
    if (x.has("influence_old"))
        return {say(f, kInfluence, person, company, signedInfluence(x.text("influence_old")), signedInfluence(x.text("influence_new"))),
                {}};
    return {say(f, kPositionChanged, person, company, job), {}};
}

EventText renderRelation(const Event& e, const EventFacts& x, const Formatter& f) {
    const auto kind = relationKindFromString(x.text("relation")).value_or(RelationKind::DealerOf);
    return {say(f, e.kind == kinds::kRelationEnded ? kRelationEnded : kRelation, x.text("from"), relationName(kind, true, f.locale()),
                x.text("to")),
            {}};
}

EventText renderCertification(const Event&, const EventFacts& x, const Formatter& f) {
    const auto until = x.date("valid_until");
    return {say(f, kCertified, x.text("party"), x.text("programme"), until ? say(f, kValidUntil, f.shortDate(*until)) : std::string{}),
            x.text("level")};
}

std::string count(const Formatter& f, const EventFacts& x, std::string_view key) {
    const auto text = x.text(key);
    return text.empty() ? f.number(std::int64_t{0}) : f.number(std::stoll(text));
}

EventText renderLoaded(const Event&, const EventFacts& x, const Formatter& f) {
    std::string body = say(f, kLoadedDetails, count(f, x, "employments"), count(f, x, "refused"));
    if (x.has("changed") && x.text("changed") != "0") body += "\n" + say(f, kLoadChanged, count(f, x, "changed"));
    if (const auto source = x.text("source"); !source.empty()) body = say(f, kLoadedFrom, source) + "\n" + body;
    return {say(f, kLoaded, count(f, x, "companies"), count(f, x, "people")), body};
}

EventText renderLoadUndone(const Event&, const EventFacts& x, const Formatter& f) {
    std::string body = say(f, kLoadKept, count(f, x, "kept"));
    if (const auto source = x.text("source"); !source.empty()) body = say(f, kLoadedFrom, source) + "\n" + body;
    return {say(f, kLoadUndone, count(f, x, "removed"), count(f, x, "restored")), body};
}

Event baseEvent(const char* kind, const Party& p, sdk::Id actor, sdk::TimePoint at) {
    Event e;
    e.kind = kind;
    e.occurredAt = at;
    e.authorId = actor;
    e.importance = Importance::Low;
    e.counterpartyId = p.hostId;
    e.subjects.push_back(subjectOf(p));
    return e;
}

std::string shortValue(const std::string& v) { return utf8Shorten(v, kMaxValueChars); }

}  // namespace

void registerCatalogueTexts() {
    static std::once_flag once;
    std::call_once(once, [] {
        registerEventText(kinds::kPartyCreated, renderCreated);
        registerEventText(kinds::kPartyChanged, renderChanged);
        registerEventText(kinds::kPartyMerged, renderMerged);
        registerEventText(kinds::kPartyMergeUndone, renderMerged);
        registerEventText(kinds::kPartyRemovedInHost, renderRemoved);
        registerEventText(kinds::kEmploymentAdded, renderEmployment);
        registerEventText(kinds::kEmploymentChanged, renderEmployment);
        registerEventText(kinds::kRelationAdded, renderRelation);
        registerEventText(kinds::kRelationEnded, renderRelation);
        registerEventText(kinds::kCertificationAdded, renderCertification);
        registerEventText(kinds::kPartiesLoaded, renderLoaded);
        registerEventText(kinds::kPartyLoadUndone, renderLoadUndone);
    });
}

Event createdEvent(const Party& p, sdk::Id actor, sdk::TimePoint at, const std::string& key) {
    auto e = baseEvent(kinds::kPartyCreated, p, actor, at);
    e.idempotencyKey = key;
    EventFacts facts;
    facts.set("party", p.displayName()).set("party_kind", toString(p.kind));
    facts.storeIn(e);
    return e;
}

Event changedEvent(const Party& p, const std::vector<FieldChange>& changes, sdk::Id actor, sdk::TimePoint at) {
    auto e = baseEvent(kinds::kPartyChanged, p, actor, at);
    e.idempotencyKey = "party:" + std::to_string(p.id) + ":v" + std::to_string(p.version);
    EventFacts facts;
    facts.set("party", p.displayName());
    std::string fields;
    for (std::size_t i = 0; i < changes.size() && i < kMaxFieldsInEvent; ++i) {
        const auto& c = changes[i];
        fields += (fields.empty() ? "" : ",") + c.field;
        // Notes and photos change wholesale: the event says that they changed, not the text.
        if (c.field == "notes" || c.field == "photo" || c.field == "terms") continue;
        facts.set("old." + c.field, shortValue(c.before)).set("new." + c.field, shortValue(c.after));
    }
    facts.set("changed", fields);
    if (changes.size() > kMaxFieldsInEvent) facts.set("more", std::int64_t(changes.size() - kMaxFieldsInEvent));
    facts.storeIn(e);
    return e;
}

Event mergedEvent(const Party& survivor, const Party& absorbed, std::int64_t mergeId, bool undone, sdk::Id actor, sdk::TimePoint at) {
    auto e = baseEvent(undone ? kinds::kPartyMergeUndone : kinds::kPartyMerged, survivor, actor, at);
    e.importance = Importance::Normal;
    e.subjects.push_back(subjectOf(absorbed));
    e.idempotencyKey = std::string(undone ? "party-unmerge:" : "party-merge:") + std::to_string(mergeId);
    EventFacts facts;
    facts.set("survivor", survivor.displayName()).set("absorbed", absorbed.displayName()).set("merge", mergeId);
    facts.storeIn(e);
    return e;
}

Event removedInHostEvent(const Party& p, sdk::TimePoint at) {
    auto e = baseEvent(kinds::kPartyRemovedInHost, p, 0, at);
    e.importance = Importance::Normal;
    e.idempotencyKey = "party-removed:" + std::to_string(p.id) + ":v" + std::to_string(p.version);
    EventFacts facts;
    facts.set("party", p.displayName());
    facts.storeIn(e);
    return e;
}

Event employmentEvent(const Party& person, const Party& company, const Employment& emp, std::optional<int> previousInfluence,
                      bool added, sdk::Id actor, sdk::TimePoint at) {
    auto e = baseEvent(added ? kinds::kEmploymentAdded : kinds::kEmploymentChanged, company, actor, at);
    e.subjects.push_back(subjectOf(person));
    e.idempotencyKey = fmt::format("employment:{}:{}:{}", emp.id, added ? "added" : "changed", at.time_since_epoch().count());
    EventFacts facts;
    facts.set("person", person.displayName()).set("company", company.displayName()).set("job", emp.jobTitle);
    if (previousInfluence && *previousInfluence != emp.influence)
        facts.set("influence_old", std::int64_t(*previousInfluence)).set("influence_new", std::int64_t(emp.influence));
    facts.storeIn(e);
    return e;
}

Event relationEvent(const Party& from, const Party& to, const PartyRelation& r, bool ended, sdk::Id actor, sdk::TimePoint at) {
    auto e = baseEvent(ended ? kinds::kRelationEnded : kinds::kRelationAdded, from, actor, at);
    e.subjects.push_back(subjectOf(to));
    // The other side's host counterparty is a subject too when both are host counterparties.
    e.idempotencyKey = fmt::format("relation:{}:{}", r.id, ended ? "ended" : "added");
    EventFacts facts;
    facts.set("from", from.displayName()).set("to", to.displayName()).set("relation", toString(r.kind));
    facts.storeIn(e);
    return e;
}

Event certificationEvent(const Party& holder, const Certification& c, sdk::Id actor, sdk::TimePoint at) {
    auto e = baseEvent(kinds::kCertificationAdded, holder, actor, at);
    e.importance = Importance::Normal;
    e.idempotencyKey = "certification:" + std::to_string(c.id);
    EventFacts facts;
    facts.set("party", holder.displayName()).set("programme", c.programme).set("level", c.level);
    if (c.validUntil) facts.set("valid_until", *c.validUntil);
    facts.storeIn(e);
    return e;
}

Event loadedEvent(const LoadFigures& load, sdk::Id actor, sdk::TimePoint at) {
    Event e;
    e.kind = kinds::kPartiesLoaded;
    e.occurredAt = at;
    e.authorId = actor;
    e.importance = Importance::Normal;
    e.subjects.push_back({partyLoadSubject, load.id});
    e.idempotencyKey = "party-load:" + std::to_string(load.id);
    EventFacts facts;
    facts.set("companies", std::int64_t(load.companies)).set("people", std::int64_t(load.people));
    facts.set("employments", std::int64_t(load.employments)).set("refused", std::int64_t(load.refused));
    facts.set("load", load.id).set("changed", std::int64_t(load.changed));
    if (!load.source.empty()) facts.set("source", shortValue(load.source));
    facts.storeIn(e);
    return e;
}

Event loadUndoneEvent(const LoadFigures& load, const LoadUndone& undone, sdk::Id actor, sdk::TimePoint at) {
    Event e;
    e.kind = kinds::kPartyLoadUndone;
    e.occurredAt = at;
    e.authorId = actor;
    e.importance = Importance::Normal;
    e.subjects.push_back({partyLoadSubject, load.id});
    e.idempotencyKey = "party-load-undone:" + std::to_string(load.id);
    EventFacts facts;
    facts.set("removed", std::int64_t(undone.removed)).set("restored", std::int64_t(undone.restored));
    facts.set("kept", std::int64_t(undone.kept.size())).set("load", load.id);
    if (!load.source.empty()) facts.set("source", shortValue(load.source));
    facts.storeIn(e);
    return e;
}

void storeText(Event& event, const std::string& installationLanguage) {
    const auto locale = Locale::of(installationLanguage);
    const auto& f = formatterFor(locale, TimeZone::defaultFor(locale.language()));
    if (auto facts = EventFacts::of(event)) storeWithText(event, *facts, f);
}

}  // namespace conduit::crm::parties::detail
