#include "store_test_util.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace conduit::crm;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;

namespace {

// A local TCP port nobody listens on: bind one, read its number, close it.
int deadPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

sdk::DatabaseLocation unreachableServer() {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Server;
    where.host = "127.0.0.1";
    where.port = deadPort();
    where.database = "/srv/firebird/crm.fdb";
    where.user = "SYSDBA";
    where.password = "s3cret";
    return where;
}

}  // namespace

TEST(Connection, UnreachableServerGivesAClearError) {
    const auto where = unreachableServer();
    try {
        EventStore::open(where);
        FAIL() << "opening an unreachable server must throw";
    } catch (const ConnectionError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("127.0.0.1:" + std::to_string(where.port)), std::string::npos) << what;
        EXPECT_NE(what.find("/srv/firebird/crm.fdb"), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cret"), std::string::npos) << "password leaked: " << what;
    }
}

TEST(Connection, QueuedEventsSurviveAnUnreachableServer) {
    Database db(unreachableServer());
    WriterOptions options;
    options.retryMin = 10ms;
    options.retryMax = 50ms;
    EventWriter writer(db, options);
    for (int i = 0; i < 25; ++i) ASSERT_TRUE(writer.submit(makeEvent("q" + std::to_string(i), at(2026, 1, 1, 0, i))));
    EXPECT_FALSE(writer.flush(300ms));
    auto c = writer.counts();
    EXPECT_EQ(c.queued, 25u);
    EXPECT_EQ(c.written, 0u);
    EXPECT_GE(c.retries, 1u);
    EXPECT_FALSE(c.connected);
    EXPECT_NE(c.lastError.find("127.0.0.1"), std::string::npos) << c.lastError;

    writer.stop(100ms);
    const auto pending = writer.takePending();
    ASSERT_EQ(pending.size(), 25u);
    for (int i = 0; i < 25; ++i) EXPECT_EQ(pending[i].idempotencyKey, "q" + std::to_string(i));  // order kept
}

// The writer replays what it kept once a database is reachable again: here the events taken from
// a writer that could not reach its server are handed to a working store.
TEST(Connection, PendingEventsCanBeReplayedWithoutDuplicates) {
    conduit::test::TempDir dir("conduit-conn");
    auto store = EventStore::open(embeddedAt(dir / "crm.fdb"));
    std::vector<Event> pending;
    for (int i = 0; i < 10; ++i) pending.push_back(makeEvent("r" + std::to_string(i), at(2026, 1, 1, 0, i)));
    for (const auto& e : pending) store->writer().submit(e);
    for (const auto& e : pending) store->writer().submit(e);  // replayed twice
    ASSERT_TRUE(store->writer().flush(30s));
    EXPECT_EQ(store->counts().writer.written, 10u);
    EXPECT_EQ(store->counts().writer.duplicates, 10u);
}

TEST(Connection, StoppedWriterRefusesNewEvents) {
    conduit::test::TempDir dir("conduit-conn");
    auto store = EventStore::open(embeddedAt(dir / "crm.fdb"));
    store->writer().stop();
    EXPECT_FALSE(store->writer().submit(makeEvent("late", at(2026, 1, 1))));
    EXPECT_EQ(store->counts().writer.rejected, 1u);
}
