// A lost connection means "retry later" everywhere: with the Firebird server killed, access
// rules, the audit log, note edits, read marks and the store's reads all throw ConnectionError
// (never a StoreError that says "something must change"), and work again once it is back; also
// when the server dies between a note's read and its edit's own transaction.
#include "../access/access_test_util.hpp"
#include "firebird_server.hpp"

#include <conduit/crm/readstate/read_state.hpp>

#include <functional>
#include <thread>
#include <utility>

using namespace conduit;
using namespace conduit::access_test;

namespace {

// Runs a hook on the next look-up of a user: the rights check of a note edit asks, after the
// note was read and before the edit's own transaction starts.
class HookedDirectory : public CompanyDirectory {
public:
    std::optional<sdk::User> user(sdk::Id id) const override {
        if (auto hook = std::exchange(onNextUser, nullptr)) hook();
        return CompanyDirectory::user(id);
    }
    mutable std::function<void()> onNextUser;
};

class LostConnection : public ::testing::Test {
protected:
    void SetUp() override {
        store = crm::EventStore::open(where);
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        userEvents = std::make_unique<crm::UserEvents>([this](crm::Event e) { return store->writer().submit(std::move(e)); },
                                                       directory, "en");
        userEvents->enforce(*access);
        changes = std::make_unique<crm::UserEventChanges>(*store, *access, "en");
        readState = std::make_unique<crm::ReadState>(where);
        crm::CustomerNote note;
        note.requestId = "lost-1";
        note.authorId = kOrders;
        note.counterpartyId = kOknaLodz;
        note.text = "Klient prosi o kontakt tylko po 16:00";
        note.at = day(9);
        userEvents->addCustomerNote(note);
        ASSERT_TRUE(store->writer().flush(30s)) << store->counts().writer.lastError;
        const auto page = store->feed({}, std::nullopt, 10);
        ASSERT_EQ(page.events.size(), 1u);
        noteId = page.events.front().id;
        // Every object has used its sessions: the pooled ones die with the server.
        readState->markRead(kOrders, noteId);
        audit->record(kAdmin, "test", "warm-up", "update", nullptr, {{"n", 1}});
    }
    void TearDown() override {
        if (!server.running()) server.start();
    }

    // Until the pool has dropped what died with the server: a retry later succeeds.
    static void eventually(const std::function<void()>& work) {
        for (int attempt = 0;; ++attempt) {
            try {
                work();
                return;
            } catch (const crm::ConnectionError&) {
                if (attempt >= 5) throw;
                std::this_thread::sleep_for(200ms);
            }
        }
    }

    test::FirebirdServer server;
    sdk::DatabaseLocation where = server.location("crm.fdb");
    HookedDirectory directory;
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
    std::unique_ptr<crm::UserEvents> userEvents;
    std::unique_ptr<crm::UserEventChanges> changes;
    std::unique_ptr<crm::ReadState> readState;
    std::int64_t noteId = 0;
};

TEST_F(LostConnection, IsAConnectionErrorThroughAccessAuditNoteEditsAndReads) {
    server.kill();
    crm::RoleRight right;
    right.role = crm::Role::Sales;
    right.kindPattern = "note.*";
    right.see = true;
    EXPECT_THROW(access->setRight(kAdmin, right), crm::ConnectionError);
    EXPECT_THROW(audit->record(kAdmin, "test", "1", "update", nullptr, {{"n", 2}}), crm::ConnectionError);
    EXPECT_THROW(audit->byActor(kAdmin, 10), crm::ConnectionError);
    EXPECT_THROW(changes->editText(kOrders, noteId, "Kontakt po 17:00"), crm::ConnectionError);
    EXPECT_THROW(changes->remove(kOrders, noteId), crm::ConnectionError);
    EXPECT_THROW(readState->markUnread(kOrders, noteId), crm::ConnectionError);
    EXPECT_THROW(store->feed({}, std::nullopt, 10), crm::ConnectionError);

    server.start();
    eventually([&] { access->setRight(kAdmin, right); });
    eventually([&] { audit->record(kAdmin, "test", "1", "update", nullptr, {{"n", 3}}); });
    eventually([&] { changes->editText(kOrders, noteId, "Kontakt po 17:00"); });
    eventually([&] { readState->markUnread(kOrders, noteId); });
    EXPECT_EQ(store->event(noteId)->body, "Kontakt po 17:00");
    EXPECT_FALSE(audit->byObject("right", "sales/note.*", 10).empty());
}

TEST_F(LostConnection, InTheNoteEditsOwnTransactionIsAConnectionError) {
    directory.onNextUser = [&] { server.kill(); };
    EXPECT_THROW(changes->editText(kOrders, noteId, "Kontakt po 18:00"), crm::ConnectionError);
    server.start();
    eventually([&] { (void)store->event(noteId); });
    directory.onNextUser = [&] { server.kill(); };
    EXPECT_THROW(changes->remove(kOrders, noteId), crm::ConnectionError);
    server.start();
    eventually([&] { changes->remove(kOrders, noteId); });
    EXPECT_FALSE(store->event(noteId).has_value());
}

}  // namespace
