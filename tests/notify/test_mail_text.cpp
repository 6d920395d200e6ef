// Every template (event mail, reminder, late reminder, digest) in ru, pl and en, from events of
// every kind the demo produces, as the adapters and the entry forms make them, with and without
// the redaction a dispatcher's rights apply: the plain-text part says what the HTML part says
// (Python's html.parser reads the HTML), and a Russian or Polish mail has no stage or kind code,
// no English rule name, no other language's template words, no UTC time and money as its reader's
// locale writes it. The stored text is in the other language, so a leak of it shows.
#include "notify_test_util.hpp"

#include <event_mapping.hpp>

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/entries/user_events.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/notify/render.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <fstream>
#include <map>
#include <set>

namespace notifytest {
namespace {

namespace adapters = conduit::adapters;
namespace kinds = crm::kinds;
using notify::Timing;

const sdk::TimePoint kAt = at(2026, 3, 14, 10, 7);  // 11:07 in Warsaw: "10:07" is the UTC clock
constexpr const char* kZone = "Europe/Warsaw";
const sdk::Money kPayment{12'360'00, "PLN"};

sdk::Date day(unsigned month, unsigned d) { return sdk::Date{std::chrono::year{2026} / month / d}; }

sdk::ChangeStamp stamp(const char* module, const std::string& entity) { return {1, module, entity, 1, kAt, 13}; }

// What the host modules report in a demo run: every payload, every stage change, both projects.
std::vector<adapters::HostChange> hostChanges() {
    using sdk::StageChange;
    std::vector<adapters::HostChange> out;
    for (sdk::Id project : {1001, 1002}) {
        const sdk::Id cp = project == 1001 ? 101 : 102;
        const std::string p = std::to_string(project);
        out.push_back(sdk::MaterialsReservedForOrder{stamp("orders", "mro:" + p), 7, project, cp, "Profil 70 mm × 12"});
        out.push_back(sdk::PrepaymentRequired{stamp("orders", "pre:" + p), 7, project, cp, kPayment, day(3, 20)});
        out.push_back(sdk::ProductionLaunched{stamp("orders", "prod:" + p), 7, project, cp, "ZAM/2026/117", day(3, 30)});
        out.push_back(sdk::CrewAssigned{stamp("scheduling", "crew:" + p), project, 3, "Brygada 3", "installation", day(4, 2)});
        out.push_back(sdk::StageEvent{stamp("scheduling", "st1:" + p), StageChange::Planned, project, "measurement", day(3, 16), day(3, 16), {}});
        out.push_back(sdk::StageEvent{stamp("scheduling", "st2:" + p), StageChange::Rescheduled, project, "production", day(3, 18), day(3, 28), day(3, 17)});
        out.push_back(sdk::StageEvent{stamp("scheduling", "st3:" + p), StageChange::Started, project, "delivery", day(3, 29), day(3, 30), {}});
        out.push_back(sdk::StageEvent{stamp("scheduling", "st4:" + p), StageChange::Finished, project, "installation", day(4, 2), day(4, 3), {}});
        out.push_back(sdk::InstallationPlanned{stamp("scheduling", "inst1:" + p), project, 3, day(4, 2), {}});
        out.push_back(sdk::InstallationPlanned{stamp("scheduling", "inst2:" + p), project, 3, day(4, 6), day(4, 2)});
        out.push_back(sdk::ProjectItemsReceived{stamp("fg_warehouse", "fg:" + p), project, 2, "Magazyn 2", "PVC 1465 × 1435", 3});
        out.push_back(sdk::ProjectInvoiced{stamp("multi_warehouse", "inv:" + p), project, 2, "FV/2026/0417", "Magazyn 2", "invoice"});
        out.push_back(sdk::ProjectInvoiced{stamp("multi_warehouse", "wz:" + p), project, 2, "WZ/2026/0099", "Magazyn 2", "waybill"});
        out.push_back(sdk::MaterialsReserved{stamp("multi_warehouse", "mr:" + p), project, 2, "Magazyn 1", "4/16/4 × 6"});
        for (auto kind : {sdk::PaymentKind::Prepayment, sdk::PaymentKind::Final, sdk::PaymentKind::Other})
            out.push_back(sdk::PaymentRegistered{stamp("payments", "pay" + std::to_string(int(kind)) + ":" + p), 9, cp, project,
                                                 kPayment, kind, "WB/2026/03/114"});
    }
    return out;
}

// Every kind the demo makes, with its stored text in `storedLocale`.
std::vector<crm::Event> demoEvents(const sdk::IDirectory& directory, const std::string& storedLocale) {
    std::vector<crm::Event> events;
    const adapters::MappingContext context(directory, storedLocale);
    for (const auto& change : hostChanges()) events.push_back(adapters::toEvent(change, context));
    crm::UserEvents entries([&](crm::Event e) { events.push_back(std::move(e)); return true; }, directory, storedLocale);
    entries.useCalendar([] { return kAt; }, crm::TimeZone::named(kZone));
    entries.addCustomerNote({"n1-" + storedLocale, 13, 102, 1002, "1465 × 1435, RAL 9016", kAt});
    entries.addMeasurementNote({"n2-" + storedLocale, 14, 1001, "1465 × 1435", {}, kAt});
    entries.registerPayment({"n3-" + storedLocale, 12, 101, 1001, kPayment, std::nullopt, kAt, "KP 17/2026", ""});
    for (std::size_t i = 0; i < events.size(); ++i) events[i].id = static_cast<std::int64_t>(i + 1);
    return events;
}

struct Mail {
    std::string id;  // what a failure names: template, language, kind
    std::string language;
    const crm::Event* event;  // null for a digest
    notify::RenderedMail rendered;
};

// Template words of one language that must never reach a reader of another.
const std::vector<std::string> kPolishWords{"Projekt", "Kontrahent", "Kiedy", "Termin", "Kwota", "Etap", "Ekipa", "Faktura",
                                            "Załączniki", "Otrzymujesz", "Przypomnienie", "Po terminie", "Zaplanowano",
                                            "Wpłynęła", "Przedpłata", "Płatność", "Montaż", "zaplanowany", "przełożony",
                                            "rozpoczęty", "zakończony", "Zarezerwowano", "Rezerwacja", "Wymagana",
                                            "Przyjęto", "Notatka", "Pomiar", "Poprzednio", "Dokument", "Zamówienie"};
const std::vector<std::string> kRussianWords{"Проект", "Контрагент", "Когда", "Срок", "Сумма", "Этап", "Бригада",
                                             "Вложения", "Вы получили", "Напоминание", "Просрочено", "Запланирован",
                                             "Поступил", "Предоплата", "Платёж", "Монтаж", "перенесён", "начат",
                                             "завершён", "Заказ", "Счёт", "назначена", "Было:", "Документ", "Замер"};
const std::vector<std::string> kCodes{"measurement", "installation", "production", "delivery", "UTC", "GMT", "10:07",
                                      kinds::kOrderMaterialsReserved, kinds::kOrderPrepaymentRequired,
                                      kinds::kOrderProductionLaunched, kinds::kCrewAssigned, kinds::kStagePlanned,
                                      kinds::kStageRescheduled, kinds::kStageStarted, kinds::kStageFinished,
                                      kinds::kInstallationPlanned, kinds::kItemsReceived, kinds::kInvoicePosted,
                                      kinds::kWarehouseMaterialsReserved, kinds::kPaymentReceived,
                                      kinds::kPrepaymentReceived, kinds::kFinalPaymentReceived, kinds::kCustomerNote,
                                      kinds::kProjectNote, kinds::kMeasurementNote};

class MailTextTest : public NotifyTest {
protected:
    void SetUp() override {
        NotifyTest::SetUp();
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        for (const auto& r : notify::defaultRules()) ruleNames.push_back(r.name);
    }
    void TearDown() override {
        access.reset();
        audit.reset();
        NotifyTest::TearDown();
    }
    notify::RenderContext context(sdk::TimePoint now, std::size_t ruleIndex) const {
        return {kinds_, directory, now, ruleNames[ruleIndex % ruleNames.size()], crm::TimeZone::named(kZone)};
    }
    static notify::OutboxRow row(const std::string& language, Timing timing, int offset = 0, bool late = false) {
        notify::OutboxRow r;
        r.recipient.address = "x@example.org";
        r.recipient.language = language;
        r.timing = timing;
        r.offsetMinutes = offset;
        r.late = late;
        r.createdAt = kAt;
        r.fireAt = kAt;
        return r;
    }

