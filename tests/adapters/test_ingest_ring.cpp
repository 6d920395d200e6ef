// The adapters' ingest ring on its own (several producers, wrap-around, full, close, sleep and
// wake-up) and inside ModuleAdapters (a full ring spills to the journal, counted and replayed).
#include <host_change_json.hpp>
#include <ingest_ring.hpp>
#include <module_adapters.hpp>

#include <memory_directory.hpp>
#include <null_services.hpp>
#include <test_support.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace conduit;
using adapters::HostChange;
using adapters::IngestRing;

namespace {

// Long enough to leave the small-string buffer: copy-assigning it exercises the reused heap buffer.
const std::string kPolish = "Wpłata zaliczki — Zakład Stolarski Łódź, ul. Żeromskiego 3";
const std::string kRussian = "Счёт-фактура — ООО «Окна и двери», г. Санкт-Петербург";

// Producer p's n-th change; the two kinds alternate so that cells switch variant alternatives.
HostChange changeOf(int producer, std::int64_t n) {
    if (n % 3 == 2) {
        sdk::ProjectInvoiced inv;
        inv.stamp = {n, "multi_warehouse", "invoice:" + std::to_string(n), 1, {}, producer};
        inv.invoiceNumber = "FV/" + std::to_string(n);
        inv.warehouseName = kRussian;
        inv.kind = "invoice";
        return inv;
    }
    sdk::PaymentRegistered p;
    p.stamp = {n, "payments", "payment:" + std::to_string(n), 1, {}, producer};
    p.paymentId = n;
    p.amount.minor = n * 100;
    p.document = kPolish + " " + std::to_string(n);
    return p;
}

// The payloads have no operator==: compared field by field through their journal form.
std::string text(const HostChange& change) { return adapters::toJsonLine(change); }

template <class Ring>
void push(Ring& ring, const HostChange& change) {
    std::visit([&](const auto& payload) { ASSERT_TRUE(ring.tryPush(payload)); }, change);
}

}  // namespace

TEST(IngestRing, FourProducersOneConsumerEveryItemOnceInEachProducersOrder) {
    constexpr int kProducers = 4;
    constexpr std::int64_t kPerProducer = 50'000;
    IngestRing<HostChange> ring(256);  // small: producers find it full often and it wraps ~800 times
    std::vector<std::thread> producers;
    std::atomic<std::uint64_t> refusals{0};
    for (int p = 0; p < kProducers; ++p)
        producers.emplace_back([&, p] {
            for (std::int64_t n = 0; n < kPerProducer; ++n) {
                const auto change = changeOf(p, n);
                for (;;) {
                    const bool ok = std::visit([&](const auto& payload) { return ring.tryPush(payload); }, change);
                    if (ok) break;
                    refusals.fetch_add(1, std::memory_order_relaxed);
                    std::this_thread::yield();  // a host would spill; here we want every item through the ring
                }
            }
        });
    std::vector<std::int64_t> nextOf(kProducers, 0);
    std::uint64_t taken = 0, outOfOrder = 0, wrongPayload = 0;
    while (taken < kProducers * static_cast<std::uint64_t>(kPerProducer)) {
        const HostChange* change = ring.front();
        if (!change) {
            ring.waitForWork([] { return false; });
            continue;
        }
        const auto& stamp = adapters::stampOf(*change);
        const auto producer = static_cast<int>(stamp.userId);
        if (stamp.seq != nextOf[static_cast<std::size_t>(producer)]) ++outOfOrder;
        if (text(*change) != text(changeOf(producer, stamp.seq))) ++wrongPayload;
        nextOf[static_cast<std::size_t>(producer)] = stamp.seq + 1;
        ring.pop();
        ++taken;
    }
    for (auto& t : producers) t.join();
    EXPECT_EQ(outOfOrder, 0u);
    EXPECT_EQ(wrongPayload, 0u) << "a value was torn or mixed between producers";
    for (int p = 0; p < kProducers; ++p) EXPECT_EQ(nextOf[static_cast<std::size_t>(p)], kPerProducer) << "producer " << p;
    EXPECT_EQ(ring.front(), nullptr) << "nothing beyond what was pushed";
    EXPECT_EQ(ring.claimed(), taken);
    EXPECT_EQ(ring.popped(), taken);
}

