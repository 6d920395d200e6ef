// The forms under the rights model (issue 7): a measurer's workstation and cards read with their
// AccessScope (no payment amounts, no restricted project they take no part in) and offer only
// the entries they may create; a finance user sees the amounts and may enter payments.
#include "forms_test_util.hpp"

#include "../access/access_test_util.hpp"

#include <cards/entity_card.hpp>
#include <common/event_look.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/parties/catalogue.hpp>
#include <conduit/crm/parties/catalogue_access.hpp>
#include <conduit/crm/timeline/event_text.hpp>
#include <crm_forms.hpp>
#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>

#include <QApplication>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

namespace conduit::forms::testing {
namespace {

using namespace conduit::access_test;

class FormsAccessTest : public ::testing::Test {
protected:
    void SetUp() override {
        crm::StoreOptions options;
        options.writer.maxLatency = 5ms;
        store = crm::EventStore::open(embeddedAt(dir / "crm.fdb"), options);
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        userEvents = std::make_unique<crm::UserEvents>([this](crm::Event e) { return store->writer().submit(std::move(e)); },
                                                       directory, "ru");
        store->writer().addParticipant(&crm::AuditLog::recordCreatedEntries);
        userEvents->enforce(*access);
        changes = std::make_unique<crm::UserEventChanges>(*store, *access, "ru");
        access->setProjectRestricted(kAdmin, kSecretProject, true);

        crm::Event pay = event("pay", "payment.received", kOpenProject, kOknaLodz, 3);
        pay.title = "Wpłata zaliczki — Okna Łódź";
        pay.amount = sdk::Money{1'250'00, "PLN"};
        pay.sourceModule = "payments";
        crm::Event secret = event("secret", "note.project", kSecretProject, kFedor, 4);
        secret.title = "Тайный замер у Щербакова";
        crm::Event call = event("call", "note.customer", 0, kFedor, 2);
        call.title = "Фёдор звонил, просит перенести монтаж";
        for (const auto& e : {pay, secret, call}) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(10s)) << store->counts().writer.lastError;
        payId = idOf(pay.title);
    }
    // The ids of the forms registered for `user` under the rights.
    std::vector<std::string> registeredFor(sdk::Id user, crm::parties::Catalogue* catalogue = nullptr) {
        ListRegistry registry;
        MemorySettings settings;
        CrmFormsContext context{*store, directory, settings};
        context.currentUser = *directory.user(user);
        context.userEvents = userEvents.get();
        context.access = access.get();
        context.catalogue = catalogue;
        auto ids = registerCrmForms(registry, context);
        unregisterCrmForms(registry);
        return ids;
    }
    static bool has(const std::vector<std::string>& ids, const char* id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
    void TearDown() override {
        changes.reset();
        userEvents.reset();
        access.reset();
        audit.reset();
        store.reset();
    }
    static crm::Event event(const std::string& key, const std::string& kind, sdk::Id project, sdk::Id counterparty, int dayOfMonth) {
        crm::Event e = makeEvent(key, day(dayOfMonth), kind);
        e.projectId = project;
        e.counterpartyId = counterparty;
        return e;
    }
    std::int64_t idOf(const std::string& title) {
        for (const auto& e : store->feed({}, std::nullopt, 100).events)
            if (e.title == title) return e.id;
        ADD_FAILURE() << "not stored: " << title;
        return 0;
    }
    std::unique_ptr<DispatcherWorkstation> workstation(sdk::Id user) {
        WorkstationContext c{*store, directory};
        c.locale = "ru";
        c.currentUser = *directory.user(user);
        c.webEngine = false;
        c.userEvents = userEvents.get();
        c.changes = changes.get();
        c.access = access.get();
        auto w = std::make_unique<DispatcherWorkstation>(std::move(c));
        w->resize(1000, 600);
        w->show();
        return w;
    }
    static std::vector<QString> titles(FeedModel& m) {
        std::vector<QString> out;
        for (int r = 0; r < m.rowCount(); ++r) out.push_back(m.rowAt(r)->title);
        return out;
    }
    // The selected event's card once it is rendered.
    static QString cardOf(DispatcherWorkstation& w, std::int64_t eventId) {
        const int row = w.model()->rowOf(eventId);
        if (row < 0) return {};
        w.table()->selectRow(row);
        waitFor([&] { return w.card()->eventId() == eventId && w.card()->hasResult(); });
        return w.card()->html();
    }
    static bool offers(DispatcherWorkstation& w, const char* kindCode) {
        if (!w.newEntryButton()) return false;
        return w.newEntryButton()->menu()->findChild<QAction*>(QStringLiteral("new.") + QString::fromLatin1(kindCode)) != nullptr;
    }
    // Selects the event's row and waits for the card to load it (edit and delete are judged on it).
    static bool selectLoaded(DispatcherWorkstation& w, std::int64_t eventId) {
        w.table()->selectRow(w.model()->rowOf(eventId));
        return waitFor([&] { return w.card()->eventId() == eventId && w.card()->hasResult(); });
    }
    static bool contains(const std::vector<QString>& list, const std::string& title) {
        return std::find(list.begin(), list.end(), QString::fromStdString(title)) != list.end();
    }

    conduit::test::TempDir dir{"conduit-forms-access"};
    CompanyDirectory directory;
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
    std::unique_ptr<crm::UserEvents> userEvents;
    std::unique_ptr<crm::UserEventChanges> changes;
    std::int64_t payId = 0;
};

const QString kAmount = formatMoney(sdk::Money{1'250'00, "PLN"}, Lang("ru"));

TEST_F(FormsAccessTest, MeasurerSeesPaymentWithoutAmountAndNoRestrictedProject) {
    auto w = workstation(kMeasurer);
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowCount() > 0; }));
    const auto shown = titles(*w->model());
    // Its stored title could hold the amount: the measurer reads the kind's name instead.
    const std::string paymentName = crm::kindName("payment.received", reader().locale());
    EXPECT_TRUE(contains(shown, paymentName));
    EXPECT_FALSE(contains(shown, "Wpłata zaliczki — Okna Łódź"));
    EXPECT_TRUE(contains(shown, "Фёдор звонил, просит перенести монтаж"));
    EXPECT_FALSE(contains(shown, "Тайный замер у Щербакова")) << "a restricted project the measurer takes no part in";
    ASSERT_TRUE(w->model()->access());
    EXPECT_EQ(w->model()->access()->userId, kMeasurer);

    const QString html = cardOf(*w, payId);
    ASSERT_TRUE(html.contains(QString::fromStdString(paymentName).toHtmlEscaped())) << html.toStdString();
    EXPECT_FALSE(html.contains(kAmount)) << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("Сумма")));

    // The live refresh reads with the same scope: a new secret event stays out, an open one comes.
    crm::Event secret2 = event("secret2", "note.project", kSecretProject, kFedor, 20);
    secret2.title = "Ещё одна тайна";
    crm::Event open2 = event("open2", "note.project", kOpenProject, kOknaLodz, 21);
    open2.title = "Pomiar potwierdzony, ul. Piotrkowska";
    ASSERT_TRUE(store->writer().submit(secret2));
    ASSERT_TRUE(store->writer().submit(open2));
    ASSERT_TRUE(store->writer().flush(10s));
    w->model()->scheduleLiveRefresh();
    ASSERT_TRUE(waitFor([&] { return contains(titles(*w->model()), open2.title); }));
    EXPECT_FALSE(contains(titles(*w->model()), secret2.title));
}

