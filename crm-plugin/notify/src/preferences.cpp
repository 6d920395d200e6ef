#include <conduit/crm/notify/preferences.hpp>

#include "sql_util.hpp"
#include <conduit/crm/database/errors.hpp>
#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/foundation/kind_pattern.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <charconv>

namespace conduit::crm::notify {
namespace {

struct FamilyInfo {
    MailFamily family;
    const char* code;
    LocalizedText name;
    std::vector<const char*> patterns;
};

const std::vector<FamilyInfo>& families() {
    static const std::vector<FamilyInfo> all{
        {MailFamily::Payments, "payments", {"Платежи", "Płatności", "Payments"}, {"payment.*", kinds::kOrderPrepaymentRequired}},
        {MailFamily::Schedule, "schedule", {"График: этапы, монтажи, бригады", "Harmonogram: etapy, montaże, ekipy", "Schedule: stages, installations, crews"}, {"schedule.*"}},
        {MailFamily::Production, "production", {"Производство и материалы", "Produkcja i materiały", "Production and materials"},
         {kinds::kOrderProductionLaunched, kinds::kOrderMaterialsReserved, kinds::kWarehouseMaterialsReserved}},
        {MailFamily::Warehouse, "warehouse", {"Склад: изделия и накладные", "Magazyn: wyroby i faktury", "Warehouse: goods and invoices"},
         {kinds::kItemsReceived, kinds::kInvoicePosted}},
        {MailFamily::Notes, "notes", {"Заметки", "Notatki", "Notes"}, {"note.*"}},
        {MailFamily::Failures, "failures", {"Недоставленные письма", "Niedostarczone wiadomości", "Undelivered mail"}, {kinds::kNotificationFailed}},
        {MailFamily::Other, "other", {"Прочее", "Inne", "Other"}, {}},
    };
    return all;
}

const FamilyInfo& info(MailFamily family) {
    for (const auto& f : families())
        if (f.family == family) return f;
    return families().back();
}

struct DeliveryInfo {
    Delivery delivery;
    const char* code;
    LocalizedText name;
};

const DeliveryInfo kDeliveries[] = {
    {Delivery::AtOnce, "atonce", {"Сразу", "Od razu", "At once"}},
    {Delivery::Digest, "digest", {"В утренней сводке", "W porannym podsumowaniu", "In the morning digest"}},
    {Delivery::Never, "never", {"Никогда", "Nigdy", "Never"}},
};

const LocalizedText kProblems[] = {
    {"Менять почтовые настройки другого сотрудника может только администратор",
     "Ustawienia poczty innego pracownika może zmieniać tylko administrator",
     "Only an administrator may change another person's mail settings"},
    {"Такого сотрудника нет", "Nie ma takiego pracownika", "There is no such user"},
    {"Нечего отслеживать: не указан проект или контрагент", "Nie ma czego obserwować: brak projektu lub kontrahenta",
     "Nothing to follow: no project or counterparty given"},
};

std::optional<long long> parseId(std::string_view s) {
    long long v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

// A stored choice read back; a family or delivery this version does not know is left out.
std::optional<std::pair<MailFamily, Delivery>> storedChoice(const std::string& family, const std::string& delivery) {
    const auto f = mailFamilyFromString(family);
    const auto d = deliveryFromString(delivery);
    if (!f || !d) return std::nullopt;
    return std::pair{*f, *d};
}

}  // namespace

const std::vector<MailFamily>& mailFamilies() {
    static const std::vector<MailFamily> all = [] {
        std::vector<MailFamily> out;
        for (const auto& f : families()) out.push_back(f.family);
        return out;
    }();
    return all;
}

MailFamily familyOf(std::string_view kind) {
    for (const auto& f : families())
        for (const auto* p : f.patterns)
            if (kindPatternMatches(p, kind)) return f.family;
    return MailFamily::Other;
}

std::string_view toString(MailFamily family) { return info(family).code; }

std::string_view toString(Delivery delivery) {
    for (const auto& d : kDeliveries)
        if (d.delivery == delivery) return d.code;
    return "atonce";
}

std::optional<MailFamily> mailFamilyFromString(std::string_view s) {
    for (const auto& f : families())
        if (s == f.code) return f.family;
    return std::nullopt;
}

std::optional<Delivery> deliveryFromString(std::string_view s) {
    for (const auto& d : kDeliveries)
        if (s == d.code) return d.delivery;
    return std::nullopt;
}

std::string familyName(MailFamily family, const Locale& reader) { return reader.pick(info(family).name); }

std::string deliveryName(Delivery delivery, const Locale& reader) {
    for (const auto& d : kDeliveries)
        if (d.delivery == delivery) return reader.pick(d.name);
    return {};
}

PreferenceError::PreferenceError(Problem problem, std::string detail)
    : std::invalid_argument(std::string(Locale(Language::En).pick(kProblems[static_cast<int>(problem)])) + " [" + detail + "]"),
      problem(problem) {}

std::string describe(const PreferenceError& error, const Locale& reader) {
    return reader.pick(kProblems[static_cast<int>(error.problem)]);
}

std::optional<Delivery> MailChoices::of(sdk::Id user, std::string_view kind) const {
    const auto it = delivery.find({user, familyOf(kind)});
    if (it == delivery.end()) return std::nullopt;
    return it->second;
}

std::set<sdk::Id> MailChoices::followersOf(const Event& event) const {
    std::set<sdk::Id> out;
    for (const auto& subject : subjectsOf(event))
        if (auto it = followers.find(subject); it != followers.end()) out.insert(it->second.begin(), it->second.end());
    return out;
}

bool MailChoices::unfollowed(sdk::Id user, const Event& event) const {
    bool any = false;
    for (const auto& subject : subjectsOf(event)) {
        if (auto it = followers.find(subject); it != followers.end() && it->second.count(user)) return false;
        if (auto it = unfollowers.find(subject); it != unfollowers.end() && it->second.count(user)) any = true;
    }
    return any;
}

MailChoices MailChoices::load(soci::session& s) {
    MailChoices out;
    {
        long long user = 0;
        std::string family, delivery;
        soci::statement st = (s.prepare << "SELECT USER_ID, FAMILY, DELIVERY FROM CRM_MAIL_PREF", soci::into(user),
                              soci::into(family), soci::into(delivery));
        detail::LeakOnUnwind keep(st);
        st.execute(false);
        while (st.fetch())
            if (auto choice = storedChoice(family, delivery)) out.delivery[{user, choice->first}] = choice->second;
    }
    long long user = 0, subjectId = 0;
    int following = 0;
    std::string type;
    soci::statement st = (s.prepare << "SELECT USER_ID, SUBJECT_TYPE, SUBJECT_ID, FOLLOWING FROM CRM_FOLLOW", soci::into(user),
                          soci::into(type), soci::into(subjectId), soci::into(following));
    detail::LeakOnUnwind keep(st);
    st.execute(false);
    while (st.fetch()) {
        if (!SubjectType::isValidCode(type)) continue;
        const SubjectRef subject{SubjectType(type), subjectId};
        (following ? out.followers : out.unfollowers)[subject].insert(user);
    }
    return out;
}

MailPreferences::MailPreferences(Database& db, const sdk::IDirectory& directory, Submit submit, Clock clock)
    : db_(db), directory_(directory), submit_(std::move(submit)), clock_(clock ? std::move(clock) : systemClock()) {}

void MailPreferences::enforce(MayChangeMailOf check) {
    std::lock_guard lock(checkMutex_);
    mayChange_ = std::move(check);
}

void MailPreferences::requireMayChange(sdk::Id actor, sdk::Id user) const {
    if (user <= 0) throw PreferenceError(PreferenceError::Problem::NoUser, "user #" + std::to_string(user));
    MayChangeMailOf check;
    {
        std::lock_guard lock(checkMutex_);
        check = mayChange_;
    }
    // Asked outside the lock: the rights model may read the database.
    if (check && (actor <= 0 || !check(actor, user)))
        throw PreferenceError(PreferenceError::Problem::NotAllowed,
                              "user #" + std::to_string(actor) + " for user #" + std::to_string(user));
}

std::map<MailFamily, Delivery> MailPreferences::of(sdk::Id user) {
    return inTransaction(db_, "mail preferences", [&](soci::session& s) {
        std::map<MailFamily, Delivery> out;
        long long key = user;
        std::string family, delivery;
        soci::statement st = (s.prepare << "SELECT FAMILY, DELIVERY FROM CRM_MAIL_PREF WHERE USER_ID = :u", soci::use(key),
                              soci::into(family), soci::into(delivery));
        detail::LeakOnUnwind keep(st);
        st.execute(false);
        while (st.fetch())
            if (auto choice = storedChoice(family, delivery)) out.insert_or_assign(choice->first, choice->second);
        return out;
    });
}

void MailPreferences::set(sdk::Id actor, sdk::Id user, MailFamily family, std::optional<Delivery> delivery) {
    requireMayChange(actor, user);
    inTransaction(db_, "mail preferences", [&](soci::session& s) {
        long long u = user, by = actor;
        std::string f(toString(family));
        if (!delivery) {
            s << "DELETE FROM CRM_MAIL_PREF WHERE USER_ID = :u AND FAMILY = :f", soci::use(u), soci::use(f);
            return;
        }
        std::string d(toString(*delivery));
        std::tm t = rows::toTm(clock_());
        s << "UPDATE OR INSERT INTO CRM_MAIL_PREF (USER_ID, FAMILY, DELIVERY, CHANGED_AT, CHANGED_BY)"
             " VALUES (:u, :f, :d, :t, :by) MATCHING (USER_ID, FAMILY)",
            soci::use(u), soci::use(f), soci::use(d), soci::use(t), soci::use(by);
    });
}

Event MailPreferences::follow(sdk::Id actor, sdk::Id user, const SubjectRef& subject, bool following, const std::string& requestKey) {
    requireMayChange(actor, user);
    if (subject.id <= 0) throw PreferenceError(PreferenceError::Problem::NoSubject, subject.type.code());
    const auto person = directory_.user(user);
    if (!person) throw PreferenceError(PreferenceError::Problem::NoUser, "user #" + std::to_string(user));
    Event e;
    e.occurredAt = clock_();
    e.kind = following ? kinds::kFollowed : kinds::kUnfollowed;
    e.importance = Importance::Low;
    e.authorId = actor;
    if (subject.type == subject_types::project) e.projectId = subject.id;
    else if (subject.type == subject_types::counterparty) e.counterpartyId = subject.id;
    else e.subjects = {subject};
    // One event per change: the same person may follow, unfollow and follow again.
    static std::atomic<long long> sequence{0};  // two changes in one clock tick stay two events
    const std::string change = std::string(following ? "follow:" : "unfollow:") + std::to_string(user) + ":" + subject.type.code() +
                               ":" + std::to_string(subject.id) + ":";
    e.idempotencyKey = idempotencyKey("user",
                                      change + (requestKey.empty() ? std::to_string(e.occurredAt.time_since_epoch().count()) + ":" +
                                                                         std::to_string(++sequence)
                                                                   : "request:" + requestKey),
                                      1);
    EventFacts facts;
    facts.set(facts::kFollower, person->fullName.empty() ? person->login : person->fullName)
        .set(facts::kFollowerId, static_cast<std::int64_t>(user));
    facts.storeIn(e);
    e.title = eventText(e, formatterFor(Locale(Language::En), TimeZone::defaultFor(Language::En))).title;
    if (submit_ && !submit_(e)) throw std::runtime_error("the event writer refused the follow event");
    return e;
}

std::optional<bool> MailPreferences::following(sdk::Id user, const SubjectRef& subject) {
    return inTransaction(db_, "mail preferences", [&](soci::session& s) -> std::optional<bool> {
        long long u = user, id = subject.id;
        std::string type = subject.type.code();
        int flag = 0;
        soci::indicator ind = soci::i_null;
        s << "SELECT FOLLOWING FROM CRM_FOLLOW WHERE USER_ID = :u AND SUBJECT_TYPE = :t AND SUBJECT_ID = :i", soci::use(u),
            soci::use(type), soci::use(id), soci::into(flag, ind);
        if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
        return flag != 0;
    });
}

std::vector<Follow> MailPreferences::follows(sdk::Id user) {
    return inTransaction(db_, "mail preferences", [&](soci::session& s) {
        std::vector<Follow> out;
        long long u = user, id = 0;
        std::string type;
        int flag = 0;
        std::tm at{};
        soci::statement st = (s.prepare << "SELECT SUBJECT_TYPE, SUBJECT_ID, FOLLOWING, CHANGED_AT FROM CRM_FOLLOW WHERE USER_ID = :u"
                                           " ORDER BY SUBJECT_TYPE, SUBJECT_ID",
                              soci::use(u), soci::into(type), soci::into(id), soci::into(flag), soci::into(at));
        detail::LeakOnUnwind keep(st);
        st.execute(false);
        while (st.fetch())
            if (SubjectType::isValidCode(type)) out.push_back({user, {SubjectType(type), id}, flag != 0, rows::toTimePoint(at)});
        return out;
    });
}

void MailPreferences::recordFollows(soci::session& s, const std::vector<const Event*>& events) {
    for (const Event* e : events) {
        if (e->kind != kinds::kFollowed && e->kind != kinds::kUnfollowed) continue;
        const auto facts = EventFacts::of(*e);
        const auto user = facts ? parseId(facts->text(facts::kFollowerId)) : std::nullopt;
        if (!user) continue;
        const auto subjects = subjectsOf(*e);
        if (subjects.empty()) continue;
        long long u = *user, id = subjects.front().id, eventId = e->id;
        std::string type = subjects.front().type.code();
        int flag = e->kind == kinds::kFollowed;
        std::tm t = rows::toTm(e->occurredAt);
        s << "UPDATE OR INSERT INTO CRM_FOLLOW (USER_ID, SUBJECT_TYPE, SUBJECT_ID, FOLLOWING, CHANGED_AT, EVENT_ID)"
             " VALUES (:u, :t, :i, :f, :c, :e) MATCHING (USER_ID, SUBJECT_TYPE, SUBJECT_ID)",
            soci::use(u), soci::use(type), soci::use(id), soci::use(flag), soci::use(t), soci::use(eventId);
    }
}

}  // namespace conduit::crm::notify