TEST(IngestRing, WrapsAroundManyTimesKeepingOrderAndValues) {
    IngestRing<HostChange> ring(8);
    ASSERT_EQ(ring.capacity(), 8u);
    std::int64_t pushed = 0, popped = 0;
    // Bursts of 1..8 then all taken: every cell is reused ~2,500 times with both alternatives.
    for (int round = 0; round < 5000; ++round) {
        const int burst = 1 + round % 8;
        for (int i = 0; i < burst; ++i) push(ring, changeOf(0, pushed++));
        for (const HostChange* c; (c = ring.front()) != nullptr; ring.pop()) {
            ASSERT_EQ(text(*c), text(changeOf(0, popped))) << "item " << popped;
            ++popped;
        }
        ASSERT_EQ(popped, pushed);
    }
    EXPECT_EQ(ring.claimed(), static_cast<std::uint64_t>(pushed));
    EXPECT_GT(pushed / 8, 2000);
}

TEST(IngestRing, AFullRingRefusesWithoutCopyingAndTakesAgainOnceACellIsFree) {
    IngestRing<HostChange> ring(3);  // rounded up to 4
    ASSERT_EQ(ring.capacity(), 4u);
    for (int n = 0; n < 4; ++n) push(ring, changeOf(0, n));
    const auto extra = std::get<sdk::PaymentRegistered>(changeOf(0, 4));
    EXPECT_FALSE(ring.tryPush(extra));
    EXPECT_EQ(ring.claimed(), 4u) << "a refused push claims no ticket";
    ASSERT_NE(ring.front(), nullptr);
    EXPECT_EQ(text(*ring.front()), text(changeOf(0, 0)));
    ring.pop();
    EXPECT_TRUE(ring.tryPush(extra));
    for (int n = 1; n <= 4; ++n) {
        ASSERT_NE(ring.front(), nullptr);
        EXPECT_EQ(text(*ring.front()), text(changeOf(0, n)));
        ring.pop();
    }
    EXPECT_EQ(ring.front(), nullptr);
}

TEST(IngestRing, AClosedRingRefusesNewPushesButKeepsWhatItHolds) {
    IngestRing<HostChange> ring(16);
    push(ring, changeOf(1, 7));
    ring.close();
    EXPECT_TRUE(ring.closed());
    EXPECT_FALSE(ring.tryPush(std::get<sdk::PaymentRegistered>(changeOf(1, 9))));
    EXPECT_EQ(ring.claimed(), 1u);
    ring.waitForWork([] { return false; });  // returns at once: closed
    ASSERT_NE(ring.front(), nullptr);
    EXPECT_EQ(text(*ring.front()), text(changeOf(1, 7)));
}

namespace {
// A value whose copy throws on demand, like a std::string copy that runs out of memory.
struct Fragile {
    int n = 0;
    Fragile() = default;
    explicit Fragile(int v) : n(v) {}
    Fragile(const Fragile&) = default;
    Fragile& operator=(const Fragile& other) {
        if (other.n < 0) throw std::bad_alloc();
        n = other.n;
        return *this;
    }
};
}  // namespace

TEST(IngestRing, APushWhoseCopyThrowsReportsItAndDoesNotWedgeTheRing) {
    IngestRing<Fragile> ring(4);
    EXPECT_TRUE(ring.tryPush(Fragile{1}));
    EXPECT_THROW(ring.tryPush(Fragile{-1}), std::bad_alloc);
    EXPECT_TRUE(ring.tryPush(Fragile{3}));
    EXPECT_EQ(ring.claimed(), 3u);
    EXPECT_EQ(ring.skipped(), 1u);
    ASSERT_NE(ring.front(), nullptr);
    EXPECT_EQ(ring.front()->n, 1);
    ring.pop();
    ASSERT_NE(ring.front(), nullptr) << "the consumer steps over the ticket whose copy threw";
    EXPECT_EQ(ring.front()->n, 3);
    ring.pop();
    EXPECT_EQ(ring.front(), nullptr);
    EXPECT_EQ(ring.popped(), 3u);
    for (int n = 4; n < 40; ++n) {  // the skipped cell is reused normally on the next laps
        ASSERT_TRUE(ring.tryPush(Fragile{n}));
        ASSERT_NE(ring.front(), nullptr);
        EXPECT_EQ(ring.front()->n, n);
        ring.pop();
    }
}

