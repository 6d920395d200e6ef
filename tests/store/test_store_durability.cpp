// How committed batches reach the disk: the write mode set in an embedded file's header, the
// writer's sync per batch and when idle, and a batch that flush() reported surviving kill -9.
#include "store_test_util.hpp"

#include <conduit/crm/database/durability.hpp>

#include <conduit/sdk/firebird_file.hpp>

#include <soci/soci.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace conduit::crm::testing {
namespace {

std::vector<Event> paymentsNamed(int n, const std::string& prefix) {
    std::vector<Event> out;
    for (int i = 0; i < n; ++i) {
        auto e = makeEvent(prefix + std::to_string(i), at(2026, 11, 23, 9, 0, i % 60), "payment.received");
        e.title = "Wpłata od „Okna Łódź” / Оплата от ООО «Окна» №" + std::to_string(i);
        out.push_back(std::move(e));
    }
    return out;
}

long long countEvents(EventStore& store) {
    auto lease = store.database().acquire();
    long long n = 0;
    *lease << "SELECT COUNT(*) FROM CRM_EVENT", soci::into(n);
    lease->commit();
    return n;
}

}  // namespace

TEST(Durability, SettingTextChoosesForcedWritesOnlyWhenItSaysSo) {
    for (const char* on : {"on", "ON", "true", "1", "yes"})
        EXPECT_EQ(durabilityFromSetting(on), Durability::ForcedWrites) << on;
    for (const char* off : {"", "off", "no", "0", "sometimes", "włączone"})
        EXPECT_EQ(durabilityFromSetting(off), Durability::SyncPerBatch) << off;
}

TEST_F(StoreTest, NewEmbeddedStoreRunsWithoutForcedWritesAndSyncsEachBatch) {
    EXPECT_FALSE(sdk::embeddedForcedWrites(dir / "crm.fdb"));
    const auto before = store->counts().writer.syncs;
    write(paymentsNamed(3, "a-"));
    write(paymentsNamed(3, "b-"));
    const auto c = store->counts().writer;
    EXPECT_EQ(c.written, 6u);
    EXPECT_GE(c.syncs, before + 2) << "one sync per committed batch";
    EXPECT_EQ(c.syncFailures, 0u) << c.lastError;
}

TEST(Durability, ForcedWritesOptionSetsTheHeaderAndTheWriterLeavesSyncingToFirebird) {
    conduit::test::TempDir dir{"conduit-durability"};
    StoreOptions options;
    options.durability = Durability::ForcedWrites;
    auto store = EventStore::open(embeddedAt(dir / "crm.fdb"), options);
    EXPECT_TRUE(sdk::embeddedForcedWrites(dir / "crm.fdb"));
    for (const auto& e : paymentsNamed(5, "fw-")) ASSERT_TRUE(store->writer().submit(e));
    ASSERT_TRUE(store->writer().flush(std::chrono::seconds(10)));
    EXPECT_EQ(store->counts().writer.written, 5u);
    EXPECT_EQ(store->counts().writer.syncs, 0u);
}

TEST(Durability, EachOpenSetsTheModeItIsGivenAndKeepsTheData) {
    conduit::test::TempDir dir{"conduit-durability"};
    const auto file = dir / "crm.fdb";
    StoreOptions forced;
    forced.durability = Durability::ForcedWrites;
    {
        auto store = EventStore::open(embeddedAt(file));
        for (const auto& e : paymentsNamed(4, "one-")) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(std::chrono::seconds(10)));
    }
    EXPECT_FALSE(sdk::embeddedForcedWrites(file));
    {
        auto store = EventStore::open(embeddedAt(file), forced);
        EXPECT_EQ(countEvents(*store), 4);
        for (const auto& e : paymentsNamed(4, "two-")) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(std::chrono::seconds(10)));
    }
    EXPECT_TRUE(sdk::embeddedForcedWrites(file));
    {
        auto store = EventStore::open(embeddedAt(file));
        EXPECT_EQ(countEvents(*store), 8);
    }
    EXPECT_FALSE(sdk::embeddedForcedWrites(file));
}

