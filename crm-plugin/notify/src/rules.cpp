#include <conduit/crm/notify/rules.hpp>

#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/text.hpp>
#include "outbox_rows.hpp"
#include "sql_util.hpp"
#include <conduit/crm/database/errors.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <soci/soci.h>

#include <unicode/msgfmt.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace conduit::crm::notify {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxListBytes = 1000;
constexpr std::chrono::minutes kMaxOffset = 24h * 366;


std::vector<std::string_view> splitList(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto item = text.substr(0, comma);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

template <typename T>
std::optional<T> parseNumber(std::string_view s) {
    T v{};
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string joinIds(const std::vector<sdk::Id>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

std::string encodeRecipient(const RecipientSpec& r) {
    std::string s(toString(r.role));
    if (r.role == RecipientRole::Department) s += ":" + r.department;
    if (r.role == RecipientRole::User) s += ":" + std::to_string(r.userId);
    return s;
}

std::optional<RecipientSpec> decodeRecipient(std::string_view s) {
    const auto colon = s.find(':');
    const auto role = recipientRoleFromString(s.substr(0, colon));
    if (!role) return std::nullopt;
    RecipientSpec r;
    r.role = *role;
    const auto arg = colon == std::string_view::npos ? std::string_view{} : s.substr(colon + 1);
    if (r.role == RecipientRole::Department) r.department = arg;
    if (r.role == RecipientRole::User) r.userId = parseNumber<sdk::Id>(arg).value_or(0);
    return r;
}

// The columns of a rule as stored.
struct RuleColumns {
    long long id = 0;
    std::string name, kinds, projects, counterparties, recipients, timing, offsets, seedKey;
    int digestHour = 8, attach = 0, enabled = 1;
    soci::indicator iProjects = soci::i_ok, iCounterparties = soci::i_ok, iOffsets = soci::i_ok, iSeed = soci::i_ok;

    static RuleColumns from(const Rule& r) {
        RuleColumns c;
        c.id = r.id;
        c.name = r.name;
        for (const auto& k : r.kinds) c.kinds += (c.kinds.empty() ? "" : ",") + k;
        c.projects = joinIds(r.projects);
        c.counterparties = joinIds(r.counterparties);
        for (const auto& rc : r.recipients) c.recipients += (c.recipients.empty() ? "" : ",") + encodeRecipient(rc);
        c.timing = toString(r.timing);
        for (auto o : r.offsets) c.offsets += (c.offsets.empty() ? "" : ",") + std::to_string(o.count());
        c.digestHour = r.digestHour;
        c.attach = r.attachFiles;
        c.enabled = r.enabled;
        c.seedKey = r.seedKey;
        c.iProjects = c.projects.empty() ? soci::i_null : soci::i_ok;
        c.iCounterparties = c.counterparties.empty() ? soci::i_null : soci::i_ok;
        c.iOffsets = c.offsets.empty() ? soci::i_null : soci::i_ok;
        c.iSeed = c.seedKey.empty() ? soci::i_null : soci::i_ok;
        return c;
    }

    Rule toRule() const {
        Rule r;
        r.id = id;
        r.name = name;
        for (auto k : splitList(kinds)) r.kinds.emplace_back(k);
        if (iProjects == soci::i_ok)
            for (auto p : splitList(projects))
                if (auto v = parseNumber<sdk::Id>(p)) r.projects.push_back(*v);
        if (iCounterparties == soci::i_ok)
            for (auto p : splitList(counterparties))
                if (auto v = parseNumber<sdk::Id>(p)) r.counterparties.push_back(*v);
        for (auto s : splitList(recipients))
            if (auto rc = decodeRecipient(s)) r.recipients.push_back(*rc);
        r.timing = timingFromString(timing).value_or(Timing::OnOccurrence);
        if (iOffsets == soci::i_ok)
            for (auto o : splitList(offsets))
                if (auto v = parseNumber<long long>(o)) r.offsets.emplace_back(*v);
        r.digestHour = digestHour;
        r.attachFiles = attach != 0;
        r.enabled = enabled != 0;
        if (iSeed == soci::i_ok) r.seedKey = seedKey;
        return r;
    }
};

constexpr const char* kSelectRules =
    "SELECT ID, NAME, KIND_PATTERNS, SCOPE_PROJECTS, SCOPE_COUNTERPARTIES, RECIPIENTS, TIMING, OFFSETS_MIN,"
    " DIGEST_HOUR, ATTACH_FILES, ENABLED, SEED_KEY FROM CRM_NOTIFY_RULE";

std::vector<Rule> selectRules(soci::session& s, const std::string& where, long long idParam = 0) {
    RuleColumns c;
    std::vector<Rule> out;
    std::string sql = std::string(kSelectRules) + where + " ORDER BY ID";
    soci::statement st = where.find(":id") != std::string::npos
        ? (s.prepare << sql, soci::use(idParam, "id"), soci::into(c.id), soci::into(c.name), soci::into(c.kinds),
           soci::into(c.projects, c.iProjects), soci::into(c.counterparties, c.iCounterparties), soci::into(c.recipients),
           soci::into(c.timing), soci::into(c.offsets, c.iOffsets), soci::into(c.digestHour), soci::into(c.attach),
           soci::into(c.enabled), soci::into(c.seedKey, c.iSeed))
        : (s.prepare << sql, soci::into(c.id), soci::into(c.name), soci::into(c.kinds),
           soci::into(c.projects, c.iProjects), soci::into(c.counterparties, c.iCounterparties), soci::into(c.recipients),
           soci::into(c.timing), soci::into(c.offsets, c.iOffsets), soci::into(c.digestHour), soci::into(c.attach),
           soci::into(c.enabled), soci::into(c.seedKey, c.iSeed));
    st.execute(false);
    while (st.fetch()) out.push_back(c.toRule());
    return out;
}

void insertRule(soci::session& s, Rule& rule, sdk::TimePoint now) {
    long long id = 0;
    s << "SELECT NEXT VALUE FOR CRM_NOTIFY_RULE_SEQ FROM RDB$DATABASE", soci::into(id);
    rule.id = id;
    auto c = RuleColumns::from(rule);
    std::tm t = rows::toTm(now);
    s << "INSERT INTO CRM_NOTIFY_RULE (ID, NAME, KIND_PATTERNS, SCOPE_PROJECTS, SCOPE_COUNTERPARTIES, RECIPIENTS, TIMING,"
         " OFFSETS_MIN, DIGEST_HOUR, ATTACH_FILES, ENABLED, SEED_KEY, CREATED_AT, UPDATED_AT)"
         " VALUES (:id, :name, :kinds, :projects, :cps, :rcpt, :timing, :offsets, :hour, :attach, :enabled, :seed, :t1, :t2)",
        soci::use(c.id), soci::use(c.name), soci::use(c.kinds), soci::use(c.projects, c.iProjects),
        soci::use(c.counterparties, c.iCounterparties), soci::use(c.recipients), soci::use(c.timing),
        soci::use(c.offsets, c.iOffsets), soci::use(c.digestHour), soci::use(c.attach), soci::use(c.enabled),
        soci::use(c.seedKey, c.iSeed), soci::use(t), soci::use(t);
}

}  // namespace

std::string_view toString(RecipientRole role) {
    switch (role) {
        case RecipientRole::ProjectManager: return "project_manager";
        case RecipientRole::Measurer: return "measurer";
        case RecipientRole::Department: return "department";
        case RecipientRole::CrewLead: return "crew_lead";
        case RecipientRole::User: return "user";
        case RecipientRole::CounterpartyContact: return "counterparty_contact";
        case RecipientRole::Followers: return "followers";
    }
    return "project_manager";
}

std::string_view toString(Timing timing) {
    switch (timing) {
        case Timing::OnOccurrence: return "occurrence";
        case Timing::Reminder: return "reminder";
        case Timing::Digest: return "digest";
    }
    return "occurrence";
}

std::optional<RecipientRole> recipientRoleFromString(std::string_view s) {
    for (auto r : {RecipientRole::ProjectManager, RecipientRole::Measurer, RecipientRole::Department,
                   RecipientRole::CrewLead, RecipientRole::User, RecipientRole::CounterpartyContact,
                   RecipientRole::Followers})
        if (toString(r) == s) return r;
    return std::nullopt;
}

std::optional<Timing> timingFromString(std::string_view s) {
    for (auto t : {Timing::OnOccurrence, Timing::Reminder, Timing::Digest})
        if (toString(t) == s) return t;
    return std::nullopt;
}

const std::vector<std::string>& knownDepartments() {
    static const std::vector<std::string> codes{"dispatch", "finance", "orders", "measurement", "production",
                                                "sales", "management", "admin"};
    return codes;
}

bool kindMatches(std::string_view pattern, std::string_view kind) { return kindPatternMatches(pattern, kind); }

bool applies(const Rule& rule, const Event& event) {
    if (!rule.enabled) return false;
    if (std::none_of(rule.kinds.begin(), rule.kinds.end(), [&](const auto& p) { return kindMatches(p, event.kind); }))
        return false;
    if (rule.projects.empty() && rule.counterparties.empty()) return true;
    auto has = [](const std::vector<sdk::Id>& ids, sdk::Id id) { return id && std::find(ids.begin(), ids.end(), id) != ids.end(); };
    return has(rule.projects, event.projectId) || has(rule.counterparties, event.counterpartyId);
}

namespace {

// Each problem in the three languages; "%1" is the offending value.
struct ProblemText {
    RuleProblem problem;
    LocalizedText text;
};

const ProblemText kProblemTexts[] = {
    {RuleProblem::NameMissing, {"Дайте правилу название", "Nadaj regule nazwę", "Give the rule a name"}},
    {RuleProblem::NameTooLong, {"Название длиннее 200 символов", "Nazwa jest dłuższa niż 200 znaków", "The name is longer than 200 characters"}},
    {RuleProblem::KindsMissing, {"Отметьте хотя бы один вид событий", "Zaznacz co najmniej jeden rodzaj zdarzeń", "Tick at least one kind of event"}},
    {RuleProblem::KindMalformed, {"«%1» — не вид событий", "„%1” nie jest rodzajem zdarzeń", "'%1' is not a kind of event"}},
    {RuleProblem::TooManyKinds, {"Слишком много видов событий в одном правиле", "Za dużo rodzajów zdarzeń w jednej regule", "Too many kinds of event in one rule"}},
    {RuleProblem::ScopeIdInvalid, {"Неверный проект или контрагент в области правила", "Błędny projekt lub kontrahent w zakresie reguły", "A project or counterparty in the rule's scope is invalid"}},
    {RuleProblem::ScopeTooLarge, {"Слишком много проектов или контрагентов в одном правиле", "Za dużo projektów lub kontrahentów w jednej regule", "Too many projects or counterparties in one rule"}},
    {RuleProblem::RecipientsMissing, {"Выберите, кого уведомлять", "Wybierz, kogo powiadomić", "Choose who is notified"}},
    {RuleProblem::UnknownDepartment, {"Отдел «%1» не известен", "Dział „%1” jest nieznany", "The department '%1' is not known"}},
    {RuleProblem::UserMissing, {"Не указан сотрудник-получатель", "Nie wskazano pracownika-odbiorcy", "A named recipient has no user"}},
    {RuleProblem::TooManyRecipients, {"Слишком много получателей в одном правиле", "Za dużo odbiorców w jednej regule", "Too many recipients in one rule"}},
    {RuleProblem::OffsetsMissing, {"Для напоминания укажите, когда напомнить относительно срока", "Dla przypomnienia podaj, kiedy przypomnieć względem terminu", "Say when to remind, relative to the due date"}},
    {RuleProblem::OffsetOutOfRange, {"Напоминание — не дальше года от срока", "Przypomnienie — najwyżej rok od terminu", "A reminder must be within a year of the due date"}},
    {RuleProblem::OffsetTwice, {"Один и тот же момент напоминания указан дважды", "Ten sam moment przypomnienia podano dwa razy", "The same reminder moment is given twice"}},
    {RuleProblem::TooManyOffsets, {"Не больше 20 напоминаний в одном правиле", "Najwyżej 20 przypomnień w jednej regule", "At most 20 reminder moments per rule"}},
    {RuleProblem::OffsetsNotReminder, {"Моменты напоминания бывают только у напоминаний", "Momenty przypomnień dotyczą tylko przypomnień", "Reminder moments apply to reminders only"}},
    {RuleProblem::DigestHourOutOfRange, {"Час сводки — от 0 до 23", "Godzina podsumowania: od 0 do 23", "The digest hour is 0 to 23"}},
    {RuleProblem::SeedKeyTooLong, {"Ключ стандартного правила длиннее 64 символов", "Klucz reguły domyślnej jest dłuższy niż 64 znaki", "The default rule's key is longer than 64 characters"}},
    {RuleProblem::SeedKeyTaken, {"Такое стандартное правило уже есть", "Taka reguła domyślna już istnieje", "This default rule exists already"}},
    {RuleProblem::NoSuchRule, {"Этого правила больше нет (его удалили, возможно, на другом рабочем месте)", "Tej reguły już nie ma (usunięto ją, być może na innym stanowisku)", "This rule no longer exists (it was deleted, perhaps on another workstation)"}},
    {RuleProblem::NotAllowed, {"Менять правила уведомлений может только администратор", "Reguły powiadomień może zmieniać tylko administrator", "Only an administrator may change notification rules"}},
};

std::string worded(RuleProblem problem, std::string_view detail, const Locale& reader) {
    for (const auto& p : kProblemTexts) {
        if (p.problem != problem) continue;
        std::string text = reader.pick(p.text);
        if (auto at = text.find("%1"); at != std::string::npos) text.replace(at, 2, detail);
        return text;
    }
    return "notification rule problem";
}

}  // namespace

RuleError::RuleError(RuleProblem problem, std::string field, std::string detail)
    : std::invalid_argument(worded(problem, detail, Locale(Language::En)) + (detail.empty() ? "" : " [" + detail + "]")),
      problem(problem), field(std::move(field)), detail(std::move(detail)) {}

std::string describe(const RuleError& error, const Locale& reader) { return worded(error.problem, error.detail, reader); }

std::string rulesErrorText(const std::exception& error, const Locale& reader) {
    if (const auto* rule = dynamic_cast<const RuleError*>(&error)) return describe(*rule, reader);
    if (dynamic_cast<const ConnectionError*>(&error))
        return reader.pick({"База данных CRM сейчас недоступна; повторите через минуту", "Baza danych CRM jest teraz niedostępna; spróbuj ponownie za chwilę",
                            "The CRM database cannot be reached now; try again in a moment"});
    return reader.pick({"Не удалось сохранить правила уведомлений; подробности — в журнале", "Nie udało się zapisać reguł powiadomień; szczegóły w dzienniku",
                        "The notification rules could not be saved; the log has the details"});
}

std::optional<RuleError> validate(const Rule& rule) {
    using P = RuleProblem;
    auto fail = [](P problem, const char* field, std::string detail = {}) { return std::optional<RuleError>(RuleError(problem, field, std::move(detail))); };
    if (rule.name.find_first_not_of(" \t\r\n") == std::string::npos) return fail(P::NameMissing, "name");
    if (utf8Length(rule.name) > kMaxNameChars) return fail(P::NameTooLong, "name");
    if (rule.kinds.empty()) return fail(P::KindsMissing, "kinds");
    std::size_t bytes = 0;
    for (const auto& k : rule.kinds) {
        if (!isValidKindPattern(k)) return fail(P::KindMalformed, "kinds", k);
        bytes += k.size() + 1;
    }
    if (bytes > kMaxListBytes) return fail(P::TooManyKinds, "kinds");
    for (const auto* ids : {&rule.projects, &rule.counterparties}) {
        for (auto id : *ids)
            if (id <= 0) return fail(P::ScopeIdInvalid, "scope", std::to_string(id));
        if (joinIds(*ids).size() > kMaxListBytes) return fail(P::ScopeTooLarge, "scope");
    }
    if (rule.recipients.empty()) return fail(P::RecipientsMissing, "recipients");
    std::string encoded;
    for (const auto& r : rule.recipients) {
        if (r.role == RecipientRole::Department &&
            std::find(knownDepartments().begin(), knownDepartments().end(), r.department) == knownDepartments().end())
            return fail(P::UnknownDepartment, "recipients", r.department);
        if (r.role == RecipientRole::User && r.userId <= 0) return fail(P::UserMissing, "recipients");
        encoded += encodeRecipient(r) + ",";
    }
    if (encoded.size() > kMaxListBytes) return fail(P::TooManyRecipients, "recipients");
    if (rule.timing == Timing::Reminder) {
        if (rule.offsets.empty()) return fail(P::OffsetsMissing, "offsets");
        std::set<long long> seen;
        for (auto o : rule.offsets) {
            if (o > kMaxOffset || o < -kMaxOffset) return fail(P::OffsetOutOfRange, "offsets");
            if (!seen.insert(o.count()).second) return fail(P::OffsetTwice, "offsets");
        }
        if (seen.size() > 20) return fail(P::TooManyOffsets, "offsets");
    } else if (!rule.offsets.empty()) {
        return fail(P::OffsetsNotReminder, "offsets");
    }
    if (rule.digestHour < 0 || rule.digestHour > 23) return fail(P::DigestHourOutOfRange, "digestHour");
    if (rule.seedKey.size() > 64) return fail(P::SeedKeyTooLong, "seedKey");
    return std::nullopt;
}

namespace {

// ICU message patterns: the unit chosen so the number is whole, the plural form by ICU's rules.
struct OffsetPatterns {
    LocalizedText days, hours, minutes;
};

const OffsetPatterns kBefore{
    {"за {n, plural, one{# день} few{# дня} many{# дней} other{# дня}} до срока",
     "{n, plural, one{# dzień} few{# dni} many{# dni} other{# dnia}} przed terminem",
     "{n, plural, one{# day} other{# days}} before the due date"},
    {"за {n, plural, one{# час} few{# часа} many{# часов} other{# часа}} до срока",
     "{n, plural, one{# godzinę} few{# godziny} many{# godzin} other{# godziny}} przed terminem",
     "{n, plural, one{# hour} other{# hours}} before the due date"},
    {"за {n, plural, one{# минуту} few{# минуты} many{# минут} other{# минуты}} до срока",
     "{n, plural, one{# minutę} few{# minuty} many{# minut} other{# minuty}} przed terminem",
     "{n, plural, one{# minute} other{# minutes}} before the due date"}};

const OffsetPatterns kAfter{
    {"через {n, plural, one{# день} few{# дня} many{# дней} other{# дня}} после срока",
     "{n, plural, one{# dzień} few{# dni} many{# dni} other{# dnia}} po terminie",
     "{n, plural, one{# day} other{# days}} after the due date"},
    {"через {n, plural, one{# час} few{# часа} many{# часов} other{# часа}} после срока",
     "{n, plural, one{# godzinę} few{# godziny} many{# godzin} other{# godziny}} po terminie",
     "{n, plural, one{# hour} other{# hours}} after the due date"},
    {"через {n, plural, one{# минуту} few{# минуты} many{# минут} other{# минуты}} после срока",
     "{n, plural, one{# minutę} few{# minuty} many{# minut} other{# minuty}} po terminie",
     "{n, plural, one{# minute} other{# minutes}} after the due date"}};

std::string formatPlural(const char* pattern, long long n, const Locale& reader) {
    UErrorCode status = U_ZERO_ERROR;
    icu::MessageFormat format(icu::UnicodeString::fromUTF8(pattern), icu::Locale(reader.icuName().c_str()), status);
    icu::UnicodeString names[] = {"n"};
    icu::Formattable values[] = {icu::Formattable(static_cast<int64_t>(n))};
    icu::UnicodeString out;
    format.format(names, values, 1, out, status);
    if (U_FAILURE(status)) return std::to_string(n);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
}

}  // namespace

std::string offsetText(std::chrono::minutes offset, const Locale& reader) {
    const long long m = offset.count();
    if (m == 0) return reader.pick({"в момент срока", "w chwili terminu", "at the due time"});
    const auto& patterns = m < 0 ? kBefore : kAfter;
    const long long size = m < 0 ? -m : m;
    if (size % (24 * 60) == 0) return formatPlural(reader.pick(patterns.days), size / (24 * 60), reader);
    if (size % 60 == 0) return formatPlural(reader.pick(patterns.hours), size / 60, reader);
    return formatPlural(reader.pick(patterns.minutes), size, reader);
}

std::string mailsText(std::size_t count, const Locale& reader) {
    static const LocalizedText pattern{"{n, plural, one{# письмо} few{# письма} many{# писем} other{# письма}}",
                                       "{n, plural, one{# wiadomość} few{# wiadomości} many{# wiadomości} other{# wiadomości}}",
                                       "{n, plural, one{# mail} other{# mails}}"};
    return formatPlural(reader.pick(pattern), static_cast<long long>(count), reader);
}

std::string departmentName(std::string_view code, const Locale& reader) {
    static const std::pair<const char*, LocalizedText> names[] = {
        {"dispatch", {"Диспетчерская", "Dyspozytornia", "Dispatch"}},
        {"finance", {"Бухгалтерия", "Księgowość", "Finance"}},
        {"orders", {"Отдел заказов", "Dział zamówień", "Orders department"}},
        {"measurement", {"Замерщики", "Pomiarowcy", "Measurement"}},
        {"production", {"Производство", "Produkcja", "Production"}},
        {"sales", {"Отдел продаж", "Dział sprzedaży", "Sales"}},
        {"management", {"Руководство", "Zarząd", "Management"}},
        {"admin", {"Администрация", "Administracja", "Administration"}},
    };
    for (const auto& [c, name] : names)
        if (code == c) return reader.pick(name);
    return std::string(code);
}

namespace {

struct DefaultRuleName {
    const char* seedKey;
    LocalizedText name;
};

// The default rules' names in the three languages; English is what is stored.
const DefaultRuleName kDefaultRuleNames[] = {
    {"default.payments", {"Платежи: менеджер проекта и бухгалтерия", "Płatności: kierownik projektu i księgowość", "Payments: project manager and finance"}},
    {"default.customer.progress", {"Клиенту: производство, дата монтажа, платежи, готовность изделий", "Dla klienta: produkcja, termin montażu, płatności, gotowe wyroby", "Customer: production, installation date, payments, goods ready"}},
    {"default.prepayment.required", {"Требуется предоплата: бухгалтерия и менеджер проекта", "Wymagana przedpłata: księgowość i kierownik projektu", "Prepayment required: finance and project manager"}},
    {"default.installation.reminder", {"Монтаж через 2 дня: менеджер, замерщик, диспетчерская", "Montaż za 2 dni: kierownik, pomiarowiec, dyspozytornia", "Installation in 2 days: manager, measurer, dispatch"}},
    {"default.prepayment.reminder", {"Предоплата завтра и просроченная: бухгалтерия и менеджер", "Przedpłata jutro i zaległa: księgowość i kierownik", "Prepayment due tomorrow, and overdue: finance and manager"}},
    {"default.stage.overdue", {"Этап просрочен (через день после планового окончания): диспетчерская", "Etap po terminie (dzień po planowanym końcu): dyspozytornia", "Stage overdue (a day after its planned end): dispatch"}},
    {"default.schedule.changes", {"Переносы этапов и назначения бригад: менеджер и диспетчерская", "Przełożone etapy i przydziały ekip: kierownik i dyspozytornia", "Rescheduled stages and crew assignments: manager and dispatch"}},
    {"default.materials", {"Материалы и производство: отдел заказов", "Materiały i produkcja: dział zamówień", "Materials and production: orders department"}},
    {"default.notes.digest", {"Утренняя сводка заметок: диспетчерская и менеджер проекта", "Poranne podsumowanie notatek: dyspozytornia i kierownik projektu", "Morning digest of notes: dispatch and project manager"}},
    {"default.notification.failed", {"Недоставленные уведомления: диспетчерская", "Niedostarczone powiadomienia: dyspozytornia", "Undelivered notifications: dispatch"}},
    {"default.payments", {"Просроченные платежи: менеджер проекта и бухгалтерия", "Zaległe płatności: kierownik projektu i księgowość", "Overdue payments: project manager and finance"}},
    {"default.payments.digest", {"Поступившие платежи: утренняя сводка менеджера и бухгалтерии", "Wpłaty: poranne podsumowanie kierownika i księgowości", "Payments received: morning digest of the manager and finance"}},
    {"default.installation.reminder", {"Монтаж через 2 дня: менеджер и замерщик", "Montaż za 2 dni: kierownik i pomiarowiec", "Installation in 2 days: manager and measurer"}},
    {"default.stage.overdue", {"Этап просрочен (через день после планового окончания): менеджер проекта", "Etap po terminie (dzień po planowanym końcu): kierownik projektu", "Stage overdue (a day after its planned end): project manager"}},
    {"default.schedule.changes", {"Перенос этапа: менеджер проекта", "Przełożony etap: kierownik projektu", "Rescheduled stages: project manager"}},
    {"default.schedule.digest", {"Переносы этапов и назначения бригад: утренняя сводка диспетчерской", "Przełożone etapy i przydziały ekip: poranne podsumowanie dyspozytorni", "Rescheduled stages and crew assignments: morning digest of dispatch"}},
    {"default.crew.digest", {"Назначения бригад: утренняя сводка менеджера проекта", "Przydziały ekip: poranne podsumowanie kierownika projektu", "Crew assignments: morning digest of the project manager"}},
    {"default.materials", {"Материалы и производство: утренняя сводка отдела заказов", "Materiały i produkcja: poranne podsumowanie działu zamówień", "Materials and production: morning digest of the orders department"}},
    {"default.prepayment.required", {"Требуется предоплата: менеджер проекта", "Wymagana przedpłata: kierownik projektu", "Prepayment required: project manager"}},
    {"default.prepayment.digest", {"Требуется предоплата: утренняя сводка бухгалтерии", "Wymagana przedpłata: poranne podsumowanie księgowości", "Prepayment required: morning digest of finance"}},
    {"default.following", {"То, за чем вы следите: утренняя сводка", "To, co obserwujesz: poranne podsumowanie", "What you follow: morning digest"}},
};

}  // namespace

namespace {

using R = RecipientRole;
using std::chrono::minutes;

RecipientSpec dept(const char* code) { return RecipientSpec{R::Department, code, 0}; }
const RecipientSpec kManager{R::ProjectManager, {}, 0}, kMeasurer{R::Measurer, {}, 0}, kContact{R::CounterpartyContact, {}, 0},
    kFollowers{R::Followers, {}, 0};

Rule defaultRule(const char* key, const char* name, std::vector<std::string> kinds, std::vector<RecipientSpec> to,
                 Timing timing = Timing::OnOccurrence, std::vector<minutes> offsets = {}) {
    Rule r;
    r.seedKey = key;
    r.name = name;
    r.kinds = std::move(kinds);
    r.recipients = std::move(to);
    r.timing = timing;
    r.offsets = std::move(offsets);
    return r;
}

const std::vector<std::string> kPaymentsIn{kinds::kPaymentReceived, kinds::kPrepaymentReceived, kinds::kFinalPaymentReceived};

Rule customerProgress() {
    return defaultRule("default.customer.progress", "Customer: production, installation date, payments, goods ready",
                       {kinds::kOrderProductionLaunched, kinds::kInstallationPlanned, kinds::kPaymentReceived,
                        kinds::kPrepaymentReceived, kinds::kFinalPaymentReceived, kinds::kItemsReceived},
                       {kContact});
}
Rule prepaymentRequired() {
    return defaultRule("default.prepayment.required", "Prepayment required: finance and project manager",
                       {kinds::kOrderPrepaymentRequired}, {kManager, dept("finance")});
}
Rule prepaymentReminder() {
    return defaultRule("default.prepayment.reminder", "Prepayment due tomorrow, and overdue: finance and manager",
                       {kinds::kOrderPrepaymentRequired}, {dept("finance"), kManager}, Timing::Reminder,
                       {minutes(-24 * 60), minutes(24 * 60)});
}
Rule notesDigest() {
    return defaultRule("default.notes.digest", "Morning digest of notes: dispatch and project manager", {"note.*"},
                       {dept("dispatch"), kManager}, Timing::Digest);
}
Rule notificationFailed() {
    return defaultRule("default.notification.failed", "Undelivered notifications: dispatch", {kinds::kNotificationFailed},
                       {dept("dispatch")});
}

// The first default set: every department told at once of everything in its line of work.
std::vector<Rule> defaultsVersion1() {
    return {
        defaultRule("default.payments", "Payments: project manager and finance",
                    {kinds::kPaymentReceived, kinds::kPrepaymentReceived, kinds::kFinalPaymentReceived, kinds::kPaymentOverdue},
                    {kManager, dept("finance")}),
        customerProgress(),
        prepaymentRequired(),
        defaultRule("default.installation.reminder", "Installation in 2 days: manager, measurer, dispatch",
                    {kinds::kInstallationPlanned}, {kManager, kMeasurer, dept("dispatch")}, Timing::Reminder,
                    {minutes(-2 * 24 * 60)}),
        prepaymentReminder(),
        defaultRule("default.stage.overdue", "Stage overdue (a day after its planned end): dispatch", {kinds::kStagePlanned},
                    {dept("dispatch")}, Timing::Reminder, {minutes(24 * 60)}),
        defaultRule("default.schedule.changes", "Rescheduled stages and crew assignments: manager and dispatch",
                    {kinds::kStageRescheduled, kinds::kCrewAssigned}, {kManager, dept("dispatch")}),
        defaultRule("default.materials", "Materials and production: orders department",
                    {kinds::kOrderMaterialsReserved, kinds::kOrderProductionLaunched, kinds::kWarehouseMaterialsReserved},
                    {dept("orders")}),
        notesDigest(),
        notificationFailed(),
    };
}

// A default rule of the current set that splits off an earlier one: it is added on an upgrade
// only when that earlier rule is still as it was seeded (an administrator who changed or deleted
// "payments" keeps their choice, without a new rule that sends the same mail again).
struct TakesOver {
    const char* seedKey;
    const char* from;
};
const TakesOver kTakesOver[] = {
    {"default.payments.digest", "default.payments"},
    {"default.schedule.digest", "default.schedule.changes"},
    {"default.crew.digest", "default.schedule.changes"},
    {"default.prepayment.digest", "default.prepayment.required"},
};

const char* takesOverFrom(const std::string& seedKey) {
    for (const auto& t : kTakesOver)
        if (seedKey == t.seedKey) return t.from;
    return nullptr;
}

}  // namespace

std::vector<Rule> defaultRules() {
    return {
        defaultRule("default.payments", "Overdue payments: project manager and finance", {kinds::kPaymentOverdue},
                    {kManager, dept("finance")}),
        defaultRule("default.payments.digest", "Payments received: morning digest of the manager and finance", kPaymentsIn,
                    {kManager, dept("finance")}, Timing::Digest),
        customerProgress(),
        // Finance raises every prepayment invoice: at once that would be one mail per order all
        // day; it reads them in the morning and is told at once the day before one falls due.
        defaultRule("default.prepayment.required", "Prepayment required: project manager", {kinds::kOrderPrepaymentRequired},
                    {kManager}),
        defaultRule("default.prepayment.digest", "Prepayment required: morning digest of finance", {kinds::kOrderPrepaymentRequired},
                    {dept("finance")}, Timing::Digest),
        defaultRule("default.installation.reminder", "Installation in 2 days: manager and measurer",
                    {kinds::kInstallationPlanned}, {kManager, kMeasurer}, Timing::Reminder, {minutes(-2 * 24 * 60)}),
        prepaymentReminder(),
        defaultRule("default.stage.overdue", "Stage overdue (a day after its planned end): project manager",
                    {kinds::kStagePlanned}, {kManager}, Timing::Reminder, {minutes(24 * 60)}),
        defaultRule("default.schedule.changes", "Rescheduled stages: project manager", {kinds::kStageRescheduled}, {kManager}),
        defaultRule("default.schedule.digest", "Rescheduled stages and crew assignments: morning digest of dispatch",
                    {kinds::kStageRescheduled, kinds::kCrewAssigned}, {dept("dispatch")}, Timing::Digest),
        defaultRule("default.crew.digest", "Crew assignments: morning digest of the project manager", {kinds::kCrewAssigned},
                    {kManager}, Timing::Digest),
        defaultRule("default.materials", "Materials and production: morning digest of the orders department",
                    {kinds::kOrderMaterialsReserved, kinds::kOrderProductionLaunched, kinds::kWarehouseMaterialsReserved},
                    {dept("orders")}, Timing::Digest),
        notesDigest(),
        notificationFailed(),
        defaultRule("default.following", "What you follow: morning digest", {"payment.*", "order.*", "schedule.*", "warehouse.*", "note.*"},
                    {kFollowers}, Timing::Digest),
    };
}

const std::vector<std::vector<Rule>>& earlierDefaultRules() {
    static const std::vector<std::vector<Rule>> versions{defaultsVersion1()};
    return versions;
}

std::string ruleName(const Rule& rule, const Locale& reader) { return ruleName(rule.name, reader); }

std::string ruleName(std::string_view storedName, const Locale& reader) {
    for (const auto& d : kDefaultRuleNames)
        if (storedName == d.name.en) return reader.pick(d.name);
    return std::string(storedName);  // an administrator's own wording: as they wrote it
}

RuleStore::RuleStore(Database& db, Clock clock) : db_(db), clock_(std::move(clock)) {}

void RuleStore::enforce(MayChangeRules check) {
    std::lock_guard lock(checkMutex_);
    mayChange_ = std::move(check);
}

void RuleStore::requireMayChange(std::optional<sdk::Id> actor) const {
    MayChangeRules check;
    {
        std::lock_guard lock(checkMutex_);
        check = mayChange_;
    }
    if (!check) return;
    // Asked outside the lock: the rights model may read the database.
    if (!actor || *actor <= 0 || !check(*actor))
        throw RuleError(RuleProblem::NotAllowed, "rights", actor ? "user #" + std::to_string(*actor) : "no user");
}

std::vector<Rule> RuleStore::list() {
    return inTransaction(db_, "notification rules", [](soci::session& s) { return selectRules(s, ""); });
}

std::optional<Rule> RuleStore::find(std::int64_t id) {
    return inTransaction(db_, "notification rules", [&](soci::session& s) -> std::optional<Rule> {
        auto rules = selectRules(s, " WHERE ID = :id", id);
        if (rules.empty()) return std::nullopt;
        return rules.front();
    });
}

std::int64_t RuleStore::add(sdk::Id actor, Rule rule) {
    requireMayChange(actor);
    return insertChecked(std::move(rule));
}

void RuleStore::update(sdk::Id actor, const Rule& rule) {
    requireMayChange(actor);
    updateChecked(rule);
}

void RuleStore::setEnabled(sdk::Id actor, std::int64_t id, bool enabled) {
    requireMayChange(actor);
    setEnabledChecked(id, enabled);
}

void RuleStore::remove(sdk::Id actor, std::int64_t id) {
    requireMayChange(actor);
    removeChecked(id);
}

std::int64_t RuleStore::add(Rule rule) {
    requireMayChange(std::nullopt);
    return insertChecked(std::move(rule));
}

std::int64_t RuleStore::insertChecked(Rule rule) {
    if (auto error = validate(rule)) throw *error;
    return inTransaction(db_, "notification rules", [&](soci::session& s) {
        try {
            insertRule(s, rule, clock_());
        } catch (const std::exception& e) {
            if (isUniqueViolation(e)) throw RuleError(RuleProblem::SeedKeyTaken, "seedKey", rule.seedKey);
            throw;
        }
        return rule.id;
    });
}

void RuleStore::update(const Rule& rule) {
    requireMayChange(std::nullopt);
    updateChecked(rule);
}

void RuleStore::updateChecked(const Rule& rule) {
    if (auto error = validate(rule)) throw *error;
    inTransaction(db_, "notification rules", [&](soci::session& s) {
        auto c = RuleColumns::from(rule);
        std::tm t = rows::toTm(clock_());
        soci::statement st = (s.prepare << "UPDATE CRM_NOTIFY_RULE SET NAME = :name, KIND_PATTERNS = :kinds, SCOPE_PROJECTS = :projects,"
                                           " SCOPE_COUNTERPARTIES = :cps, RECIPIENTS = :rcpt, TIMING = :timing, OFFSETS_MIN = :offsets,"
                                           " DIGEST_HOUR = :hour, ATTACH_FILES = :attach, ENABLED = :enabled, UPDATED_AT = :t WHERE ID = :id",
                              soci::use(c.name), soci::use(c.kinds), soci::use(c.projects, c.iProjects),
                              soci::use(c.counterparties, c.iCounterparties), soci::use(c.recipients), soci::use(c.timing),
                              soci::use(c.offsets, c.iOffsets), soci::use(c.digestHour), soci::use(c.attach), soci::use(c.enabled),
                              soci::use(t), soci::use(c.id));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw RuleError(RuleProblem::NoSuchRule, "id", std::to_string(rule.id));
    });
}

void RuleStore::setEnabled(std::int64_t id, bool enabled) {
    requireMayChange(std::nullopt);
    setEnabledChecked(id, enabled);
}

void RuleStore::setEnabledChecked(std::int64_t id, bool enabled) {
    inTransaction(db_, "notification rules", [&](soci::session& s) {
        int flag = enabled;
        long long key = id;
        std::tm t = rows::toTm(clock_());
        soci::statement st = (s.prepare << "UPDATE CRM_NOTIFY_RULE SET ENABLED = :e, UPDATED_AT = :t WHERE ID = :id",
                              soci::use(flag), soci::use(t), soci::use(key));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw RuleError(RuleProblem::NoSuchRule, "id", std::to_string(id));
    });
}

void RuleStore::remove(std::int64_t id) {
    requireMayChange(std::nullopt);
    removeChecked(id);
}

void RuleStore::removeChecked(std::int64_t id) {
    inTransaction(db_, "notification rules", [&](soci::session& s) {
        long long key = id;
        soci::statement st = (s.prepare << "DELETE FROM CRM_NOTIFY_RULE WHERE ID = :id", soci::use(key));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw RuleError(RuleProblem::NoSuchRule, "id", std::to_string(id));
        // Waiting work of a deleted rule goes quiet; sent history stays for the record.
        s << "UPDATE CRM_NOTIFICATION SET STATUS = " + detail::statusSql(OutboxStatus::Skipped) +
                 ", LAST_ERROR = 'rule deleted' WHERE RULE_ID = :id AND STATUS IN (" + detail::statusSql(OutboxStatus::Pending) +
                 ", " + detail::statusSql(OutboxStatus::DigestWait) + ")",
            soci::use(key);
    });
}

namespace {

// The flag of each default set's version in CRM_NOTIFY_STATE: version 1 wrote "defaults.seeded".
std::string defaultsFlag(std::size_t version) {
    return version == 1 ? std::string("defaults.seeded") : "defaults.v" + std::to_string(version);
}

std::size_t currentDefaultsVersion() { return earlierDefaultRules().size() + 1; }

// The newest default set this database was seeded or upgraded with; 0 when never.
std::size_t seededDefaultsVersion(soci::session& s) {
    for (std::size_t v = currentDefaultsVersion(); v >= 1; --v) {
        int n = 0;
        const std::string flag = defaultsFlag(v);  // bound by reference: must outlive the statement
        s << "SELECT COUNT(*) FROM CRM_NOTIFY_STATE WHERE NAME = :n", soci::use(flag), soci::into(n);
        if (n) return v;
    }
    return 0;
}

// False when another instance wrote the flag first (it seeds or upgrades, this one does nothing).
bool claimFlag(soci::session& s, const std::string& flag) {
    try {
        s << "INSERT INTO CRM_NOTIFY_STATE (NAME) VALUES (:n)", soci::use(flag);
    } catch (const std::exception& e) {
        if (isUniqueViolation(e)) return false;
        throw;
    }
    return true;
}

const Rule* bySeedKey(const std::vector<Rule>& rules, const std::string& key) {
    for (const auto& r : rules)
        if (r.seedKey == key) return &r;
    return nullptr;
}

// A stored default exactly as version `old` seeded it: nobody renamed, edited or disabled it.
bool unchangedSince(const Rule& stored, const std::vector<Rule>& old) {
    const Rule* seeded = bySeedKey(old, stored.seedKey);
    if (!seeded) return false;
    Rule expected = *seeded;
    expected.id = stored.id;
    return expected == stored;
}

void updateRule(soci::session& s, const Rule& rule, sdk::TimePoint now);

// Brings the defaults of version `from` (as stored by it) to the current set: an untouched default takes its new
// content in place (its id, and so its history, stays), the rules that split off it are added;
// new defaults of no earlier rule are added unless their key is taken.
void upgradeDefaults(soci::session& s, std::size_t from, sdk::TimePoint now) {
    const auto& old = earlierDefaultRules().at(from - 1);
    const auto stored = selectRules(s, " WHERE SEED_KEY IS NOT NULL");
    auto untouched = [&](const std::string& key) {
        const Rule* r = bySeedKey(stored, key);
        return r && unchangedSince(*r, old);
    };
    for (auto rule : defaultRules()) {
        if (const Rule* present = bySeedKey(stored, rule.seedKey)) {
            if (!unchangedSince(*present, old)) continue;
            rule.id = present->id;
            updateRule(s, rule, now);
        } else if (const char* origin = takesOverFrom(rule.seedKey)) {
            if (untouched(origin)) insertRule(s, rule, now);
        } else if (!bySeedKey(old, rule.seedKey)) {
            insertRule(s, rule, now);  // new in this version; an old default deleted stays deleted
        }
    }
}

void updateRule(soci::session& s, const Rule& rule, sdk::TimePoint now) {
    auto c = RuleColumns::from(rule);
    std::tm t = rows::toTm(now);
    s << "UPDATE CRM_NOTIFY_RULE SET NAME = :name, KIND_PATTERNS = :kinds, SCOPE_PROJECTS = :projects,"
         " SCOPE_COUNTERPARTIES = :cps, RECIPIENTS = :rcpt, TIMING = :timing, OFFSETS_MIN = :offsets,"
         " DIGEST_HOUR = :hour, ATTACH_FILES = :attach, ENABLED = :enabled, UPDATED_AT = :t WHERE ID = :id",
        soci::use(c.name), soci::use(c.kinds), soci::use(c.projects, c.iProjects), soci::use(c.counterparties, c.iCounterparties),
        soci::use(c.recipients), soci::use(c.timing), soci::use(c.offsets, c.iOffsets), soci::use(c.digestHour),
        soci::use(c.attach), soci::use(c.enabled), soci::use(t), soci::use(c.id);
}

}  // namespace

bool RuleStore::seedDefaults() {
    return inTransaction(db_, "notification rules", [&](soci::session& s) {
        // The flag rows and the rules commit together; a second instance starting at the same
        // moment hits a flag's primary key and seeds or upgrades nothing.
        const auto current = currentDefaultsVersion();
        const auto seeded = seededDefaultsVersion(s);
        if (seeded == current) return false;
        const auto now = clock_();
        if (seeded == 0) {
            if (!claimFlag(s, defaultsFlag(1))) return false;
            if (current != 1 && !claimFlag(s, defaultsFlag(current))) return false;
            for (auto rule : defaultRules()) insertRule(s, rule, now);
            return true;
        }
        if (!claimFlag(s, defaultsFlag(current))) return false;
        upgradeDefaults(s, seeded, now);
        return true;
    });
}

std::vector<Rule> RuleStore::enabledRules(soci::session& session) { return selectRules(session, " WHERE ENABLED = 1"); }

}  // namespace conduit::crm::notify
