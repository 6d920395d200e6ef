// The real CRM plugin loaded by the PluginManager into a host with the real suite: staff entries
// (notes, measurement sheets) reach it through the SDK's action registry, once each.
#include "crm_under_test.hpp"

#include <test_support.hpp>

#include <conduit/crm/access/audit_log.hpp>

#include <conduit/sdk/action_registry.hpp>
#include <conduit/sdk/plugin_manager.hpp>

#include <host_dump.hpp>
#include <simulator.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <cstdlib>

namespace {

namespace sdk = conduit::sdk;
using conduit::itest::RealHost;
using conduit::itest::allChanges;
using conduit::itest::keysOf;
using conduit::itest::storedEvents;
using conduit::test::TempDir;

const std::filesystem::path kCrmPlugin = std::filesystem::path(CRM_PLUGIN_DIR) / "libconduit_crm.so";

long countKind(const std::vector<conduit::crm::Event>& events, const std::string& kind) {
    return std::count_if(events.begin(), events.end(), [&](const auto& e) { return e.kind == kind; });
}

// A PDF reader would follow the cross-reference table: every offset must land on "N 0 obj".
::testing::AssertionResult wellFormedPdf(const std::string& pdf) {
    if (pdf.rfind("%PDF-1.", 0) != 0) return ::testing::AssertionFailure() << "no %PDF header";
    if (pdf.size() < 6 || pdf.substr(pdf.size() - 6) != "%%EOF\n") return ::testing::AssertionFailure() << "no %%EOF";
    const auto sx = pdf.rfind("startxref\n");
    if (sx == std::string::npos) return ::testing::AssertionFailure() << "no startxref";
    const std::size_t xref = std::stoul(pdf.substr(sx + 10));
    if (pdf.compare(xref, 5, "xref\n") != 0) return ::testing::AssertionFailure() << "startxref points elsewhere";
    std::size_t pos = pdf.find('\n', pdf.find('\n', xref) + 1) + 1;  // after "0 N" and the free entry
    for (int obj = 1; pdf.compare(pos + 17, 1, "n") == 0; ++obj, pos += 20) {
        const std::size_t off = std::stoul(pdf.substr(pos, 10));
        const std::string expect = std::to_string(obj) + " 0 obj";
        if (pdf.compare(off, expect.size(), expect) != 0)
            return ::testing::AssertionFailure() << "object " << obj << " not at offset " << off;
    }
    return ::testing::AssertionSuccess();
}

struct HostWithCrm {
    // `prepare` sets the host up (its clock, its stored settings) before the plugin starts.
    explicit HostWithCrm(const std::filesystem::path& dir, const std::function<void(RealHost&)>& prepare = {})
        : host(dir), plugins(host.logger) {
        host.services.actions = &actions;
        if (prepare) prepare(host);
        if (!plugins.load(kCrmPlugin)) throw std::runtime_error("CRM plugin did not load");
        plugins.startAll(host.services);
        if (plugins.startedCount() != 1) throw std::runtime_error("CRM plugin did not start");
    }
    RealHost host;
    sdk::ActionRegistry actions;
    sdk::PluginManager plugins;
};

}  // namespace

