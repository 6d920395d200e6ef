// Runs the reference suite's simulator on a data folder: host_sim_runner DATA_DIR SEED DAYS.
// The kill -9 test starts it, kills it mid-run, and starts it again on the same folder.
#include "reference_suite.hpp"
#include "simulator.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace {
struct QuietLogger final : conduit::sdk::ILogger {
    void log(conduit::sdk::LogLevel, std::string_view, std::string_view) override {}
};
}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: host_sim_runner DATA_DIR SEED DAYS\n";
        return 2;
    }
    try {
        QuietLogger logger;
        refhost::ReferenceSuite suite(refhost::SuiteOptions{std::filesystem::path(argv[1]) / "host.fdb"}, logger);
        refhost::Simulator sim(suite, std::strtoull(argv[2], nullptr, 10));
        const auto summary = sim.runUntilDay(std::atoi(argv[3]), [](const refhost::SimulationProgress& p) {
            std::printf("day %d steps %lld\n", p.day, static_cast<long long>(p.steps));
            std::fflush(stdout);
        });
        std::printf("done %lld steps\n", static_cast<long long>(summary.stepsPlayed));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "host_sim_runner: " << e.what() << "\n";
        return 1;
    }
}
