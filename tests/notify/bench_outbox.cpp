// bench_outbox: what the transactional outbox costs the event writer (events/s with and without
// the notification participant and the default rules), and how fast the sender drains the outbox
// into a mail client that accepts at once (claim, render, record: the database side of sending).
//
//   ./conduit bench outbox [--events N (default 20000)] [--runs R (default 3)]
//
// Medians of R runs, each on a fresh embedded database; the machine is shared and noisy.
#include "notify_test_util.hpp"

#include <conduit/sdk/firebird_file.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

using namespace notifytest;

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// A mix like the simulator's: mostly scheduling and orders, some payments and notes.
crm::Event eventNo(std::int64_t i, sdk::TimePoint t0) {
    static const std::vector<std::string> kinds{
        "schedule.stage_planned", "schedule.stage_started", "schedule.stage_finished", "order.materials_reserved",
        "order.production_launched", "schedule.crew_assigned", "payment.received", "note.project",
        "schedule.installation_planned", "order.prepayment_required"};
    const auto& kind = kinds[static_cast<std::size_t>(i * 7919 % static_cast<std::int64_t>(kinds.size()))];
    auto e = makeEvent("bench-" + std::to_string(i), kind, t0 + std::chrono::seconds(i), i % 2 ? 1001 : 1002, i % 2 ? 101 : 102);
    e.title = "Этап «Сборка» проекта P-2026-" + std::to_string(i % 500) + " — Łódź";
    if (kind == "schedule.installation_planned" || kind == "order.prepayment_required") e.dueAt = t0 + std::chrono::hours(24 * 10);
    if (kind == "payment.received") e.amount = sdk::Money{125000 + i, "PLN"};
    return e;
}

struct Run {
    double writeSeconds = 0, sendSeconds = 0;
    std::size_t rows = 0, sent = 0;
};

Run runOnce(std::int64_t n, bool withOutbox) {
    conduit::test::TempDir dir("conduit-bench-outbox");
    Directory directory;
    RecordingMail mail;
    crm::StoreOptions options;
    options.writer.maxBatch = 5000;
    auto store = crm::EventStore::open(embeddedAt(dir / "crm.fdb"), options);
    ManualClock clock(at(2026, 3, 2, 9, 0));
    std::unique_ptr<notify::NotificationService> service;
    if (withOutbox) {
        notify::NotifyOptions o;
        o.clock = clock.fn();
        o.sender.batchSize = 200;
        service = std::make_unique<notify::NotificationService>(*store, embeddedAt(dir / "crm.fdb"), directory, mail, o);
        service->start(false);
    }
    Run r;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < n; ++i) store->writer().submit(eventNo(i, clock.now()));
    if (!store->writer().flush(std::chrono::minutes(30))) throw std::runtime_error("writer did not drain");
    r.writeSeconds = seconds(Clock::now() - t0);
    if (service) {
        const auto t1 = Clock::now();
        const auto report = service->runOnce(clock.now());
        r.sendSeconds = seconds(Clock::now() - t1);
        r.sent = report.sent.sent;
        if (!report.error.empty()) std::cerr << "tick error: " << report.error << "\n";
        r.rows = mail.sent().size();
        service->stop();
    }
    store.reset();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n = 20000;
    int runs = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--events" && i + 1 < argc) n = std::stoll(argv[++i]);
        else if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
        else {
            std::cout << "bench_outbox [--events N (default 20000)] [--runs R (default 3)]\n";
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }
    std::string lockDir = (std::filesystem::temp_directory_path() / "conduit-fblock-XXXXXX").string();
    if (!std::getenv("FIREBIRD_LOCK") && mkdtemp(lockDir.data())) setenv("FIREBIRD_LOCK", lockDir.c_str(), 1);

    std::vector<double> plain, outbox, send;
    std::size_t sent = 0;
    for (int k = 0; k < runs; ++k) {
        plain.push_back(static_cast<double>(n) / runOnce(n, false).writeSeconds);
        const auto r = runOnce(n, true);
        outbox.push_back(static_cast<double>(n) / r.writeSeconds);
        send.push_back(static_cast<double>(r.sent) / r.sendSeconds);
        sent = r.sent;
    }
    std::printf("bench_outbox: %lld events per run, %d runs (medians), default rules, in-memory directory\n",
                static_cast<long long>(n), runs);
    std::printf("writer alone:            %9.0f events/s\n", median(plain));
    std::printf("writer + outbox rows:    %9.0f events/s  (ratio %.2f; %zu notifications per run)\n", median(outbox),
                median(outbox) / median(plain), sent);
    std::printf("sender, accepting mail:  %9.0f notifications/s (claim + render + record, no SMTP)\n", median(send));
    conduit::sdk::shutdownFirebird();
    std::error_code ec;
    std::filesystem::remove_all(lockDir, ec);
    return 0;
}