TEST(IngestRing, ASleepingConsumerIsWokenByOnePush) {
    IngestRing<HostChange> ring(16);
    HostChange got;
    std::thread consumer([&] {
        while (!ring.front()) ring.waitForWork([] { return false; });
        got = *ring.front();
        ring.pop();
    });
    // Not a timing: waits for the consumer's own announcement that it is going to sleep.
    while (!ring.consumerAsleep()) std::this_thread::yield();
    push(ring, changeOf(2, 42));
    consumer.join();  // hangs (test timeout) if the push did not wake it
    EXPECT_EQ(text(got), text(changeOf(2, 42)));
    EXPECT_FALSE(ring.consumerAsleep());
}

// ---- inside ModuleAdapters ------------------------------------------------------------------

namespace {

struct RecordingLogger final : sdk::ILogger {
    void log(sdk::LogLevel, std::string_view, std::string_view message) override {
        std::lock_guard lock(mutex);
        lines.emplace_back(message);
    }
    long count(const std::string& part) {
        std::lock_guard lock(mutex);
        long n = 0;
        for (auto& l : lines) n += l.find(part) != std::string::npos;
        return n;
    }
    std::mutex mutex;
    std::vector<std::string> lines;
};

// A host with only the payments module, and a store stand-in that records what is submitted and
// can hold the mapping thread (a closed gate) so that the ring fills deterministically.
struct Host {
    explicit Host(const std::filesystem::path& dir)
        : services{.host = {.name = "test", .version = "0", .locale = "pl", .dataDir = dir, .headless = true},
                   .modules = modules,
                   .mail = mail,
                   .forms = forms,
                   .directory = directory,
                   .currentUser = {},
                   .database = {},
                   .settings = settings,
                   .logger = logger} {
        directory.add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "Okna Łódź Sp. z o.o.", "", "Łódź", ""});
        directory.add(sdk::Project{42, "P-2026-0042", "Окна, гостиная", 8, 3, 4, "measured", "ul. Żeromskiego 3"});
    }
    adapters::ModuleAdapters::Submit submit() {
        return [this](crm::Event e, const std::atomic<bool>&) {
            std::unique_lock lock(mutex);
            gateChanged.wait(lock, [&] { return open; });
            keys.insert(e.idempotencyKey);
            amounts.push_back(e.amount ? e.amount->minor : -1);
            ++submitted;
            return true;
        };
    }
    void openGate() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        gateChanged.notify_all();
    }
    static sdk::PaymentRegistered payment(int thread, std::int64_t n) {
        sdk::PaymentRegistered p;
        p.stamp = {thread * 1'000'000 + n, "payments", "payment:" + std::to_string(thread) + "/" + std::to_string(n), 1, {}, 0};
        p.paymentId = n;
        p.counterpartyId = 8;
        p.projectId = 42;
        p.amount.minor = 10'000 + n;
        p.kind = sdk::PaymentKind::Prepayment;
        p.document = kPolish;
        return p;
    }

    RecordingLogger logger;
    test::NullSettings settings;
    test::PaymentsOnlyModules modules;
    test::MemoryDirectory directory;
    test::NullForms forms;
    test::NullMail mail;
    sdk::HostServices services;
    std::mutex mutex;
    std::condition_variable gateChanged;
    bool open = true;
    std::set<std::string> keys;
    std::vector<std::int64_t> amounts;  // in submit order; payment(t, n) has 10,000 + n
    long submitted = 0;
};

}  // namespace

