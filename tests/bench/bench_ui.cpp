// bench_ui: the dispatcher workstation on a big store. Time from constructing the workstation to
// its first page of rows shown (target <= 300 ms), and the growth of resident memory while the
// user scrolls through 100,000 rows (target <= 100 MB).
//
//   bench_ui [--events N] [--dir DIR] [--keep] [--samples S] [--scroll ROWS]
//
// The store DIR/ui.fdb is generated through the event writer when it holds fewer than N events
// (--keep leaves it for the next run; 1M events take ~2 min on a quiet 2-core machine, 10M about
// 15-20 min). Shape: 5,000 counterparties, 20,000 projects, the 20 built-in kinds, 5 years.
// Runs offscreen (QT_QPA_PLATFORM=offscreen is set when missing).
#include "memory_directory.hpp"

#include <conduit/sdk/firebird_file.hpp>
#include <conduit/crm/foundation/access_scope.hpp>
#include <dispatcher/dispatcher_workstation.hpp>
#include <feed/feed_model.hpp>
#include <conduit/crm/readstate/read_state.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTableView>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace conduit;
using namespace std::chrono_literals;

namespace {

constexpr int kCounterparties = 5000, kProjects = 20000;

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

crm::Event makeEvent(std::int64_t i, std::int64_t n, const std::vector<std::string>& kinds) {
    const auto start = sdk::TimePoint(std::chrono::sys_days(std::chrono::year(2021) / 1 / 1));
    const std::int64_t span = 5LL * 365 * 24 * 3600;
    const std::uint64_t h = mix(static_cast<std::uint64_t>(i));
    crm::Event e;
    e.idempotencyKey = "benchui|e:" + std::to_string(i) + "|v1";
    e.occurredAt = start + std::chrono::seconds(span * i / n);
    e.kind = kinds[h % kinds.size()];
    e.projectId = static_cast<sdk::Id>(std::clamp<std::int64_t>(i * kProjects / n + static_cast<std::int64_t>(h % 100) - 50, 0, kProjects - 1) + 1);
    e.counterpartyId = (e.projectId - 1) % kCounterparties + 1;
    e.sourceModule = e.kind.substr(0, e.kind.find('.'));
    e.importance = static_cast<crm::Importance>((h >> 50) % 4 == 0 ? 2 : 1);
    e.title = "Проект P-" + std::to_string(e.projectId) + " — " + e.kind + " / zamówienie nr " + std::to_string(i % 100000);
    e.body = "Автоматическое событие модуля, klient nr " + std::to_string(e.counterpartyId);
    if (e.kind.rfind("payment.", 0) == 0) e.amount = sdk::Money{static_cast<std::int64_t>(h % 10000000), "PLN"};
    return e;
}

std::int64_t storedEvents(crm::EventStore& store) {
    // Newest event id (ids come from one sequence): a cheap upper bound of the count.
    auto page = store.feed({}, std::nullopt, 1);
    return page.events.empty() ? 0 : page.events.front().id;
}

void generate(crm::EventStore& store, std::int64_t from, std::int64_t n) {
    std::vector<std::string> kinds;
    for (const auto& k : crm::builtinKinds()) kinds.push_back(k.code);
    const auto t0 = std::chrono::steady_clock::now();
    for (std::int64_t i = from; i < n; ++i) {
        while (!store.writer().submit(makeEvent(i, n, kinds))) std::this_thread::sleep_for(50ms);  // queue full
        if (store.writer().counts().queued > 200'000) store.writer().flush(60s);
        if (i % 500'000 == 0 && i > from) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr, "  generated %lld events (%.0f/s)\n", static_cast<long long>(i), static_cast<double>(i - from) / s);
        }
    }
    store.writer().flush(std::chrono::minutes(30));
}

// Runs the event loop until `done` holds or `ms` pass (what QTest::qWaitFor does, without QtTest).
template <typename F>
bool waitFor(F&& done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QCoreApplication::sendPostedEvents();
        if (!done()) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

void idle(int ms) {
    waitFor([] { return false; }, ms);
}

double rssMb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t events = 1'000'000;
    int samples = 7, scrollRows = 100'000;
    bool keep = false;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "conduit-bench-ui";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--events") events = std::stoll(next());
        else if (a == "--dir") dir = next();
        else if (a == "--samples") samples = std::stoi(next());
        else if (a == "--scroll") scrollRows = std::stoi(next());
        else if (a == "--keep") keep = true;
        else {
            std::cerr << "usage: bench_ui [--events N] [--dir DIR] [--keep] [--samples S] [--scroll ROWS]\n";
            return 2;
        }
    }
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    std::filesystem::create_directories(dir);
    sdk::DatabaseLocation where;
    where.file = dir / "ui.fdb";

    int rc = 0;
    {
        auto store = crm::EventStore::open(where);
        const auto have = storedEvents(*store);
        if (have < events) {
            std::fprintf(stderr, "generating %lld events into %s (have %lld)\n", static_cast<long long>(events), where.file.c_str(),
                         static_cast<long long>(have));
            const auto t0 = std::chrono::steady_clock::now();
            generate(*store, have, events);
            std::fprintf(stderr, "  done in %.0f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        const auto stored = storedEvents(*store);

        test::MemoryDirectory directory;
        for (int i = 1; i <= kCounterparties; ++i)
            directory.add(sdk::Counterparty{i, sdk::CounterpartyKind::Company, "Kontrahent " + std::to_string(i), "", i % 2 ? "Łódź" : "Москва"});
        for (int i = 1; i <= kProjects; ++i) {
            sdk::Project p;
            p.id = i;
            p.code = "P-" + std::to_string(i);
            p.name = "Okna " + std::to_string(i);
            p.counterpartyId = (i - 1) % kCounterparties + 1;
            directory.add(p);
        }

        static int qargc = 1;
        static char name[] = "bench_ui";
        static char* qargv[] = {name, nullptr};
        QApplication app(qargc, qargv);

        // Read marks on, as in the plugin: pages carry them, the counter is counted.
        crm::ReadState reads(where);
        sdk::User dispatcher;
        dispatcher.id = 7;
        dispatcher.fullName = "Dyspozytor";

        // First page: from constructing the form to its first rows painted.
        std::vector<double> firstPage;
        for (int s = 0; s < samples; ++s) {
            QElapsedTimer timer;
            timer.start();
            forms::WorkstationContext context{*store, directory};
            context.locale = "pl";
            context.webEngine = false;
            context.readState = &reads;
            context.currentUser = dispatcher;
            forms::DispatcherWorkstation w(std::move(context));
            w.resize(1400, 900);
            w.show();
            if (!waitFor([&] { return w.model()->rowCount() > 0; }, 30000)) {
                std::cerr << "no rows within 30 s\n";
                return 1;
            }
            w.table()->viewport()->repaint();  // the rows on screen, drawn
            firstPage.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
            idle(50);
        }

        // The unread counter and the read marks of a page, as the workstation asks for them.
        std::vector<double> countMs, marksMs;
        std::vector<std::int64_t> pageIds;
        for (const auto& e : store->feed({}, std::nullopt, 200).events) pageIds.push_back(e.id);
        // The same counter under rights, as the workstation asks for it when AccessControl is on:
        // a viewer who sees no warehouse events and takes no part in 500 restricted projects.
        crm::AccessScope scope;
        scope.see.entries = {{"warehouse.*", false}};
        scope.see.fallback = true;
        scope.details.fallback = true;
        for (sdk::Id project = 1; project <= 5000; project += 10) scope.hiddenProjects.push_back(project);
        std::vector<double> scopedCountMs;
        std::string label, scopedLabel;
        for (int s = 0; s < samples; ++s) {
            QElapsedTimer t;
            t.start();
            label = reads.unreadCount(1000 + s).label();  // users who never read anything: the cap
            countMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            t.restart();
            reads.readAmong(1000 + s, pageIds);
            marksMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            scope.userId = 2000 + s;
            t.restart();
            scopedLabel = reads.unreadCount(2000 + s, &scope).label();
            scopedCountMs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }

        // Scrolling: the user drags to the end of what is loaded again and again.
        forms::WorkstationContext context{*store, directory};
        context.locale = "pl";
        context.webEngine = false;
        context.readState = &reads;
        context.currentUser = dispatcher;
        forms::DispatcherWorkstation w(std::move(context));
        w.resize(1400, 900);
        w.show();
        waitFor([&] { return w.model()->rowCount() > 0; }, 30000);
        idle(200);
        const double rssBefore = rssMb();
        QElapsedTimer scrollTimer;
        scrollTimer.start();
        const int target = static_cast<int>(std::min<std::int64_t>(scrollRows, stored));
        while (w.model()->rowCount() < target && (w.model()->canFetchMore({}) || w.model()->isBusy())) {
            w.table()->scrollToBottom();
            w.table()->viewport()->repaint();
            waitFor([&] { return !w.model()->isBusy(); }, 30000);
            QCoreApplication::processEvents();
        }
        const double scrollSeconds = static_cast<double>(scrollTimer.elapsed()) / 1000.0;
        const double rssAfter = rssMb();

        const double coldest = firstPage.front();
        std::sort(firstPage.begin(), firstPage.end());
        std::printf("store: %lld events (%s)\n", static_cast<long long>(stored), where.file.c_str());
        std::printf("first page shown: first open %.1f ms, median %.1f ms, max %.1f ms over %d opens (target <= 300 ms)\n",
                    coldest, median(firstPage), firstPage.back(), samples);
        std::printf("unread counter (capped, \"%s\"): median %.1f ms; read marks of a 200-row page: median %.1f ms\n", label.c_str(),
                    median(countMs), median(marksMs));
        std::printf("unread counter under rights (no warehouse kinds, 500 restricted projects hidden; \"%s\"): median %.1f ms\n",
                    scopedLabel.c_str(), median(scopedCountMs));
        std::printf("scroll: %d rows in %.1f s; resident memory %.1f MB -> %.1f MB, growth %.1f MB (target <= 100 MB)\n",
                    w.model()->rowCount(), scrollSeconds, rssBefore, rssAfter, rssAfter - rssBefore);
        const bool pageOk = median(firstPage) <= 300.0, memOk = rssAfter - rssBefore <= 100.0;
        std::printf("targets: first page %s, memory %s\n", pageOk ? "met" : "MISSED", memOk ? "met" : "MISSED");
        rc = 0;
    }
    if (!keep) std::filesystem::remove_all(dir);
    sdk::shutdownFirebird();  // libfbclient 3.0 can deadlock in its own exit handlers
    return rc;
}
