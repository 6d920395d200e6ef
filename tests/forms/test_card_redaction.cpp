// The cards as each role reads them: no amount, no digit of one, for a role without payment
// details (card, feed titles, single reads, summaries, search); due dates as calendar dates in any
// zone; payments entered today in the summary; a paid prepayment no longer needing attention;
// statuses and languages by name; attachments opened and saved from the card in one size format.
#include "forms_test_util.hpp"

#include "../access/access_test_util.hpp"

#include <cards/entity_card.hpp>
#include <common/event_look.hpp>
#include <dispatcher/event_card.hpp>

#include <conduit/crm/foundation/display_names.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTextBrowser>

namespace conduit::forms::testing {
namespace {

using namespace conduit::access_test;
using namespace std::chrono;

constexpr sdk::Id kStatusProject = 44;
const sdk::TimePoint kNow = sys_days(year(2026) / 2 / 3) + hours(8);  // the host's clock: 08:00 UTC
const sdk::Date kDue = sys_days(year(2026) / 2 / 6);

class CardDirectory : public CompanyDirectory {
public:
    CardDirectory() {
        sdk::Counterparty c{9, sdk::CounterpartyKind::Person, "Barbara Zielińska"};
        c.language = "ru";
        add(c);
        sdk::Project p{kStatusProject, "P-2026-0044", "Okna, dom", 9, kProjectManager, kMeasurer};
        p.status = "materials_reserved";
        add(p);
    }
};

// Host events as the adapters make them: facts kept, stored text in Polish with the amount.
crm::Event withFacts(crm::Event e) {
    crm::EventFacts f;
    f.set(crm::facts::kProject, "P-2026-0044 «Okna, dom»").set(crm::facts::kCounterparty, "Barbara Zielińska");
    crm::storeWithText(e, f, crm::formatterFor(crm::Locale::of("pl"), crm::TimeZone::named("Europe/Warsaw")));
    return e;
}

class CardRedactionTest : public ::testing::Test {
protected:
    void SetUp() override {
        setReader(crm::Locale::of("pl"), crm::TimeZone::named("Europe/Warsaw"));
        crm::StoreOptions options;
        options.writer.maxLatency = 5ms;
        store = crm::EventStore::open(embeddedAt(dir / "crm.fdb"), options);
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        userEvents = std::make_unique<crm::UserEvents>([this](crm::Event e) { return store->writer().submit(std::move(e)); },
                                                       directory, "pl");
        userEvents->useCalendar([] { return kNow; }, crm::TimeZone::named("Europe/Warsaw"));
    }
    void TearDown() override {
        userEvents.reset();
        access.reset();
        audit.reset();
        store.reset();
        setReader(crm::Locale::of("pl"), crm::TimeZone::defaultFor(crm::Language::Pl));
    }
    crm::Event hostEvent(const std::string& key, const char* kind, sdk::TimePoint at) {
        crm::Event e = makeEvent(key, at, kind);
        e.sourceModule = "orders";
        e.projectId = kStatusProject;
        e.counterpartyId = 9;
        for (const auto& k : crm::builtinKinds())
            if (k.code == kind) e.importance = k.defaultImportance;
        return e;
    }
    // A prepayment demand due 2026-02-06, the prepayment of 12 360,00 PLN itself (facts), and an
    // older payment stored before facts existed, its amount only in its stored title.
    void writeMoney(bool paid) {
        auto demand = hostEvent("demand", crm::kinds::kOrderPrepaymentRequired, kNow - hours(48));
        demand.amount = sdk::Money{3'708'00, "PLN"};  // an order's figure: the dispatcher's rights show it
        demand.dueAt = crm::dueOn(kDue);
        write(withFacts(demand));
        if (paid) {
            auto pay = hostEvent("prepay", crm::kinds::kPrepaymentReceived, kNow - hours(20));
            pay.sourceModule = "payments";
            pay.amount = sdk::Money{12'360'00, "PLN"};
            write(withFacts(pay));
        }
        auto old = hostEvent("old", crm::kinds::kPaymentReceived, kNow - hours(100));
        old.sourceModule = "payments";
        old.amount = sdk::Money{4'120'00, "PLN"};
        old.title = "Płatność 4 120,00 zł od Barbara Zielińska";
        write(old);
        flush();
    }
    void write(const crm::Event& e) { ASSERT_TRUE(store->writer().submit(e)); }
    void flush() { ASSERT_TRUE(store->writer().flush(10s)) << store->counts().writer.lastError; }
    std::unique_ptr<EntityCard> card(CardScope scope, sdk::Id id, std::optional<sdk::Id> viewer, Lang lang = Lang("pl")) {
        cache = std::make_unique<DirectoryCache>(directory);
        auto c = std::make_unique<EntityCard>(scope, *store, *cache, lang, *directory.user(viewer.value_or(kAdmin)), Navigation{},
                                              nullptr, PreviewRecipients{});
        c->setClock([] { return kNow; });
        if (viewer) c->setAccessControl(access.get());
        c->resize(1000, 800);
        c->show();
        QSignalSpy spy(c.get(), &EntityCard::rendered);
        c->showEntity(id);
        EXPECT_TRUE(spy.wait(10000) || !c->html().isEmpty());
        return c;
    }
    // Any trace of the amounts: "12 360", "12360", "360,00", "4 120", in any separator.
    static bool mentionsAmount(const QString& text) {
        static const QRegularExpression amount(QStringLiteral("12\\D?360|360[,.]00|4\\D?120"));
        return amount.match(text).hasMatch();
    }
    std::vector<crm::Event> feedOf(sdk::Id user, crm::FeedFilter f = {}) {
        f.access = access->scope(user);
        return store->feed(f, std::nullopt, 100).events;
    }

