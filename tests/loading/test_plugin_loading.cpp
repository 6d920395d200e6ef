// Plugin loading through the SDK's PluginManager: the version handshake, each failure case with
// a clear log line, start/stop order, and a plugin stopped while the host keeps emitting.
#include "test_host.hpp"

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

using conduit::test::TempDir;
using conduit::test::TestHost;
namespace fs = std::filesystem;

namespace {

fs::path testPlugin(const std::string& name) { return fs::path(TEST_PLUGIN_DIR) / ("libtp_" + name + ".so"); }
fs::path crmPlugin() { return fs::path(CRM_PLUGIN_DIR) / "libconduit_crm.so"; }
// "SDK 1.2", as this host names its own version in log lines.
std::string hostSdk() {
    return "SDK " + std::to_string(conduit::sdk::kSdkVersionMajor) + "." + std::to_string(conduit::sdk::kSdkVersionMinor);
}

}  // namespace

TEST(PluginLoading, LibraryThatIsNoPluginIsSkippedWithAClearLine) {
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    EXPECT_FALSE(pm.load(testPlugin("not_a_plugin")));
    ASSERT_EQ(pm.plugins().size(), 1u);
    EXPECT_NE(pm.plugins()[0].error.find("not a Conduit plugin"), std::string::npos) << pm.plugins()[0].error;
    EXPECT_TRUE(host.logger.contains("skipping libtp_not_a_plugin.so: not a Conduit plugin"));
}

TEST(PluginLoading, FileThatIsNoLibraryIsSkipped) {
    TempDir dir;
    TestHost host(dir.path());
    std::ofstream(dir / "broken.so") << "this is not an ELF file";
    conduit::sdk::PluginManager pm(host.logger);
    EXPECT_FALSE(pm.load(dir / "broken.so"));
    EXPECT_TRUE(host.logger.contains("skipping broken.so: cannot be loaded as a library"));
}

TEST(PluginLoading, OtherSdkVersionIsRefusedBeforeAnyPluginCodeRuns) {
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    // The test plugin's factory and start() abort the process: reaching them fails the test.
    EXPECT_FALSE(pm.load(testPlugin("wrong_sdk")));
    EXPECT_TRUE(host.logger.contains("built for SDK 2.0, this host speaks " + hostSdk())) << host.logger.lines().back();
    pm.startAll(host.services);
    EXPECT_EQ(pm.startedCount(), 0u);
}

TEST(PluginLoading, PluginOfANewerMinorSdkIsRefused) {
    // It would read HostServices members this host does not have.
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    EXPECT_FALSE(pm.load(testPlugin("newer_minor")));
    const std::string newer = "SDK 1." + std::to_string(conduit::sdk::kSdkVersionMinor + 1);
    EXPECT_TRUE(host.logger.contains("built for " + newer + ", this host speaks " + hostSdk())) << host.logger.lines().back();
    EXPECT_TRUE(conduit::sdk::sdkCompatible(conduit::sdk::kSdkVersion));
    EXPECT_TRUE(conduit::sdk::sdkCompatible(1000));  // a 1.0 plugin runs on a newer-minor host
}

TEST(PluginLoading, PluginOfAnOlderMinorSdkRunsOnThisHost) {
    // Built for 1.1: it never reads HostServices::mailHeaders (1.2), which this host fills or not.
    static_assert(conduit::sdk::kSdkVersionMinor >= 2);
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    ASSERT_TRUE(pm.load(testPlugin("older_minor"))) << host.logger.lines().back();
    EXPECT_TRUE(host.logger.contains("loaded test.older_minor 1.0 (SDK 1.1)")) << host.logger.lines().back();
    pm.startAll(host.services);
    EXPECT_EQ(pm.startedCount(), 1u);
    EXPECT_TRUE(host.logger.contains("[test.older_minor] started; actions absent")) << host.logger.lines().back();
    pm.stopAll();
    EXPECT_TRUE(host.logger.contains("[test.older_minor] stopping"));
}

TEST(PluginLoading, PluginWhoseStartThrowsIsUndoneAndTheHostCarriesOn) {
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    ASSERT_TRUE(pm.load(testPlugin("throws_on_start")));
    ASSERT_TRUE(pm.load(testPlugin("counting")));
    pm.startAll(host.services);
    EXPECT_EQ(pm.startedCount(), 1u);
    EXPECT_TRUE(host.logger.contains("test.throws_on_start: start failed: licence file missing: Żółć-Лицензия.key"));
    EXPECT_TRUE(host.logger.contains("[test.throws_on_start] undone"));
    // Its connection was undone; the counting plugin's remains.
    EXPECT_EQ(host.modules.payments_.paymentRegistered.num_slots(), 1u);
    host.emitPayment(1);
    pm.stopAll();
    EXPECT_EQ(host.settings.get("test.counting.received"), "1");
    EXPECT_EQ(host.modules.payments_.paymentRegistered.num_slots(), 0u);
}

