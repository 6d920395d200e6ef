// Events of any subject (a company, a person, a task, ...): stored with their links in the
// writer's batch, paged newest first, counted unread and summarised, within the viewer's rights.
#include "store_test_util.hpp"

#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/readstate/read_state.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <set>

using namespace conduit::crm;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;
namespace st = conduit::crm::subject_types;

namespace {

const SubjectRef kCompany{st::company, 7};
const SubjectRef kPerson{st::person, 7};  // the same id, another type: never mixed up
const SubjectRef kTask{st::task, 42};

Event about(const std::string& key, sdk::TimePoint when, std::vector<SubjectRef> subjects, const std::string& kind = "note.customer") {
    Event e = makeEvent(key, when, kind);
    e.subjects = std::move(subjects);
    return e;
}

class SubjectTest : public StoreTest {
protected:
    // Every page of `f`, `limit` events each, as the forms fetch them.
    std::vector<Event> allPages(FeedFilter f, std::size_t limit, int* pages = nullptr) {
        std::vector<Event> out;
        std::optional<FeedCursor> after;
        int n = 0;
        do {
            FeedPage page = store->feed(f, after, limit);
            EXPECT_LE(page.events.size(), limit);
            out.insert(out.end(), page.events.begin(), page.events.end());
            after = page.next;
            ++n;
        } while (after && n < 1000);
        if (pages) *pages = n;
        return out;
    }
    static FeedFilter of(const SubjectRef& s) {
        FeedFilter f;
        f.subject = s;
        return f;
    }
    static std::vector<std::string> keysOf(const std::vector<Event>& events) {
        std::vector<std::string> keys;
        for (const auto& e : events) keys.push_back(e.idempotencyKey);
        return keys;
    }
};

// Newest first by (occurredAt, id), as the store orders a feed.
std::vector<std::string> newestFirst(std::vector<Event> events) {
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        return a.occurredAt != b.occurredAt ? a.occurredAt > b.occurredAt : a.id > b.id;
    });
    std::vector<std::string> keys;
    for (const auto& e : events) keys.push_back(e.idempotencyKey);
    return keys;
}

}  // namespace

TEST(Subjects, TypeCodesAreValidatedAndOrdered) {
    EXPECT_THROW(SubjectType("Company"), std::invalid_argument);
    EXPECT_THROW(SubjectType(""), std::invalid_argument);
    EXPECT_THROW(SubjectType(std::string(33, 'a')), std::invalid_argument);
    EXPECT_EQ(SubjectType("deal").code(), "deal");
    EXPECT_LT((SubjectRef{st::company, 1}), (SubjectRef{st::person, 1}));
    EXPECT_TRUE(projectSubject(1).isEventColumn());
    EXPECT_FALSE(kTask.isEventColumn());
}

TEST(Subjects, SubjectsOfIncludesProjectAndCounterparty) {
    Event e = about("k", at(2026, 1, 1), {kTask});
    e.projectId = 5;
    e.counterpartyId = 9;
    EXPECT_EQ(subjectsOf(e), (std::vector<SubjectRef>{projectSubject(5), counterpartySubject(9), kTask}));
}

TEST(Subjects, NormalizeFoldsColumnsAndRefusesASecondProject) {
    Event e = about("k", at(2026, 1, 1), {kTask, projectSubject(5), kCompany, kTask, {st::person, 0}});
    EXPECT_EQ(normalizeSubjects(e), "");
    EXPECT_EQ(e.projectId, 5);
    EXPECT_EQ(e.subjects, (std::vector<SubjectRef>{kCompany, kTask}));
    e.subjects = {projectSubject(6)};
    EXPECT_NE(normalizeSubjects(e), "");
}

TEST(Subjects, AuditValuesNameTheFurtherSubjects) {
    const auto j = auditJson(about("k", at(2026, 1, 1), {kCompany, kTask}));
    ASSERT_EQ(j["subjects"].size(), 2u);
    EXPECT_EQ(j["subjects"][1]["type"], "task");
    EXPECT_EQ(j["subjects"][1]["id"], 42);
    EXPECT_FALSE(auditJson(about("k", at(2026, 1, 1), {})).contains("subjects"));
}

