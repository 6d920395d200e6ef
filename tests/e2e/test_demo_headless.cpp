// The demo as a user runs it: conduit-host --headless with the CRM plugin, on a fresh data folder.
#include <test_support.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

using conduit::test::TempDir;

namespace {

struct RunResult {
    int exitCode = -1;
    std::string output;
};

RunResult runHost(const std::string& args) {
    const std::string cmd = "QT_QPA_PLATFORM=offscreen '" HOST_EXE "' --plugins '" CRM_PLUGIN_DIR "' --headless " +
                            args + " 2>&1";
    RunResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    while (fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.output += buf.data();
    const int status = pclose(pipe);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

long receivedFor(const std::string& output, const std::string& module) {
    std::smatch m;
    const std::regex re("\\[crm\\] " + module + ": ([0-9]+) received");
    return std::regex_search(output, m, re) ? std::stol(m[1]) : -1;
}

}  // namespace

TEST(DemoHeadless, PluginReceivesFromEveryModuleAndScreenshotIsSaved) {
    TempDir dir;
    const auto shot = dir / "workstation.png";
    const auto r = runHost("--days 4 --seed 7 --data '" + (dir / "data").string() + "' --screenshot '" +
                           shot.string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("loaded conduit.crm"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("[crm] connected to host modules: orders, scheduling, fg_warehouse, multi_warehouse, payments"),
              std::string::npos)
        << r.output;
    long total = 0;
    for (auto module : {"orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"}) {
        const long n = receivedFor(r.output, module);
        EXPECT_GE(n, 0) << "no report line for " << module << "\n" << r.output;
        total += n;
    }
    EXPECT_GT(total, 20) << r.output;
    // Staff notes and measurement sheets reach the CRM through its actions, none refused.
    EXPECT_NE(r.output.find("staff entries through plugin actions: crm.note.customer"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("refused"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("(no plugin)"), std::string::npos) << r.output;
    // Headless, the dispatcher's feed is printed: 25 newest lines with kind names in the host locale.
    EXPECT_NE(r.output.find("[crm] dispatcher feed, newest 25 events:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("  P-2026-"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("stopped conduit.crm"), std::string::npos);
    ASSERT_TRUE(std::filesystem::exists(shot)) << r.output;
    std::ifstream png(shot, std::ios::binary);
    char magic[8]{};
    png.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    EXPECT_GT(std::filesystem::file_size(shot), 5000u);
}

TEST(DemoHeadless, SecondRunContinuesTheSameHistory) {
    TempDir dir;
    const auto data = (dir / "data").string();
    const auto first = runHost("--days 2 --seed 3 --data '" + data + "'");
    ASSERT_EQ(first.exitCode, 0) << first.output;
    const auto again = runHost("--days 2 --seed 3 --data '" + data + "'");
    ASSERT_EQ(again.exitCode, 0) << again.output;
    EXPECT_EQ(receivedFor(again.output, "payments"), 0) << "nothing left to simulate:\n" << again.output;
    const auto other = runHost("--days 2 --seed 4 --data '" + data + "'");
    EXPECT_NE(other.exitCode, 0) << "another seed on the same data folder must be refused";
}

TEST(DemoHeadless, UnknownOptionIsAClearError) {
    const auto r = runHost("--dayz 3");
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.output.find("dayz"), std::string::npos) << r.output;
}

TEST(DemoHeadless, SigtermStopsThePluginCleanlyMidSimulation) {
    TempDir dir;
    const auto out = (dir / "host.out").string();
    const std::string cmd = "exec '" HOST_EXE "' --plugins '" CRM_PLUGIN_DIR "' --headless --days 300 --pace-ms 100 --data '" +
                            (dir / "data").string() + "' > '" + out + "' 2>&1";
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    pid_t pid = 0;
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    ASSERT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ), 0);
    auto slurp = [&] {
        std::ifstream in(out);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // Wait until the plugin runs and the simulation has produced something, then stop the host.
    for (int i = 0; i < 300 && slurp().find("plugin(s) running") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    int status = 0;
    for (int i = 0; i < 600 && waitpid(pid, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        FAIL() << "host did not stop within 60 s of SIGTERM\n" << slurp();
    }
    const auto text = slurp();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << text;
    EXPECT_NE(text.find("stopped conduit.crm"), std::string::npos) << text;
    EXPECT_NE(text.find("event store:"), std::string::npos) << text;
    EXPECT_EQ(text.find("terminate called"), std::string::npos) << text;
}
