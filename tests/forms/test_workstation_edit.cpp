// The workstation's own corrections: after "Edit text…" the event card shows the new text, the
// row and the selection stay.
#include "forms_test_util.hpp"
#include "../access/access_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/entries/user_events.hpp>

#include <QTableView>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;
using namespace conduit::access_test;

namespace {

class WorkstationEditTest : public ::testing::Test {
protected:
    void SetUp() override {
        crm::StoreOptions options;
        options.writer.maxLatency = 5ms;
        store = crm::EventStore::open(embeddedAt(dir / "crm.fdb"), options);
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        userEvents = std::make_unique<crm::UserEvents>([this](crm::Event e) { return store->writer().submit(std::move(e)); },
                                                       directory, "pl");
        store->writer().addParticipant(&crm::AuditLog::recordCreatedEntries);
        userEvents->enforce(*access);
        changes = std::make_unique<crm::UserEventChanges>(*store, *access, "pl");
    }
    void TearDown() override {
        changes.reset();
        userEvents.reset();
        access.reset();
        audit.reset();
        store.reset();
    }
    conduit::test::TempDir dir{"conduit-forms-edit"};
    CompanyDirectory directory;
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
    std::unique_ptr<crm::UserEvents> userEvents;
    std::unique_ptr<crm::UserEventChanges> changes;
};

TEST_F(WorkstationEditTest, EventCardShowsTheEditedText) {
    crm::CustomerNote n;
    n.requestId = "note-to-fix";
    n.authorId = kOrders;
    n.counterpartyId = kOknaLodz;
    n.projectId = kOpenProject;
    n.text = "Klient prosi o kontakt po 17:00";
    userEvents->addCustomerNote(n);
    ASSERT_TRUE(store->writer().flush(10s));
    const auto noteId = store->feed({.author = kOrders, .kinds = {"note.customer"}}).events.at(0).id;

    WorkstationContext c{*store, directory};
    c.locale = "pl";
    c.currentUser = *directory.user(kOrders);
    c.webEngine = false;
    c.userEvents = userEvents.get();
    c.changes = changes.get();
    c.access = access.get();
    DispatcherWorkstation w(std::move(c));
    w.resize(1000, 600);
    w.show();
    ASSERT_TRUE(waitFor([&] { return !w.model()->isBusy() && w.model()->rowOf(noteId) >= 0; }));
    w.table()->selectRow(w.model()->rowOf(noteId));
    ASSERT_TRUE(waitFor([&] { return w.card()->eventId() == noteId && w.card()->html().contains("17:00"); }));

    QString error;
    ASSERT_TRUE(w.editSelected("Dzwonić tylko rano, przed 9:00", &error)) << error.toStdString();
    ASSERT_TRUE(waitFor([&] { return w.card()->html().contains("przed 9:00"); })) << w.card()->html().toStdString();
    EXPECT_FALSE(w.card()->html().contains("po 17:00"));
    EXPECT_EQ(w.selectedEventId(), std::optional<std::int64_t>(noteId));
}

}  // namespace