    conduit::test::TempDir dir{"conduit-card-redaction"};
    CardDirectory directory;
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
    std::unique_ptr<crm::UserEvents> userEvents;
    std::unique_ptr<DirectoryCache> cache;
};

TEST_F(CardRedactionTest, ARoleWithoutPaymentDetailsReadsNoAmountAnywhere) {
    writeMoney(true);
    for (auto scope : {CardScope::Counterparty, CardScope::Project}) {
        auto c = card(scope, scope == CardScope::Counterparty ? 9 : kStatusProject, kDispatcher);
        const QString text = c->view()->toPlainText();
        ASSERT_TRUE(text.contains(QString::fromUtf8("Przedpłata od Barbara Zielińska"))) << text.toStdString();
        EXPECT_FALSE(mentionsAmount(c->html())) << c->html().toStdString();
        // The last payment row: who paid and when, no figure (and none read from an empty optional).
        const auto row = c->html().section(QString::fromUtf8("Ostatnia płatność</td><td>"), 1).section(QStringLiteral("</td></tr>"), 0, 0);
        EXPECT_FALSE(row.isEmpty());
        EXPECT_FALSE(row.contains(QRegularExpression(QStringLiteral("\\d{3}\\D?\\d{3}")))) << row.toStdString();
    }
    // Feed pages, a single read and the summary render the same redacted words.
    for (const auto& e : feedOf(kDispatcher)) {
        EXPECT_FALSE(mentionsAmount(eventTitle(e))) << eventTitle(e).toStdString();
        EXPECT_FALSE(mentionsAmount(QString::fromStdString(e.title)));
        EXPECT_FALSE(mentionsAmount(eventBody(e)));
        const auto one = store->event(e.id, access->scope(kDispatcher));
        ASSERT_TRUE(one);
        EXPECT_FALSE(mentionsAmount(eventTitle(*one)));
    }
    const auto paid = feedOf(kDispatcher, {.kinds = {crm::kinds::kPrepaymentReceived}});
    ASSERT_EQ(paid.size(), 1u);
    EXPECT_EQ(eventTitle(paid[0]), QString::fromUtf8("Przedpłata od Barbara Zielińska"));
    EXPECT_EQ(eventBody(paid[0]), QString()) << "the body (project, document) is a detail too";
    const auto summary = store->projectSummary(kStatusProject, access->scope(kDispatcher), kNow);
    ASSERT_TRUE(summary.lastPayment);
    EXPECT_FALSE(summary.lastPayment->amount);
    EXPECT_FALSE(mentionsAmount(eventTitle(*summary.lastPayment)));
    // Finance reads the amounts.
    auto finance = card(CardScope::Project, kStatusProject, kFinance);
    EXPECT_TRUE(mentionsAmount(finance->view()->toPlainText()));
}

TEST_F(CardRedactionTest, APaymentsDocumentNumberLeavesTheRedactedCopyAndTheEventCardShowsNoRawFacts) {
    auto pay = hostEvent("prepay-doc", crm::kinds::kPrepaymentReceived, kNow - hours(20));
    pay.sourceModule = "payments";
    pay.amount = sdk::Money{12'360'00, "PLN"};
    crm::EventFacts f;
    f.set(crm::facts::kProject, "P-2026-0044 «Okna, dom»").set(crm::facts::kCounterparty, "Barbara Zielińska")
        .set(crm::facts::kDocument, "WB/2026/000025");
    crm::storeWithText(pay, f, crm::formatterFor(crm::Locale::of("pl"), crm::TimeZone::named("Europe/Warsaw")));
    write(pay);
    flush();
    const auto seen = feedOf(kDispatcher, {.kinds = {crm::kinds::kPrepaymentReceived}});
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].extra.find("WB/2026"), std::string::npos) << seen[0].extra;
    EXPECT_EQ(crm::EventFacts::of(seen[0])->text(crm::facts::kCounterparty), "Barbara Zielińska") << "names stay readable";
    CardContext c;
    c.lang = Lang("pl");
    const QString html = renderEventCard(seen[0], c);
    EXPECT_FALSE(html.contains(QStringLiteral("WB/2026"))) << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("&quot;facts&quot;"))) << "facts are read in the title, not shown raw";
    EXPECT_FALSE(html.contains(QString::fromUtf8("Szczegóły"))) << "nothing else in its extra";
    const auto forFinance = feedOf(kFinance, {.kinds = {crm::kinds::kPrepaymentReceived}});
    ASSERT_EQ(forFinance.size(), 1u);
    EXPECT_TRUE(eventBody(forFinance[0]).contains(QStringLiteral("WB/2026/000025")) ||
                eventTitle(forFinance[0]).contains(QStringLiteral("WB/2026/000025")))
        << "finance reads the document";
}