TEST_F(FormsAccessTest, TheAuthorCorrectsAndDeletesTheirNoteInTheFeedOthersAreNotOffered) {
    crm::CustomerNote n;
    n.requestId = "note-to-fix";
    n.authorId = kOrders;
    n.counterpartyId = kOknaLodz;
    n.projectId = kOpenProject;
    n.text = "Klient prosi o kontakt po 17:00";
    const auto made = userEvents->addCustomerNote(n);
    ASSERT_TRUE(store->writer().flush(10s));
    const auto noteId = store->feed({.author = kOrders, .kinds = {"note.customer"}}).events.at(0).id;

    auto w = workstation(kOrders);
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowOf(noteId) >= 0; }));
    const int rows = w->model()->rowCount();
    ASSERT_TRUE(selectLoaded(*w, payId));
    EXPECT_FALSE(w->mayEditSelected()) << "a host event is never edited";
    EXPECT_FALSE(w->mayDeleteSelected());
    ASSERT_TRUE(selectLoaded(*w, noteId));
    ASSERT_TRUE(w->mayEditSelected());
    ASSERT_TRUE(w->mayDeleteSelected());

    QString error;
    EXPECT_FALSE(w->editSelected("   ", &error)) << "an empty text is refused";
    EXPECT_FALSE(error.isEmpty());
    const std::string text = "Клиент просит звонить после 17:00\nPreferuje e-mail, nie telefon";
    ASSERT_TRUE(w->editSelected(text, &error)) << error.toStdString();
    EXPECT_EQ(store->event(noteId)->body, text);
    const int row = w->model()->rowOf(noteId);
    ASSERT_GE(row, 0) << "edited in place, not refetched";
    EXPECT_EQ(w->model()->rowAt(row)->title, QString::fromUtf8("Клиент просит звонить после 17:00"));
    EXPECT_EQ(w->model()->rowCount(), rows);
    EXPECT_EQ(w->selectedEventId(), std::optional<std::int64_t>(noteId)) << "the selection stays";

    ASSERT_TRUE(w->deleteSelected(&error)) << error.toStdString();
    EXPECT_EQ(w->model()->rowOf(noteId), -1);
    EXPECT_EQ(w->model()->rowCount(), rows - 1);
    EXPECT_FALSE(store->event(noteId)) << "gone from every read";
    const auto trail = audit->byObject("event", made.idempotencyKey);
    ASSERT_EQ(trail.size(), 3u) << "create, update, delete";
    EXPECT_EQ(trail[0].action, "delete");

    // Another clerk of the same department: their own entries only, nothing offered on this one.
    crm::CustomerNote other = n;
    other.requestId = "note-of-ewa";
    other.authorId = kOrders2;
    other.text = "Notatka Ewy";
    userEvents->addCustomerNote(other);
    ASSERT_TRUE(store->writer().flush(10s));
    const auto ewaNote = store->feed({.author = kOrders2, .kinds = {"note.customer"}}).events.at(0).id;
    auto w2 = workstation(kOrders);
    ASSERT_TRUE(waitFor([&] { return !w2->model()->isBusy() && w2->model()->rowOf(ewaNote) >= 0; }));
    ASSERT_TRUE(selectLoaded(*w2, ewaNote));
    EXPECT_FALSE(w2->mayEditSelected());
    EXPECT_FALSE(w2->mayDeleteSelected());
    EXPECT_FALSE(w2->editSelected("cudzy", &error));
    EXPECT_TRUE(error.contains(QString::fromUtf8("Нет права"))) << error.toStdString();
    EXPECT_EQ(store->event(ewaNote)->body, "Notatka Ewy");
}

