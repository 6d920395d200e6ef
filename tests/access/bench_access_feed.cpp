// What the rights cost a feed page: the same pages read as the system (no scope), as a
// dispatcher (payment details redacted, restricted projects excluded) and as an external client
// (a few kinds of one counterparty). Medians of repeated first pages and of a walk through pages.
//
//   build/release/tests/access/bench_access_feed [events=50000] [repeats=200]
#include "access_test_util.hpp"

#include <conduit/sdk/firebird_file.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace conduit;
using namespace conduit::access_test;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

class Bench : public AccessTest {
public:
    void TestBody() override {}
    void run(int events, int repeats) {
        SetUp();
        const char* kinds[] = {"payment.received", "order.production_launched", "note.customer", "schedule.stage_planned",
                               "schedule.installation_planned", "warehouse.fg_received"};
        for (int i = 0; i < events; ++i) {
            const sdk::Id project = 100 + (i % 50);
            auto e = hostEvent("b" + std::to_string(i), kinds[i % 6], project, project % 2 ? kOknaLodz : kFedor, 1);
            e.occurredAt = day(1) + std::chrono::seconds(i * 7);
            e.amount = sdk::Money{i * 100LL, "PLN"};
            store->writer().submit(std::move(e));
        }
        flush();
        for (sdk::Id p = 100; p < 105; ++p) access->setProjectRestricted(kAdmin, p, true);  // 10% of the events
        access->grantRole(kAdmin, {kClient, crm::Role::Client, kOknaLodz, true});
        std::printf("%d events, %d repeats; medians in ms\n%-12s %12s %14s %8s\n", events, repeats, "viewer", "first page",
                    "page in walk", "rows");
        double base = 0;
        for (auto [name, who] : {std::pair{"system", sdk::Id{0}}, std::pair{"dispatcher", sdk::Id{kDispatcher}},
                                 std::pair{"client", sdk::Id{kClient}}}) {
            crm::FeedFilter f;
            if (who) f.access = access->scope(who);
            std::vector<double> first, walk;
            std::size_t rows = 0;
            for (int r = 0; r < repeats; ++r) {
                const auto t0 = Clock::now();
                const auto page = store->feed(f);
                first.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                rows = page.events.size();
            }
            std::optional<crm::FeedCursor> after;
            for (int r = 0; r < repeats; ++r) {
                const auto t0 = Clock::now();
                const auto page = store->feed(f, after);
                walk.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                after = page.next;
                if (!after) break;
            }
            const double m = median(first);
            if (!who) base = m;
            std::printf("%-12s %12.2f %14.2f %8zu   (first page %.2fx system)\n", name, m, median(walk), rows, base ? m / base : 0.0);
        }
        TearDown();
    }
};

}  // namespace

int main(int argc, char** argv) {
    // A private Firebird lock folder, and the engine closed before exit (as conduit_test_main does).
    std::string lockDir = (std::filesystem::temp_directory_path() / "conduit-fblock-XXXXXX").string();
    if (!std::getenv("FIREBIRD_LOCK") && mkdtemp(lockDir.data())) setenv("FIREBIRD_LOCK", lockDir.c_str(), 1);
    const int events = argc > 1 ? std::atoi(argv[1]) : 50000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 200;
    {
        Bench b;
        b.run(events, repeats);
    }
    conduit::sdk::shutdownFirebird();
    std::error_code ec;
    std::filesystem::remove_all(lockDir, ec);
    return 0;
}
