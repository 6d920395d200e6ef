// The Firebird server fixture and the event store against a real server: two stores (two
// workstations) share one database and see each other's events; an unreachable server is a
// clear ConnectionError; a restarted server keeps its data.
#include "firebird_server.hpp"
#include "smtp_server.hpp"  // unusedLocalPort()
#include "store_test_util.hpp"

#include <conduit/crm/timeline/event_store.hpp>

#include <gtest/gtest.h>

#include <set>

namespace conduit::crm {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::makeEvent;

std::set<std::string> titlesIn(EventStore& store) {
    std::set<std::string> titles;
    std::optional<FeedCursor> after;
    do {
        auto page = store.feed({}, after, 1000);
        for (const auto& e : page.events) titles.insert(e.title);
        after = page.next;
    } while (after);
    return titles;
}

TEST(FirebirdServer, TwoStoresOnOneServerSeeEachOthersEvents) {
    conduit::test::FirebirdServer server;
    const auto where = server.location("crm.fdb");
    auto first = EventStore::open(where);
    auto second = EventStore::open(where);  // migrations already applied: nothing to do

    auto a = makeEvent("ws1:1", at(2026, 3, 2));
    a.title = "Монтаж окон — ООО «Берёзка»";
    auto b = makeEvent("ws2:1", at(2026, 3, 3));
    b.title = "Zażółć gęślą jaźń — Łódź";
    ASSERT_TRUE(first->writer().submit(a));
    ASSERT_TRUE(second->writer().submit(b));
    ASSERT_TRUE(first->writer().flush(30s)) << first->counts().writer.lastError;
    ASSERT_TRUE(second->writer().flush(30s)) << second->counts().writer.lastError;

    const std::set<std::string> expected{a.title, b.title};
    EXPECT_EQ(titlesIn(*first), expected);
    EXPECT_EQ(titlesIn(*second), expected);

    // The same idempotency key from the other workstation is a duplicate, not a second row.
    ASSERT_TRUE(second->writer().submit(a));
    ASSERT_TRUE(second->writer().flush(30s));
    EXPECT_EQ(second->counts().writer.duplicates, 1u);
    EXPECT_EQ(titlesIn(*first).size(), 2u);
}

TEST(FirebirdServer, UnreachableServerIsAClearConnectionError) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Server;
    where.host = "127.0.0.1";
    where.port = conduit::test::unusedLocalPort();
    where.database = "/nowhere/crm.fdb";
    where.password = "secret-password";
    try {
        EventStore::open(where);
        FAIL() << "opened a store on a server that does not exist";
    } catch (const ConnectionError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("Firebird server 127.0.0.1:" + std::to_string(where.port)), std::string::npos) << what;
        EXPECT_EQ(what.find("secret-password"), std::string::npos) << "the password leaked: " << what;
    }
}

TEST(FirebirdServer, WrongPasswordIsAConnectionErrorNotACrash) {
    conduit::test::FirebirdServer server;
    auto where = server.location("crm.fdb");
    where.password = "not-the-password";
    EXPECT_THROW(EventStore::open(where), ConnectionError);
}

TEST(FirebirdServer, RestartKeepsDataOnTheSamePort) {
    conduit::test::FirebirdServer server;
    const auto where = server.location("crm.fdb");
    {
        auto store = EventStore::open(where);
        ASSERT_TRUE(store->writer().submit(makeEvent("before-restart", at(2026, 3, 2))));
        ASSERT_TRUE(store->writer().flush(30s));
    }
    const int port = server.port();
    const pid_t before = server.pid();
    server.restart();
    EXPECT_EQ(server.port(), port);
    EXPECT_NE(server.pid(), before);
    EXPECT_TRUE(server.running());

    auto store = EventStore::open(server.location("crm.fdb"));
    EXPECT_EQ(titlesIn(*store), std::set<std::string>{"event before-restart"});

    server.kill();
    EXPECT_FALSE(server.running());
    EXPECT_THROW(EventStore::open(where), ConnectionError);
    server.start();
    EXPECT_EQ(titlesIn(*EventStore::open(where)), std::set<std::string>{"event before-restart"});
}

}  // namespace
}  // namespace conduit::crm
