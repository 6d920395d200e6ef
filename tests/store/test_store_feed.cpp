#include "store_test_util.hpp"

#include <set>

using namespace conduit::crm;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;

namespace {

// A small company history with known answers for every filter.
class FeedTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        std::vector<Event> events;
        auto add = [&](const std::string& key, sdk::TimePoint when, const std::string& kind, sdk::Id project, sdk::Id cp,
                       const std::string& module, sdk::Id author, Importance imp, const std::string& title,
                       const std::string& body = {}) {
            Event e = makeEvent(key, when, kind);
            e.projectId = project;
            e.counterpartyId = cp;
            e.sourceModule = module;
            e.authorId = author;
            e.importance = imp;
            e.title = title;
            e.body = body;
            events.push_back(e);
        };
        add("e1", at(2026, 1, 1), "payment.received", 10, 100, "payments", 0, Importance::Normal, "Оплата получена");
        add("e2", at(2026, 1, 2), "schedule.crew_assigned", 10, 100, "scheduling", 3, Importance::Normal, "Бригада назначена");
        add("e3", at(2026, 1, 3), "note.customer", 0, 100, "", 7, Importance::High, "Клиент просит ЖЁЛТЫЙ цвет");
        add("e4", at(2026, 1, 4), "note.measurement", 11, 101, "", 7, Importance::Normal, "Pomiar", "Adres: ŁÓDŹ, Piotrkowska 1");
        add("e5", at(2026, 1, 5), "payment.received", 11, 101, "payments", 0, Importance::Critical, "Wpłata");
        add("e6", at(2026, 1, 6), "warehouse.fg_received", 12, 0, "fg_warehouse", 0, Importance::Low, "Изделия на складе");
        add("e7", at(2026, 1, 7), "note.project", 0, 0, "", 8, Importance::Normal, "General note", "жёлтый и łódź вместе");
        write(events);
    }

    std::vector<std::string> keys(const FeedFilter& f) {
        std::vector<std::string> out;
        for (const auto& e : store->feed(f, std::nullopt, 1000).events) out.push_back(e.idempotencyKey);
        return out;
    }
    using Keys = std::vector<std::string>;
};

}  // namespace

TEST_F(FeedTest, WholeFeedIsNewestFirst) {
    EXPECT_EQ(keys({}), (Keys{"e7", "e6", "e5", "e4", "e3", "e2", "e1"}));
}

TEST_F(FeedTest, EachFilterAlone) {
    FeedFilter f;
    f.project = 10;
    EXPECT_EQ(keys(f), (Keys{"e2", "e1"}));
    f = {};
    f.counterparty = 101;
    EXPECT_EQ(keys(f), (Keys{"e5", "e4"}));
    f = {};
    f.kinds = {"payment.received"};
    EXPECT_EQ(keys(f), (Keys{"e5", "e1"}));
    f.kinds = {"payment.received", "note.customer"};
    EXPECT_EQ(keys(f), (Keys{"e5", "e3", "e1"}));
    f = {};
    f.sourceModule = "payments";
    EXPECT_EQ(keys(f), (Keys{"e5", "e1"}));
    f = {};
    f.author = 7;
    EXPECT_EQ(keys(f), (Keys{"e4", "e3"}));
    f = {};
    f.minImportance = Importance::High;
    EXPECT_EQ(keys(f), (Keys{"e5", "e3"}));
    f = {};
    f.from = at(2026, 1, 3);
    f.to = at(2026, 1, 5);  // exclusive
    EXPECT_EQ(keys(f), (Keys{"e4", "e3"}));
}

TEST_F(FeedTest, FreeTextIsCaseInsensitiveForCyrillicAndPolish) {
    FeedFilter f;
    for (const char* q : {"ЖЁЛТЫЙ", "жёлтый", "ЖёЛтЫй"}) {
        f.text = q;
        EXPECT_EQ(keys(f), (Keys{"e7", "e3"})) << q;  // title of e3, body of e7
    }
    for (const char* q : {"ŁÓDŹ", "łódź", "Łódź"}) {
        f.text = q;
        EXPECT_EQ(keys(f), (Keys{"e7", "e4"})) << q;
    }
    f.text = "nothing like this";
    EXPECT_TRUE(keys(f).empty());
    f.text = "'; DROP TABLE CRM_EVENT; --";  // bound, never spliced
    EXPECT_TRUE(keys(f).empty());
    EXPECT_EQ(keys({}).size(), 7u);
}

