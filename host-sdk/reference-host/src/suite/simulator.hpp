// The workload simulator: plays a window-and-door manufacturer's days through the suite's
// modules. Deterministic for a seed and resumable: a killed run continues where it stopped.
#pragma once

#include "reference_suite.hpp"

#include <conduit/sdk/actions.hpp>

#include <atomic>
#include <filesystem>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace refhost {

struct SimulationProgress {
    int day = 0;          // last fully simulated day (0: nothing yet)
    std::int64_t steps = 0;  // steps done so far in this data folder's history
};

struct SimulationSummary {
    int fromDay = 0, toDay = 0;          // days played by this call: (fromDay, toDay]
    std::int64_t stepsPlayed = 0;        // steps played by this call
    std::map<std::string, int> actions;  // action name -> count, this call
    // What the simulated staff entered through plugin actions ("crm.note.customer", ...), by
    // outcome: "crm.note.customer" (done), "... refused", "... (no plugin)".
    std::map<std::string, int> entries;
    std::string lastRefusal;             // the message of the last refused entry
};

class Simulator {
public:
    Simulator(ReferenceSuite& suite, std::uint64_t seed);
    // Plays every step up to the end of `lastDay`. `onDay` is called after each completed day.
    // Returns early (between steps) when `stop` becomes true. Throws if the data folder was
    // started with another seed.
    SimulationSummary runUntilDay(int lastDay, const std::function<void(const SimulationProgress&)>& onDay = {},
                                  const std::atomic<bool>* stop = nullptr);
    SimulationProgress progress() const;
    // Staff also enter notes and measurement sheets through the plugin's actions (when a plugin
    // offers them). Each entry's request id comes from (seed, step), and it is invoked before its
    // step commits: a step replayed after a crash repeats the same ids, done once by the plugin.
    void useActions(sdk::IActionRegistry* actions) { actions_ = actions; }
    // Where the management's monthly catalogue export (an XLSX through the plugin) goes; none
    // without a folder.
    void exportTo(std::filesystem::path folder) { exportFolder_ = std::move(folder); }
    // The simulated "now": the time of the step played last (the host's clock for plugins while a
    // simulation runs); before any step of this process, the start of the data folder's next day.
    sdk::TimePoint now() const;

    // The calendar: day 1 is Monday 2026-01-05; days are working days (weekends skipped).
    static sdk::Date dateOfDay(int day);
    // How many steps day `day` has for this seed (20..60).
    int stepsInDay(int day) const;

private:
    ReferenceSuite& suite_;
    std::uint64_t seed_;
    sdk::IActionRegistry* actions_ = nullptr;
    std::filesystem::path exportFolder_;
    std::atomic<std::int64_t> nowSeconds_{0};  // 0: no step played yet
};

}  // namespace refhost
