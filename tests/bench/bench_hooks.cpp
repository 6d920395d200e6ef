// bench_hooks: what the CRM costs the host's emitting thread per signal (adapter slot vs. an empty
// slot, interleaved in one run), and signal-to-committed-row throughput and latency on embedded Firebird.
//
//   bench_hooks [--rounds R] [--per-round N] [--events E] [--rate EVENTS_PER_S] [--seconds S] [--dir DIR]
//               [--forced-writes]   (Firebird's forced writes instead of the default sync per batch)
//               [--batch N]         (the writer's events per transaction, default WriterOptions::maxBatch)
//
// 1. Emit cost: R rounds; each times N emissions of the same payload on a signal with an empty
//    slot, then N on the payments module's signal with ModuleAdapters connected (writer live).
//    Medians of the per-emission time over the rounds, and the median ratio.
// 2. Throughput: E distinct payments emitted as fast as the host thread can, until the last row
//    is committed (EventWriter::flush).
// 3. Latency under load: S seconds at RATE events/s (bursts every millisecond); per event, from
//    the emission to the commit of the writer batch that held it (batches commit in FIFO order).
#include <module_adapters.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/firebird_file.hpp>

#include <null_services.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace conduit;
using Clock = std::chrono::steady_clock;

namespace {

struct QuietLogger final : sdk::ILogger {
    void log(sdk::LogLevel level, std::string_view, std::string_view message) override {
        if (level >= sdk::LogLevel::Warning) std::fprintf(stderr, "  log: %.*s\n", int(message.size()), message.data());
    }
};
struct Directory final : sdk::IDirectory {
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override {
        return sdk::Counterparty{id, sdk::CounterpartyKind::Company, "Okna Łódź Sp. z o.o.", "", "Łódź", "ul. Piotrkowska 1"};
    }
    std::optional<sdk::Project> project(sdk::Id id) const override {
        return sdk::Project{id, "P-2026-0042", "Okna, salon", 8, 3, 4, "measured", "ul. Żeromskiego 3, Łódź"};
    }
    std::optional<sdk::User> user(sdk::Id) const override { return std::nullopt; }
    std::optional<sdk::Department> department(sdk::Id) const override { return std::nullopt; }
    std::vector<sdk::Counterparty> counterparties() const override { return {}; }
    std::vector<sdk::Project> projects() const override { return {}; }
    std::vector<sdk::User> users() const override { return {}; }
    std::vector<sdk::Department> departments() const override { return {}; }
};

sdk::PaymentRegistered payment(std::int64_t n) {
    sdk::PaymentRegistered p;
    p.stamp = {n, "payments", "payment:" + std::to_string(n), 1,
               sdk::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2}} + std::chrono::seconds{n}, 4};
    p.paymentId = n;
    p.counterpartyId = 8;
    p.projectId = 42;
    p.amount.minor = 125'000'00 + n;
    p.kind = sdk::PaymentKind::Prepayment;
    p.document = "WB/2026/03/" + std::to_string(n);
    return p;
}

template <class T>
T median(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}
double ns(Clock::duration d) { return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()); }

long argOf(int argc, char** argv, const char* name, long fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == name) return std::atol(argv[i + 1]);
    return fallback;
}

}  // namespace

