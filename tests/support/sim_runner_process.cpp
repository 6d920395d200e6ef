#include "sim_runner_process.hpp"

#include <csignal>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace conduit::test {

SimRunnerProcess::SimRunnerProcess(const std::string& executable, const std::filesystem::path& data, std::uint64_t seed,
                                   int days) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const std::string dir = data.string(), seedText = std::to_string(seed), until = std::to_string(days);
    const char* argv[] = {executable.c_str(), dir.c_str(), seedText.c_str(), until.c_str(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    const int rc = posix_spawn(&pid_, executable.c_str(), &actions, nullptr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
    if (rc != 0) {
        pid_ = 0;
        throw std::runtime_error("cannot start " + executable);
    }
}

SimRunnerProcess::~SimRunnerProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    close(out_);
}

bool SimRunnerProcess::waitForDay() {
    std::string line;
    char c;
    while (read(out_, &c, 1) == 1) {
        if (c != '\n') {
            line += c;
            continue;
        }
        if (line.rfind("day ", 0) == 0) return true;
        line.clear();
    }
    return false;
}

int SimRunnerProcess::wait(std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = 0;
            return status;
        }
        if (std::chrono::steady_clock::now() > until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void SimRunnerProcess::killNow() {
    if (pid_ > 0) kill(pid_, SIGKILL);
}

}  // namespace conduit::test
