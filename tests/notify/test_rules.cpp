// Notification rules: CRUD with validation on a real embedded database, the default set seeded
// once, kind patterns and scope; recipients resolved per event (roles, departments, the customer's
// contact in their language), one address once, internal events never to the customer; preview.
#include "notify_test_util.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/database/errors.hpp>

#include <soci/soci.h>

namespace notifytest {
namespace {

using notify::RecipientRole;
using notify::Rule;
using notify::RuleError;
using notify::Timing;

class RulesTest : public NotifyTest {
protected:
    void SetUp() override {
        NotifyTest::SetUp();
        db = std::make_unique<crm::Database>(where(), 2);
        rules = std::make_unique<notify::RuleStore>(*db);
    }
    void TearDown() override {
        rules.reset();
        db.reset();
        NotifyTest::TearDown();
    }
    std::string fieldOf(const Rule& r) {
        try {
            rules->add(r);
        } catch (const RuleError& e) {
            EXPECT_NE(std::string(e.what()), "");
            return e.field;
        }
        return "accepted";
    }
    std::unique_ptr<crm::Database> db;
    std::unique_ptr<notify::RuleStore> rules;
};

TEST_F(RulesTest, AddListUpdateDisableDeleteRoundTripEveryField) {
    Rule r = rule("Платежи — менеджеру и в бухгалтерию «Финансы»", {"payment.*", "order.prepayment_required"},
                  {role(RecipientRole::ProjectManager), dept("finance"), user(14), role(RecipientRole::CounterpartyContact)},
                  Timing::Reminder);
    r.offsets = {std::chrono::minutes(-2 * 24 * 60), std::chrono::minutes(0), std::chrono::minutes(24 * 60)};
    r.projects = {1001, 1002};
    r.counterparties = {101};
    r.attachFiles = true;
    const auto id = rules->add(r);
    ASSERT_GT(id, 0);
    r.id = id;
    auto back = rules->find(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, r);

    r.name = "Płatności: kierownik projektu";
    r.timing = Timing::Digest;
    r.offsets.clear();
    r.digestHour = 7;
    r.projects.clear();
    rules->update(r);
    EXPECT_EQ(*rules->find(id), r);

    rules->setEnabled(id, false);
    EXPECT_FALSE(rules->find(id)->enabled);
    rules->setEnabled(id, true);
    EXPECT_TRUE(rules->find(id)->enabled);

    ASSERT_EQ(rules->list().size(), 1u);
    rules->remove(id);
    EXPECT_FALSE(rules->find(id));
    EXPECT_TRUE(rules->list().empty());
    EXPECT_THROW(rules->remove(id), RuleError);
    r.id = 999;
    EXPECT_THROW(rules->update(r), RuleError);
    EXPECT_THROW(rules->setEnabled(999, false), RuleError);
}

TEST_F(RulesTest, InvalidRulesAreRefusedWithTheFieldAndNothingIsWritten) {
    const Rule ok = rule("ok", {"payment.received"}, {role(RecipientRole::ProjectManager)});
    auto with = [&](auto change) {
        Rule r = ok;
        change(r);
        return r;
    };
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.name = "  "; })), "name");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.name = std::string(201 * 2, 'x'); })), "name");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.kinds.clear(); })), "kinds");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.kinds = {"Payment.Received"}; })), "kinds");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.kinds = {"payment*"}; })), "kinds");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.kinds = {"платёж.получен"}; })), "kinds");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.recipients.clear(); })), "recipients");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.recipients = {dept("bookkeeping")}; })), "recipients");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.recipients = {user(0)}; })), "recipients");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.timing = Timing::Reminder; })), "offsets");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.offsets = {std::chrono::minutes(60)}; })), "offsets");
    EXPECT_EQ(fieldOf(with([](Rule& r) {
                  r.timing = Timing::Reminder;
                  r.offsets = {std::chrono::minutes(60), std::chrono::minutes(60)};
              })),
              "offsets");
    EXPECT_EQ(fieldOf(with([](Rule& r) {
                  r.timing = Timing::Reminder;
                  r.offsets = {std::chrono::minutes(400 * 24 * 60)};
              })),
              "offsets");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.digestHour = 24; })), "digestHour");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.projects = {-5}; })), "scope");
    EXPECT_TRUE(rules->list().empty());
    EXPECT_EQ(fieldOf(ok), "accepted");
    EXPECT_EQ(fieldOf(with([](Rule& r) { r.kinds = {"*"}; })), "accepted");
}