TEST_F(FormsAccessTest, TheContextMenuWaitsForTheCardToOfferEditAndDelete) {
    crm::CustomerNote n;
    n.requestId = "note-menu";
    n.authorId = kOrders;
    n.counterpartyId = kOknaLodz;
    n.text = "Klient prosi o fakturę";
    userEvents->addCustomerNote(n);
    ASSERT_TRUE(store->writer().flush(10s));
    const auto noteId = store->feed({.author = kOrders, .kinds = {"note.customer"}}).events.at(0).id;
    auto w = workstation(kOrders);
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowOf(noteId) >= 0; }));
    ASSERT_TRUE(selectLoaded(*w, payId));

    // The menu opens once the card has the right-clicked event; its actions are noted, then it closes.
    QStringList offered;
    bool shown = false;
    QTimer closer;
    closer.setInterval(10);
    QObject::connect(&closer, &QTimer::timeout, [&] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!menu) return;
        for (auto* action : menu->actions()) offered << action->text();
        shown = true;
        menu->close();
    });
    closer.start();
    const QRect cell = w->table()->visualRect(w->model()->index(w->model()->rowOf(noteId), FeedModel::TitleColumn));
    emit w->table()->customContextMenuRequested(cell.center());
    EXPECT_FALSE(shown) << "not before the card has read the event";
    ASSERT_TRUE(waitFor([&] { return shown; }));
    EXPECT_TRUE(offered.contains(QString::fromUtf8("Изменить текст…"))) << offered.join('|').toStdString();
    EXPECT_TRUE(offered.contains(QString::fromUtf8("Удалить…"))) << offered.join('|').toStdString();
}

TEST_F(FormsAccessTest, ARestrictionMadeOnAnotherWorkstationLeavesAnOpenFeed) {
    access = std::make_unique<crm::AccessControl>(*store, directory, *audit, 50ms);  // this workstation's
    userEvents->enforce(*access);
    changes = std::make_unique<crm::UserEventChanges>(*store, *access, "ru");
    auto w = workstation(kSales);
    w->setRightsRecheckInterval(50);
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowOf(payId) >= 0; }));

    crm::AccessControl elsewhere(*store, directory, *audit);  // the manager's workstation
    elsewhere.setProjectRestricted(kAdmin, kOpenProject, true);
    EXPECT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowOf(payId) < 0; }))
        << "the open feed still shows an event of a project restricted elsewhere";
    ASSERT_TRUE(w->model()->access());
    EXPECT_FALSE(w->model()->access()->hiddenProjects.empty());

    elsewhere.setProjectRestricted(kAdmin, kOpenProject, false);
    EXPECT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowOf(payId) >= 0; })) << "and back";
    EXPECT_FALSE(w->applyCurrentRights()) << "unchanged rights: the feed is not read again";
}

