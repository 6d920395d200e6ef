// The host with the CRM connected, killed with -9 mid-simulation and resumed, ends with exactly
// the events of an uninterrupted run of the same seed: compared kind by kind and key by key.
#include <sim_runner_process.hpp>
#include "crm_under_test.hpp"

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

extern char** environ;

using namespace conduit;

namespace {

// A crm_sim_runner child (shared helper in tests/support).
class Runner : public test::SimRunnerProcess {
public:
    Runner(const std::filesystem::path& data, std::uint64_t seed, int days)
        : SimRunnerProcess(CRM_SIM_RUNNER, data, seed, days) {}
};

bool exitedCleanly(int status) { return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

// key -> the fields that must not depend on how the run was interrupted.
std::map<std::string, std::string> byKey(const std::vector<crm::Event>& events) {
    std::map<std::string, std::string> out;
    for (const auto& e : events)
        out[e.idempotencyKey] = e.kind + " | " + std::to_string(e.occurredAt.time_since_epoch().count()) + " | " +
                                std::to_string(e.projectId) + " | " + std::to_string(e.counterpartyId) + " | " +
                                (e.amount ? std::to_string(e.amount->minor) + e.amount->currency : "-") + " | " +
                                (e.dueAt ? std::to_string(e.dueAt->time_since_epoch().count()) : "-") + " | " +
                                e.title;
    return out;
}
std::map<std::string, long> perKind(const std::vector<crm::Event>& events) {
    std::map<std::string, long> out;
    for (const auto& e : events) ++out[e.kind];
    return out;
}

}  // namespace

TEST(Kill9, ResumedRunStoresExactlyTheEventsOfAnUninterruptedRun) {
    test::TempDir whole{"itest-whole"}, killed{"itest-killed"};
    constexpr int kDays = 6;
    constexpr std::uint64_t kSeed = 4242;
    {
        Runner r(whole.path(), kSeed, kDays);
        ASSERT_TRUE(exitedCleanly(r.wait())) << "the uninterrupted run failed";
    }
    // The first run creates both databases and stops cleanly (no kill while creating them).
    {
        Runner first(killed.path(), kSeed, 1);
        ASSERT_TRUE(exitedCleanly(first.wait()));
    }
    int kills = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
        Runner runner(killed.path(), kSeed, kDays);
        if (!runner.waitForDay()) continue;  // nothing left to do
        std::this_thread::sleep_for(std::chrono::milliseconds(30 + 60 * attempt));
        runner.killNow();
        const int status = runner.wait();
        ASSERT_NE(status, -1) << "a killed runner did not exit";
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++kills;
    }
    EXPECT_GT(kills, 0) << "the runner always finished before it could be killed";
    {
        Runner last(killed.path(), kSeed, kDays);
        ASSERT_TRUE(exitedCleanly(last.wait())) << "the resumed run failed";
    }
    const auto expected = itest::storedEvents(whole / "crm.fdb");
    const auto actual = itest::storedEvents(killed / "crm.fdb");
    ASSERT_GT(expected.size(), 100u);
    EXPECT_EQ(perKind(actual), perKind(expected));
    const auto a = byKey(actual), e = byKey(expected);
    EXPECT_EQ(actual.size(), a.size()) << "a key stored twice";
    EXPECT_EQ(a.size(), e.size());
    for (const auto& [key, fields] : e) {
        const auto it = a.find(key);
        if (it == a.end()) {
            ADD_FAILURE() << "missing after kill -9: " << key << " " << fields;
            continue;
        }
        EXPECT_EQ(it->second, fields) << key;
    }
    for (const auto& [key, fields] : a)
        if (!e.count(key)) ADD_FAILURE() << "extra after kill -9: " << key << " " << fields;
}
