// Counterparty and project cards: the right entity's data and no other's, jumps from an event in
// the workstation to its cards and between cards, a <script> note shown as text, and the forms'
// one registration entry point.
#include "forms_test_util.hpp"

#include <cards/entity_card.hpp>
#include <crm_forms.hpp>
#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>
#include <dispatcher/filter_panel.hpp>
#include <common/party_picker.hpp>
#include <entry/entry_form.hpp>
#include <feed/feed_model.hpp>

#include <conduit/crm/entries/user_events.hpp>
#include <conduit/crm/notify/preferences.hpp>

#include <QDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTextBrowser>

#include <map>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

// A form registry like the host's window: creates a form's widget on open, once, and destroys
// it on remove.
class TabRegistry : public sdk::IFormRegistry {
public:
    ~TabRegistry() override {
        for (auto& [id, w] : widgets) delete w;
    }
    void addForm(sdk::FormSpec spec) override {
        ASSERT_FALSE(specs.count(spec.id)) << spec.id;
        order.push_back(spec.id);
        specs[spec.id] = std::move(spec);
    }
    void removeForm(const std::string& id) override {
        delete widgets[id];
        widgets.erase(id);
        specs.erase(id);
    }
    bool openForm(const std::string& id) override {
        if (failEvery && ++opens % failEvery == 0) throw std::runtime_error("the host's window is busy");
        auto it = specs.find(id);
        if (it == specs.end()) return false;
        if (!widgets[id]) {
            widgets[id] = it->second.create(nullptr);
            widgets[id]->resize(1100, 800);
            widgets[id]->show();
        }
        current = id;
        return true;
    }
    template <typename T>
    T* find(const std::string& id) {
        return widgets.count(id) && widgets[id] ? widgets[id]->findChild<T*>() : nullptr;
    }
    std::map<std::string, sdk::FormSpec> specs;
    std::map<std::string, QWidget*> widgets;
    std::vector<std::string> order;
    std::string current;
    int failEvery = 0, opens = 0;  // every n-th open throws, as a host's window may
};

class EntityCardTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        const auto now = crm::systemClock()();
        std::vector<crm::Event> events;
        auto add = [&](const std::string& key, const std::string& kind, sdk::Id cp, sdk::Id project, const std::string& title, int hoursAgo) {
            auto e = makeEvent(key, now - std::chrono::hours(hoursAgo), kind);
            e.counterpartyId = cp;
            e.projectId = project;
            e.title = title;
            events.push_back(e);
            return &events.back();
        };
        add("p10", "payment.received", 10, 10, "Płatność od Kowalski", 50)->amount = sdk::Money{123456, "PLN"};
        add("n10", "note.customer", 10, 0, "Заметка", 40)->body = "Клиент пишет: <script>alert('x')</script> и <b>жирно</b>";
        add("free10", "order.production_launched", 10, 0, "Событие без проекта у Kowalski", 30);
        auto* due = add("due10", "schedule.installation_planned", 10, 10, "Монтаж у Kowalski", 20);
        due->dueAt = now + std::chrono::hours(72);
        auto* sheet = add("m10", "note.measurement", 10, 10, "Pomiar: arkusz", 10);
        sheet->attachments.push_back({"arkusz-pomiaru.pdf", "application/pdf", 0, {}, "%PDF-1.4 tiny"});
        auto* call = add("call10", "note.customer", 10, 10, "Rozmowa z klientem", 5);
        call->attachments.push_back({"rozmowa.ogg", "audio/ogg", 0, {}, "OggS....."});
        add("p11", "payment.received", 11, 11, "Чужой платёж", 45)->amount = sdk::Money{99900, "PLN"};
        add("n11", "note.customer", 11, 0, "Чужая заметка", 35)->body = "Чужая заметка Ковальчук";
        write(events);
    }
    std::unique_ptr<EntityCard> card(CardScope scope, sdk::Id id, Navigation nav = {}) {
        cache = std::make_unique<DirectoryCache>(directory);
        auto c = std::make_unique<EntityCard>(scope, *store, *cache, Lang("ru"), *directory.user(kMe), std::move(nav), nullptr, PreviewRecipients{});
        c->resize(1000, 800);
        c->show();
        QSignalSpy spy(c.get(), &EntityCard::rendered);
        c->showEntity(id);
        EXPECT_TRUE(spy.wait(10000) || !c->html().isEmpty());
        return c;
    }
    std::unique_ptr<DirectoryCache> cache;
};

