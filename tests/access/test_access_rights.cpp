// Rights through the core API on a real embedded store: each role sees and does what it should
// and no more, restricted projects, payment details, gapless paging with exclusions, and the
// audit rows of every change with old and new values.
#include "access_test_util.hpp"

#include <conduit/crm/timeline/event_text.hpp>

#include <algorithm>
#include <set>
#include <thread>

using namespace conduit;
using namespace conduit::access_test;
using crm::Role;

namespace {

std::set<std::string> kindsOf(const std::vector<crm::Event>& events) {
    std::set<std::string> out;
    for (const auto& e : events) out.insert(e.kind);
    return out;
}

const crm::Event* byKind(const std::vector<crm::Event>& events, const std::string& kind) {
    for (const auto& e : events)
        if (e.kind == kind) return &e;
    return nullptr;
}

class Rights : public AccessTest {
protected:
    void SetUp() override {
        AccessTest::SetUp();
        auto pay = hostEvent("pay", "payment.received", kOpenProject, kOknaLodz, 2);
        pay.amount = sdk::Money{1'250'00, "PLN"};
        pay.invoiceNumber = "FV/2026/03/117";
        pay.body = "Przelew za FV/2026/03/117, zaliczka 50%";
        write(pay);
        auto overdue = hostEvent("overdue", "payment.overdue", kOpenProject, kOknaLodz, 3);
        overdue.amount = sdk::Money{500'00, "PLN"};
        write(overdue);
        write(hostEvent("install", "schedule.installation_planned", kOpenProject, kOknaLodz, 4));
        write(hostEvent("launch", "order.production_launched", kOpenProject, kOknaLodz, 5));
        write(hostEvent("fedor-install", "schedule.installation_planned", 0, kFedor, 6));
        write(hostEvent("secret-launch", "order.production_launched", kSecretProject, kFedor, 7));
        auto secretPay = hostEvent("secret-pay", "payment.received", kSecretProject, kFedor, 8);
        secretPay.amount = sdk::Money{99'000'00, "RUB"};
        write(secretPay);
        crm::CustomerNote note;
        note.requestId = "n1";
        note.authorId = kOrders;
        note.counterpartyId = kOknaLodz;
        note.text = "Klient prosi o kontakt tylko po 16:00";
        note.at = day(9);
        userEvents->addCustomerNote(note);
        flush();
    }
};

}  // namespace

TEST_F(Rights, RolesComeFromDepartmentsProjectsAndExplicitMappings) {
    EXPECT_EQ(access->viewer(kDispatcher).roles, std::set<Role>{Role::Dispatcher});
    EXPECT_EQ(access->viewer(kPlanner).roles, std::set<Role>{Role::Planner});
    EXPECT_EQ(access->viewer(kFinance).roles, std::set<Role>{Role::Finance});
    EXPECT_EQ(access->viewer(kOrders).roles, std::set<Role>{Role::Orders});
    EXPECT_EQ(access->viewer(kMeasurer).roles, std::set<Role>{Role::Measurer});
    EXPECT_EQ(access->viewer(kManagement).roles, std::set<Role>{Role::Management});
    EXPECT_EQ(access->viewer(kAdmin).roles, std::set<Role>{Role::Admin});
    // Sales by department, project manager by the projects they run.
    EXPECT_EQ(access->viewer(kProjectManager).roles, (std::set<Role>{Role::Sales, Role::ProjectManager}));
    // No company department: an external client, of no counterparty until mapped.
    EXPECT_EQ(access->viewer(kClient).roles, std::set<Role>{Role::Client});
    EXPECT_EQ(access->viewer(kStranger).roles, std::set<Role>{Role::Client});
    EXPECT_TRUE(feedOf(kClient).empty());
    access->grantRole(kAdmin, {kClient, Role::Client, kOknaLodz, true});
    EXPECT_EQ(access->viewer(kClient).clientCounterparty, static_cast<sdk::Id>(kOknaLodz));
    EXPECT_EQ(crm::roleName(Role::Measurer, "ru"), "Замерщик");
    EXPECT_EQ(crm::roleName(Role::Measurer, "pl"), "Pomiarowiec");
}

TEST_F(Rights, EachRoleSeesItsKindsAndPaymentDetailsOnlyWhereAllowed) {
    access->setProjectRestricted(kAdmin, kSecretProject, true);
    // Finance, orders, sales: everything outside the restricted project, with amounts.
    for (sdk::Id who : {kFinance, kOrders, kSales}) {
        const auto feed = feedOf(who);
        EXPECT_EQ(feed.size(), 6u) << who;
        const auto* pay = byKind(feed, "payment.received");
        ASSERT_NE(pay, nullptr);
        ASSERT_TRUE(pay->amount);
        EXPECT_EQ(pay->amount->minor, 1'250'00);
        EXPECT_EQ(pay->invoiceNumber, "FV/2026/03/117");
    }
    // Dispatcher, planner, measurer see that a payment came, not how much nor the invoice (redacted).
    for (sdk::Id who : {kDispatcher, kPlanner, kMeasurer}) {
        const auto feed = feedOf(who);
        const auto* pay = byKind(feed, "payment.received");
        ASSERT_NE(pay, nullptr) << who;
        EXPECT_FALSE(pay->amount) << who;
        EXPECT_EQ(pay->invoiceNumber, "") << who;
        EXPECT_EQ(pay->body, "") << who;
        // The stored title may hold the amount: gone, and the reader's title is the kind's name.
        EXPECT_EQ(pay->title, "") << who;
        EXPECT_TRUE(pay->detailsRedacted);
        EXPECT_EQ(crm::eventText(*pay, crm::formatterFor(crm::Locale::of("en"), crm::TimeZone::named("UTC"))).title,
                  crm::kindName("payment.received", crm::Locale::of("en")));
        const auto one = store->event(pay->id, access->scope(who));
        ASSERT_TRUE(one);
        EXPECT_FALSE(one->amount);
        // ... and a search for the invoice number in the body does not reveal it either.
        crm::FeedFilter search;
        search.text = "zaliczka";
        EXPECT_TRUE(feedOf(who, search).empty()) << who;
    }
    crm::FeedFilter search;
    search.text = "zaliczka";
    EXPECT_EQ(feedOf(kFinance, search).size(), 1u);
    // Management and admin see the restricted project too.
    EXPECT_EQ(feedOf(kManagement).size(), 8u);
    EXPECT_EQ(feedOf(kAdmin).size(), 8u);
    // The system (no scope) sees all eight with details.
    EXPECT_EQ(store->feed({}).events.size(), 8u);

    // A mapped external client: their own counterparty's installation and payments, not internal notes.
    access->grantRole(kAdmin, {kClient, Role::Client, kOknaLodz, true});
    const auto client = feedOf(kClient);
    EXPECT_EQ(kindsOf(client), (std::set<std::string>{"payment.received", "schedule.installation_planned"}));
    for (const auto& e : client) EXPECT_EQ(e.counterpartyId, static_cast<sdk::Id>(kOknaLodz));
}

TEST_F(Rights, RestrictedProjectIsVisibleToItsParticipantsOnly) {
    const auto secret = store->feed({.project = kSecretProject}).events;
    ASSERT_EQ(secret.size(), 2u);
    EXPECT_EQ(feedOf(kSales).size(), 8u);
    // Only management, admin or the project's manager may restrict it.
    EXPECT_THROW(access->setProjectRestricted(kSales, kSecretProject, true), crm::AccessRuleError);
    access->setProjectRestricted(kProjectManager, kSecretProject, true);
    EXPECT_TRUE(access->isRestricted(kSecretProject));

    for (sdk::Id outsider : {kSales, kDispatcher, kFinance, kOrders, kPlanner, kMeasurer}) {
        const auto feed = feedOf(outsider);
        for (const auto& e : feed) EXPECT_NE(e.projectId, static_cast<sdk::Id>(kSecretProject)) << outsider;
        EXPECT_TRUE(feedOf(outsider, {.project = kSecretProject}).empty()) << outsider;
        EXPECT_FALSE(store->event(secret.front().id, access->scope(outsider))) << outsider;
        const auto summary = store->projectSummary(kSecretProject, access->scope(outsider), day(1));
        EXPECT_EQ(summary.total, 0) << outsider;
        EXPECT_FALSE(summary.lastPayment) << outsider;
        EXPECT_FALSE(access->mayReceive(crm::Recipient::user(outsider), secret.front())) << outsider;
    }
    for (sdk::Id insider : {kProjectManager, kMeasurer2, kManagement, kAdmin}) {
        EXPECT_EQ(feedOf(insider, {.project = kSecretProject}).size(), 2u) << insider;
        EXPECT_TRUE(access->mayReceive(crm::Recipient::user(insider), secret.front())) << insider;
    }
    // The counterparty summary leaves the hidden project's events out of its counts.
    EXPECT_EQ(store->counterpartySummary(kFedor, day(1)).total, 3);
    EXPECT_EQ(store->counterpartySummary(kFedor, access->scope(kSales), day(1)).total, 1);
    EXPECT_EQ(store->counterpartySummary(kFedor, access->scope(kMeasurer2), day(1)).total, 3);

    // A named participant sees it; removed again, they do not.
    access->addParticipant(kProjectManager, kSecretProject, kFinance);
    EXPECT_EQ(feedOf(kFinance, {.project = kSecretProject}).size(), 2u);
    EXPECT_EQ(access->participants(kSecretProject), (std::vector<sdk::Id>{kProjectManager, kMeasurer2, kFinance}));
    access->removeParticipant(kProjectManager, kSecretProject, kFinance);
    EXPECT_TRUE(feedOf(kFinance, {.project = kSecretProject}).empty());

    // Every change is in the audit log, with old and new values.
    const auto rows = audit->byObject("project_access", std::to_string(kSecretProject));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].action, "update");
    EXPECT_EQ(rows[2].actor, static_cast<sdk::Id>(kProjectManager));
    EXPECT_EQ(rows[2].oldValue, (nlohmann::json{{"restricted", false}}));
    EXPECT_EQ(rows[2].newValue, (nlohmann::json{{"restricted", true}}));
    EXPECT_EQ(rows[0].action, "remove_participant");
    EXPECT_EQ(rows[0].oldValue["userId"], kFinance);
}