TEST_F(RulesTest, DefaultsAreSeededOnceEvenAfterADefaultWasDeleted) {
    EXPECT_TRUE(rules->seedDefaults());
    const auto seeded = rules->list();
    ASSERT_EQ(seeded.size(), notify::defaultRules().size());
    for (const auto& r : seeded) {
        EXPECT_FALSE(notify::validate(r)) << r.name;
        EXPECT_FALSE(r.seedKey.empty());
    }
    rules->remove(seeded.front().id);
    notify::RuleStore other(*db);  // a second instance starting later
    EXPECT_FALSE(other.seedDefaults());
    EXPECT_FALSE(rules->seedDefaults());
    EXPECT_EQ(rules->list().size(), seeded.size() - 1);
}

TEST_F(RulesTest, DefaultsCoverTheManufacturersCases) {
    std::map<std::string, Rule> byKey;
    for (const auto& r : notify::defaultRules()) byKey[r.seedKey] = r;
    const auto& reminder = byKey.at("default.installation.reminder");
    EXPECT_EQ(reminder.timing, Timing::Reminder);
    EXPECT_EQ(reminder.offsets, std::vector<std::chrono::minutes>{std::chrono::minutes(-2 * 24 * 60)});
    const auto& prepay = byKey.at("default.prepayment.reminder");
    EXPECT_EQ(prepay.offsets.size(), 2u);  // due tomorrow, and overdue
    EXPECT_EQ(byKey.at("default.notes.digest").timing, Timing::Digest);
    const auto& customer = byKey.at("default.customer.progress");
    ASSERT_EQ(customer.recipients.size(), 1u);
    EXPECT_EQ(customer.recipients[0].role, RecipientRole::CounterpartyContact);
    // Everything the customer hears about is external by kind.
    crm::EventKindRegistry kinds;
    for (const auto& k : customer.kinds) EXPECT_EQ(kinds.find(k)->audience, crm::Audience::External) << k;
}

// The rules store itself refuses a change by someone who may not administer (the plugin passes the
// rights model's answer): not only the editor's menu entry is hidden.
TEST_F(RulesTest, OnlyAnAdministratorMayChangeRulesThroughTheStore) {
    constexpr sdk::Id kAdmin = 30, kDispatcher = 11;
    directory.add(sdk::Department{8, "admin", "Администрация"});
    directory.add(sdk::User{kAdmin, "admin", "Админ Админов", "admin@zavod.example", 8, "ru"});
    crm::AuditLog audit(store->database());
    crm::AccessControl access(*store, directory, audit);
    rules->enforce([&](sdk::Id actor) { return access.mayAdminister(actor); });

    auto refused = [](auto change) {
        try {
            change();
        } catch (const RuleError& e) {
            EXPECT_EQ(e.field, "rights");
            return e.problem == notify::RuleProblem::NotAllowed;
        }
        return false;
    };
    Rule r = rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager)});
    EXPECT_TRUE(refused([&] { rules->add(kDispatcher, r); }));
    EXPECT_TRUE(refused([&] { rules->add(r); })) << "no actor: refused once rights are enforced";
    EXPECT_TRUE(rules->list().empty());

    const auto id = rules->add(kAdmin, r);
    r.id = id;
    r.name = "Платежи менеджеру";
    EXPECT_TRUE(refused([&] { rules->update(kDispatcher, r); }));
    EXPECT_TRUE(refused([&] { rules->setEnabled(kDispatcher, id, false); }));
    EXPECT_TRUE(refused([&] { rules->remove(kDispatcher, id); }));
    EXPECT_TRUE(refused([&] { rules->remove(id); }));
    EXPECT_EQ(rules->find(id)->name, "Платежи");
    EXPECT_TRUE(rules->find(id)->enabled);

    rules->update(kAdmin, r);
    rules->setEnabled(kAdmin, id, false);
    EXPECT_EQ(*rules->find(id), (Rule{r.id, r.name, r.kinds, {}, {}, r.recipients, r.timing, {}, 8, false, false, {}}));
    rules->remove(kAdmin, id);
    EXPECT_FALSE(rules->find(id));

    try {
        rules->add(kDispatcher, r);
    } catch (const RuleError& e) {
        EXPECT_EQ(notify::describe(e, crm::Locale::of("ru")), "Менять правила уведомлений может только администратор");
        EXPECT_EQ(notify::describe(e, crm::Locale::of("pl")), "Reguły powiadomień może zmieniać tylko administrator");
    }
}