TEST_F(EntityCardTest, CounterpartyCardShowsItsOwnDataAndNotAnothers) {
    auto c = card(CardScope::Counterparty, 10);
    const QString text = c->view()->toPlainText();
    EXPECT_TRUE(text.contains(QString::fromStdString(directory.counterparty(10)->name)));
    EXPECT_TRUE(text.contains(QString::fromUtf8("234,56"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QString::fromUtf8("Событие без проекта у Kowalski")));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Монтаж у Kowalski")));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Ближайшие сроки")));
    EXPECT_TRUE(text.contains("arkusz-pomiaru.pdf"));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Звонки с записями")));
    EXPECT_TRUE(text.contains("rozmowa.ogg"));
    EXPECT_TRUE(text.contains(QString::fromStdString(directory.project(10)->code)));
    EXPECT_FALSE(text.contains(QString::fromUtf8("Чужой платёж")));
    EXPECT_FALSE(text.contains(QString::fromUtf8("Чужая заметка")));
    EXPECT_FALSE(text.contains(QString::fromUtf8("999,00")));

    // Another counterparty: its own data, and no recordings section when there are none.
    QSignalSpy spy(c.get(), &EntityCard::rendered);
    c->showEntity(11);
    ASSERT_TRUE(spy.wait(10000));
    const QString other = c->view()->toPlainText();
    EXPECT_TRUE(other.contains(QString::fromUtf8("Чужая заметка Ковальчук")));
    EXPECT_TRUE(other.contains(QString::fromUtf8("999,00")));
    EXPECT_FALSE(other.contains(QString::fromUtf8("Событие без проекта у Kowalski")));
    EXPECT_FALSE(other.contains(QString::fromUtf8("Звонки с записями")));
    EXPECT_EQ(c->picker()->selectedId(), std::optional<sdk::Id>(11));
}

TEST_F(EntityCardTest, NoteEnteredFromTheCardShowsInIt) {
    crm::UserEvents events([this](crm::Event e) { return store->writer().submit(std::move(e)); }, directory, "pl");
    cache = std::make_unique<DirectoryCache>(directory);
    EntityCard c(CardScope::Counterparty, *store, *cache, Lang("pl"), *directory.user(kMe), {}, &events, {});
    c.show();
    QSignalSpy spy(&c, &EntityCard::rendered);
    c.showEntity(11);
    ASSERT_TRUE(spy.wait(10000));
    QDialog* dialog = c.openEntry(EntryKind::CustomerNote);
    ASSERT_TRUE(dialog);
    auto* form = dialog->findChild<EntryForm*>();
    ASSERT_TRUE(form);
    EXPECT_EQ(form->counterpartyPicker()->selectedId(), std::optional<sdk::Id>(11)) << "filled in for the card's counterparty";
    form->textEdit()->setPlainText(QString::fromUtf8("Łukasz prosi o fakturę w euro"));
    ASSERT_TRUE(form->save());
    ASSERT_TRUE(waitFor([&] { return c.view()->toPlainText().contains(QString::fromUtf8("Łukasz prosi o fakturę w euro")); }));
}