TEST_F(FeedTest, CombinedFilters) {
    FeedFilter f;
    f.counterparty = 100;
    f.kinds = {"payment.received", "note.customer"};
    EXPECT_EQ(keys(f), (Keys{"e3", "e1"}));
    f.minImportance = Importance::High;
    EXPECT_EQ(keys(f), (Keys{"e3"}));

    f = {};
    f.project = 11;
    f.counterparty = 101;
    f.sourceModule = "payments";
    EXPECT_EQ(keys(f), (Keys{"e5"}));

    f = {};
    f.author = 7;
    f.text = "łódź";
    EXPECT_EQ(keys(f), (Keys{"e4"}));

    f = {};
    f.kinds = {"payment.received"};
    f.from = at(2026, 1, 2);
    f.project = 11;
    EXPECT_EQ(keys(f), (Keys{"e5"}));

    f = {};
    f.project = 10;
    f.counterparty = 101;  // contradictory
    EXPECT_TRUE(keys(f).empty());
}

TEST_F(FeedTest, SummariesPerCounterpartyAndProject) {
    Event due = makeEvent("due", at(2026, 1, 8), "schedule.installation_planned");
    due.counterpartyId = 100;
    due.projectId = 10;
    due.importance = Importance::High;
    due.dueAt = at(2026, 2, 1);
    Event pay = makeEvent("pay", at(2026, 1, 9), "payment.final_received");
    pay.counterpartyId = 100;
    pay.amount = conduit::sdk::Money{50000, "PLN"};
    Event overdue = makeEvent("overdue", at(2026, 1, 10), "payment.overdue");
    overdue.counterpartyId = 100;
    overdue.amount = conduit::sdk::Money{1, "PLN"};
    write({due, pay, overdue});

    const auto s = store->counterpartySummary(100, at(2026, 1, 15));
    EXPECT_EQ(s.total, 6);
    EXPECT_EQ(s.countsByKind.at("payment.received"), 1);
    EXPECT_EQ(s.countsByKind.at("payment.overdue"), 1);
    ASSERT_TRUE(s.lastPayment);
    EXPECT_EQ(s.lastPayment->idempotencyKey, "pay");
    ASSERT_TRUE(s.nextDue);
    EXPECT_EQ(s.nextDue->idempotencyKey, "due");
    EXPECT_EQ(s.openIssues, 1);
    EXPECT_EQ(s.lastEventAt, at(2026, 1, 10));

    const auto p = store->projectSummary(10, at(2026, 3, 1));  // after the due date
    EXPECT_EQ(p.total, 3);
    EXPECT_FALSE(p.nextDue);
    EXPECT_EQ(p.openIssues, 0);
    EXPECT_FALSE(p.lastPayment);  // e1 is a payment event without an amount
}

TEST(FeedCursor, TextRoundTrip) {
    const FeedCursor c{at(2026, 5, 1), 123456789};
    EXPECT_EQ(FeedCursor::parse(c.toString()), c);
    EXPECT_FALSE(FeedCursor::parse("garbage"));
    EXPECT_FALSE(FeedCursor::parse("1:2x"));
}

// Pages walk the keyset: nothing is skipped or repeated even while the writer commits new events
// (newer ones appear on top, older ones behind the cursor are picked up when reached).
TEST_F(StoreTest, PagesHaveNoGapsOrRepeatsWhileEventsArrive) {
    std::vector<Event> initial;
    for (int i = 0; i < 1000; ++i) {
        Event e = makeEvent("i" + std::to_string(i), at(2026, 1, 1) + std::chrono::minutes(i % 400), "payment.received");
        e.projectId = 5;
        initial.push_back(e);  // many share a timestamp: the id breaks ties
    }
    write(initial);

    for (const bool byProject : {false, true}) {
        FeedFilter f;
        if (byProject) f.project = 5;
        std::vector<std::string> seen;
        std::set<std::string> unique;
        std::optional<FeedCursor> cursor;
        int page = 0;
        do {
            const auto p = store->feed(f, cursor, 37);
            for (const auto& e : p.events) {
                seen.push_back(e.idempotencyKey);
                unique.insert(e.idempotencyKey);
            }
            cursor = p.next;
            // Between pages: newer events and older ones arrive.
            std::vector<Event> more;
            for (int j = 0; j < 3; ++j) {
                const std::string k = std::string(byProject ? "p" : "w") + std::to_string(page) + "-" + std::to_string(j);
                Event newer = makeEvent(k + "new", at(2026, 6, 1) + std::chrono::minutes(page * 3 + j), "payment.received");
                newer.projectId = 5;
                more.push_back(newer);
            }
            write(more);
            ++page;
        } while (cursor);
        EXPECT_EQ(seen.size(), unique.size()) << "a page repeated an event";
        for (const auto& e : initial) EXPECT_TRUE(unique.count(e.idempotencyKey)) << "gap: " << e.idempotencyKey;
        EXPECT_GE(page, 1000 / 37);
    }
}
