// bench_store: the event store at a realistic shape. Ingest through the writer vs. a raw SOCI
// bulk insert of the same rows, then first/next/deep page latency of the common feed filters.
//
//   bench_store [--events N] [--dir DIR] [--samples S] [--keep] [--skip-raw] [--measure-only] [--no-subjects]
//
// --measure-only: no ingest; measure pages on DIR/store.fdb left by an earlier --keep run with the
// same --events (also one stopped part-way: the first M events of an N-event history).
//
// Shape: 5,000 counterparties, 20,000 projects (each active for a stretch of the 5 years, 4 per
// counterparty), 20 kinds with a skewed mix, 5 years of history, 5% of events with an attachment.
// Unless --no-subjects, an event of project P also concerns task P (a CRM_EVENT_SUBJECT row): a
// task has as many events as its project, so their pages are measured side by side, alike.
#include <conduit/sdk/firebird_file.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/sha256.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/database/migrations.hpp>
#include <conduit/crm/readstate/read_state.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <unistd.h>

using namespace conduit;
using namespace conduit::crm;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kCounterparties = 5000, kProjects = 20000;
const sdk::TimePoint kStart = sdk::TimePoint(std::chrono::sys_days(std::chrono::year(2021) / 1 / 1));
constexpr auto kSpan = std::chrono::seconds(5LL * 365 * 24 * 3600);

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Shape {
    std::int64_t n;
    bool taskSubjects = true;
    std::vector<std::string> kinds;
    explicit Shape(std::int64_t events, bool tasks) : n(events), taskSubjects(tasks) {
        for (const auto& k : builtinKinds()) kinds.push_back(k.code);
    }
    // Skewed: the first kinds (orders, scheduling) are common, notes and overdue rare.
    const std::string& kindOf(std::uint64_t h) const {
        const double u = static_cast<double>(h % 1000000) / 1e6;
        const auto idx = static_cast<std::size_t>(u * u * static_cast<double>(kinds.size()));
        return kinds[std::min(idx, kinds.size() - 1)];
    }
    sdk::Id projectAt(std::int64_t i, std::uint64_t h) const {
        // Projects start in order over the 5 years and stay active for ~1/200 of it.
        const std::int64_t base = i * kProjects / n;
        return std::clamp<std::int64_t>(base + static_cast<std::int64_t>(h % 100) - 50, 0, kProjects - 1) + 1;
    }
    static sdk::Id counterpartyOf(sdk::Id project) { return (project - 1) % kCounterparties + 1; }

    Event make(std::int64_t i) const {
        const std::uint64_t h = mix(static_cast<std::uint64_t>(i));
        Event e;
        e.idempotencyKey = "bench|e:" + std::to_string(i) + "|v1";
        // Mostly in order; 2% arrive late (catch-up), up to a day behind.
        auto offset = std::chrono::seconds(kSpan.count() * i / n);
        if (h % 50 == 0) offset -= std::chrono::seconds(static_cast<long long>(h % 86400));
        e.occurredAt = kStart + std::max(offset, std::chrono::seconds(0));
        e.recordedAt = e.occurredAt + std::chrono::seconds(5);
        e.kind = kindOf(h >> 8);
        const int tie = static_cast<int>((h >> 40) % 100);
        if (tie < 90) {
            e.projectId = projectAt(i, h >> 20);
            e.counterpartyId = counterpartyOf(e.projectId);
            if (taskSubjects) e.subjects.push_back({subject_types::task, e.projectId});
        } else if (tie < 97) {
            e.counterpartyId = static_cast<sdk::Id>((h >> 20) % kCounterparties) + 1;
        }
        if (e.kind.rfind("note.", 0) == 0) e.authorId = static_cast<sdk::Id>((h >> 12) % 60) + 1;
        else e.sourceModule = e.kind.substr(0, e.kind.find('.'));
        e.importance = static_cast<Importance>((h >> 50) % 4 == 0 ? 2 : 1);
        const bool complaint = (h >> 30) % 100 == 0;  // 1%: the free-text word
        e.title = std::string(complaint ? "Рекламация: " : "") + "Проект P-" + std::to_string(e.projectId) + " — " + e.kind +
                  " / zamówienie nr " + std::to_string(i % 100000);
        e.body = "Автоматическое событие модуля, klient nr " + std::to_string(e.counterpartyId) +
                 ". Szczegóły w module źródłowym; ответственный: менеджер проекта.";
        if (e.kind.rfind("payment.", 0) == 0) e.amount = sdk::Money{static_cast<std::int64_t>(h % 10000000), "PLN"};
        if (e.kind.rfind("schedule.", 0) == 0) {
            e.crewId = static_cast<sdk::Id>(h % 40) + 1;
            e.crewName = "Бригада " + std::to_string(e.crewId);
            e.stage = "installation";
            e.startDate = std::chrono::floor<std::chrono::days>(e.occurredAt) + std::chrono::days(3);
            e.dueAt = e.occurredAt + std::chrono::hours(72);
        }
        if ((h >> 44) % 100 < 5) {
            std::string content(1024 + (h >> 16) % 3072, '\0');
            std::uint64_t x = h;
            for (auto& c : content) c = static_cast<char>((x = mix(x)) & 0xff);
            e.attachments.push_back({"scan-" + std::to_string(i) + ".pdf", "application/pdf", 0, {}, std::move(content)});
        }
        return e;
    }
};

double seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// The baseline: what a hand-written loader would do. One prepared INSERT with typed binds,
// 10,000 rows per transaction, ids precomputed, no dedupe, attachments stored the same way.
double rawInsert(const Shape& shape, const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.file = file;
    Database db(where);
    auto s = db.acquire();
    Migrations().apply(*s);

    long long id = 0, author = 0, project = 0, cp = 0, amount = 0, crewId = 0;
    int importance = 0, attachments = 0, subjectCount = 0;  // the baseline writes no subject links
    std::string key, kind, source, title, body, currency, crewName, stage, invoice, extra;
    std::tm occurred{}, recorded{}, start{}, end{}, due{};
    soci::indicator iSource, iAuthor, iProject, iCp, iBody, iAmount, iCurrency, iCrewId, iCrewName, iStage, iStart,
        iEnd, iInvoice, iDue, iExtra;
    soci::statement insert = (s->prepare << rows::kInsertEvent, soci::use(id, "ID"), soci::use(key, "IDEMPOTENCY_KEY"),
                              soci::use(occurred, "OCCURRED_AT"), soci::use(recorded, "RECORDED_AT"), soci::use(kind, "KIND"),
                              soci::use(source, iSource, "SOURCE_MODULE"), soci::use(author, iAuthor, "AUTHOR_ID"),
                              soci::use(project, iProject, "PROJECT_ID"), soci::use(cp, iCp, "COUNTERPARTY_ID"),
                              soci::use(importance, "IMPORTANCE"), soci::use(title, "TITLE"), soci::use(body, iBody, "BODY"),
                              soci::use(amount, iAmount, "AMOUNT_MINOR"), soci::use(currency, iCurrency, "CURRENCY"),
                              soci::use(crewId, iCrewId, "CREW_ID"), soci::use(crewName, iCrewName, "CREW_NAME"),
                              soci::use(stage, iStage, "STAGE"), soci::use(start, iStart, "START_DATE"),
                              soci::use(end, iEnd, "END_DATE"), soci::use(invoice, iInvoice, "INVOICE_NUMBER"),
                              soci::use(due, iDue, "DUE_AT"), soci::use(extra, iExtra, "EXTRA"),
                              soci::use(attachments, "ATTACHMENT_COUNT"), soci::use(subjectCount, "SUBJECT_COUNT"));
    long long linkEvent = 0, linkSize = 0;
    int linkNo = 0;
    std::string linkName, linkType, linkHash;
    soci::statement link = (s->prepare << "INSERT INTO CRM_EVENT_ATTACHMENT (EVENT_ID, ATTACHMENT_NO, FILE_NAME, MEDIA_TYPE,"
                                          " SIZE_BYTES, SHA256) VALUES (:e, :p, :f, :m, :s, :h)",
                            soci::use(linkEvent), soci::use(linkNo), soci::use(linkName), soci::use(linkType),
                            soci::use(linkSize), soci::use(linkHash));
    auto ind = [](bool present) { return present ? soci::i_ok : soci::i_null; };
    std::unordered_set<std::string> stored;

    const auto t0 = SteadyClock::now();
    for (std::int64_t i = 0; i < shape.n; ++i) {
        Event e = shape.make(i);
        id = i + 1;
        key = e.idempotencyKey;
        occurred = rows::toTm(e.occurredAt);
        recorded = rows::toTm(e.recordedAt);
        kind = e.kind;
        source = e.sourceModule; iSource = ind(!source.empty());
        author = e.authorId; iAuthor = ind(author != 0);
        project = e.projectId; iProject = ind(project != 0);
        cp = e.counterpartyId; iCp = ind(cp != 0);
        importance = static_cast<int>(e.importance);
        title = e.title;
        body = e.body; iBody = ind(!body.empty());
        amount = e.amount ? e.amount->minor : 0; iAmount = ind(e.amount.has_value());
        currency = e.amount ? e.amount->currency : ""; iCurrency = iAmount;
        crewId = e.crewId; iCrewId = ind(crewId != 0);
        crewName = e.crewName; iCrewName = ind(!crewName.empty());
        stage = e.stage; iStage = ind(!stage.empty());
        if (e.startDate) start = rows::toTm(*e.startDate);
        iStart = ind(e.startDate.has_value());
        if (e.endDate) end = rows::toTm(*e.endDate);
        iEnd = ind(e.endDate.has_value());
        invoice = e.invoiceNumber; iInvoice = ind(!invoice.empty());
        if (e.dueAt) due = rows::toTm(*e.dueAt);
        iDue = ind(e.dueAt.has_value());
        extra = e.extra; iExtra = ind(!extra.empty());
        attachments = static_cast<int>(e.attachments.size());
        insert.execute(true);
        for (std::size_t a = 0; a < e.attachments.size(); ++a) {
            const auto& att = e.attachments[a];
            linkHash = sha256Hex(att.content);
            if (stored.insert(linkHash).second) {
                soci::blob blob(*s);
                blob.append(att.content.data(), att.content.size());
                long long size = static_cast<long long>(att.content.size());
                *s << "INSERT INTO CRM_ATTACHMENT_CONTENT (SHA256, SIZE_BYTES, CONTENT) VALUES (:h, :s, :c)",
                    soci::use(linkHash), soci::use(size), soci::use(blob);
            }
            linkEvent = id;
            linkNo = static_cast<int>(a);
            linkName = att.fileName;
            linkType = att.mediaType;
            linkSize = static_cast<long long>(att.content.size());
            link.execute(true);
        }
        if ((i + 1) % 10000 == 0) s->commit();
    }
    s->commit();
    return seconds(SteadyClock::now() - t0);
}