TEST(ModuleAdaptersRing, AFullRingSpillsToTheJournalCountedLoggedOnceAndReplayed) {
    test::TempDir dir{"ring-spill"};
    Host host(dir.path());
    host.open = false;  // the mapping thread holds the first change: the ring's 4 cells stay taken
    std::filesystem::path journal;
    {
        adapters::ModuleAdapters adapters(host.services, host.submit(), 4);
        journal = adapters.journalFile();
        adapters.start({});
        auto& signal = host.modules.payments_.paymentRegistered;
        for (int n = 0; n < 10; ++n) signal(Host::payment(0, n));
        auto c = adapters.counts();
        EXPECT_EQ(c.received, 10u);
        EXPECT_EQ(c.overflowed, 6u) << "4 cells, 10 slot runs";
        EXPECT_EQ(c.lost, 0u);
        EXPECT_TRUE(std::filesystem::exists(journal));
        EXPECT_EQ(host.logger.count("ingest queue full"), 1) << "once per episode, not per change";

        host.openGate();
        adapters.drain();
        c = adapters.counts();
        EXPECT_EQ(c.submitted, 10u);
        EXPECT_EQ(c.replayed, 6u);
        EXPECT_EQ(c.failed, 0u);
        EXPECT_FALSE(std::filesystem::exists(journal)) << "a replayed journal is removed";
        EXPECT_EQ(host.logger.count("has room again"), 1);
    }
    EXPECT_EQ(host.submitted, 10);
    EXPECT_EQ(host.keys.size(), 10u) << "every change exactly once";
}

