// Every host payload becomes the right CRM event: kind, key, time, project and counterparty,
// importance, structured fields, due dates, and texts in the workstation's language.
#include <event_mapping.hpp>

#include <conduit/crm/timeline/event_text.hpp>

#include <memory_directory.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace conduit;
using adapters::HostChange;
using adapters::MappingContext;
using std::chrono::days;

namespace {

class Directory : public test::MemoryDirectory {
public:
    Directory() {
        add(sdk::Counterparty{7, sdk::CounterpartyKind::Person, "Щербаков Фёдор", "", "Москва", "ул. Ленина 5"});
        add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "Okna Łódź Sp. z o.o.", "", "Łódź", "ul. Piotrkowska 1"});
        add(sdk::Project{42, "P-2026-0042", "Okna, salon", 8, 3, 4, "measured", "ul. Żeromskiego 3, Łódź"});
    }
};

const sdk::Date kDay = sdk::Date{std::chrono::year{2026} / 3 / 14};
const sdk::TimePoint kAt = sdk::TimePoint{kDay} + std::chrono::hours{10};

sdk::ChangeStamp stamp(const char* module, const char* entity, std::int64_t version = 1) {
    return {100, module, entity, version, kAt, 5};
}

}  // namespace

TEST(EventMapping, PaymentBecomesACounterpartyEventWithAmount) {
    Directory dir;
    sdk::PaymentRegistered p;
    p.stamp = stamp("payments", "payment:9");
    p.paymentId = 9;
    p.counterpartyId = 7;
    p.projectId = 42;
    p.amount = {125'000'00, "PLN"};
    p.kind = sdk::PaymentKind::Prepayment;
    p.document = "WB/2026/03/114";
    const auto e = adapters::toEvent(HostChange{p}, MappingContext{dir, "ru"});
    EXPECT_EQ(e.kind, "payment.prepayment_received");
    EXPECT_EQ(e.idempotencyKey, crm::idempotencyKey("payments", "payment:9", 1));
    EXPECT_EQ(e.occurredAt, kAt);
    EXPECT_EQ(e.sourceModule, "payments");
    EXPECT_EQ(e.authorId, 5);
    EXPECT_EQ(e.counterpartyId, 7);
    EXPECT_EQ(e.projectId, 42);
    ASSERT_TRUE(e.amount);
    EXPECT_EQ(e.amount->minor, 125'000'00);
    EXPECT_EQ(e.title, "Предоплата 125\u00a0000,00\u00a0PLN от Щербаков Фёдор");
    EXPECT_NE(e.body.find("WB/2026/03/114"), std::string::npos);
    EXPECT_NE(e.body.find("P-2026-0042"), std::string::npos);
}

TEST(EventMapping, CounterpartyComesFromTheProjectWhenThePayloadHasNone) {
    Directory dir;
    sdk::InstallationPlanned p;
    p.stamp = stamp("scheduling", "project:42/installation", 3);
    p.projectId = 42;
    p.crewId = 2;
    p.date = kDay + days{2};
    p.previousDate = kDay;
    const auto e = adapters::toEvent(HostChange{p}, MappingContext{dir, "pl"});
    EXPECT_EQ(e.kind, "schedule.installation_planned");
    EXPECT_EQ(e.counterpartyId, 8);
    EXPECT_EQ(e.importance, crm::Importance::High);
    ASSERT_TRUE(e.dueAt);
    EXPECT_EQ(*e.dueAt, sdk::TimePoint{kDay + days{2}});
    EXPECT_EQ(e.title, "Montaż przełożony z 14.03.2026 na 16.03.2026");
    EXPECT_NE(e.body.find("ul. Żeromskiego 3, Łódź"), std::string::npos);
}