TEST(PluginLoading, FolderScanLoadsGoodOnesAndStopsInReverseOrder) {
    TempDir dir;
    TestHost host(dir.path());
    // A plugins folder with every kind of library in it, as a careless installer might leave it.
    for (auto name : {"not_a_plugin", "wrong_sdk", "throws_on_start", "counting"})
        fs::copy_file(testPlugin(name), dir / ("libtp_" + std::string(name) + ".so"));
    fs::copy_file(crmPlugin(), dir / "libzz_conduit_crm.so");
    std::ofstream(dir / "README.txt") << "not a library, not even named like one";

    conduit::sdk::PluginManager pm(host.logger);
    pm.loadFolder(dir.path());
    pm.startAll(host.services);
    ASSERT_EQ(pm.startedCount(), 2u);  // counting, then conduit.crm
    EXPECT_EQ(pm.plugins().size(), 5u);
    // The workstation, the cards and their own mail; no entry forms and no rules editor: the test
    // host's user (no department) has no right to enter events or to administer rules.
    EXPECT_EQ(host.forms.ids(), (std::vector<std::string>{"crm.counterparty", "crm.dispatcher", "crm.mail-preferences", "crm.project"}));
    EXPECT_TRUE(host.logger.contains("[crm] connected to host modules: payments"));

    for (int i = 1; i <= 3; ++i) host.emitPayment(i);
    pm.stopAll();
    const int stopCrm = host.logger.indexOf("stopped conduit.crm");
    const int stopCounting = host.logger.indexOf("stopped test.counting");
    ASSERT_GE(stopCrm, 0);
    ASSERT_GE(stopCounting, 0);
    EXPECT_LT(stopCrm, stopCounting) << "plugins stop in reverse load order";
    EXPECT_TRUE(host.logger.contains("[crm] payments: 3 received (payment.prepayment_received 3)"));
    EXPECT_TRUE(host.forms.ids().empty()) << "the CRM plugin removed its forms on stop";
    EXPECT_EQ(host.modules.payments_.paymentRegistered.num_slots(), 0u);
}

TEST(PluginLoading, DuplicatePluginIdIsRefused) {
    TempDir dir;
    TestHost host(dir.path());
    fs::copy_file(testPlugin("counting"), dir / "copy.so");
    conduit::sdk::PluginManager pm(host.logger);
    EXPECT_TRUE(pm.load(testPlugin("counting")));
    EXPECT_FALSE(pm.load(dir / "copy.so"));
    EXPECT_TRUE(host.logger.contains("a plugin with id 'test.counting' is already loaded"));
}

TEST(PluginLoading, PluginStoppedWhileTheHostKeepsEmittingFromSeveralThreads) {
    TempDir dir;
    TestHost host(dir.path());
    conduit::sdk::PluginManager pm(host.logger);
    ASSERT_TRUE(pm.load(testPlugin("counting")));
    ASSERT_TRUE(pm.load(crmPlugin()));
    pm.startAll(host.services);
    ASSERT_EQ(pm.startedCount(), 2u);

    std::atomic<bool> go{true};
    std::atomic<long> emitted{0};
    std::vector<std::thread> emitters;
    for (int t = 0; t < 3; ++t)
        emitters.emplace_back([&, t] {
            for (std::int64_t i = 0; go.load(); ++i) {
                host.emitPayment(t * 1'000'000'000LL + i);
                emitted.fetch_add(1);
            }
        });
    while (emitted.load() < 20'000) std::this_thread::yield();
    pm.stopAll();
    const long atStop = emitted.load();
    while (emitted.load() < atStop + 20'000) std::this_thread::yield();  // the host carries on
    go = false;
    for (auto& t : emitters) t.join();

    EXPECT_EQ(host.modules.payments_.paymentRegistered.num_slots(), 0u);
    const long counted = std::stol(host.settings.get("test.counting.received").value_or("-1"));
    EXPECT_GT(counted, 0);
    EXPECT_LE(counted, atStop + 3) << "at most one in-flight emission per thread after stop";
    EXPECT_TRUE(host.logger.contains("stopped test.counting"));
    EXPECT_TRUE(host.logger.contains("stopped conduit.crm"));
    // A second stop is harmless.
    pm.stopAll();
}