// Every error of the rules API reads in the reader's language, with no English in ru and pl.
TEST_F(RulesTest, ErrorsReadInTheReadersLanguage) {
    try {
        rules->remove(4711);
        ADD_FAILURE() << "a missing rule removed";
    } catch (const RuleError& e) {
        EXPECT_EQ(e.problem, notify::RuleProblem::NoSuchRule);
        EXPECT_EQ(notify::describe(e, crm::Locale::of("ru")), "Этого правила больше нет (его удалили, возможно, на другом рабочем месте)");
        EXPECT_EQ(notify::rulesErrorText(e, crm::Locale::of("pl")), "Tej reguły już nie ma (usunięto ją, być może na innym stanowisku)");
    }
    const auto problem = notify::validate(rule("x", {"Payment!"}, {role(RecipientRole::ProjectManager)}));
    ASSERT_TRUE(problem);
    EXPECT_EQ(notify::describe(*problem, crm::Locale::of("ru")), "«Payment!» — не вид событий");
    EXPECT_EQ(notify::describe(*problem, crm::Locale::of("pl")), "„Payment!” nie jest rodzajem zdarzeń");
    const auto dept = notify::validate(rule("x", {"*"}, {NotifyTest::dept("bookkeeping")}));
    ASSERT_TRUE(dept);
    EXPECT_EQ(notify::describe(*dept, crm::Locale::of("pl")), "Dział „bookkeeping” jest nieznany");

    for (int p = 0; p <= static_cast<int>(notify::RuleProblem::NotAllowed); ++p) {
        const RuleError e(static_cast<notify::RuleProblem>(p), "x");
        const auto en = notify::describe(e, crm::Locale::of("en"));
        for (const char* lang : {"ru", "pl"}) {
            const auto text = notify::describe(e, crm::Locale::of(lang));
            EXPECT_FALSE(text.empty());
            EXPECT_NE(text, en) << lang << ": " << en;
        }
    }
    EXPECT_EQ(notify::rulesErrorText(crm::ConnectionError("connection lost"), crm::Locale::of("ru")),
              "База данных CRM сейчас недоступна; повторите через минуту");
    EXPECT_EQ(notify::rulesErrorText(std::runtime_error("SQL error -803"), crm::Locale::of("pl")),
              "Nie udało się zapisać reguł powiadomień; szczegóły w dzienniku");
}

TEST(RuleNames, DefaultRulesReadInRussianAndPolish) {
    for (const auto& r : notify::defaultRules()) {
        const auto ru = notify::ruleName(r, crm::Locale::of("ru_RU"));
        const auto pl = notify::ruleName(r, crm::Locale::of("pl"));
        EXPECT_NE(ru, r.name) << r.seedKey;
        EXPECT_NE(pl, r.name) << r.seedKey;
        EXPECT_EQ(notify::ruleName(r, crm::Locale::of("en")), r.name);
    }
    EXPECT_EQ(notify::ruleName("Payments: project manager and finance", crm::Locale::of("ru")), "Платежи: менеджер проекта и бухгалтерия");
    EXPECT_EQ(notify::ruleName("Payments: project manager and finance", crm::Locale::of("pl")), "Płatności: kierownik projektu i księgowość");
    EXPECT_EQ(notify::ruleName("Мои платежи", crm::Locale::of("pl")), "Мои платежи") << "an administrator's own name stays";
}

TEST(OffsetText, NumberUnitAndSideWithTheLanguagesPlurals) {
    using std::chrono::minutes;
    const auto ru = crm::Locale::of("ru"), pl = crm::Locale::of("pl"), en = crm::Locale::of("en");
    EXPECT_EQ(notify::offsetText(minutes(-2 * 1440), ru), "за 2 дня до срока");
    EXPECT_EQ(notify::offsetText(minutes(-5 * 1440), ru), "за 5 дней до срока");
    EXPECT_EQ(notify::offsetText(minutes(-21 * 1440), ru), "за 21 день до срока");
    EXPECT_EQ(notify::offsetText(minutes(3 * 60), ru), "через 3 часа после срока");
    EXPECT_EQ(notify::offsetText(minutes(-1440), pl), "1 dzień przed terminem");
    EXPECT_EQ(notify::offsetText(minutes(3 * 60), pl), "3 godziny po terminie");
    EXPECT_EQ(notify::offsetText(minutes(-5 * 60), pl), "5 godzin przed terminem");
    EXPECT_EQ(notify::offsetText(minutes(-30), en), "30 minutes before the due date");
    EXPECT_EQ(notify::offsetText(minutes(1440), en), "1 day after the due date");
    EXPECT_EQ(notify::offsetText(minutes(0), en), "at the due time");
    EXPECT_EQ(notify::offsetText(minutes(90), en), "90 minutes after the due date");
}

