// The workload simulator: deterministic for a seed, different across seeds, resumable after an
// in-process stop and after a real SIGKILL of a runner process, and refusing a foreign seed.
#include <sim_runner_process.hpp>
#include "host_test_support.hpp"

#include "host_dump.hpp"
#include "orders_module.hpp"
#include "payments_module.hpp"
#include "scheduling_module.hpp"
#include "simulator.hpp"
#include "warehouse_modules.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

extern char** environ;

using namespace hosttest;

namespace {

std::string simulate(const std::filesystem::path& folder, std::uint64_t seed, int days,
                     refhost::SimulationSummary* summary = nullptr) {
    QuietLogger logger;
    auto suite = openSuite(folder, logger);
    refhost::Simulator sim(*suite, seed);
    auto s = sim.runUntilDay(days);
    if (summary) *summary = s;
    return refhost::dumpHostData(suite->database());
}

std::string dumpOf(const std::filesystem::path& folder) {
    QuietLogger logger;
    auto suite = openSuite(folder, logger);
    return refhost::dumpHostData(suite->database());
}

// Every signal of every module, in emission order, as the variant changesSince() returns.
struct Recorder {
    std::vector<sdk::OrdersChange> orders;
    std::vector<sdk::SchedulingChange> scheduling;
    std::vector<sdk::FgWarehouseChange> fg;
    std::vector<sdk::MultiWarehouseChange> multi;
    std::vector<sdk::PaymentsChange> payments;
    std::vector<boost::signals2::scoped_connection> connections;
    std::size_t total() const { return orders.size() + scheduling.size() + fg.size() + multi.size() + payments.size(); }

    explicit Recorder(sdk::IModuleRegistry& r, std::function<void()> onAny = {}) {
        auto add = [&](auto& signal, auto& list) {
            connections.emplace_back(signal.connect([&list, onAny](const auto& p) {
                list.emplace_back(p);
                if (onAny) onAny();
            }));
        };
        add(r.orders()->materialsReserved, orders);
        add(r.orders()->prepaymentRequired, orders);
        add(r.orders()->productionLaunched, orders);
        add(r.scheduling()->crewAssigned, scheduling);
        add(r.scheduling()->stageChanged, scheduling);
        add(r.scheduling()->installationPlanned, scheduling);
        add(r.fgWarehouse()->itemsReceived, fg);
        add(r.multiWarehouse()->projectInvoiced, multi);
        add(r.multiWarehouse()->materialsReserved, multi);
        add(r.payments()->paymentRegistered, payments);
    }
};

template <class V>
void expectSameChanges(const std::vector<V>& signalled, const std::vector<V>& queried, const char* module) {
    ASSERT_EQ(signalled.size(), queried.size()) << module;
    for (std::size_t i = 0; i < signalled.size(); ++i) EXPECT_TRUE(samePayload(signalled[i], queried[i])) << module << " #" << i;
}

}  // namespace

TEST(SimulatorTest, SameSeedGivesIdenticalHostData) {
    conduit::test::TempDir a{"host-sim"}, b{"host-sim"};
    refhost::SimulationSummary summary;
    const auto first = simulate(a.path(), 42, 4, &summary);
    const auto second = simulate(b.path(), 42, 4);
    EXPECT_EQ(first, second);
    EXPECT_EQ(summary.fromDay, 0);
    EXPECT_EQ(summary.toDay, 4);
    EXPECT_GE(summary.stepsPlayed, 4 * 20);
    EXPECT_LE(summary.stepsPlayed, 4 * 60);
    EXPECT_GT(summary.actions["enquiry"], 0);
    EXPECT_GT(summary.actions.size(), 5u) << "the pipeline moves beyond enquiries";
    EXPECT_NE(first.find("HOST_CHANGE_LOG"), std::string::npos);
    EXPECT_NE(first.find("payment_registered"), std::string::npos);
}

TEST(SimulatorTest, DifferentSeedsGiveDifferentData) {
    conduit::test::TempDir a{"host-sim"}, b{"host-sim"};
    EXPECT_NE(simulate(a.path(), 1, 2), simulate(b.path(), 2, 2));
}

