#include "store_test_util.hpp"

#include <conduit/crm/foundation/sha256.hpp>

#include <soci/soci.h>

#include <atomic>
#include <thread>

using namespace conduit::crm;
using namespace conduit::crm::testing;

namespace {

std::string allBytes() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    return bytes;
}

Event fullEvent() {
    Event e;
    e.idempotencyKey = idempotencyKey("payments", "payment:42", 3);
    e.occurredAt = at(2026, 2, 28, 23, 59, 58);
    e.recordedAt = at(2026, 3, 1, 0, 0, 5);
    e.kind = "payment.prepayment_received";
    e.sourceModule = "payments";
    e.authorId = 17;
    e.projectId = 4242;
    e.counterpartyId = 901;
    e.importance = Importance::High;
    e.title = "Предоплата по заказу ЖЁЛТЫЙ-7 — Łódź, ul. Żółta 5 ✓";
    e.body = "Клиент оплатил 50 % (ąęćłńóśźż ĄĘĆŁŃÓŚŹŻ). Ёлка «ёж».\nLine 2\ttabbed";
    e.amount = conduit::sdk::Money{1'234'567'89, "PLN"};
    e.crewId = 5;
    e.crewName = "Бригада Ковальского";
    e.stage = "installation";
    e.startDate = std::chrono::floor<std::chrono::days>(at(2026, 3, 10));
    e.endDate = std::chrono::floor<std::chrono::days>(at(2026, 3, 12));
    e.invoiceNumber = "FV/2026/03/0042";
    e.dueAt = at(2026, 3, 9, 8, 30);
    e.extra = R"({"document":"PKO 12/34","nested":{"ok":true}})";
    e.attachments.push_back({"замер — pomiar.pdf", "application/pdf", 0, {}, allBytes()});
    e.attachments.push_back({"empty.txt", "text/plain", 0, {}, std::string()});
    return e;
}

}  // namespace

TEST_F(StoreTest, EveryFieldRoundTripsIncludingUnicodeAndBinaryAttachments) {
    const Event in = fullEvent();
    write({in});
    const auto page = store->feed({});
    ASSERT_EQ(page.events.size(), 1u);
    Event out = *store->event(page.events.front().id);

    Event expected = in;
    expected.id = out.id;
    for (auto& a : expected.attachments) {
        a.size = static_cast<std::int64_t>(a.content.size());
        a.sha256 = sha256Hex(a.content);
        a.content.clear();  // metadata only from event()/feed()
    }
    EXPECT_EQ(out, expected);
    EXPECT_EQ(page.events.front(), expected);

    EXPECT_EQ(store->attachmentContent(out.attachments[0].sha256), allBytes());
    EXPECT_EQ(store->attachmentContent(out.attachments[1].sha256), std::string());
    EXPECT_EQ(store->attachmentContent(std::string(64, '0')), std::nullopt);
}

TEST_F(StoreTest, MinimalEventHasNullsForWhatDoesNotApply) {
    Event e = makeEvent("minimal", at(2026, 1, 1));
    write({e});
    const auto out = store->feed({}).events.at(0);
    EXPECT_EQ(out.projectId, 0);
    EXPECT_EQ(out.counterpartyId, 0);
    EXPECT_FALSE(out.amount);
    EXPECT_FALSE(out.dueAt);
    EXPECT_FALSE(out.startDate);
    EXPECT_TRUE(out.attachments.empty());
    EXPECT_NE(out.recordedAt, conduit::sdk::TimePoint{});  // the writer stamps it
}

TEST_F(StoreTest, DuplicatesAreSkippedWithinABatchAndAgainstTheStore) {
    std::vector<Event> batch;
    for (int i = 0; i < 10; ++i) batch.push_back(makeEvent("k" + std::to_string(i), at(2026, 1, 1, 10, i)));
    batch.push_back(makeEvent("k3", at(2026, 1, 1, 11)));  // same key inside the batch
    write(batch);
    auto c = store->counts().writer;
    EXPECT_EQ(c.written, 10u);
    EXPECT_EQ(c.duplicates, 1u);

    // A replay after restart / catch-up: every key already stored.
    write(std::vector<Event>(batch.begin(), batch.begin() + 5));
    c = store->counts().writer;
    EXPECT_EQ(c.written, 10u);
    EXPECT_EQ(c.duplicates, 6u);
    EXPECT_EQ(c.lastBatch.duplicates, 5u);
    EXPECT_EQ(store->feed({}, std::nullopt, 1000).events.size(), 10u);
}