TEST_F(Rights, AChangeMadeOnAnotherWorkstationAppliesHereWithinTheRecheck) {
    // Two workstations on one CRM database: each has its own AccessControl and cache.
    auto waitUntil = [](auto done, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(20ms);
        }
        return true;
    };
    crm::AccessControl here(*store, directory, *audit, 200ms);
    crm::AccessControl cached(*store, directory, *audit, std::chrono::hours(1));
    const auto secret = store->feed({.project = kSecretProject}).events;
    ASSERT_FALSE(secret.empty());
    ASSERT_TRUE(here.maySee(kSales, secret.front()));
    ASSERT_TRUE(cached.maySee(kSales, secret.front()));

    access->setProjectRestricted(kProjectManager, kSecretProject, true);  // on the other workstation
    EXPECT_TRUE(waitUntil([&] { return !here.maySee(kSales, secret.front()); }, 5s))
        << "a restriction made elsewhere must apply here without a restart";
    EXPECT_FALSE(here.scope(kSales).mayView(secret.front().kind, kSecretProject, secret.front().counterpartyId));
    EXPECT_TRUE(cached.maySee(kSales, secret.front())) << "within its recheck period the cache answers";

    crm::RoleRight noNotes{crm::Role::Orders, "note.customer", true, true, false, crm::Reach::None, crm::Reach::None};
    access->setRight(kAdmin, noNotes);
    EXPECT_TRUE(waitUntil([&] { return !here.mayCreate(kOrders, "note.customer", 0); }, 5s));
    cached.reload();
    EXPECT_FALSE(cached.mayCreate(kOrders, "note.customer", 0));
}