TEST(SimulatorTest, StepsFollowTheCalendarAndProgressIsStored) {
    conduit::test::TempDir dir{"host-sim"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    refhost::Simulator sim(*suite, 5);
    std::vector<int> days;
    const auto summary = sim.runUntilDay(3, [&](const refhost::SimulationProgress& p) { days.push_back(p.day); });
    EXPECT_EQ(days, (std::vector<int>{1, 2, 3}));
    std::int64_t expected = 0;
    for (int d = 1; d <= 3; ++d) {
        EXPECT_GE(sim.stepsInDay(d), 20);
        EXPECT_LE(sim.stepsInDay(d), 60);
        expected += sim.stepsInDay(d);
    }
    EXPECT_EQ(summary.stepsPlayed, expected);
    EXPECT_EQ(sim.progress().day, 3);
    EXPECT_EQ(sim.progress().steps, expected);
    using namespace std::chrono;
    EXPECT_EQ(refhost::Simulator::dateOfDay(1), sdk::Date{year{2026} / January / 5});
    EXPECT_EQ(refhost::Simulator::dateOfDay(6), sdk::Date{year{2026} / January / 12});  // weekend skipped
    // Already there: nothing more to play.
    EXPECT_EQ(sim.runUntilDay(2).stepsPlayed, 0);
}

TEST(SimulatorTest, RefusesAnotherSeedOnExistingData) {
    conduit::test::TempDir dir{"host-sim"};
    simulate(dir.path(), 7, 1);
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    refhost::Simulator other(*suite, 8);
    try {
        other.runUntilDay(2);
        FAIL() << "a different seed was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("seed 7"), std::string::npos) << e.what();
    }
}

TEST(SimulatorTest, SignalsDuringSimulationEqualChangesSince) {
    conduit::test::TempDir dir{"host-sim"};
    QuietLogger logger;
    auto suite = openSuite(dir.path(), logger);
    auto& modules = suite->modules();
    Recorder rec(modules);
    refhost::Simulator(*suite, 11).runUntilDay(6);
    EXPECT_GT(rec.total(), 100u);
    EXPECT_FALSE(rec.payments.empty());
    EXPECT_FALSE(rec.fg.empty());
    expectSameChanges(rec.orders, modules.orders()->changesSince(0, 100000), "orders");
    expectSameChanges(rec.scheduling, modules.scheduling()->changesSince(0, 100000), "scheduling");
    expectSameChanges(rec.fg, modules.fgWarehouse()->changesSince(0, 100000), "fg_warehouse");
    expectSameChanges(rec.multi, modules.multiWarehouse()->changesSince(0, 100000), "multi_warehouse");
    expectSameChanges(rec.payments, modules.payments()->changesSince(0, 100000), "payments");
}

TEST(SimulatorTest, ResumesAfterAnInProcessStopToTheSameData) {
    conduit::test::TempDir whole{"host-sim"}, parts{"host-sim"};
    const auto expected = simulate(whole.path(), 99, 8);

    simulate(parts.path(), 99, 4);
    {
        QuietLogger logger;
        auto suite = openSuite(parts.path(), logger);
        std::atomic<bool> stop{false};
        std::size_t signals = 0;
        // Stop at an arbitrary point: after the 37th signal (mid-step: the flag is seen between steps).
        Recorder rec(suite->modules(), [&] {
            if (++signals == 37) stop = true;
        });
        refhost::Simulator sim(*suite, 99);
        const auto summary = sim.runUntilDay(8, {}, &stop);
        EXPECT_TRUE(stop);
        EXPECT_LT(summary.toDay, 8);
        EXPECT_LT(sim.progress().day, 8);
    }
    refhost::SimulationSummary rest;
    const auto resumed = simulate(parts.path(), 99, 8, &rest);
    EXPECT_GT(rest.stepsPlayed, 0);
    EXPECT_EQ(resumed, expected);
}

// A host_sim_runner child (shared helper in tests/support).
class RunnerProcess : public conduit::test::SimRunnerProcess {
public:
    RunnerProcess(const std::filesystem::path& data, std::uint64_t seed, int days)
        : SimRunnerProcess(HOST_SIM_RUNNER, data, seed, days) {}
};

TEST(SimulatorTest, ResumesAfterSigkillToTheSameData) {
    conduit::test::TempDir whole{"host-sim"}, killed{"host-sim"};
    constexpr int kDays = 8;
    constexpr std::uint64_t kSeed = 2026;
    const auto expected = simulate(whole.path(), kSeed, kDays);

    // A first run creates and seeds the folder. Then, several times: let the runner get going
    // (a completed day), kill -9 it a little later, somewhere inside a day's steps.
    {
        RunnerProcess first(killed.path(), kSeed, 1);
        const int status = first.wait();
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
    int kills = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
        RunnerProcess runner(killed.path(), kSeed, kDays);
        if (!runner.waitForDay()) continue;  // it had nothing left to do
        std::this_thread::sleep_for(std::chrono::milliseconds(40 + 70 * attempt));
        runner.killNow();
        const int status = runner.wait();
        ASSERT_NE(status, -1) << "a killed runner did not exit";
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++kills;
    }
    EXPECT_GT(kills, 0) << "the runner always finished before it could be killed";
    {
        RunnerProcess last(killed.path(), kSeed, kDays);
        const int status = last.wait();
        ASSERT_NE(status, -1) << "the resumed runner hung";
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
    EXPECT_EQ(dumpOf(killed.path()), expected);
}

TEST(SimulatorTest, SurvivesSigkillWhileCreatingTheDatabase) {
    conduit::test::TempDir whole{"host-sim"}, killed{"host-sim"};
    const auto expected = simulate(whole.path(), 77, 1);
    for (int delayMs : {5, 30, 80}) {  // somewhere in CREATE DATABASE, schema or seed data
        RunnerProcess runner(killed.path(), 77, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        runner.killNow();
        ASSERT_NE(runner.wait(), -1);
    }
    RunnerProcess last(killed.path(), 77, 1);
    const int status = last.wait();
    ASSERT_NE(status, -1) << "the restarted runner hung";
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_EQ(dumpOf(killed.path()), expected);
}

TEST(SimulatorTest, RunsWithSomeModulesAbsent) {
    conduit::test::TempDir dir{"host-sim"};
    QuietLogger logger;
    refhost::SuiteOptions options;
    options.modules = {"orders", "payments"};
    auto suite = openSuite(dir.path(), logger, options);
    const auto summary = refhost::Simulator(*suite, 3).runUntilDay(3);
    EXPECT_EQ(summary.toDay, 3);
    EXPECT_FALSE(suite->modules().orders()->changesSince(0, 10).empty());
    EXPECT_EQ(summary.actions.count("installation"), 0u);  // needs the scheduling module
}