// Follow from the card: the person's own follow, stored with its event on the subject's
// timeline; shown ticked on the next card; a refusal unticks it and says why in their language.
TEST_F(EntityCardTest, FollowFromTheCardIsStoredAndARefusalIsExplained) {
    crm::notify::MailPreferences prefs(store->database(), directory, [this](crm::Event e) { return store->writer().submit(std::move(e)); });
    const auto participant = store->writer().addParticipant(&crm::notify::MailPreferences::recordFollows);
    {
        auto c = card(CardScope::Project, 10);
        c->setMailPreferences(&prefs);
        QPushButton* follow = c->followButton();
        ASSERT_TRUE(follow);
        EXPECT_EQ(follow->text(), QString::fromUtf8("Следить"));
        EXPECT_FALSE(follow->isChecked());
        follow->click();
        EXPECT_TRUE(follow->isChecked());
        ASSERT_TRUE(store->writer().flush(10s));
        EXPECT_EQ(prefs.following(kMe, crm::projectSubject(10)), std::optional<bool>(true));
        EXPECT_TRUE(c->fileStatus()->text().contains(QString::fromUtf8("Вы следите")));
    }
    {
        auto again = card(CardScope::Project, 10);
        again->setMailPreferences(&prefs);
        EXPECT_TRUE(again->followButton()->isChecked()) << "as stored";
        prefs.enforce([](sdk::Id, sdk::Id) { return false; });
        again->followButton()->click();
        EXPECT_TRUE(again->followButton()->isChecked()) << "refused: left as it was";
        EXPECT_FALSE(again->fileStatus()->text().isEmpty());
        ASSERT_TRUE(store->writer().flush(10s));
        EXPECT_EQ(prefs.following(kMe, crm::projectSubject(10)), std::optional<bool>(true)) << "nothing written";
    }
    store->writer().removeParticipant(participant);
}

TEST_F(EntityCardTest, ScriptInANoteIsText) {
    auto c = card(CardScope::Counterparty, 10);
    EXPECT_TRUE(c->view()->toPlainText().contains("<script>alert('x')</script>"));
    EXPECT_TRUE(c->view()->toPlainText().contains("<b>"));
    EXPECT_FALSE(c->html().contains("<script>"));
    EXPECT_TRUE(c->html().contains("&lt;script&gt;"));
}

TEST_F(EntityCardTest, ProjectCardAndLinksBetweenCards) {
    std::vector<sdk::Id> openedCounterparties;
    Navigation nav;
    nav.openCounterparty = [&](sdk::Id id) { openedCounterparties.push_back(id); };
    auto c = card(CardScope::Project, 10, nav);
    const QString text = c->view()->toPlainText();
    EXPECT_TRUE(text.contains(QString::fromStdString(directory.project(10)->code)));
    EXPECT_TRUE(text.contains(QString::fromUtf8("Płatność od Kowalski")));
    EXPECT_FALSE(text.contains(QString::fromUtf8("Событие без проекта у Kowalski"))) << "not this project's";
    EXPECT_FALSE(text.contains(QString::fromUtf8("Чужой платёж")));
    EXPECT_TRUE(c->html().contains("crm:counterparty/10"));
    c->followLink(QUrl("crm:counterparty/10"));
    EXPECT_EQ(openedCounterparties, std::vector<sdk::Id>{10});
    c->followLink(QUrl("https://example.com/"));  // anything else is never opened
    c->followLink(QUrl("crm:counterparty/abc"));
    EXPECT_EQ(openedCounterparties.size(), 1u);
    QSignalSpy spy(c.get(), &EntityCard::rendered);
    c->followLink(QUrl("crm:project/11"));  // same kind of card: shown in place
    ASSERT_TRUE(spy.wait(10000));
    EXPECT_EQ(c->entityId(), 11);
    EXPECT_TRUE(c->view()->toPlainText().contains(QString::fromUtf8("Чужой платёж")));
}