TEST_F(Rights, AttachmentContentNeedsTheRightToSeeItsEvent) {
    crm::MeasurementNote m;
    m.requestId = "m1";
    m.authorId = kMeasurer2;
    m.projectId = kSecretProject;
    m.text = "Проём 1200×1400, откос кривой";
    m.sheets.push_back({"szkic.pdf", "", 0, "", std::string("%PDF-1.4\nszkic\n%%EOF\n")});
    m.at = day(10);
    userEvents->addMeasurementNote(m);
    flush();
    const auto notes = store->feed({.kinds = {"note.measurement"}}).events;
    ASSERT_EQ(notes.size(), 1u);
    const auto sha = notes.front().attachments.at(0).sha256;
    EXPECT_TRUE(store->attachmentContent(sha, access->scope(kSales)));
    access->setProjectRestricted(kManagement, kSecretProject, true);
    EXPECT_FALSE(store->attachmentContent(sha, access->scope(kSales)));
    EXPECT_TRUE(store->attachmentContent(sha, access->scope(kMeasurer2)));
    EXPECT_TRUE(store->attachmentContent(sha));  // the system
}

TEST_F(Rights, PagingStaysGaplessAndPagesStayFullWithExclusions) {
    // 300 events where hidden kinds and a restricted project interleave with visible ones, many
    // sharing one timestamp (the keyset's tie-breaker is the id).
    const char* kinds[] = {"payment.received", "order.production_launched", "note.customer", "schedule.stage_planned", "payment.overdue"};
    for (int i = 0; i < 300; ++i) {
        auto e = hostEvent("bulk" + std::to_string(i), kinds[i % 5], i % 3 == 0 ? kSecretProject : kOpenProject,
                           i % 3 == 0 ? kFedor : kOknaLodz, 11 + (i % 7));
        e.occurredAt = day(11 + (i / 40));
        write(e);
    }
    flush();
    access->setProjectRestricted(kAdmin, kSecretProject, true);
    access->grantRole(kAdmin, {kClient, Role::Client, kOknaLodz, true});
    const auto all = store->feed({}, std::nullopt, 1000).events;
    for (sdk::Id who : {kSales, kClient, kPlanner, kDispatcher}) {
        const auto scope = access->scope(who);
        std::vector<std::int64_t> expected;
        for (const auto& e : all)
            if (scope.mayView(e.kind, e.projectId, e.counterpartyId)) expected.push_back(e.id);
        ASSERT_FALSE(expected.empty()) << who;
        ASSERT_LT(expected.size(), all.size()) << who;
        crm::FeedFilter f;
        f.access = scope;
        std::vector<std::int64_t> got;
        std::optional<crm::FeedCursor> after;
        do {
            auto page = store->feed(f, after, 7);
            if (page.next) {
                EXPECT_EQ(page.events.size(), 7u) << who;  // full pages, only the last may be short
            }
            for (const auto& e : page.events) got.push_back(e.id);
            after = page.next;
        } while (after);
        EXPECT_EQ(got, expected) << who;  // same order, nothing missing, nothing repeated
    }
}