TEST(KindPatterns, MatchExactPrefixAndAll) {
    EXPECT_TRUE(notify::kindMatches("payment.*", "payment.received"));
    EXPECT_TRUE(notify::kindMatches("payment.*", "payment.final_received"));
    EXPECT_FALSE(notify::kindMatches("payment.*", "payments.received"));
    EXPECT_FALSE(notify::kindMatches("payment.*", "payment"));
    EXPECT_TRUE(notify::kindMatches("*", "note.customer"));
    EXPECT_TRUE(notify::kindMatches("note.customer", "note.customer"));
    EXPECT_FALSE(notify::kindMatches("note.customer", "note.customers"));
}

TEST(RuleScope, AnyOneProjectOneCounterpartyOrAGroup) {
    Rule r;
    r.kinds = {"note.*"};
    auto e = makeEvent("s", "note.project", at(2026, 3, 1), 1001, 101);
    EXPECT_TRUE(notify::applies(r, e));
    r.projects = {1002};
    EXPECT_FALSE(notify::applies(r, e));
    r.projects = {1002, 1001};
    EXPECT_TRUE(notify::applies(r, e));
    r.projects.clear();
    r.counterparties = {102};
    EXPECT_FALSE(notify::applies(r, e));
    r.counterparties = {101};
    EXPECT_TRUE(notify::applies(r, e));
    e.kind = "payment.received";
    EXPECT_FALSE(notify::applies(r, e));
    r.kinds = {"note.*"};
    e.kind = "note.customer";
    r.enabled = false;
    EXPECT_FALSE(notify::applies(r, e));
}

class RecipientsTest : public NotifyTest {
protected:
    crm::EventKindRegistry kinds;
    notify::RecipientResolver resolver{directory, kinds};
    static std::vector<std::string> addresses(const std::vector<notify::Recipient>& rs) {
        std::vector<std::string> out;
        for (const auto& r : rs) out.push_back(r.address);
        return out;
    }
};

TEST_F(RecipientsTest, RolesResolvePerEventThroughTheDirectory) {
    auto r = rule("all roles", {"*"},
                  {role(RecipientRole::ProjectManager), role(RecipientRole::Measurer), dept("finance"), user(15)});
    const auto got = resolver.resolve(r, makeEvent("r1", "payment.received", at(2026, 3, 1), 1002, 102));
    EXPECT_EQ(addresses(got), (std::vector<std::string>{"s.petrov@zavod.example", "p.zielinski@fabryka.example",
                                                         "a.nowak@fabryka.example", "j.kowal@fabryka.example"}));
    EXPECT_EQ(got[0].name, "Петров Сергей");
    EXPECT_EQ(got[0].language, "ru");
    EXPECT_EQ(got[1].language, "pl");
    for (const auto& x : got) EXPECT_FALSE(x.external);
    // No project on the event: no manager, no measurer.
    EXPECT_EQ(resolver.resolve(r, makeEvent("r2", "payment.received", at(2026, 3, 1))).size(), 2u);
}

TEST_F(RecipientsTest, DepartmentMembersWithoutAnAddressAreLeftOut) {
    const auto got = resolver.resolve(rule("d", {"*"}, {dept("dispatch")}), makeEvent("d", "note.project", at(2026, 3, 1)));
    EXPECT_EQ(addresses(got), std::vector<std::string>{"m.ivanova@zavod.example"});
}

TEST_F(RecipientsTest, CrewLeadFallsBackToProductionOrAsksTheLookup) {
    auto r = rule("crew", {"*"}, {role(RecipientRole::CrewLead)});
    auto e = makeEvent("c", "schedule.crew_assigned", at(2026, 3, 1), 1001, 101);
    e.crewId = 7;
    EXPECT_EQ(addresses(resolver.resolve(r, e)), std::vector<std::string>{"j.kowal@fabryka.example"});
    resolver.setCrewLeadLookup([](sdk::Id crew) -> std::optional<sdk::User> {
        if (crew != 7) return std::nullopt;
        return sdk::User{77, "brygadzista", "Marek Brygadzista", "m.brygada@fabryka.example", 5, "pl"};
    });
    EXPECT_EQ(addresses(resolver.resolve(r, e)), std::vector<std::string>{"m.brygada@fabryka.example"});
}