TEST_F(EntityCardTest, RegisteredFormsAndJumpFromAnEventToItsCards) {
    TabRegistry registry;
    MemorySettings settings;
    CrmFormsContext context{*store, directory, settings};
    context.locale = "ru";
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    const auto ids = registerCrmForms(registry, context);
    EXPECT_EQ(ids, (std::vector<std::string>{kDispatcherFormId, kCounterpartyCardId, kProjectCardId})) << "no entry forms without UserEvents";
    EXPECT_TRUE(registry.specs.at(kDispatcherFormId).openOnStart);
    ASSERT_TRUE(registry.openForm(kDispatcherFormId));
    auto* w = registry.find<DispatcherWorkstation>(kDispatcherFormId);
    if (!w) w = dynamic_cast<DispatcherWorkstation*>(registry.widgets[kDispatcherFormId]);
    ASSERT_TRUE(w);
    ASSERT_TRUE(settle(*w->model()));
    const int row = w->model()->rowOf([&] {
        crm::FeedFilter f;
        f.kinds = {"payment.received"};
        f.counterparty = 10;
        return store->feed(f).events.at(0).id;
    }());
    ASSERT_GE(row, 0);
    w->table()->selectRow(row);

    // Double-click: the project's card.
    emit w->table()->doubleClicked(w->model()->index(row, 0));
    ASSERT_EQ(registry.current, kProjectCardId);
    auto* project = registry.find<EntityCard>(kProjectCardId);
    ASSERT_TRUE(project);
    EXPECT_EQ(project->entityId(), 10);
    ASSERT_TRUE(waitFor([&] { return project->view()->toPlainText().contains(QString::fromUtf8("Płatność od Kowalski")); }));

    // Context menu's "counterparty card", then a link in the project card to its customer.
    ASSERT_TRUE(w->openCounterpartyOfSelected());
    EXPECT_EQ(registry.current, kCounterpartyCardId);
    auto* counterparty = registry.find<EntityCard>(kCounterpartyCardId);
    ASSERT_TRUE(counterparty);
    EXPECT_EQ(counterparty->entityId(), 10);
    project->followLink(QUrl("crm:counterparty/11"));
    EXPECT_EQ(counterparty->entityId(), 11) << "the open card shows the new counterparty";
    ASSERT_TRUE(waitFor([&] { return counterparty->view()->toPlainText().contains(QString::fromUtf8("Чужая заметка Ковальчук")); }));

    unregisterCrmForms(registry);
    EXPECT_TRUE(registry.specs.empty());
    EXPECT_TRUE(registry.widgets.empty());
    unregisterCrmForms(registry);  // twice: nothing happens
}

TEST_F(EntityCardTest, ClickingAndDoubleClickingRowsQuicklyNeverCrashes) {
    // Rows of many projects, so that every double-click sends the project card elsewhere.
    std::vector<crm::Event> more;
    const auto now = crm::systemClock()();
    for (int i = 0; i < 30; ++i) {
        auto e = makeEvent("storm" + std::to_string(i), now - std::chrono::minutes(i), i % 3 ? "note.project" : "payment.received");
        e.projectId = i % 4 ? 20 + i : 0;  // every fourth opens the counterparty card instead
        e.counterpartyId = 20 + i;
        more.push_back(e);
    }
    write(more);
    TabRegistry registry;
    MemorySettings settings;
    CrmFormsContext context{*store, directory, settings};
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    registerCrmForms(registry, context);
    ASSERT_TRUE(registry.openForm(kDispatcherFormId));
    auto* w = dynamic_cast<DispatcherWorkstation*>(registry.widgets[kDispatcherFormId]);
    ASSERT_TRUE(w);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(w));
    ASSERT_TRUE(settle(*w->model()));
    ASSERT_GE(w->model()->rowCount(), 30);
    registry.failEvery = 7;

    QWidget* viewport = w->table()->viewport();
    auto centre = [&](int row) { return w->table()->visualRect(w->model()->index(row, FeedModel::TitleColumn)).center(); };
    for (int round = 0; round < 60; ++round) {
        const int row = (round * 7) % 12;  // the first rows: always on screen
        // A click on another row, then straight away a double-click: the card's load of the
        // clicked row is still in flight when the project card opens.
        QTest::mouseClick(viewport, Qt::LeftButton, {}, centre((row + 1) % 12));
        QTest::mouseClick(viewport, Qt::LeftButton, {}, centre(row));  // a double-click's first press
        QTest::mouseDClick(viewport, Qt::LeftButton, {}, centre(row));
        if (round % 5 == 4) QTest::qWait(1);
        // Now and then the user closes the opened card while its load may still run.
        if (round % 9 == 8)
            for (const char* id : {kProjectCardId, kCounterpartyCardId}) {
                delete registry.widgets[id];
                registry.widgets[id] = nullptr;
            }
    }
    EXPECT_GE(registry.opens, 60) << "the double-clicks opened cards";
    QTest::qWait(200);  // answers still in flight arrive, for widgets alive or gone
    const auto shown = w->selectedEventId();
    ASSERT_TRUE(shown);
    EXPECT_TRUE(waitFor([&] { return w->card()->eventId() == *shown && w->card()->hasResult(); }))
        << "the card shows the row selected last";
    unregisterCrmForms(registry);
}

