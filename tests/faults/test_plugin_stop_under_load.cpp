// Fault: the CRM is stopped while the host's simulator keeps emitting from its own thread, then
// started again mid-run. The host must not notice (it finishes its days), and after the restart
// the CRM must hold exactly one event per host change: what it missed comes by catch-up from the
// saved cursors, nothing twice. Reuses the integration harness (tests/integration).
#include "crm_under_test.hpp"

#include <simulator.hpp>
#include <test_support.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <set>
#include <thread>

using namespace conduit;
using namespace conduit::itest;

namespace {


void waitForDay(const std::atomic<int>& day, int target) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
    while (day < target && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_GE(day.load(), target) << "the simulator stalled";
}

}  // namespace

TEST(PluginStopUnderLoad, HostKeepsEmittingAndTheRestartedCrmCatchesUpExactlyOnce) {
    test::TempDir dir{"faults-stop-under-load"};
    RealHost host(dir.path());
    constexpr int kDays = 10;
    std::atomic<int> day{0};
    std::atomic<bool> simulatorFailed{false};

    auto crm = std::make_unique<Crm>(host.services);
    std::thread simulator([&] {
        try {
            refhost::Simulator(host.suite, 77).runUntilDay(kDays, [&](const refhost::SimulationProgress& p) { day = p.day; });
        } catch (const std::exception& e) {
            std::cerr << "simulator: " << e.what() << "\n";
            simulatorFailed = true;
        }
    });

    waitForDay(day, 2);
    crm->stop();  // mid-day: the simulator is between steps or inside one, on its own thread
    const int stoppedAtDay = day;
    waitForDay(day, stoppedAtDay + 3);  // the host works on without a CRM
    const auto whileStopped = allChanges(host.suite.modules()).size();
    crm = std::make_unique<Crm>(host.services);  // started again while the host emits
    simulator.join();
    crm->adapters().drain();
    const auto counts = crm->adapters().counts();
    crm.reset();

    EXPECT_FALSE(simulatorFailed);
    EXPECT_EQ(day.load(), kDays) << "the host finished its work";
    const auto all = allChanges(host.suite.modules());
    const auto events = storedEvents(dir / "crm.fdb");
    std::cout << "changes=" << all.size() << " at restart=" << whileStopped << " caught up=" << counts.caughtUp
              << " events=" << events.size() << "\n";
    EXPECT_GT(all.size(), whileStopped) << "the host kept emitting after the restart";
    EXPECT_GT(counts.caughtUp, 0u) << "what happened while stopped came by catch-up";
    EXPECT_EQ(events.size(), all.size()) << "one event per host change: none lost, none twice";
    EXPECT_EQ(keysOf(events), keysOf(all));
}