TEST(EventMapping, EveryStageChangeHasItsOwnKind) {
    Directory dir;
    std::map<sdk::StageChange, std::string> expected{{sdk::StageChange::Planned, "schedule.stage_planned"},
                                                     {sdk::StageChange::Rescheduled, "schedule.stage_rescheduled"},
                                                     {sdk::StageChange::Started, "schedule.stage_started"},
                                                     {sdk::StageChange::Finished, "schedule.stage_finished"}};
    for (auto [change, kind] : expected) {
        sdk::StageEvent s;
        s.stamp = stamp("scheduling", "project:42/stage:production");
        s.change = change;
        s.projectId = 42;
        s.stage = "production";
        s.plannedStart = kDay;
        s.plannedFinish = kDay + days{10};
        s.previousStart = kDay - days{3};
        const auto e = adapters::toEvent(HostChange{s}, MappingContext{dir, "en"});
        EXPECT_EQ(e.kind, kind);
        EXPECT_EQ(e.stage, "production");
        EXPECT_EQ(e.startDate, kDay);
        EXPECT_EQ(e.endDate, kDay + days{10});
        EXPECT_NE(e.title.find("production"), std::string::npos) << e.title;
    }
}

TEST(EventMapping, TitlesFollowTheLocale) {
    Directory dir;
    sdk::ProjectInvoiced p;
    p.stamp = stamp("multi_warehouse", "invoice:FV/7");
    p.projectId = 42;
    p.invoiceNumber = "FV/2026/0007";
    p.warehouseName = "Magazyn Główny";
    p.kind = "invoice";
    EXPECT_EQ(adapters::toEvent(HostChange{p}, {dir, "pl"}).title, "Faktura FV/2026/0007 (Magazyn Główny)");
    EXPECT_EQ(adapters::toEvent(HostChange{p}, {dir, "ru"}).title, "Счёт-фактура FV/2026/0007 (Magazyn Główny)");
    EXPECT_EQ(adapters::toEvent(HostChange{p}, {dir, "en"}).title, "Invoice FV/2026/0007 (Magazyn Główny)");
    EXPECT_EQ(adapters::toEvent(HostChange{p}, {dir, "en"}).invoiceNumber, "FV/2026/0007");
}

TEST(EventMapping, UnknownProjectStillMapsWithItsId) {
    Directory dir;
    sdk::ProjectItemsReceived p;
    p.stamp = stamp("fg_warehouse", "receipt:3");
    p.projectId = 999;
    p.warehouseName = "WG-1";
    p.quantity = 4;
    const auto e = adapters::toEvent(HostChange{p}, {dir, "en"});
    EXPECT_EQ(e.projectId, 999);
    EXPECT_EQ(e.counterpartyId, 0);
    EXPECT_EQ(e.title, "4 item(s) received at “WG-1”");
    EXPECT_NE(e.body.find("#999"), std::string::npos);
}

TEST(EventMapping, MoneyIsFormattedFromMinorUnitsAsTheLocaleWritesIt) {
    const auto zone = crm::TimeZone::named("Europe/Warsaw");
    EXPECT_EQ(crm::formatterFor(crm::Locale::of("en"), zone).money({123456789, "PLN"}), "PLN\u00a01,234,567.89");
    EXPECT_EQ(crm::formatterFor(crm::Locale::of("ru"), zone).money({5, "RUB"}), "0,05\u00a0₽");
    EXPECT_EQ(crm::formatterFor(crm::Locale::of("pl"), zone).money({-10000000, "EUR"}), "-100\u00a0000,00\u00a0€");
}

// ---------------------------------------------------------------- each reader's language

namespace {

crm::Event rescheduled(const Directory& dir, const char* ingestLocale) {
    sdk::StageEvent s;
    s.stamp = stamp("scheduling", "project:42/stage:measurement", 4);
    s.projectId = 42;
    s.stage = "measurement";
    s.change = sdk::StageChange::Rescheduled;
    s.plannedStart = kDay + days{3};
    s.plannedFinish = kDay + days{4};
    s.previousStart = kDay;
    return adapters::toEvent(HostChange{s}, MappingContext{dir, ingestLocale});
}

const crm::Formatter& readerIn(const char* locale) {
    return crm::formatterFor(crm::Locale::of(locale), crm::TimeZone::named("Europe/Warsaw"));
}

}  // namespace