TEST_F(EntityCardTest, RegisteredFormsGoByTheHostsClockNotTheMachines) {
    // The reference host runs on simulated days: "Today" in the dispatcher's filter and the
    // entry dialog's date must be the host's day, not the machine's.
    TabRegistry registry;
    MemorySettings settings;
    CrmFormsContext context{*store, directory, settings};
    context.locale = "pl";
    context.currentUser = *directory.user(kMe);
    context.webEngine = false;
    const sdk::TimePoint simulated = sdk::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2)) + std::chrono::hours(10);
    context.clock = [simulated] { return simulated; };
    registerCrmForms(registry, context);
    ASSERT_TRUE(registry.openForm(kDispatcherFormId));
    auto* w = dynamic_cast<DispatcherWorkstation*>(registry.widgets[kDispatcherFormId]);
    ASSERT_TRUE(w);
    auto* filters = w->findChild<FilterPanel*>();
    ASSERT_TRUE(filters);
    filters->setPeriod(FilterPanel::Period::Today);
    const auto f = filters->filter();
    ASSERT_TRUE(f.from.has_value());
    // The host's day on the installation's clocks (Europe/Warsaw for a Polish host: UTC+1 in March).
    EXPECT_EQ(*f.from, sdk::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 1)) + std::chrono::hours(23));
    EXPECT_NE(QDate(2026, 3, 2), QDate::currentDate());
    unregisterCrmForms(registry);
}

}  // namespace

namespace {

// A small manufacturer's directory for the documentation screenshot (Polish customer).
class ShowroomDirectory : public sdk::IDirectory {
public:
    ShowroomDirectory() {
        cp_ = {42, sdk::CounterpartyKind::Company, "Okna-Bud Kowalski Sp. z o.o.", "725-18-44-901", "Łódź",
               "ul. Piotrkowska 118, 90-006 Łódź", "Jan Kowalski", "jan.kowalski@okna-bud.pl", "+48 601 234 567", "pl"};
        projects_ = {{142, "P-2026-0142", "Okna PCV, dom jednorodzinny Zgierz", 42, 2, 3, "in_production", "Zgierz, ul. Łąkowa 7"},
                     {177, "P-2026-0177", "Drzwi zewnętrzne i rolety, biuro", 42, 2, 4, "measured", "Łódź, ul. Zielona 21"},
                     {931, "P-2025-0931", "Okna drewniane, kamienica", 42, 5, 3, "installed", "Łódź, ul. Wólczańska 55"}};
        users_ = {{1, "system", "System", "", 1, "pl"}, {2, "akowalczyk", "Anna Kowalczyk", "", 1, "pl"},
                  {3, "pnowak", "Piotr Nowak", "", 1, "pl"}, {4, "mzielinski", "Marek Zieliński", "", 1, "pl"},
                  {5, "kwisniewska", "Katarzyna Wiśniewska", "", 1, "pl"}};
    }
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return id == 42 ? std::optional(cp_) : std::nullopt; }
    std::optional<sdk::Project> project(sdk::Id id) const override {
        for (const auto& p : projects_)
            if (p.id == id) return p;
        return std::nullopt;
    }
    std::optional<sdk::User> user(sdk::Id id) const override {
        for (const auto& u : users_)
            if (u.id == id) return u;
        return std::nullopt;
    }
    std::optional<sdk::Department> department(sdk::Id) const override { return std::nullopt; }
    std::vector<sdk::Counterparty> counterparties() const override { return {cp_}; }
    std::vector<sdk::Project> projects() const override { return projects_; }
    std::vector<sdk::User> users() const override { return users_; }
    std::vector<sdk::Department> departments() const override { return {}; }

private:
    sdk::Counterparty cp_;
    std::vector<sdk::Project> projects_;
    std::vector<sdk::User> users_;
};