TEST(Subjects, SubjectPageWalksTheLinkIndexNewestFirst) {
    FeedFilter f;
    f.subject = kCompany;
    const FeedQuery q(f, FeedCursor{at(2026, 1, 1), 10}, 100);
    EXPECT_NE(q.sql().find("PLAN JOIN (S ORDER CRM_EVENT_SUBJECT_FEED, E INDEX (PK_CRM_EVENT))"), std::string::npos) << q.sql();
    EXPECT_NE(q.sql().find("S.OCCURRED_AT <= "), std::string::npos) << q.sql();  // the keyset bounds the index range
    f.subject = projectSubject(5);
    EXPECT_NE(FeedQuery(f, std::nullopt, 100).sql().find("PLAN (E ORDER CRM_EVENT_PROJECT)"), std::string::npos);
}

TEST_F(SubjectTest, LinksCommitWithTheirBatchOrNotAtAll) {
    std::atomic<int> failures{2};
    auto links = [&] {
        auto s = store->database().acquire();
        long long n = 0;
        *s << "SELECT COUNT(*) FROM CRM_EVENT_SUBJECT", soci::into(n);
        s->commit();
        return n;
    };
    // A later participant fails twice: the batch is rolled back with its links, then retried.
    store->writer().addParticipant([&](soci::session& s, const std::vector<const Event*>&) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM CRM_EVENT_SUBJECT", soci::into(n);
        EXPECT_EQ(n, 3);  // the links are already in the batch's transaction
        if (failures.fetch_sub(1) > 0) throw std::runtime_error("outbox down");
    });
    for (const auto& e : {about("a", at(2026, 1, 1), {kCompany, kTask}), about("b", at(2026, 1, 2), {kPerson})})
        ASSERT_TRUE(store->writer().submit(e));
    ASSERT_TRUE(store->writer().flush(30s)) << store->counts().writer.lastError;
    EXPECT_EQ(store->counts().writer.participantFailures, 2u);
    EXPECT_EQ(links(), 3);
    write({about("a", at(2026, 1, 1), {kCompany, kTask})});  // a replay adds nothing
    EXPECT_EQ(links(), 3);
}

TEST_F(SubjectTest, EventComesBackWithItsSubjects) {
    write({about("k1", at(2026, 1, 1), {kTask, kCompany, kTask, counterpartySubject(3)})});
    const auto page = store->feed({});
    ASSERT_EQ(page.events.size(), 1u);
    EXPECT_EQ(page.events[0].subjects, (std::vector<SubjectRef>{kCompany, kTask}));
    EXPECT_EQ(page.events[0].counterpartyId, 3);
    const auto one = store->event(page.events[0].id);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->subjects, page.events[0].subjects);
}

TEST_F(SubjectTest, SecondProjectInSubjectsIsRefusedNotRetried) {
    Event e = about("two-projects", at(2026, 1, 1), {projectSubject(6)});
    e.projectId = 5;
    write({e, about("fine", at(2026, 1, 2), {kTask})});
    EXPECT_EQ(store->counts().writer.failed, 1u);
    EXPECT_EQ(keysOf(store->feed({}).events), (std::vector<std::string>{"fine"}));
}

TEST_F(SubjectTest, SubjectPagesAreNewestFirstWithoutGapsOrRepeats) {
    std::vector<Event> events;
    for (int i = 0; i < 260; ++i) {
        // Ties in time (three events a minute) so the keyset's id part matters; other subjects between.
        const auto when = at(2026, 2, 1) + std::chrono::minutes(i / 3);
        events.push_back(about("c" + std::to_string(i), when, i % 4 == 0 ? std::vector{kCompany, kTask} : std::vector{kCompany}));
        events.push_back(about("p" + std::to_string(i), when, {kPerson}));
    }
    // Written out of time order (catch-up): the page order is by time, not by arrival.
    std::reverse(events.begin() + 100, events.end());
    write(events);

    int pages = 0;
    const auto got = allPages(of(kCompany), 100, &pages);
    EXPECT_EQ(pages, 3);
    const auto keys = keysOf(got);
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 260u);  // no repeats
    for (const auto& k : keys) ASSERT_EQ(k[0], 'c') << k;                     // nothing of person 7
    EXPECT_EQ(keys, newestFirst(got));                                        // gapless and in order
    for (const auto& e : got) EXPECT_NE(std::find(e.subjects.begin(), e.subjects.end(), kCompany), e.subjects.end());

    const auto tasks = allPages(of(kTask), 7);
    EXPECT_EQ(tasks.size(), 65u);
    EXPECT_EQ(keysOf(tasks), newestFirst(tasks));
}