TEST(Durability, OtherComponentsOnTheSameFileLeaveTheModeAlone) {
    // ReadState and the notification service open their own Database on the CRM file after the
    // store: they must not undo the store's choice (forced writes off without the writer's syncs).
    conduit::test::TempDir dir{"conduit-durability"};
    const auto file = dir / "crm.fdb";
    StoreOptions forced;
    forced.durability = Durability::ForcedWrites;
    auto store = EventStore::open(embeddedAt(file), forced);
    Database readState(embeddedAt(file));
    EXPECT_TRUE(sdk::embeddedForcedWrites(file));
    EXPECT_FALSE(readState.syncsPerBatch());
    store.reset();
    auto again = EventStore::open(embeddedAt(file));
    Database notifications(embeddedAt(file));
    EXPECT_FALSE(sdk::embeddedForcedWrites(file));
    EXPECT_TRUE(again->database().syncsPerBatch());
}

TEST_F(StoreTest, AnIdleWriterStillSyncsSoOtherSessionsCommitsReachTheDisk) {
    // A read mark or a rule edit commits on a pooled session, not through the writer.
    {
        auto lease = store->database().acquire();
        *lease << "UPDATE CRM_EVENT SET TITLE = TITLE WHERE ID = -1";
        lease->commit();
    }
    const auto before = store->counts().writer.syncs;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (store->counts().writer.syncs == before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_GT(store->counts().writer.syncs, before) << "no sync while idle";
}

TEST(Durability, SyncOfAFileThatIsNotThereSaysWhichAndWhy) {
    FileSync sync("/nonexistent-conduit-folder/crm.fdb");
    const auto why = sync.sync();
    EXPECT_NE(why.find("/nonexistent-conduit-folder/crm.fdb"), std::string::npos) << why;
    EXPECT_NE(why.find("No such file"), std::string::npos) << why;
}

// The child half of the next test: runs only when the parent starts this binary for it.
TEST(Durability, ChildWritesFlushesAndWaitsToBeKilled) {
    const char* dir = std::getenv("CONDUIT_DURABILITY_CHILD");
    if (!dir) GTEST_SKIP() << "started by KilledRightAfterFlushKeepsEveryFlushedEvent";
    auto store = EventStore::open(embeddedAt(std::filesystem::path(dir) / "crm.fdb"));
    for (const auto& e : paymentsNamed(700, "kill-")) ASSERT_TRUE(store->writer().submit(e));
    ASSERT_TRUE(store->writer().flush(std::chrono::seconds(60)));
    ASSERT_EQ(write(STDOUT_FILENO, "flushed\n", 8), 8);
    for (;;) pause();  // killed here, with the engine and the writer still up
}

TEST(Durability, KilledRightAfterFlushKeepsEveryFlushedEvent) {
    conduit::test::TempDir dir{"conduit-durability"};
    conduit::test::TempDir lock{"conduit-durability-lock"};  // the child's kill must not touch our lock table
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string filter = "--gtest_filter=Durability.ChildWritesFlushesAndWaitsToBeKilled";
    const char* argv[] = {self.c_str(), filter.c_str(), nullptr};
    std::vector<std::string> env = {"CONDUIT_DURABILITY_CHILD=" + dir.path().string(),
                                    "FIREBIRD_LOCK=" + lock.path().string()};
    for (char** e = environ; *e; ++e)
        if (std::string(*e).rfind("FIREBIRD_LOCK=", 0) != 0) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    pid_t child = 0;
    const int rc = posix_spawn(&child, self.c_str(), &actions, nullptr, const_cast<char* const*>(argv), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    ASSERT_EQ(rc, 0);

    // gtest's own output comes first; wait for the child's line.
    std::string out;
    char buf[512];
    while (out.find("flushed\n") == std::string::npos) {
        const auto n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_NE(out.find("flushed\n"), std::string::npos) << "the child did not get to flush:\n" << out;
    ASSERT_TRUE(WIFSIGNALED(status));

    auto store = EventStore::open(embeddedAt(dir / "crm.fdb"));
    EXPECT_EQ(countEvents(*store), 700);
    const auto page = store->feed({}, std::nullopt, 1);
    ASSERT_EQ(page.events.size(), 1u);
    EXPECT_NE(page.events[0].title.find("Łódź"), std::string::npos);
}

}  // namespace conduit::crm::testing