TEST_F(Rights, CreatingNeedsTheRightAndTheRefusalIsInTheUsersLanguage) {
    crm::PaymentEntry p;
    p.requestId = "p-planner";
    p.authorId = kPlanner;
    p.counterpartyId = kOknaLodz;
    p.amount = {100'00, "PLN"};
    p.paidAt = day(12);
    const auto before = store->counts().writer.submitted;
    try {
        userEvents->registerPayment(p);
        ADD_FAILURE() << "a planner registered a payment";
    } catch (const crm::AccessDenied& e) {
        EXPECT_EQ(e.field, "rights");
        EXPECT_EQ(std::string(e.what()), "You have no right to create entries of this kind: payment.received");
    }
    EXPECT_EQ(store->counts().writer.submitted, before);  // nothing submitted
    EXPECT_EQ(std::string(crm::accessDenied("create", "payment.received", "ru").what()),
              "Нет права создавать записи этого вида: payment.received");
    EXPECT_EQ(std::string(crm::accessDenied("delete", "note.customer", "pl").what()),
              "Brak uprawnień do usunięcia tego wpisu: note.customer");

    p.authorId = kFinance;
    p.requestId = "p-finance";
    const auto made = userEvents->registerPayment(p);
    flush();
    // The creation is audited with its new values.
    const auto rows = audit->byObject("event", made.idempotencyKey);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].action, "create");
    EXPECT_EQ(rows[0].actor, static_cast<sdk::Id>(kFinance));
    EXPECT_TRUE(rows[0].oldValue.is_null());
    EXPECT_EQ(rows[0].newValue["amount"]["minor"], 100'00);
    EXPECT_TRUE(rows[0].newValue["id"].get<std::int64_t>() > 0) << "the values as stored: " << rows[0].newValue.dump();
    // Saved twice (a double click, a retry after "try again later"): one entry, one audit row.
    userEvents->registerPayment(p);
    flush();
    EXPECT_EQ(audit->byObject("event", made.idempotencyKey).size(), 1u);

    // A measurer notes measurements, not customer notes; and not in a restricted project of others.
    crm::CustomerNote n;
    n.requestId = "n-measurer";
    n.authorId = kMeasurer;
    n.counterpartyId = kOknaLodz;
    n.text = "x";
    EXPECT_THROW(userEvents->addCustomerNote(n), crm::AccessDenied);
    access->setProjectRestricted(kAdmin, kSecretProject, true);
    crm::MeasurementNote m;
    m.requestId = "m-outsider";
    m.authorId = kMeasurer;
    m.projectId = kSecretProject;
    m.text = "Не мой проект";
    EXPECT_THROW(userEvents->addMeasurementNote(m), crm::AccessDenied);
    m.authorId = kMeasurer2;
    EXPECT_NO_THROW(userEvents->addMeasurementNote(m));
}