TEST(ModuleAdaptersRing, FourHostThreadsEveryChangeSubmittedOnceAndDrainWaitsForAll) {
    test::TempDir dir{"ring-threads"};
    Host host(dir.path());
    constexpr int kThreads = 4, kPerThread = 5'000;
    adapters::ModuleAdapters adapters(host.services, host.submit());
    adapters.start({});
    auto& signal = host.modules.payments_.paymentRegistered;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int n = 0; n < kPerThread; ++n) signal(Host::payment(t, n));
        });
    for (auto& t : threads) t.join();
    adapters.drain();
    const auto c = adapters.counts();
    EXPECT_EQ(c.received, static_cast<std::uint64_t>(kThreads * kPerThread));
    EXPECT_EQ(c.submitted, c.received);
    EXPECT_EQ(c.overflowed + c.lost + c.failed, 0u);
    std::lock_guard lock(host.mutex);
    EXPECT_EQ(host.keys.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(ModuleAdaptersRing, StopMapsEverythingTheRingHoldsAndDisconnects) {
    test::TempDir dir{"ring-stop"};
    Host host(dir.path());
    adapters::ModuleAdapters adapters(host.services, host.submit());
    adapters.start({});
    auto& signal = host.modules.payments_.paymentRegistered;
    for (int n = 0; n < 1000; ++n) signal(Host::payment(0, n));
    adapters.stop();
    const auto c = adapters.counts();
    EXPECT_EQ(c.submitted, 1000u) << "stop() maps everything queued";
    EXPECT_EQ(c.overflowed + c.lost, 0u);
    signal(Host::payment(0, 1000));  // disconnected: not received
    EXPECT_EQ(adapters.counts().received, 1000u);
    std::lock_guard lock(host.mutex);
    EXPECT_EQ(host.keys.size(), 1000u);
}

TEST(ModuleAdaptersRing, ABurstBeyondAnEighthOfTheRingMovesToTheBacklogInOrder) {
    test::TempDir dir{"ring-backlog"};
    Host host(dir.path());
    host.open = false;  // the mapping thread waits in the first submit while the host bursts
    constexpr int kBurst = 60'000;  // > 131,072 / 8 cells waiting: the mapping thread moves them out
    adapters::ModuleAdapters adapters(host.services, host.submit());
    adapters.start({});
    auto& signal = host.modules.payments_.paymentRegistered;
    for (int n = 0; n < kBurst; ++n) signal(Host::payment(0, n));
    host.openGate();
    adapters.drain();
    const auto c = adapters.counts();
    EXPECT_EQ(c.received, static_cast<std::uint64_t>(kBurst));
    EXPECT_EQ(c.submitted, c.received);
    EXPECT_EQ(c.overflowed + c.lost + c.failed, 0u);
    EXPECT_GT(c.backlogged, static_cast<std::uint64_t>(kBurst / 2)) << "the backlog path was not taken";
    std::lock_guard lock(host.mutex);
    ASSERT_EQ(host.amounts.size(), static_cast<std::size_t>(kBurst));
    std::size_t outOfOrder = 0;
    for (std::size_t i = 0; i < host.amounts.size(); ++i) outOfOrder += host.amounts[i] != 10'000 + static_cast<std::int64_t>(i);
    EXPECT_EQ(outOfOrder, 0u) << "ring and backlog keep the host's order";
}

TEST(ModuleAdaptersRing, AChangeTheStoreRefusesIsKeptInTheJournalAndStoredOnTheNextStart) {
    test::TempDir dir{"ring-refused"};
    Host host(dir.path());
    constexpr int kChanges = 300;
    std::filesystem::path journal;
    {
        // A store that is stopping: takes the first 100, then refuses.
        std::atomic<int> taken{0};
        adapters::ModuleAdapters adapters(host.services, [&](crm::Event, const std::atomic<bool>&) { return ++taken <= 100; });
        journal = adapters.journalFile();
        adapters.start({});
        auto& signal = host.modules.payments_.paymentRegistered;
        for (int n = 0; n < kChanges; ++n) signal(Host::payment(0, n));
        adapters.drain();
        const auto c = adapters.counts();
        EXPECT_EQ(c.submitted, 100u);
        EXPECT_EQ(c.deferred + c.overflowed, static_cast<std::uint64_t>(kChanges - 100)) << "the rest is kept";
        EXPECT_EQ(c.failed + c.lost, 0u) << "a refusal is not a failure: nothing is dropped";
        EXPECT_EQ(adapters.cursors().at("payments"), kChanges - 1) << "kept in the journal, so the cursor may move";
        EXPECT_EQ(host.logger.count("takes no more events"), 1) << "said once";
    }
    ASSERT_TRUE(std::filesystem::exists(journal));
    adapters::ModuleAdapters next(host.services, host.submit());
    next.start({});
    next.drain();
    EXPECT_EQ(next.counts().replayed, static_cast<std::uint64_t>(kChanges - 100));
    EXPECT_EQ(host.submitted, kChanges - 100);
    EXPECT_EQ(host.keys.size(), static_cast<std::size_t>(kChanges - 100));
    EXPECT_FALSE(std::filesystem::exists(journal));
}

TEST(ModuleAdaptersRing, StopDoesNotWaitForeverOnAStoreThatTakesNothing) {
    test::TempDir dir{"ring-stuck"};
    Host host(dir.path());
    constexpr int kChanges = 2'000;
    std::filesystem::path journal;
    {
        // A store whose database is gone and whose queue is full: it waits for room until told
        // to give up, as EventWriter::submitWhenRoom does.
        adapters::ModuleAdapters adapters(host.services, [](crm::Event, const std::atomic<bool>& giveUp) {
            while (!giveUp) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return false;
        });
        journal = adapters.journalFile();
        adapters.start({});
        auto& signal = host.modules.payments_.paymentRegistered;
        for (int n = 0; n < kChanges; ++n) signal(Host::payment(0, n));
        const auto t0 = std::chrono::steady_clock::now();
        adapters.stop(std::chrono::milliseconds(300));
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20)) << "stop() hung on the store";
        const auto c = adapters.counts();
        EXPECT_EQ(c.received, static_cast<std::uint64_t>(kChanges));
        EXPECT_EQ(c.submitted, 0u);
        EXPECT_EQ(c.deferred + c.overflowed, static_cast<std::uint64_t>(kChanges));
        EXPECT_EQ(c.lost + c.failed, 0u);
    }
    adapters::ModuleAdapters next(host.services, host.submit());
    next.start({});
    next.drain();
    EXPECT_EQ(host.submitted, kChanges);
    EXPECT_EQ(host.keys.size(), static_cast<std::size_t>(kChanges)) << "every change once on the next start";
}