TEST_F(FormsAccessTest, TheNewMenuFollowsARightGrantedOnAnotherWorkstation) {
    access = std::make_unique<crm::AccessControl>(*store, directory, *audit, 50ms);
    userEvents->enforce(*access);
    changes = std::make_unique<crm::UserEventChanges>(*store, *access, "ru");
    auto w = workstation(kMeasurer);
    w->setRightsRecheckInterval(50);
    ASSERT_FALSE(offers(*w, "payment.received"));

    crm::AccessControl elsewhere(*store, directory, *audit);
    elsewhere.setRight(kAdmin, {crm::Role::Measurer, "payment.received", true, true, true, crm::Reach::None, crm::Reach::None});
    EXPECT_TRUE(waitFor([&] { return offers(*w, "payment.received"); })) << "granted elsewhere, offered here";
    EXPECT_NE(w->openEntry(EntryKind::Payment), nullptr);
    elsewhere.removeRight(kAdmin, crm::Role::Measurer, "payment.received");
    EXPECT_TRUE(waitFor([&] { return !offers(*w, "payment.received"); })) << "and taken back";
}

TEST_F(FormsAccessTest, FinanceSeesTheAmount) {
    auto w = workstation(kFinance);
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy() && w->model()->rowCount() > 0; }));
    const QString html = cardOf(*w, payId);
    EXPECT_TRUE(html.contains(kAmount)) << html.toStdString();
}

TEST_F(FormsAccessTest, WithoutAccessControlNothingIsHidden) {
    // The same data with no rights model: the secret event is there (the tests above can fail).
    WorkstationContext c{*store, directory};
    c.currentUser = *directory.user(kMeasurer);
    c.webEngine = false;
    DispatcherWorkstation w(std::move(c));
    ASSERT_TRUE(waitFor([&] { return !w.model()->isBusy() && w.model()->rowCount() > 0; }));
    EXPECT_TRUE(contains(titles(*w.model()), "Тайный замер у Щербакова"));
    EXPECT_FALSE(w.model()->access());
}

TEST_F(FormsAccessTest, NewPaymentOnlyForThoseWhoMayCreateIt) {
    ASSERT_FALSE(access->mayCreate(kMeasurer, "payment.received", 0));
    ASSERT_TRUE(access->mayCreate(kFinance, "payment.received", 0));
    auto measurer = workstation(kMeasurer);
    EXPECT_FALSE(offers(*measurer, "payment.received"));
    EXPECT_EQ(offers(*measurer, "note.measurement"), access->mayCreate(kMeasurer, "note.measurement", 0));
    EXPECT_EQ(measurer->openEntry(EntryKind::Payment), nullptr);
    auto finance = workstation(kFinance);
    EXPECT_TRUE(offers(*finance, "payment.received"));

    // Cards: the same buttons.
    DirectoryCache cache(directory);
    EntityCard card(CardScope::Counterparty, *store, cache, Lang("ru"), *directory.user(kMeasurer), {}, userEvents.get(), {});
    ASSERT_NE(card.entryButton(EntryKind::Payment), nullptr);  // before the rights are known
    card.setAccessControl(access.get());
    EXPECT_EQ(card.entryButton(EntryKind::Payment), nullptr);
    EXPECT_EQ(card.openEntry(EntryKind::Payment), nullptr);
    EntityCard financeCard(CardScope::Counterparty, *store, cache, Lang("ru"), *directory.user(kFinance), {}, userEvents.get(), {});
    financeCard.setAccessControl(access.get());
    EXPECT_NE(financeCard.entryButton(EntryKind::Payment), nullptr);
}

TEST_F(FormsAccessTest, RegisteredEntryFormsFollowTheRights) {
    auto registered = [&](sdk::Id user) { return registeredFor(user); };
    const auto measurer = registered(kMeasurer);
    EXPECT_TRUE(has(measurer, kDispatcherFormId));
    EXPECT_FALSE(has(measurer, kPaymentEntryId));
    EXPECT_EQ(has(measurer, kMeasurementEntryId), access->mayCreate(kMeasurer, "note.measurement", 0));
    EXPECT_TRUE(has(registered(kFinance), kPaymentEntryId));
}