TEST_F(Rights, NotesAreEditedAndDeletedByWhomTheRulesAllowWithAuditedOldAndNewValues) {
    const auto notes = store->feed({.kinds = {"note.customer"}}).events;
    ASSERT_EQ(notes.size(), 1u);
    const auto note = notes.front();
    ASSERT_EQ(note.authorId, static_cast<sdk::Id>(kOrders));

    // Another orders clerk may not edit it (own entries only); the author may.
    EXPECT_THROW(changes->editText(kOrders2, note.id, "cudzy"), crm::AccessDenied);
    EXPECT_FALSE(access->mayEdit(kOrders2, note));
    EXPECT_TRUE(access->mayEdit(kOrders, note));
    const std::string text = "Klient prosi o kontakt po 17:00\nPreferuje e-mail, nie telefon";
    const auto edited = changes->editText(kOrders, note.id, text);
    EXPECT_EQ(edited.title, "Klient prosi o kontakt po 17:00");
    const auto stored = store->event(note.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->body, text);
    EXPECT_EQ(stored->title, "Klient prosi o kontakt po 17:00");
    // A text longer than the body column is kept whole (body.txt), as on creation.
    const std::string longText = "Długa notatka — " + std::string(3000, 'x') + " — конец";
    changes->editText(kOrders, note.id, longText);
    const auto longStored = store->event(note.id);
    ASSERT_TRUE(longStored);
    ASSERT_EQ(longStored->attachments.size(), 1u);
    EXPECT_EQ(longStored->attachments[0].fileName, "body.txt");
    EXPECT_EQ(store->attachmentContent(longStored->attachments[0].sha256), longText);
    changes->editText(kOrders, note.id, "krótko");
    EXPECT_TRUE(store->event(note.id)->attachments.empty());

    // Host events are never edited, whatever the role.
    const auto host = store->feed({.kinds = {"order.production_launched"}}).events.front();
    EXPECT_FALSE(access->mayEdit(kAdmin, host));
    EXPECT_THROW(changes->remove(kAdmin, host.id), crm::AccessDenied);

    // Deleting: not another clerk, but management may delete anyone's note.
    EXPECT_THROW(changes->remove(kOrders2, note.id), crm::AccessDenied);
    changes->remove(kManagement, note.id);
    EXPECT_FALSE(store->event(note.id));
    EXPECT_TRUE(store->feed({.kinds = {"note.customer"}}).events.empty());
    EXPECT_EQ(store->counterpartySummary(kOknaLodz, day(1)).countsByKind.count("note.customer"), 0u);
    EXPECT_THROW(changes->remove(kManagement, note.id), crm::ValidationError);  // already gone

    const auto rows = audit->byObject("event", note.idempotencyKey);
    ASSERT_EQ(rows.size(), 5u);  // create, 3 updates, delete (newest first)
    EXPECT_EQ(rows[0].action, "delete");
    EXPECT_EQ(rows[0].actor, static_cast<sdk::Id>(kManagement));
    EXPECT_EQ(rows[0].oldValue["body"], "krótko");
    EXPECT_TRUE(rows[0].newValue.is_null());
    EXPECT_EQ(rows[3].action, "update");
    EXPECT_EQ(rows[3].oldValue["body"], "Klient prosi o kontakt tylko po 16:00");
    EXPECT_EQ(rows[3].newValue["body"], text);
    EXPECT_EQ(rows[2].newValue["body"], longText);  // the whole text, not the column's start
    EXPECT_EQ(rows[4].action, "create");
    const auto byOrders = audit->byActor(kOrders);
    EXPECT_EQ(byOrders.size(), 4u);
    // Keyset paging of the audit log.
    const auto first = audit->byActor(kOrders, 3);
    ASSERT_EQ(first.size(), 3u);
    const auto rest = audit->byActor(kOrders, 3, first.back().id);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].action, "create");
}

