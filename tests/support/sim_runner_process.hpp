// A simulator runner executable (RUNNER DATA_DIR SEED DAYS) started as a child with its stdout on
// a pipe; every wait is bounded and the destructor kills and reaps, so no runner outlives a test.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include <sys/types.h>

namespace conduit::test {

class SimRunnerProcess {
public:
    SimRunnerProcess(const std::string& executable, const std::filesystem::path& data, std::uint64_t seed, int days);
    ~SimRunnerProcess();
    SimRunnerProcess(const SimRunnerProcess&) = delete;
    SimRunnerProcess& operator=(const SimRunnerProcess&) = delete;

    // Blocks until the runner printed a completed day ("day N ..."); false at the end of its output.
    bool waitForDay();
    // The wait status, or -1 after `limit` (the destructor then kills it).
    int wait(std::chrono::seconds limit = std::chrono::seconds(60));
    void killNow();

private:
    pid_t pid_ = 0;
    int out_ = -1;
};

}  // namespace conduit::test