TEST(EventText, AnEventIngestedInPolishReadsInRussianForARussianReader) {
    Directory dir;
    const auto e = rescheduled(dir, "pl");
    EXPECT_EQ(e.title, "Etap „pomiar” przełożony na 17.03.2026 – 18.03.2026");  // stored: the installation's
    const auto ru = crm::eventText(e, readerIn("ru"));
    EXPECT_EQ(ru.title, "Этап «замер» перенесён на 17.03.2026 – 18.03.2026");
    EXPECT_EQ(ru.body, "P-2026-0042 «Okna, salon». Было: начало 14.03.2026.");
    const auto en = crm::eventText(e, readerIn("en"));
    EXPECT_EQ(en.title, "Stage “measurement” rescheduled to 17/03/2026 – 18/03/2026");
    for (const char* polish : {"Etap", "przełożony", "pomiar", "Poprzednio"}) {
        EXPECT_EQ(ru.title.find(polish), std::string::npos) << polish;
        EXPECT_EQ(ru.body.find(polish), std::string::npos) << polish;
    }
}

TEST(EventText, MoneyIsWrittenAsTheReadersLocaleWritesIt) {
    Directory dir;
    sdk::PaymentRegistered p;
    p.stamp = stamp("payments", "payment:10");
    p.counterpartyId = 8;
    p.amount = {12'360'00, "PLN"};
    p.kind = sdk::PaymentKind::Final;
    const auto e = adapters::toEvent(HostChange{p}, MappingContext{dir, "ru"});
    EXPECT_EQ(crm::eventText(e, readerIn("pl")).title, "Płatność końcowa 12\u00a0360,00\u00a0zł od Okna Łódź Sp. z o.o.");
    EXPECT_EQ(crm::eventText(e, readerIn("ru")).title, "Окончательный платёж 12\u00a0360,00\u00a0PLN от Okna Łódź Sp. z o.o.");
}

TEST(EventText, AnAmountTheRightsEmptiedIsLeftOutOfTheWordsToo) {
    Directory dir;
    sdk::PaymentRegistered p;
    p.stamp = stamp("payments", "payment:11");
    p.counterpartyId = 7;
    p.amount = {99'00, "PLN"};
    p.kind = sdk::PaymentKind::Prepayment;
    auto e = adapters::toEvent(HostChange{p}, MappingContext{dir, "pl"});
    e.amount.reset();  // what a reader without payment details gets
    const auto text = crm::eventText(e, readerIn("pl"));
    EXPECT_EQ(text.title, "Przedpłata od Щербаков Фёдор");
    EXPECT_EQ(text.title.find("99"), std::string::npos);
}

TEST(EventText, AnEventWithoutFactsKeepsItsStoredText) {
    crm::Event old;
    old.kind = "schedule.stage_planned";
    old.title = "Etap „pomiar” zaplanowany: 2026-03-14 – 2026-03-15";
    old.body = "P-2026-0042";
    const auto text = crm::eventText(old, readerIn("ru"));
    EXPECT_EQ(text.title, old.title);
    EXPECT_EQ(text.body, old.body);
    old.extra = "{\"facts\": not json";  // cut or damaged: still the stored text, no throw
    EXPECT_EQ(crm::eventText(old, readerIn("ru")).title, old.title);
}

TEST(EventText, SearchWordsOfTheReaderNameKindsAndStages) {
    const auto ru = crm::readerWordsMatching("ПЕРЕНЕСЁН", crm::Locale::of("ru"));
    EXPECT_NE(std::find(ru.kinds.begin(), ru.kinds.end(), "schedule.stage_rescheduled"), ru.kinds.end());
    EXPECT_NE(std::find(ru.kinds.begin(), ru.kinds.end(), "schedule.installation_planned"), ru.kinds.end());
    EXPECT_EQ(std::find(ru.kinds.begin(), ru.kinds.end(), "payment.received"), ru.kinds.end());
    const auto stage = crm::readerWordsMatching("Montaż", crm::Locale::of("pl"));
    EXPECT_EQ(stage.stages, std::vector<std::string>{"installation"});
    EXPECT_TRUE(crm::readerWordsMatching("montaż", crm::Locale::of("ru")).stages.empty());
    EXPECT_TRUE(crm::readerWordsMatching("", crm::Locale::of("ru")).kinds.empty());
}
