// The reference suite's simulator with the CRM connected, on one data folder (host.fdb, crm.fdb,
// settings.json): crm_sim_runner DATA_DIR SEED DAYS. The kill -9 test kills it mid-run and
// starts it again; "day N" lines report progress, "done" a clean stop (cursors saved).
#include "crm_under_test.hpp"

#include <simulator.hpp>

#include <conduit/sdk/firebird_file.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace {
int run(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: crm_sim_runner DATA_DIR SEED DAYS\n";
        return 2;
    }
    try {
        conduit::itest::RealHost host(argv[1]);
        conduit::itest::Crm crm(host.services);
        refhost::Simulator sim(host.suite, std::strtoull(argv[2], nullptr, 10));
        const auto summary = sim.runUntilDay(std::atoi(argv[3]), [](const refhost::SimulationProgress& p) {
            std::printf("day %d steps %lld\n", p.day, static_cast<long long>(p.steps));
            std::fflush(stdout);
        });
        crm.stop();
        std::printf("done %lld steps\n", static_cast<long long>(summary.stepsPlayed));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "crm_sim_runner: " << e.what() << "\n";
        return 1;
    }
}
}  // namespace

int main(int argc, char** argv) {
    const int rc = run(argc, argv);
    conduit::sdk::shutdownFirebird();
    return rc;
}