TEST_F(Rights, RightsChangeThroughTheApiOnlyByAnAdministratorAndAreAudited) {
    crm::RoleRight planner{Role::Planner, "payment.*", true, true, false, crm::Reach::None, crm::Reach::None};
    EXPECT_THROW(access->setRight(kManagement, planner), crm::AccessRuleError);
    EXPECT_THROW(access->setRight(kAdmin, {Role::Planner, "Payment'; DROP TABLE CRM_EVENT; --", true}), crm::AccessRuleError);
    EXPECT_FALSE(byKind(feedOf(kPlanner), "payment.received")->amount);
    access->setRight(kAdmin, planner);
    EXPECT_TRUE(byKind(feedOf(kPlanner), "payment.received")->amount);
    // Hide production launches from sales entirely.
    access->setRight(kAdmin, {Role::Sales, "order.*", false});
    EXPECT_EQ(kindsOf(feedOf(kSales)).count("order.production_launched"), 0u);
    EXPECT_EQ(feedOf(kSales).size(), 6u);
    access->removeRight(kAdmin, Role::Sales, "order.*");
    EXPECT_EQ(feedOf(kSales).size(), 8u);

    // Another AccessControl (another workstation) reads the same rules from the database.
    crm::AccessControl other(*store, directory, *audit);
    EXPECT_TRUE(byKind([&] {
        crm::FeedFilter f;
        f.access = other.scope(kPlanner);
        return store->feed(f).events;
    }(), "payment.received")->amount);

    const auto rows = audit->byObject("right", "planner/payment.*");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].action, "update");
    EXPECT_EQ(rows[0].oldValue["seeDetails"], false);
    EXPECT_EQ(rows[0].newValue["seeDetails"], true);
    const auto byAdmin = audit->byActor(kAdmin);
    ASSERT_EQ(byAdmin.size(), 3u);
    EXPECT_EQ(byAdmin[0].action, "delete");
    EXPECT_EQ(byAdmin[1].action, "create");
    // An audit row for a rule of the notification helper, through the public record().
    audit->record(kAdmin, "rule", "42", "update", {{"leadDays", 2}}, {{"leadDays", 3}});
    EXPECT_EQ(audit->byObject("rule", "42").at(0).newValue["leadDays"], 3);
}

TEST_F(Rights, NotificationsReachOnlyWhoMaySee) {
    const auto all = store->feed({}).events;
    const crm::Event* pay = nullptr;
    for (const auto& e : all)
        if (e.title == "payment.received pay") pay = &e;
    const auto* note = byKind(all, "note.customer");
    ASSERT_NE(pay, nullptr);
    ASSERT_NE(note, nullptr);
    // A counterparty's contact: their own counterparty, client kinds only.
    EXPECT_TRUE(access->mayReceive(crm::Recipient::contact(kOknaLodz), *pay));
    EXPECT_FALSE(access->mayReceive(crm::Recipient::contact(kFedor), *pay));
    EXPECT_FALSE(access->mayReceive(crm::Recipient::contact(kOknaLodz), *note));
    // Users: a dispatcher is told of the payment, without the amount in their copy.
    EXPECT_TRUE(access->mayReceive(crm::Recipient::user(kDispatcher), *pay));
    const auto copy = access->visibleCopy(kDispatcher, *pay);
    ASSERT_TRUE(copy);
    EXPECT_FALSE(copy->amount);
    EXPECT_TRUE(access->visibleCopy(kFinance, *pay)->amount);
    EXPECT_FALSE(access->mayReceive(crm::Recipient::user(kStranger), *pay));
}