TEST_F(SubjectTest, SubjectCombinesWithOtherFilters) {
    Event payment = about("pay", at(2026, 3, 2), {kCompany}, "payment.received");
    write({about("n1", at(2026, 3, 1), {kCompany}), payment, about("n3", at(2026, 3, 3), {kCompany}),
           about("other", at(2026, 3, 4), {kTask}, "payment.received")});
    FeedFilter f = of(kCompany);
    f.kinds = {"payment.received"};
    EXPECT_EQ(keysOf(store->feed(f).events), (std::vector<std::string>{"pay"}));
    f = of(kCompany);
    f.from = at(2026, 3, 2);
    f.to = at(2026, 3, 3);
    EXPECT_EQ(keysOf(store->feed(f).events), (std::vector<std::string>{"pay"}));
}

TEST_F(SubjectTest, ProjectSubjectReadsTheProjectColumn) {
    Event a = about("a", at(2026, 1, 1), {projectSubject(5)});
    Event b = about("b", at(2026, 1, 2), {});
    b.projectId = 5;
    write({a, b, about("c", at(2026, 1, 3), {kTask})});
    FeedFilter byColumn;
    byColumn.project = 5;
    EXPECT_EQ(keysOf(store->feed(of(projectSubject(5))).events), (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(keysOf(store->feed(byColumn).events), (std::vector<std::string>{"b", "a"}));
    byColumn.subject = projectSubject(6);  // two different projects: nothing has both
    EXPECT_TRUE(store->feed(byColumn).events.empty());
}

TEST_F(SubjectTest, RightsStillApplyToSubjectPages) {
    std::vector<Event> events;
    for (int i = 0; i < 30; ++i) {
        Event e = about("e" + std::to_string(i), at(2026, 4, 1) + std::chrono::hours(i), {kCompany},
                        i % 3 == 0 ? "payment.received" : "note.customer");
        if (i % 5 == 0) e.projectId = 77;  // restricted, the viewer takes no part
        e.amount = sdk::Money{100, "PLN"};
        events.push_back(e);
    }
    write(events);
    AccessScope viewer;
    viewer.userId = 900;
    viewer.see.entries = {{"payment.*", false}};
    viewer.see.fallback = true;
    viewer.details.fallback = false;  // no amounts
    viewer.hiddenProjects = {77};
    FeedFilter f = of(kCompany);
    f.access = viewer;
    const auto got = allPages(f, 4);
    std::vector<Event> expected;
    for (const auto& e : allPages(of(kCompany), 100))
        if (viewer.mayView(e.kind, e.projectId, e.counterpartyId)) expected.push_back(e);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(keysOf(got), keysOf(expected));
    for (const auto& e : got) EXPECT_FALSE(e.amount) << e.idempotencyKey;
    const auto hidden = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.projectId == 77; });
    const auto stored = allPages(of(kCompany), 100);
    const auto it = std::find_if(stored.begin(), stored.end(), [&](const Event& e) { return e.idempotencyKey == hidden->idempotencyKey; });
    ASSERT_NE(it, stored.end());
    EXPECT_FALSE(store->event(it->id, viewer));
}