TEST_F(CardRedactionTest, SearchingForARedactedAmountFindsNothing) {
    writeMoney(true);
    for (const char* text : {"360,00", "360", "4 120"}) {
        EXPECT_TRUE(feedOf(kDispatcher, {.text = text}).empty()) << text;
        EXPECT_FALSE(feedOf(kFinance, {.text = text}).empty()) << text;
    }
    // What the dispatcher does read still answers: the payer's name.
    EXPECT_FALSE(feedOf(kDispatcher, {.text = "Zielińska"}).empty());
}

TEST_F(CardRedactionTest, ADueDateReadsAsTheSameCalendarDateInEveryZone) {
    writeMoney(false);
    for (const char* zone : {"America/New_York", "Europe/Warsaw", "Asia/Tokyo"}) {
        setReader(crm::Locale::of("pl"), crm::TimeZone::named(zone));
        const auto e = feedOf(kFinance, {.kinds = {crm::kinds::kOrderPrepaymentRequired}}).at(0);
        EXPECT_EQ(formatDue(e), QStringLiteral("06.02.2026")) << zone;
        auto c = card(CardScope::Project, kStatusProject, kFinance);
        const QString text = c->view()->toPlainText();
        const auto upcoming = text.section(QString::fromUtf8("Nadchodzące terminy"), 1).section(QString::fromUtf8("Notatki"), 0, 0);
        EXPECT_TRUE(upcoming.contains(QStringLiteral("06.02.2026"))) << zone << upcoming.toStdString();
        EXPECT_FALSE(upcoming.contains(QStringLiteral("05.02.2026"))) << zone;
        EXPECT_FALSE(text.contains(QStringLiteral("00:00"))) << zone << text.toStdString();
    }
}