TEST_F(Rights, AStarEntryInAScopeMeansEveryKindInSqlAsInMemory) {
    // AccessControl keeps "*" in `fallback`; a scope built by hand may list it: both readings agree.
    crm::AccessScope scope;
    scope.userId = kAdmin;
    scope.see.entries = {{"payment.*", false}, {"*", true}};
    scope.details.fallback = true;
    const auto all = store->feed({}).events;
    std::size_t expected = 0;
    for (const auto& e : all) expected += scope.see.allows(e.kind) ? 1 : 0;
    ASSERT_GT(expected, 0u);
    ASSERT_LT(expected, all.size());
    const auto seen = store->feed({.access = scope}).events;
    EXPECT_EQ(seen.size(), expected);
    for (const auto& e : seen) EXPECT_NE(e.kind.rfind("payment.", 0), 0u) << e.kind;
}

TEST(KindDecisions, MostSpecificPatternOfEachRoleDecidesAndRolesUnite) {
    crm::RightsTable t({{Role::Planner, "*", true, true},
                        {Role::Planner, "payment.*", true, false},
                        {Role::Planner, "payment.overdue", true, true},
                        {Role::Client, "*", false},
                        {Role::Client, "payment.*", true, true},
                        {Role::Client, "payment.overdue", false}});
    crm::Viewer planner{1, {Role::Planner}};
    EXPECT_TRUE(t.maySeeDetails(planner, "order.x"));
    EXPECT_FALSE(t.maySeeDetails(planner, "payment.received"));
    EXPECT_TRUE(t.maySeeDetails(planner, "payment.overdue"));
    crm::Viewer both{1, {Role::Planner, Role::Client}};
    EXPECT_TRUE(t.maySeeDetails(both, "payment.received"));  // the client role shows its own details
    const auto d = t.detailDecisions(planner);
    for (const char* kind : {"order.x", "payment.received", "payment.overdue", "payment.new_kind", "paymentx", "note.customer"})
        EXPECT_EQ(d.allows(kind), t.maySeeDetails(planner, kind)) << kind;
    crm::Viewer client{1, {Role::Client}};
    const auto s = t.seeDecisions(client);
    for (const char* kind : {"order.x", "payment.received", "payment.overdue", "payment.later"})
        EXPECT_EQ(s.allows(kind), t.maySee(client, kind)) << kind;
    EXPECT_TRUE(crm::kindPatternMatches("payment.*", "payment.received"));
    EXPECT_FALSE(crm::kindPatternMatches("payment.*", "paymentreceived"));
    EXPECT_FALSE(crm::isValidKindPattern("pay*"));
    EXPECT_FALSE(crm::isValidKindPattern("a'b"));
}

TEST_F(Rights, ManyRestrictedProjectsStayBelowFirebirdsInListLimit) {
    // Firebird refuses an IN list over 1500 values: the scope is bound in chunks.
    crm::AccessScope scope = access->scope(kSales);
    for (sdk::Id p = 1000; p < 3200; ++p) scope.hiddenProjects.push_back(p);
    scope.hiddenProjects.push_back(kSecretProject);
    crm::FeedFilter f;
    f.access = scope;
    const auto events = store->feed(f).events;
    EXPECT_EQ(events.size(), 6u);
    for (const auto& e : events) EXPECT_NE(e.projectId, static_cast<sdk::Id>(kSecretProject));
    EXPECT_FALSE(store->event(store->feed({.project = kSecretProject}).events.front().id, scope));
    EXPECT_EQ(store->projectSummary(kSecretProject, scope, day(1)).total, 0);
}