TEST_F(FormsAccessTest, PossibleDuplicatesAreOfferedToThoseWhoMayMerge) {
    crm::parties::Catalogue catalogue(store->database(), store->writer(), crm::parties::viewersFrom(*access));
    auto registered = [&](sdk::Id user) { return registeredFor(user, &catalogue); };
    EXPECT_TRUE(has(registered(kSales), kDuplicatesId));
    EXPECT_TRUE(has(registered(kManagement), kDuplicatesId));
    const auto measurer = registered(kMeasurer);
    EXPECT_TRUE(has(measurer, kCatalogueListId));
    EXPECT_FALSE(has(measurer, kDuplicatesId)) << "a measurer may not merge";
}

// The host's directory answers with a query; when it fails, rights cannot be worked out.
class UnreachableUsers : public CompanyDirectory {
public:
    std::optional<sdk::User> user(sdk::Id) const override { throw std::runtime_error("the host's database is gone"); }
};

TEST_F(FormsAccessTest, RightsThatCannotBeReadGrantNothingAndThrowNothing) {
    UnreachableUsers unreachable;
    crm::AccessControl rights(*store, unreachable, *audit);
    DirectoryCache cache(directory);
    EntityCard card(CardScope::Counterparty, *store, cache, Lang("ru"), *directory.user(kFinance), {}, userEvents.get(), {});
    QSignalSpy spy(&card, &EntityCard::rendered);
    card.showEntity(kFedor);
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_NO_THROW(card.setAccessControl(&rights));
    EXPECT_EQ(card.entryButton(EntryKind::Payment), nullptr);
    EXPECT_EQ(card.openEntry(EntryKind::Payment), nullptr);
    EXPECT_FALSE(card.html().contains(QStringLiteral("Фёдор звонил"))) << card.html().toStdString();
    EXPECT_TRUE(card.html().contains(QString::fromUtf8("Не удалось прочитать ваши права"))) << card.html().toStdString();

    // The workstation: an empty feed and nothing to create, until the recheck reads the rights.
    WorkstationContext c{*store, directory};
    c.currentUser = *directory.user(kFinance);
    c.webEngine = false;
    c.userEvents = userEvents.get();
    c.access = &rights;
    std::unique_ptr<DispatcherWorkstation> w;
    ASSERT_NO_THROW(w = std::make_unique<DispatcherWorkstation>(std::move(c)));
    ASSERT_TRUE(waitFor([&] { return !w->model()->isBusy(); }));
    EXPECT_EQ(w->model()->rowCount(), 0);
    EXPECT_FALSE(offers(*w, "payment.received"));
    EXPECT_FALSE(w->applyCurrentRights());
}

TEST_F(FormsAccessTest, CounterpartyCardShowsNoHiddenEvents) {
    DirectoryCache cache(directory);
    auto render = [&](crm::AccessControl* rights) {
        EntityCard card(CardScope::Counterparty, *store, cache, Lang("ru"), *directory.user(kMeasurer), {}, nullptr, {});
        if (rights) card.setAccessControl(rights);
        QSignalSpy spy(&card, &EntityCard::rendered);
        card.showEntity(kFedor);
        EXPECT_TRUE(spy.wait(10000));
        return card.html();
    };
    const QString unrestricted = render(nullptr);
    ASSERT_TRUE(unrestricted.contains(QStringLiteral("Тайный замер у Щербакова"))) << "the card would show it without rights";
    const QString html = render(access.get());
    EXPECT_TRUE(html.contains(QStringLiteral("Фёдор звонил, просит перенести монтаж"))) << html.toStdString();
    EXPECT_FALSE(html.contains(QStringLiteral("Тайный замер у Щербакова"))) << html.toStdString();

    // The figures come from the scoped reads too.
    const auto data = loadCardData(*store, CardScope::Counterparty, kFedor, {kSecretProject}, day(1), access->scope(kMeasurer));
    EXPECT_EQ(data.summary.total, 1);
    ASSERT_EQ(data.projectSummaries.size(), 1u);
    EXPECT_EQ(data.projectSummaries[0].second.total, 0);
    EXPECT_EQ(loadCardData(*store, CardScope::Counterparty, kFedor, {kSecretProject}, day(1)).summary.total, 2);
}

}  // namespace
}  // namespace conduit::forms::testing