TEST_F(RecipientsTest, CustomerContactInTheirLanguageForExternalEventsOnly) {
    auto r = rule("customer", {"*"}, {role(RecipientRole::CounterpartyContact)});
    // Project 1001 belongs to ООО «Север»: the counterparty comes from the project if the event lacks it.
    const auto ru = resolver.resolve(r, makeEvent("x1", "order.production_launched", at(2026, 3, 1), 1001));
    ASSERT_EQ(ru.size(), 1u);
    EXPECT_EQ(ru[0].address, "f.shcherbakov@sever.example");
    EXPECT_EQ(ru[0].name, "Щербаков Фёдор");
    EXPECT_EQ(ru[0].language, "ru");
    EXPECT_TRUE(ru[0].external);
    const auto pl = resolver.resolve(r, makeEvent("x2", "schedule.installation_planned", at(2026, 3, 1), 0, 102));
    ASSERT_EQ(pl.size(), 1u);
    EXPECT_EQ(pl[0].language, "pl");
    // Internal kinds (a note, an amount owed), or an event marked internal, never reach the customer.
    EXPECT_TRUE(resolver.resolve(r, makeEvent("x3", "note.customer", at(2026, 3, 1), 1001, 101)).empty());
    EXPECT_TRUE(resolver.resolve(r, makeEvent("x4", "order.prepayment_required", at(2026, 3, 1), 1001, 101)).empty());
    auto marked = makeEvent("x5", "payment.received", at(2026, 3, 1), 1001, 101);
    marked.extra = R"({"audience": "internal"})";
    EXPECT_TRUE(resolver.resolve(r, marked).empty());
    // An unknown kind is internal.
    EXPECT_TRUE(resolver.resolve(r, makeEvent("x6", "tender.submitted", at(2026, 3, 1), 1001, 101)).empty());
}

TEST_F(RecipientsTest, OneAddressGetsOneMailWhateverTheCase) {
    // The customer's contact person is also a host user (same mailbox, other case).
    directory.add(sdk::User{20, "shcherbakov", "Фёдор Щербаков", "F.Shcherbakov@Sever.example", 3, "ru"});
    auto r = rule("both", {"*"}, {role(RecipientRole::CounterpartyContact), user(20), role(RecipientRole::ProjectManager)});
    const auto got = resolver.resolve(r, makeEvent("s1", "payment.received", at(2026, 3, 1), 1001, 101));
    EXPECT_EQ(addresses(got), (std::vector<std::string>{"f.shcherbakov@sever.example", "s.petrov@zavod.example"}));
}

TEST_F(RecipientsTest, PreviewNamesRecipientsAndRulesWithoutWriting) {
    RecordingMail mail;
    auto& svc = startService(mail);
    auto customer = rule("Клиенту", {"order.production_launched"}, {role(RecipientRole::CounterpartyContact)});
    auto staff = rule("Zespół", {"order.*"}, {role(RecipientRole::ProjectManager), dept("orders")});
    auto reminder = rule("Reminder", {"order.*"}, {dept("finance")}, Timing::Reminder);
    reminder.offsets = {std::chrono::minutes(-60)};
    const auto customerId = svc.rules().add(customer);
    svc.rules().add(staff);
    svc.rules().add(reminder);
    auto e = makeEvent("p1", "order.production_launched", at(2026, 3, 1), 1002);
    const auto plan = svc.preview(e);
    ASSERT_EQ(plan.size(), 2u);  // petrov once (manager and orders), the customer; no reminder without dueAt
    EXPECT_EQ(plan[0].ruleId, customerId);
    EXPECT_EQ(plan[0].ruleName, "Клиенту");
    EXPECT_EQ(plan[0].recipient.address, "zazolc@klient.example");
    EXPECT_EQ(plan[1].recipient.address, "s.petrov@zavod.example");
    e.dueAt = at(2026, 3, 5);
    EXPECT_EQ(svc.preview(e).size(), 3u);
    EXPECT_TRUE(svc.outbox().rows().empty());
    EXPECT_TRUE(store->feed({}).events.empty());
}

}  // namespace
}  // namespace notifytest