int run(int argc, char** argv) {
    const long rounds = argOf(argc, argv, "--rounds", 200), perRound = argOf(argc, argv, "--per-round", 1000);
    const long events = argOf(argc, argv, "--events", 200'000), rate = argOf(argc, argv, "--rate", 20'000);
    const long seconds = argOf(argc, argv, "--seconds", 5);
    std::filesystem::path dir;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--dir") dir = argv[i + 1];
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / ("bench-hooks-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);

    QuietLogger logger;
    test::NullSettings settings;
    test::PaymentsOnlyModules registry;
    Directory directory;
    test::NullForms forms;
    test::NullMail mail;
    sdk::HostServices services{.host = {.name = "bench", .version = "0", .locale = "pl", .dataDir = dir, .headless = true},
                               .modules = registry,
                               .mail = mail,
                               .forms = forms,
                               .directory = directory,
                               .currentUser = {},
                               .database = {.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"},
                               .settings = settings,
                               .logger = logger};
    bool forcedWrites = false;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--forced-writes") forcedWrites = true;
    crm::StoreOptions storeOptions;
    storeOptions.durability = forcedWrites ? crm::Durability::ForcedWrites : crm::Durability::SyncPerBatch;
    storeOptions.writer.maxBatch = static_cast<std::size_t>(argOf(argc, argv, "--batch", static_cast<long>(storeOptions.writer.maxBatch)));
    auto store = crm::EventStore::open(services.database, storeOptions);
    auto& writer = store->writer();

    // Commit times of every batch, by cumulative event count (events commit in submit order).
    std::mutex batchMutex;
    std::vector<std::pair<std::uint64_t, Clock::time_point>> commits;  // (events committed so far, when)
    std::uint64_t committed = 0;
    double insertSeconds = 0, syncSeconds = 0;  // summed over batches (phase 2)
    std::size_t batches = 0;
    writer.onBatch([&](const crm::BatchMetrics& m, const std::vector<std::int64_t>&) {
        const auto now = Clock::now();
        std::lock_guard lock(batchMutex);
        committed += m.events;
        ++batches;
        insertSeconds += std::chrono::duration<double>(m.writeTime - m.syncTime).count();
        syncSeconds += std::chrono::duration<double>(m.syncTime).count();
        commits.emplace_back(committed, now);
    });

    adapters::ModuleAdapters adapters(services, adapters::submitTo(writer));
    adapters.start({});
    adapters.drain();
    auto& adapterSignal = registry.payments_.paymentRegistered;

    std::printf("bench_hooks: embedded Firebird in %s (%s), %u hardware threads\n\n", dir.c_str(),
                forcedWrites ? "forced writes" : "synced once per batch", std::thread::hardware_concurrency());

    // ---- 1. emit cost ----------------------------------------------------------------------
    boost::signals2::signal<void(const sdk::PaymentRegistered&)> emptySignal;
    emptySignal.connect([](const sdk::PaymentRegistered&) {});
    auto p = payment(1);
    std::vector<double> emptyNs, adapterNs, ratios;
    std::int64_t seq = 0;
    for (long r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        for (long i = 0; i < perRound; ++i) {
            p.stamp.seq = ++seq;
            emptySignal(p);
        }
        auto t1 = Clock::now();
        for (long i = 0; i < perRound; ++i) {
            p.stamp.seq = ++seq;
            adapterSignal(p);
        }
        auto t2 = Clock::now();
        const double e = ns(t1 - t0) / static_cast<double>(perRound), a = ns(t2 - t1) / static_cast<double>(perRound);
        emptyNs.push_back(e);
        adapterNs.push_back(a);
        ratios.push_back(a / e);
    }
    adapters.drain();
    writer.flush(std::chrono::seconds(120));
    const double me = median(emptyNs), ma = median(adapterNs);
    std::printf("1. cost on the emitting thread per signal (%ld rounds x %ld emissions, interleaved):\n", rounds, perRound);
    std::printf("   empty slot          median %7.1f ns\n", me);
    std::printf("   adapter connected   median %7.1f ns   (p90 %.1f ns)\n", ma, percentile(adapterNs, 0.9));
    std::printf("   added               median %7.1f ns   target <= 200 ns: %s\n", ma - me, ma - me <= 200 ? "met" : "MISSED");
    std::printf("   ratio               median %7.2fx     target <= 2x: %s\n\n", median(ratios),
                median(ratios) <= 2.0 ? "met" : "MISSED");

    // ---- 2. throughput ---------------------------------------------------------------------
    {
        std::lock_guard lock(batchMutex);
        commits.clear();
        insertSeconds = syncSeconds = 0;
        batches = 0;
    }
    const auto before = writer.counts().written;
    const std::int64_t base = 10'000'000;
    auto t0 = Clock::now();
    for (long i = 0; i < events; ++i) adapterSignal(payment(base + i));
    const auto emitted = Clock::now();
    adapters.drain();
    writer.flush(std::chrono::seconds(300));
    const auto t1 = Clock::now();
    const auto written = writer.counts().written - before;
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    std::printf("2. throughput, signal to committed row: %ld events emitted in %.2f s, all %llu committed after %.2f s\n",
                events, std::chrono::duration<double>(emitted - t0).count(), static_cast<unsigned long long>(written), secs);
    std::printf("   %.0f events/s   target >= 20,000/s: %s\n", static_cast<double>(written) / secs,
                static_cast<double>(written) / secs >= 20000 ? "met" : "MISSED");
    {
        std::lock_guard lock(batchMutex);
        std::printf("   writer: %zu batches, %.2f s inserting and committing, %.2f s syncing the file (overlaps the next batch)\n\n",
                    batches, insertSeconds, syncSeconds);
    }

    // ---- 3. latency under load -------------------------------------------------------------
    // The batch callback runs after flush() returns: let the last one land before counting.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::uint64_t startCount = 0;
    {
        std::lock_guard lock(batchMutex);
        startCount = committed;
        commits.clear();
    }
    const long total = rate * seconds, perMs = std::max(1L, rate / 1000);
    std::vector<Clock::time_point> emittedAt(static_cast<std::size_t>(total));
    const std::int64_t base3 = 20'000'000;
    auto next = Clock::now();
    long i = 0;
    const auto l0 = Clock::now();
    while (i < total) {
        for (long k = 0; k < perMs && i < total; ++k, ++i) {
            emittedAt[static_cast<std::size_t>(i)] = Clock::now();
            adapterSignal(payment(base3 + i));
        }
        next += std::chrono::milliseconds(1);
        std::this_thread::sleep_until(next);
    }
    const auto l1 = Clock::now();
    adapters.drain();
    writer.flush(std::chrono::seconds(300));
    std::vector<double> latMs;
    {
        std::lock_guard lock(batchMutex);
        std::size_t b = 0;
        for (long e = 0; e < total; ++e) {
            while (b < commits.size() && commits[b].first - startCount <= static_cast<std::uint64_t>(e)) ++b;
            if (b == commits.size()) break;
            latMs.push_back(std::chrono::duration<double, std::milli>(commits[b].second - emittedAt[static_cast<std::size_t>(e)]).count());
        }
    }
    const double offered = static_cast<double>(total) / std::chrono::duration<double>(l1 - l0).count();
    std::printf("3. latency, signal to committed row, at %.0f events/s offered for %ld s (%zu events measured):\n", offered,
                seconds, latMs.size());
    if (!latMs.empty())
        std::printf("   p50 %.1f ms   p99 %.1f ms   max %.1f ms\n", percentile(latMs, 0.5), percentile(latMs, 0.99),
                    percentile(latMs, 1.0));
    const auto c = adapters.counts();
    std::printf("\nadapters: %llu received, %llu submitted, %llu journalled (%llu replayed), %llu lost, %llu failed; writer: %llu written, %llu duplicates\n",
                static_cast<unsigned long long>(c.received), static_cast<unsigned long long>(c.submitted),
                static_cast<unsigned long long>(c.overflowed + c.deferred), static_cast<unsigned long long>(c.replayed),
                static_cast<unsigned long long>(c.lost), static_cast<unsigned long long>(c.failed),
                static_cast<unsigned long long>(writer.counts().written),
                static_cast<unsigned long long>(writer.counts().duplicates));

    adapters.stop();
    writer.stop();
    store.reset();
    std::filesystem::remove_all(dir);
    return 0;
}

int main(int argc, char** argv) {
    int rc = 1;
    try {
        rc = run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_hooks: %s\n", e.what());
    }
    sdk::shutdownFirebird();
    return rc;
}