TEST_F(StoreTest, AttachmentContentIsStoredOncePerHash) {
    const std::string photo(100'000, '\x7f');
    std::vector<Event> events;
    for (int i = 0; i < 3; ++i) {
        Event e = makeEvent("photo" + std::to_string(i), at(2026, 1, 2, 9, i), "note.measurement");
        e.attachments.push_back({"photo" + std::to_string(i) + ".jpg", "image/jpeg", 0, {}, photo});
        events.push_back(e);
    }
    write({events[0]});
    write({events[1], events[2]});
    const auto c = store->counts().writer;
    EXPECT_EQ(c.attachments, 3u);
    EXPECT_EQ(c.contentStored, 1u);
    EXPECT_EQ(c.contentReused, 2u);

    Database db(embeddedAt(dir / "crm.fdb"));
    auto s = db.acquire();
    int contents = 0, links = 0;
    *s << "SELECT COUNT(*) FROM CRM_ATTACHMENT_CONTENT", soci::into(contents);
    *s << "SELECT COUNT(*) FROM CRM_EVENT_ATTACHMENT", soci::into(links);
    s->commit();
    EXPECT_EQ(contents, 1);
    EXPECT_EQ(links, 3);
    const auto page = store->feed({});
    for (const auto& e : page.events) {
        ASSERT_EQ(e.attachments.size(), 1u);
        EXPECT_EQ(e.attachments[0].size, 100'000);
        EXPECT_TRUE(e.attachments[0].content.empty());
    }
}

TEST_F(StoreTest, OverlongTextIsKeptWholeNotTruncatedAway) {
    Event e = makeEvent("long", at(2026, 1, 3));
    std::string body;
    while (body.size() < 40'000) body += "Длинная заметка о клиенте. ";
    e.body = body;
    e.title = std::string(600, 'T');
    write({e});
    const auto out = store->feed({}).events.at(0);
    EXPECT_EQ(out.body.rfind("Длинная", 0), 0u);
    EXPECT_EQ(out.title, std::string(299, 'T') + "…");
    ASSERT_EQ(out.attachments.size(), 1u);
    EXPECT_EQ(out.attachments[0].fileName, "body.txt");
    EXPECT_EQ(store->attachmentContent(out.attachments[0].sha256), body);
}

TEST_F(StoreTest, InvalidEventsFailAloneAndAreCounted) {
    Event noKey = makeEvent("", at(2026, 1, 4));
    Event tooLongCurrency = makeEvent("bad-currency", at(2026, 1, 4));
    tooLongCurrency.amount = conduit::sdk::Money{100, "EURO"};
    write({noKey, tooLongCurrency, makeEvent("good", at(2026, 1, 4))});
    const auto c = store->counts().writer;
    EXPECT_EQ(c.written, 1u);
    EXPECT_EQ(c.failed, 2u);
    EXPECT_FALSE(c.lastError.empty());
    EXPECT_EQ(store->feed({}).events.size(), 1u);
}

TEST_F(StoreTest, BatchCallbackReportsNewIdsAndMetrics) {
    std::atomic<std::size_t> seen{0};
    store->writer().onBatch([&](const BatchMetrics& m, const std::vector<std::int64_t>& ids) {
        EXPECT_EQ(m.written, ids.size());
        seen += ids.size();
    });
    std::vector<Event> events;
    for (int i = 0; i < 50; ++i) events.push_back(makeEvent("cb" + std::to_string(i), at(2026, 2, 1, 0, i)));
    write(events);
    EXPECT_EQ(seen.load(), 50u);
}

TEST_F(StoreTest, ConcurrentSubmittersLoseNothing) {
    constexpr int kThreads = 4, kPerThread = 2000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i)
                store->writer().submit(makeEvent("t" + std::to_string(t) + "-" + std::to_string(i), at(2026, 1, 1) + std::chrono::seconds(i)));
        });
    for (auto& th : threads) th.join();
    ASSERT_TRUE(store->writer().flush(120s));
    const auto c = store->counts().writer;
    EXPECT_EQ(c.written, static_cast<std::uint64_t>(kThreads * kPerThread));
    EXPECT_EQ(c.queued, 0u);
    EXPECT_GE(c.batches, 1u);
}