TEST_F(CardRedactionTest, APaymentDatedTodayIsTheMomentItWasEnteredAnotherDayStaysADate) {
    crm::PaymentEntry p;
    p.requestId = "today";
    p.authorId = kFinance;
    p.counterpartyId = 9;
    p.projectId = kStatusProject;
    p.amount = sdk::Money{500'00, "PLN"};
    p.paidOn = sys_days(year(2026) / 2 / 3);
    const auto today = userEvents->registerPayment(p);
    EXPECT_EQ(today.occurredAt, kNow) << "no 12:00 nobody typed";
    EXPECT_FALSE(crm::occurredOn(today));
    p.requestId = "earlier";
    p.paidOn = sys_days(year(2026) / 1 / 30);
    const auto earlier = userEvents->registerPayment(p);
    EXPECT_EQ(crm::occurredOn(earlier), p.paidOn);
    EXPECT_EQ(formatWhen(earlier), QStringLiteral("30.01.2026")) << "a date, no hour";
    flush();

    const auto summary = store->projectSummary(kStatusProject, access->scope(kFinance), kNow);
    ASSERT_TRUE(summary.lastPayment);
    EXPECT_EQ(summary.lastPayment->amount, p.amount);
    EXPECT_EQ(summary.lastPayment->occurredAt, kNow) << "the payment entered today is the last one";
}

TEST_F(CardRedactionTest, APaymentStoredLaterTodayThanTheClockStillCountsAsTheLastOne) {
    auto pay = hostEvent("noon", crm::kinds::kPaymentReceived, kNow + hours(4));  // 12:00 on the clock's day
    pay.amount = sdk::Money{77'00, "PLN"};
    write(pay);
    flush();
    const auto summary = store->projectSummary(kStatusProject, kNow);
    ASSERT_TRUE(summary.lastPayment);
    EXPECT_EQ(summary.lastPayment->amount, pay.amount);
}

TEST_F(CardRedactionTest, APaidPrepaymentNoLongerNeedsAttention) {
    writeMoney(false);
    EXPECT_EQ(store->projectSummary(kStatusProject, kNow).openIssues, 1);
    {
        auto c = card(CardScope::Project, kStatusProject, kFinance);
        EXPECT_TRUE(c->html().contains(QStringLiteral("class=\"crit\">Wymagana")));
    }
    auto pay = hostEvent("prepay", crm::kinds::kPrepaymentReceived, kNow - hours(20));
    pay.amount = sdk::Money{12'360'00, "PLN"};
    write(withFacts(pay));
    flush();
    EXPECT_EQ(store->projectSummary(kStatusProject, kNow).openIssues, 0);
    EXPECT_EQ(store->counterpartySummary(9, access->scope(kFinance), kNow).openIssues, 0);
    auto c = card(CardScope::Project, kStatusProject, kFinance);
    EXPECT_TRUE(c->html().contains(QString::fromUtf8("Wymaga uwagi</td><td>0</td>"))) << c->html().toStdString();
    EXPECT_FALSE(c->html().contains(QStringLiteral("class=\"crit\">Wymagana"))) << "not red in the due dates either";
}

TEST_F(CardRedactionTest, StatusesAndLanguagesReadAsNamesInEachLanguage) {
    EXPECT_EQ(crm::projectStatusName("prepaid", crm::Locale::of("ru")), "предоплата получена");
    EXPECT_EQ(crm::projectStatusName("prepaid", crm::Locale::of("pl")), "przedpłata wpłacona");
    EXPECT_EQ(crm::projectStatusName("materials_reserved", crm::Locale::of("en")), "materials reserved");
    EXPECT_EQ(crm::projectStatusName("some_new_state", crm::Locale::of("en")), "some new state");
    EXPECT_EQ(crm::languageName("ru", crm::Locale::of("ru")), "Русский");
    EXPECT_EQ(crm::languageName("ru", crm::Locale::of("pl")), "Rosyjski");
    EXPECT_EQ(crm::languageName("ru", crm::Locale::of("en")), "Russian");
    EXPECT_EQ(crm::languageName("pl_PL", crm::Locale::of("en")), "Polish");

    auto project = card(CardScope::Project, kStatusProject, std::nullopt, Lang("ru"));
    EXPECT_TRUE(project->view()->toPlainText().contains(QString::fromUtf8("материалы зарезервированы")));
    EXPECT_FALSE(project->view()->toPlainText().contains(QStringLiteral("materials_reserved")));
    auto person = card(CardScope::Counterparty, 9, std::nullopt, Lang("pl"));
    const QString text = person->view()->toPlainText();
    EXPECT_TRUE(text.contains(QString::fromUtf8("Język korespondencji")));
    EXPECT_TRUE(text.contains(QStringLiteral("Rosyjski"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromUtf8("materiały zarezerwowane")));
}

TEST_F(CardRedactionTest, AnAttachmentIsOpenedAndSavedFromTheCardInOneSizeFormat) {
    crm::MeasurementNote m;
    m.requestId = "sheet";
    m.authorId = kMeasurer;
    m.projectId = kStatusProject;
    m.text = "Arkusz pomiaru";
    const std::string pdf = "%PDF-1.4\n" + std::string(631, 'x');  // 640 bytes
    m.sheets.push_back({"arkusz.pdf", "", 0, {}, pdf});
    userEvents->addMeasurementNote(m);
    flush();

    auto c = card(CardScope::Project, kStatusProject, kMeasurer);
    const QString text = c->view()->toPlainText();
    EXPECT_TRUE(text.contains(formatSize(640))) << text.toStdString();
    EXPECT_TRUE(formatSize(640).contains(QStringLiteral("640")));
    EXPECT_FALSE(formatSize(640).contains(QStringLiteral("1 KB")));
    EXPECT_TRUE(formatSize(1536).contains(QStringLiteral("1,5"))) << formatSize(1536).toStdString();
    ASSERT_TRUE(c->html().contains(QStringLiteral("crm:save/")));
    ASSERT_TRUE(c->html().contains(QStringLiteral("crm:open/")));
    const auto link = [&](const char* action) {
        const QRegularExpression href(QStringLiteral("crm:%1/\\d+/\\d+").arg(QLatin1String(action)));
        return QUrl(href.match(c->html()).captured(0));
    };

    const QString target = QString::fromStdString((dir / "zapisany.pdf").string());
    c->setSaveChooser([&](const QString& suggested) {
        EXPECT_TRUE(suggested.endsWith(QStringLiteral("arkusz.pdf")));
        return target;
    });
    QSignalSpy done(c.get(), &EntityCard::fileDone);
    c->followLink(link("save"));
    ASSERT_TRUE(done.wait(10000));
    EXPECT_EQ(done.at(0).at(1).toString(), QString());
    QFile saved(target);
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    EXPECT_EQ(saved.readAll().toStdString(), pdf);
    EXPECT_TRUE(c->fileStatus()->text().contains(QStringLiteral("zapisany.pdf")));

    QUrl opened;
    c->setFileOpener([&](const QUrl& url) { opened = url; return true; });
    c->followLink(link("open"));
    ASSERT_TRUE(done.wait(10000));
    ASSERT_TRUE(opened.isLocalFile());
    QFile shown(opened.toLocalFile());
    ASSERT_TRUE(shown.open(QIODevice::ReadOnly));
    EXPECT_EQ(shown.readAll().toStdString(), pdf);
}

}  // namespace
}  // namespace conduit::forms::testing