    // Each event on occurrence; those with a due date as a reminder the day before and a late
    // one; all of them in one digest. Stored in the other language than the reader's.
    std::vector<Mail> everyTemplate(const std::vector<crm::Event>& events, const std::string& language, const std::string& tag) {
        std::vector<Mail> mails;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto& e = events[i];
            const std::string id = tag + "/" + language + "/" + e.kind + "#" + std::to_string(e.id);
            mails.push_back({id + "/event", language, &e, notify::renderEvent(row(language, Timing::OnOccurrence), e, context(kAt, i))});
            if (!e.dueAt) continue;
            const auto before = *e.dueAt - std::chrono::hours(24);
            mails.push_back({id + "/reminder", language, &e,
                             notify::renderEvent(row(language, Timing::Reminder, -1440), e, context(before, i))});
            mails.push_back({id + "/late", language, &e,
                             notify::renderEvent(row(language, Timing::Reminder, 1440, true), e, context(*e.dueAt + std::chrono::hours(30), i))});
        }
        mails.push_back({tag + "/" + language + "/digest", language, nullptr, notify::renderDigest(row(language, Timing::Digest), events, context(kAt, 0))});
        return mails;
    }

    // Readers of every language, the events stored in another one, as they are and as a
    // dispatcher (no payment details) may read them.
    std::vector<Mail> allMails() {
        std::vector<Mail> mails;
        for (const std::string language : {"ru", "pl", "en"}) {
            const auto& events = storedFor(language);
            auto add = [&](std::vector<Mail> more) { std::move(more.begin(), more.end(), std::back_inserter(mails)); };
            add(everyTemplate(events, language, "full"));
            auto& copies = redacted[language];
            for (const auto& e : events)
                if (auto copy = access->visibleCopy(11, e)) copies.push_back(std::move(*copy));
            add(everyTemplate(copies, language, "dispatcher"));
        }
        return mails;
    }
    const std::vector<crm::Event>& storedFor(const std::string& reader) {
        auto& events = stored[reader];
        if (events.empty()) events = demoEvents(directory, reader == "ru" ? "pl" : "ru");
        return events;
    }