TEST(PluginActions, SimulatedStaffEntriesBecomeEventsOnceWithTheirSheets) {
    TempDir dir;
    refhost::SimulationSummary summary;
    {
        HostWithCrm h(dir.path());
        auto offered = h.actions.actions();
        EXPECT_EQ(offered, (std::vector<std::string>{"crm.catalogue.certify", "crm.catalogue.company", "crm.catalogue.export",
                                                     "crm.catalogue.import",
                                                     "crm.catalogue.merge", "crm.catalogue.person", "crm.catalogue.relation",
                                                     "crm.catalogue.sweep", "crm.catalogue.undo-import", "crm.mail.delivery", "crm.mail.follow", "crm.note.customer",
                                                     "crm.note.measurement", "crm.payment.register"}));

        refhost::Simulator sim(h.host.suite, 11);
        sim.useActions(&h.actions);
        summary = sim.runUntilDay(4);
        h.plugins.stopAll();
        EXPECT_TRUE(h.actions.actions().empty()) << "stop() must withdraw the CRM's actions";
        EXPECT_FALSE(h.actions.invoke({"crm.note.customer", 5, "x", {}, {}}).has_value());
    }
    // Nothing refused: notes and sheets, the catalogue's partner network, people and sweeps, and
    // the staff's mail choices and follows.
    for (auto& [name, n] : summary.entries)
        EXPECT_TRUE(name == "crm.note.customer" || name == "crm.note.measurement" ||
                    ((name.rfind("crm.catalogue.", 0) == 0 || name.rfind("crm.mail.", 0) == 0) && name.find(' ') == std::string::npos))
            << name << " " << n << ": " << summary.lastRefusal;
    EXPECT_EQ(summary.entries["crm.catalogue.company"] >= 7, true);
    EXPECT_EQ(summary.entries["crm.catalogue.certify"], 7);
    EXPECT_GE(summary.entries["crm.catalogue.person"], 6);
    EXPECT_EQ(summary.entries["crm.catalogue.relation"], 4);
    EXPECT_EQ(summary.entries["crm.catalogue.sweep"], 4);
    EXPECT_EQ(summary.entries["crm.mail.delivery"], 2);
    EXPECT_EQ(summary.entries["crm.catalogue.import"], 1) << "the trade fair's business cards";
    const long measurements = summary.entries["crm.note.measurement"];
    const long notes = summary.entries["crm.note.customer"];
    ASSERT_GT(measurements, 0);
    ASSERT_GT(notes, 0);

    auto store = conduit::crm::EventStore::open({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"});
    const auto events = storedEvents(*store);
    EXPECT_EQ(countKind(events, "note.measurement"), measurements);
    EXPECT_EQ(countKind(events, "note.customer"), notes);
    EXPECT_EQ(countKind(events, "party.batch_loaded"), 1) << "the import is one load";
    for (const auto& e : events) {
        if (e.kind != "note.measurement") continue;
        EXPECT_NE(e.projectId, 0);
        EXPECT_NE(e.authorId, 0);
        ASSERT_EQ(e.attachments.size(), 1u) << e.title;
        EXPECT_EQ(e.attachments[0].mediaType, "application/pdf");
        EXPECT_EQ(e.attachments[0].fileName.rfind("pomiar-P-", 0), 0u) << e.attachments[0].fileName;
        const auto pdf = store->attachmentContent(e.attachments[0].sha256);
        ASSERT_TRUE(pdf);
        EXPECT_TRUE(wellFormedPdf(*pdf));
    }
}

TEST(PluginActions, TheSameRequestTwiceIsOneEventAndBadRequestsAreRefusedWithTheirField) {
    TempDir dir;
    HostWithCrm h(dir.path());
    refhost::Simulator(h.host.suite, 2).runUntilDay(1);  // some projects to write about (no entries)
    const auto projects = h.host.suite.directory().projects();
    ASSERT_FALSE(projects.empty());
    const auto project = projects.front();
    const sdk::ActionRequest note{"crm.note.customer", 5, "req-Łódź-1",
                                  {{"counterparty", std::to_string(project.counterpartyId)},
                                   {"project", std::to_string(project.id)},
                                   {"text", "Клиент просит звонить после 17:00 — pani Zofia woli SMS"}},
                                  {}};
    const auto first = h.actions.invoke(note);
    const auto second = h.actions.invoke(note);
    ASSERT_TRUE(first && second);
    EXPECT_TRUE(first->ok) << first->message;
    EXPECT_TRUE(second->ok) << second->message;
    EXPECT_EQ(first->reference, second->reference);

    auto refused = [&](sdk::ActionRequest r, const std::string& field, const std::string& words) {
        const auto result = h.actions.invoke(r);
        ASSERT_TRUE(result);
        EXPECT_FALSE(result->ok);
        EXPECT_EQ(result->field, field) << result->message;
        EXPECT_NE(result->message.find(words), std::string::npos) << result->message;  // host locale: pl
    };
    refused({"crm.note.measurement", 7, "r2", {{"project", "999999"}, {"text", "pomiar"}}, {}}, "project",
            "Nieznany projekt");
    refused({"crm.note.measurement", 7, "r3", {{"project", "12abc"}, {"text", "pomiar"}}, {}}, "project", "liczbą");
    refused({"crm.note.measurement", 7, "r4", {{"project", std::to_string(project.id)}, {"text", "pomiar"}},
             {{"skan.pdf", "GIF89a not really a pdf"}}},
            "attachment", "PDF");
    refused({"crm.payment.register", 3, "r5",
             {{"counterparty", std::to_string(project.counterpartyId)}, {"amount_minor", "-100"}}, {}},
            "amount", "Kwota");
    refused({"crm.note.customer", 5, "r6", {{"counterparty", std::to_string(project.counterpartyId)}, {"text", " "}}, {}},
            "text", "pusta");
    // Rights hold for actions too: a measurer (user 7) may not register a payment.
    refused({"crm.payment.register", 7, "r7",
             {{"counterparty", std::to_string(project.counterpartyId)}, {"amount_minor", "150000"}}, {}},
            "rights", "Brak uprawnień");
    h.plugins.stopAll();

    auto store = conduit::crm::EventStore::open({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"});
    const auto events = storedEvents(*store);
    EXPECT_EQ(countKind(events, "note.customer"), 1);
    EXPECT_EQ(countKind(events, "note.measurement"), 0);
    EXPECT_EQ(countKind(events, "payment.received"), 0);  // the refused payment (no simulation ran here)
}

// A person's follow and mail choice through the actions: a follow request twice is one event on the
// project's timeline; naming someone else's mail without being an administrator, an unknown
// family or a yes/no that is neither are refused with their field, in the host's language.
TEST(PluginActions, MailChoicesAndFollowsOnceEachAndRefusedWithTheirField) {
    TempDir dir;
    HostWithCrm h(dir.path());
    refhost::Simulator(h.host.suite, 2).runUntilDay(1);
    const auto project = h.host.suite.directory().projects().front();
    const sdk::ActionRequest follow{"crm.mail.follow", 12, "f1", {{"project", std::to_string(project.id)}, {"following", "yes"}}, {}};
    const auto first = h.actions.invoke(follow);
    const auto again = h.actions.invoke(follow);  // a retry: committed or not yet, one event
    ASSERT_TRUE(first && again);
    EXPECT_TRUE(first->ok) << first->message;
    EXPECT_TRUE(again->ok) << again->message;
    EXPECT_EQ(first->reference, "project:" + std::to_string(project.id));
    const auto own = h.actions.invoke({"crm.mail.delivery", 5, "d1", {{"family", "notes"}, {"delivery", "digest"}}, {}});
    ASSERT_TRUE(own);
    EXPECT_TRUE(own->ok) << own->message;

    auto refused = [&](sdk::ActionRequest r, const std::string& field, const std::string& words) {
        const auto result = h.actions.invoke(r);
        ASSERT_TRUE(result);
        EXPECT_FALSE(result->ok);
        EXPECT_EQ(result->field, field) << result->message;
        EXPECT_NE(result->message.find(words), std::string::npos) << result->message;
    };
    refused({"crm.mail.delivery", 5, "d2", {{"family", "notes"}, {"delivery", "never"}, {"user", "3"}}, {}}, "", "tylko administrator");
    refused({"crm.mail.delivery", 5, "d3", {{"family", "gossip"}, {"delivery", "never"}}, {}}, "family", "Niedozwolona");
    refused({"crm.mail.delivery", 5, "d4", {{"family", "notes"}, {"delivery", "sometimes"}}, {}}, "delivery", "Niedozwolona");
    refused({"crm.mail.follow", 12, "f3", {{"project", std::to_string(project.id)}, {"following", "maybe"}}, {}}, "following", "Niedozwolona");
    refused({"crm.mail.follow", 12, "f4", {{"following", "yes"}}, {}}, "project", "Niedozwolona");
    h.plugins.stopAll();

    auto store = conduit::crm::EventStore::open({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"});
    const auto events = storedEvents(*store);
    EXPECT_EQ(countKind(events, "notification.followed"), 1);
}

TEST(PluginActions, EntriesLeaveTheHostHistoryAsItWasAndRepeatForTheSameSeed) {
    // Entries come from their own random stream: the host's history is that of a run without them.
    auto run = [](const std::filesystem::path& dir, bool withActions, std::vector<sdk::ActionRequest>* seen) {
        RealHost host(dir);
        sdk::ActionRegistry actions;
        for (const char* name : {"crm.note.customer", "crm.note.measurement"})
            actions.provide(name, [seen](const sdk::ActionRequest& r) {
                seen->push_back(r);
                return sdk::ActionResult{true, "ok", {}, r.requestId};
            });
        refhost::Simulator sim(host.suite, 21);
        if (withActions) sim.useActions(&actions);
        sim.runUntilDay(3);
        return refhost::dumpHostData(host.suite.database());
    };
    TempDir a, b, c;
    std::vector<sdk::ActionRequest> first, second, none;
    const auto dumpA = run(a.path(), true, &first);
    const auto dumpB = run(b.path(), true, &second);
    const auto dumpC = run(c.path(), false, &none);
    EXPECT_EQ(dumpA, dumpC);
    EXPECT_EQ(dumpA, dumpB);
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(none.empty());
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].requestId, second[i].requestId);
        EXPECT_EQ(first[i].fields, second[i].fields);
        ASSERT_EQ(first[i].files.size(), second[i].files.size());
        for (std::size_t f = 0; f < first[i].files.size(); ++f)
            EXPECT_EQ(first[i].files[f].content, second[i].files[f].content);
    }
}

TEST(PluginActions, AnEntryWithoutItsTimeTakesTheHostsClockInItsEventAndItsAuditRow) {
    TempDir dir;
    // A simulated "now" months away from the wall clock: any private clock call would show.
    const sdk::TimePoint simulated = std::chrono::sys_days{std::chrono::year{2026} / 1 / 7} + std::chrono::hours{10} +
                                     std::chrono::minutes{30};
    HostWithCrm h(dir.path(), [&](RealHost& host) { host.services.clock = [simulated] { return simulated; }; });
    refhost::Simulator(h.host.suite, 2).runUntilDay(1);
    const auto project = h.host.suite.directory().projects().front();
    const auto result = h.actions.invoke({"crm.note.customer", 5, "req-clock-1",
                                          {{"counterparty", std::to_string(project.counterpartyId)},
                                           {"text", "Dzwonić przed południem"}},
                                          {}});
    ASSERT_TRUE(result && result->ok) << (result ? result->message : "no handler");
    h.plugins.stopAll();

    auto store = conduit::crm::EventStore::open({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"});
    const auto events = storedEvents(*store);
    const auto note = std::find_if(events.begin(), events.end(), [&](const auto& e) { return e.idempotencyKey == result->reference; });
    ASSERT_NE(note, events.end());
    EXPECT_EQ(note->occurredAt, simulated);
    EXPECT_EQ(note->recordedAt, simulated);
    const auto audit = conduit::crm::AuditLog(store->database()).byObject("event", result->reference);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit.front().action, "create");
    EXPECT_EQ(audit.front().at, simulated);
}

TEST(PluginActions, AnUnreadableStoredCursorIsLoggedAndItsModuleCatchesUpWithoutDuplicates) {
    TempDir dir;
    {
        HostWithCrm h(dir.path());
        refhost::Simulator(h.host.suite, 41).runUntilDay(2);
        h.plugins.stopAll();
        ASSERT_TRUE(h.host.settings.get("crm.cursor.payments")) << "cursors are saved on a clean stop";
    }
    long payments = 0;
    std::size_t changes = 0;
    {
        HostWithCrm h(dir.path(), [](RealHost& host) { host.settings.set("crm.cursor.payments", "abc"); });
        h.plugins.stopAll();
        EXPECT_EQ(h.host.logger.count("crm.cursor.payments = \"abc\" is not understood and was ignored"), 1)
            << "the log names the setting it ignored";
        const auto all = allChanges(h.host.suite.modules());
        changes = all.size();
        payments = std::count_if(all.begin(), all.end(), [](const auto& c) {
            return conduit::adapters::stampOf(c).module == "payments";
        });
        ASSERT_GT(payments, 0);
        // Every payment was read again and skipped as stored already; the cursor is a number again.
        EXPECT_EQ(h.host.logger.count("(" + std::to_string(payments) + " by catch-up"), 1);
        EXPECT_EQ(h.host.logger.count(", " + std::to_string(payments) + " duplicates skipped"), 1);
        EXPECT_NE(h.host.settings.get("crm.cursor.payments").value_or("abc"), "abc");
    }
    auto store = conduit::crm::EventStore::open({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"});
    std::vector<conduit::crm::Event> hostEvents;
    for (auto& e : storedEvents(*store))
        if (!e.sourceModule.empty()) hostEvents.push_back(e);
    EXPECT_EQ(hostEvents.size(), changes);
    EXPECT_EQ(keysOf(hostEvents).size(), changes);
}