TEST_F(SubjectTest, SummaryBySubjectWithAndWithoutViewer) {
    const auto now = at(2026, 5, 10);
    Event paid = about("paid", at(2026, 5, 1), {kTask}, "payment.received");
    paid.amount = sdk::Money{12345, "PLN"};
    Event due = about("due", at(2026, 5, 2), {kTask}, "schedule.installation_planned");
    due.dueAt = at(2026, 5, 20);
    due.importance = Importance::High;
    Event later = about("later", at(2026, 5, 3), {kTask}, "note.customer");
    later.dueAt = at(2026, 6, 1);
    Event elsewhere = about("elsewhere", at(2026, 5, 4), {kCompany}, "payment.received");
    elsewhere.amount = sdk::Money{1, "PLN"};
    Event future = about("future", at(2026, 5, 15), {kTask}, "payment.received");  // after `now`: not the last payment
    future.amount = sdk::Money{7, "PLN"};
    write({paid, due, later, elsewhere, future});

    const Summary s = store->subjectSummary(kTask, now);
    EXPECT_EQ(s.total, 4);
    EXPECT_EQ(s.countsByKind.at("payment.received"), 2);
    ASSERT_TRUE(s.lastPayment);
    EXPECT_EQ(s.lastPayment->idempotencyKey, "paid");
    EXPECT_EQ(s.lastPayment->subjects, (std::vector<SubjectRef>{kTask}));
    ASSERT_TRUE(s.nextDue);
    EXPECT_EQ(s.nextDue->idempotencyKey, "due");
    EXPECT_EQ(s.openIssues, 1);
    EXPECT_EQ(s.lastEventAt, at(2026, 5, 15));

    AccessScope viewer;
    viewer.see.entries = {{"payment.*", false}};
    viewer.see.fallback = true;
    viewer.details.fallback = true;
    const Summary seen = store->subjectSummary(kTask, viewer, now);
    EXPECT_EQ(seen.total, 2);  // no payments
    EXPECT_FALSE(seen.lastPayment);
    EXPECT_EQ(seen.countsByKind.count("payment.received"), 0u);

    EXPECT_EQ(store->subjectSummary(kPerson, now).total, 0);
    EXPECT_EQ(store->subjectSummary(projectSubject(1), now).total, 0);
}

TEST_F(SubjectTest, ProjectSubjectSummaryIsTheProjectSummary) {
    Event a = about("a", at(2026, 1, 1), {kTask});
    a.projectId = 5;
    write({a, about("b", at(2026, 1, 2), {projectSubject(5)}), about("c", at(2026, 1, 3), {kTask})});
    const auto now = at(2026, 2, 1);
    EXPECT_EQ(store->subjectSummary(projectSubject(5), now).total, 2);
    EXPECT_EQ(store->projectSummary(5, now).total, 2);
    EXPECT_EQ(store->subjectSummary(kTask, now).total, 2);
}

TEST_F(SubjectTest, UnreadCountBySubject) {
    constexpr sdk::Id kUser = 31;
    std::vector<Event> events;
    for (int i = 0; i < 6; ++i) events.push_back(about("t" + std::to_string(i), at(2026, 6, 1) + std::chrono::hours(i), {kTask}));
    Event mine = about("mine", at(2026, 6, 2), {kTask});
    mine.authorId = kUser;  // one's own entries are never unread
    events.push_back(mine);
    events.push_back(about("company", at(2026, 6, 3), {kCompany}));
    Event payment = about("payment", at(2026, 6, 4), {kTask}, "payment.received");
    events.push_back(payment);
    write(events);

    ReadState reads(embeddedAt(dir / "crm.fdb"));
    EXPECT_EQ(reads.unreadCount(kUser, kTask).count, 7);
    EXPECT_EQ(reads.unreadCount(kUser, kCompany).count, 1);
    EXPECT_EQ(reads.unreadCount(kUser, kPerson).count, 0);
    EXPECT_EQ(reads.unreadCount(kUser).count, 8);

    const auto page = store->feed(of(kTask));
    reads.markRead(kUser, page.events.front().id);
    EXPECT_EQ(reads.unreadCount(kUser, kTask).count, 6);
    EXPECT_EQ(reads.unreadCount(kUser, kCompany).count, 1);

    AccessScope viewer;
    viewer.userId = kUser;
    viewer.see.entries = {{"payment.*", false}};
    viewer.see.fallback = true;
    viewer.details.fallback = true;
    const bool paymentWasRead = page.events.front().idempotencyKey == "payment";
    EXPECT_EQ(reads.unreadCount(kUser, kTask, &viewer).count, paymentWasRead ? 6 : 5);

    reads.markAllRead(kUser);
    EXPECT_EQ(reads.unreadCount(kUser, kTask).count, 0);
    reads.markUnread(kUser, page.events.back().id);  // at or below the watermark, unread again
    EXPECT_EQ(reads.unreadCount(kUser, kTask).count, 1);
    EXPECT_EQ(reads.unreadCount(kUser, kCompany).count, 0);
    write({about("new", at(2026, 6, 9), {kTask})});
    EXPECT_EQ(reads.unreadCount(kUser, kTask).count, 2);
}