    crm::EventKindRegistry kinds_;
    std::vector<std::string> ruleNames;
    std::map<std::string, std::vector<crm::Event>> stored, redacted;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
};

std::string whole(const notify::RenderedMail& m) { return m.subject + "\n" + m.text + "\n" + m.html; }

TEST_F(MailTextTest, ThePlainTextPartSaysWhatTheHtmlPartSays) {
    const auto mails = allMails();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : mails) list.push_back({{"id", m.id}, {"text", m.rendered.text}, {"html", m.rendered.html}});
    const auto file = dir / "mails.json";
    std::ofstream(file) << list.dump();
    const auto script = conduit::test::sourceDir() / "tests/notify/mail_parity.py";
    const auto j = nlohmann::json::parse(conduit::test::runCapture({conduit::test::systemPython().string(), script.string(), file.string()}));
    EXPECT_EQ(j["checked"], mails.size());
    EXPECT_GT(mails.size(), 200u) << "every kind, template, language and redaction";
    EXPECT_TRUE(j["mismatches"].empty()) << j["mismatches"].dump(1).substr(0, 4000);

    // And the facts themselves are there: the title as the reader reads it, the rule, the amount.
    for (const auto& m : mails) {
        if (!m.event) continue;
        const auto& f = crm::formatterFor(crm::Locale::of(m.language), crm::TimeZone::named(kZone));
        EXPECT_NE(m.rendered.text.find(crm::eventText(*m.event, f).title), std::string::npos) << m.id << "\n" << m.rendered.text;
        if (m.event->amount) {
            EXPECT_NE(m.rendered.text.find(f.money(*m.event->amount)), std::string::npos) << m.id << "\n" << m.rendered.text;
        }
        EXPECT_NE(m.rendered.text.find("\n-- \n"), std::string::npos) << m.id << ": why you got this";
    }
}

TEST_F(MailTextTest, RussianAndPolishMailHasNoCodeNoEnglishRuleNameNoOtherLanguageAndNoUtcTime) {
    const auto mails = allMails();
    std::size_t checked = 0;
    for (const auto& m : mails) {
        if (m.language == "en") continue;
        ++checked;
        const std::string all = whole(m.rendered);
        for (const auto& code : kCodes) EXPECT_EQ(all.find(code), std::string::npos) << m.id << ": " << code << "\n" << all;
        for (const auto& name : ruleNames) EXPECT_EQ(all.find(name), std::string::npos) << m.id << ": rule " << name;
        for (const auto& word : m.language == "ru" ? kPolishWords : kRussianWords)
            EXPECT_EQ(all.find(word), std::string::npos) << m.id << ": " << word << "\n" << all;
        if (!m.event) continue;
        if (!crm::occurredOn(*m.event)) {
            EXPECT_NE(m.rendered.text.find("11:07"), std::string::npos) << m.id << "\n" << m.rendered.text;
        }
        if (m.event->amount) {
            // The reader's locale writes the amount; the stored text's locale writes it otherwise.
            const auto& other = crm::formatterFor(crm::Locale::of(m.language == "ru" ? "pl" : "ru"), crm::TimeZone::named(kZone));
            EXPECT_EQ(all.find(other.money(*m.event->amount)), std::string::npos) << m.id << "\n" << all;
        }
    }
    EXPECT_GT(checked, 150u);
    // The sweep covers every kind the demo's modules and entry forms make.
    std::set<std::string> seen;
    for (const auto& e : storedFor("ru")) seen.insert(e.kind);
    for (const char* kind : {kinds::kOrderMaterialsReserved, kinds::kOrderPrepaymentRequired, kinds::kOrderProductionLaunched,
                             kinds::kCrewAssigned, kinds::kStagePlanned, kinds::kStageRescheduled, kinds::kStageStarted,
                             kinds::kStageFinished, kinds::kInstallationPlanned, kinds::kItemsReceived, kinds::kInvoicePosted,
                             kinds::kWarehouseMaterialsReserved, kinds::kPaymentReceived, kinds::kPrepaymentReceived,
                             kinds::kFinalPaymentReceived, kinds::kCustomerNote, kinds::kMeasurementNote})
        EXPECT_EQ(seen.count(kind), 1u) << kind;
}

}  // namespace
}  // namespace notifytest