// Renders a counterparty card offscreen on realistic data; with CONDUIT_SCREENSHOT_DIR set it
// writes counterparty-card.png there (docs/screenshots).
TEST_F(EntityCardTest, CounterpartyCardScreenshot) {
    ShowroomDirectory showroom;
    const auto now = crm::systemClock()();
    std::vector<crm::Event> events;
    auto add = [&](const std::string& kind, sdk::Id project, int hoursAgo, const std::string& title) -> crm::Event& {
        auto e = makeEvent("shot-" + std::to_string(events.size()), now - std::chrono::hours(hoursAgo), kind);
        e.counterpartyId = 42;
        e.projectId = project;
        e.title = title;
        events.push_back(e);
        return events.back();
    };
    add("payment.prepayment_received", 142, 24 * 20, "Przedpłata 30% za okna PCV").amount = sdk::Money{1240000, "PLN"};
    add("order.production_launched", 142, 24 * 18, "Zamówienie Z/2026/0142 skierowane do produkcji");
    add("note.customer", 0, 24 * 15, "Klient prosi o kontakt tylko po 16:00").body =
        "Klient prosi o kontakt tylko po 16:00.\nFaktury wysyłać na adres biura, nie na budowę.";
    add("note.measurement", 177, 24 * 9, "Pomiar: wnęka drzwi 2 cm węższa niż w projekcie")
        .attachments.push_back({"arkusz-pomiaru-P-2026-0177.pdf", "application/pdf", 0, {}, "%PDF-1.4 arkusz"});
    add("payment.final_received", 931, 24 * 7, "Płatność końcowa — kamienica Wólczańska").amount = sdk::Money{3185050, "PLN"};
    auto& overdue = add("payment.overdue", 177, 24 * 3, "Zaległa przedpłata za drzwi i rolety");
    overdue.importance = crm::Importance::Critical;
    overdue.dueAt = now + std::chrono::hours(24);
    add("note.customer", 142, 30, "Kolor ram: złoty dąb po obu stronach").body = "Kolor ram: złoty dąb po obu stronach, klamki białe.";
    auto& montage = add("schedule.installation_planned", 142, 20, "Montaż okien zaplanowany — ekipa Wiśniewski");
    montage.dueAt = now + std::chrono::hours(24 * 6);
    write(events);

    DirectoryCache names(showroom);
    Navigation nav;
    nav.openProject = [](sdk::Id) {};
    EntityCard card(CardScope::Counterparty, *store, names, Lang("pl"), *showroom.user(2), nav, nullptr, {});
    card.resize(1000, 1180);
    card.show();
    QSignalSpy spy(&card, &EntityCard::rendered);
    card.showEntity(42);
    ASSERT_TRUE(spy.wait(10000));
    QTest::qWait(100);
    const QImage image = card.grab().toImage();
    ASSERT_FALSE(image.isNull());
    EXPECT_TRUE(card.view()->toPlainText().contains(QString::fromUtf8("Zaległa przedpłata za drzwi i rolety")));
    EXPECT_TRUE(card.view()->toPlainText().contains(QString::fromUtf8("P-2025-0931")));
    if (const char* out = std::getenv("CONDUIT_SCREENSHOT_DIR")) {
        EXPECT_TRUE(image.save(QString::fromUtf8(out) + QStringLiteral("/counterparty-card.png")));
    }
}

}  // namespace