struct Latency {
    double p50 = 0, p99 = 0, max = 0;
    double rows = 0;
};

Latency measure(std::vector<double>& ms, double rows) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
    return {at(0.50), at(0.99), ms.back(), rows};
}

// Project P and task P have the same events: one through CRM_EVENT's columns, the other through
// CRM_EVENT_SUBJECT. Each sample asks both for the same P back to back, so both meet the same cache.
void measureSubjects(EventStore& store, const sdk::DatabaseLocation& where, int samples, sdk::Id maxProject, sdk::TimePoint now) {
    ReadState reads(where);
    std::mt19937_64 rng(7);
    struct Side {
        std::vector<double> ms;
        double rows = 0;
    };
    struct Pair {
        const char* what;
        std::function<std::size_t(const SubjectRef&)> run;
    };
    const std::vector<Pair> pairs{
        {"first page", [&](const SubjectRef& s) { FeedFilter f; f.subject = s; return store.feed(f).events.size(); }},
        {"next page", [&](const SubjectRef& s) {
             FeedFilter f; f.subject = s;
             const auto first = store.feed(f);
             return first.next ? store.feed(f, first.next).events.size() : 0;
         }},
        {"summary", [&](const SubjectRef& s) { return static_cast<std::size_t>(store.subjectSummary(s, now).total); }},
        {"unread count", [&](const SubjectRef& s) { return static_cast<std::size_t>(reads.unreadCount(1000, s).count); }},
    };
    std::printf("\nproject P vs task P (same events per subject), %d samples each, interleaved\n\n", samples);
    std::printf("| query | project p50 ms | project p99 ms | task p50 ms | task p99 ms | p50 ratio | p99 ratio | avg rows |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& pair : pairs) {
        Side project, task;
        for (int k = 0; k < samples; ++k) {
            const sdk::Id id = static_cast<sdk::Id>(rng() % maxProject) + 1;
            for (auto [side, ref] : {std::pair{&project, projectSubject(id)}, std::pair{&task, SubjectRef{subject_types::task, id}}}) {
                const auto t = SteadyClock::now();
                const std::size_t rows = pair.run(ref);
                side->ms.push_back(seconds(SteadyClock::now() - t) * 1000.0);
                side->rows += static_cast<double>(rows);
            }
        }
        const auto p = measure(project.ms, project.rows / samples), t = measure(task.ms, task.rows / samples);
        std::printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f / %.0f |\n", pair.what, p.p50, p.p99, t.p50, t.p99,
                    t.p50 / p.p50, t.p99 / p.p99, p.rows, t.rows);
        std::fflush(stdout);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n = 1'000'000;
    int samples = 200;
    bool keep = false, skipRaw = false, measureOnly = false, subjects = true;
    std::filesystem::path dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::cerr << a << " needs a value\n"; std::exit(2); }
            return argv[++i];
        };
        if (a == "--events") n = std::stoll(next());
        else if (a == "--samples") samples = std::stoi(next());
        else if (a == "--dir") dir = next();
        else if (a == "--keep") keep = true;
        else if (a == "--skip-raw") skipRaw = true;
        else if (a == "--measure-only") measureOnly = true, skipRaw = true, keep = true;
        else if (a == "--no-subjects") subjects = false;
        else if (a == "--help" || a == "-h") {
            std::cout << "bench_store [--events N (default 1000000)] [--dir DIR] [--samples S (default 200)] [--keep] [--skip-raw] [--measure-only] [--no-subjects]\n";
            return 0;
        } else { std::cerr << "unknown option " << a << "\n"; return 2; }
    }
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / ("conduit-bench-store-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const Shape shape(n, subjects);
    std::printf("bench_store: N=%lld events, %d counterparties, %d projects, %zu kinds, 5 years, 5%% with attachments\n",
                static_cast<long long>(n), kCounterparties, kProjects, shape.kinds.size());
    std::printf("databases in %s\n\n", dir.string().c_str());

    // Event generation is inside both timings, identically.
    double rawSeconds = 0;
    if (!skipRaw) {
        rawSeconds = rawInsert(shape, dir / "raw.fdb");
        std::printf("raw SOCI insert:   %8.1f s  %9.0f events/s\n", rawSeconds, static_cast<double>(n) / rawSeconds);
        std::fflush(stdout);
        if (!keep) std::filesystem::remove(dir / "raw.fdb");
    }

    sdk::DatabaseLocation where;
    where.file = dir / "store.fdb";
    StoreOptions options;
    options.writer.maxBatch = 10000;
    auto store = EventStore::open(where, options);
    std::int64_t stored = n;
    if (measureOnly) {
        Database db(where);
        long long last = 0;
        {
            auto lease = db.acquire();
            *lease << "SELECT GEN_ID(CRM_EVENT_SEQ, 0) FROM RDB$DATABASE", soci::into(last);
            lease->commit();
        }
        stored = std::min<std::int64_t>(n, last);
        std::printf("measure only: %lld of %lld events stored\n\n", static_cast<long long>(stored), static_cast<long long>(n));
    } else {
        const auto t0 = SteadyClock::now();
        for (std::int64_t i = 0; i < n; ++i) {
            while (store->writer().queued() > 200000) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            store->writer().submit(shape.make(i));
        }
        if (!store->writer().flush(std::chrono::hours(10))) { std::cerr << "writer did not drain\n"; return 1; }
        const double writerSeconds = seconds(SteadyClock::now() - t0);
        const auto c = store->counts().writer;
        std::printf("writer ingest:     %8.1f s  %9.0f events/s  (%llu batches, %llu written, %llu attachments, %llu duplicates, %llu failed)\n",
                    writerSeconds, static_cast<double>(n) / writerSeconds, static_cast<unsigned long long>(c.batches),
                    static_cast<unsigned long long>(c.written), static_cast<unsigned long long>(c.attachments),
                    static_cast<unsigned long long>(c.duplicates), static_cast<unsigned long long>(c.failed));
        if (!skipRaw) std::printf("writer / raw ratio: %.2f\n", rawSeconds / writerSeconds);
        std::printf("last batch: %zu events in %.1f ms, oldest waited %.1f ms\n\n", c.lastBatch.events,
                    static_cast<double>(c.lastBatch.writeTime.count()) / 1000.0,
                    static_cast<double>(c.lastBatch.oldestWait.count()) / 1000.0);
        std::fflush(stdout);
    }
    // Projects and time with events so far (all of them unless a run stopped part-way).
    const sdk::Id maxProject = std::max<sdk::Id>(1, std::min<sdk::Id>(kProjects, stored * kProjects / n));
    const auto storedSpan = std::chrono::seconds(kSpan.count() * stored / n);

    // Page latency. "next" is page 2 after page 1's cursor; "deep" starts at a cursor in the
    // middle of the history (what a user scrolling back years would hit).
    std::mt19937_64 rng(42);
    const FeedCursor middle{kStart + storedSpan / 2, std::numeric_limits<std::int64_t>::max()};
    struct Case {
        std::string name;
        std::function<FeedFilter()> filter;
    };
    std::vector<Case> cases{
        {"one project", [&] { FeedFilter f; f.project = static_cast<sdk::Id>(rng() % maxProject) + 1; return f; }},
        {"one counterparty", [&] { FeedFilter f; f.counterparty = static_cast<sdk::Id>(rng() % kCounterparties) + 1; return f; }},
        {"one kind (common)", [&] { FeedFilter f; f.kinds = {shape.kinds[0]}; return f; }},
        {"one kind (rare)", [&] { FeedFilter f; f.kinds = {shape.kinds[18]}; return f; }},
        {"counterparty + kinds", [&] { FeedFilter f; f.counterparty = static_cast<sdk::Id>(rng() % kCounterparties) + 1; f.kinds = {shape.kinds[0], shape.kinds[3], shape.kinds[12]}; return f; }},
        {"whole feed", [&] { return FeedFilter{}; }},
        {"free text 1% (\"РЕКЛАМАЦИЯ\")", [&] { FeedFilter f; f.text = "РЕКЛАМАЦИЯ"; return f; }},
        {"project + free text", [&] { FeedFilter f; f.project = static_cast<sdk::Id>(rng() % maxProject) + 1; f.text = "zamówienie"; return f; }},
    };
    std::printf("| filter | page | p50 ms | p99 ms | max ms | avg rows |\n|---|---|---:|---:|---:|---:|\n");
    for (auto& cs : cases) {
        const bool expensive = cs.name.rfind("free text", 0) == 0;
        const int count = expensive ? std::max(5, samples / 20) : samples;
        for (const char* page : {"first", "next", "deep"}) {
            std::vector<double> ms;
            double rows = 0;
            for (int k = 0; k < count; ++k) {
                const FeedFilter f = cs.filter();
                std::optional<FeedCursor> cursor;
                if (std::string(page) == "next") {
                    cursor = store->feed(f).next;
                    if (!cursor) cursor = FeedCursor{kStart, 0};
                } else if (std::string(page) == "deep") {
                    cursor = middle;
                }
                const auto t = SteadyClock::now();
                const auto p = store->feed(f, cursor, 100);
                ms.push_back(seconds(SteadyClock::now() - t) * 1000.0);
                rows += static_cast<double>(p.events.size());
            }
            const auto l = measure(ms, rows / count);
            std::printf("| %s | %s | %.2f | %.2f | %.2f | %.0f |\n", cs.name.c_str(), page, l.p50, l.p99, l.max, l.rows);
            std::fflush(stdout);
        }
    }
    std::vector<double> ms;
    for (int k = 0; k < samples; ++k) {
        const auto t = SteadyClock::now();
        store->counterpartySummary(static_cast<sdk::Id>(rng() % kCounterparties) + 1, kStart + storedSpan / 2);
        ms.push_back(seconds(SteadyClock::now() - t) * 1000.0);
    }
    auto l = measure(ms, 0);
    std::printf("| counterparty summary | - | %.2f | %.2f | %.2f | - |\n", l.p50, l.p99, l.max);
    ms.clear();
    for (int k = 0; k < samples; ++k) {
        const auto t = SteadyClock::now();
        store->projectSummary(static_cast<sdk::Id>(rng() % maxProject) + 1, kStart + storedSpan / 2);
        ms.push_back(seconds(SteadyClock::now() - t) * 1000.0);
    }
    l = measure(ms, 0);
    std::printf("| project summary | - | %.2f | %.2f | %.2f | - |\n", l.p50, l.p99, l.max);
    if (subjects) measureSubjects(*store, where, samples, maxProject, kStart + storedSpan / 2);

    store.reset();
    sdk::shutdownFirebird();  // libfbclient 3.0 can deadlock in its own exit handlers
    if (!keep) std::filesystem::remove_all(dir);
    return 0;
}
