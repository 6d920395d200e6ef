// The real plugin follows the reference host's directory through its change log and signal
// (SDK 1.3): a rename while it runs reaches the catalogue on its own, what changed while no
// workstation ran is caught up at the next start, and the host's commercial terms are kept.
#include "crm_under_test.hpp"

#include <test_support.hpp>

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <conduit/sdk/action_registry.hpp>
#include <conduit/sdk/plugin_manager.hpp>

#include <directory_changes.hpp>
#include <host_database.hpp>
#include <seed_data.hpp>
#include <simulator.hpp>

#include <soci/soci.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

namespace sdk = conduit::sdk;
using conduit::itest::RealHost;
using conduit::test::TempDir;

const std::filesystem::path kCrmPlugin = std::filesystem::path(CRM_PLUGIN_DIR) / "libconduit_crm.so";

struct RunningCrm {
    explicit RunningCrm(RealHost& host) : plugins(host.logger) {
        if (!plugins.load(kCrmPlugin)) throw std::runtime_error("CRM plugin did not load");
        plugins.startAll(host.services);
        if (plugins.startedCount() != 1) throw std::runtime_error("CRM plugin did not start");
    }
    ~RunningCrm() { plugins.stopAll(); }
    sdk::PluginManager plugins;
};

// The catalogue's row for a host counterparty, read as another connection sees it.
struct PartyRow {
    std::string name;
    int version = 0;
};
std::optional<PartyRow> partyOfHost(const std::filesystem::path& crmFile, sdk::Id hostId) {
    conduit::crm::Database db({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = crmFile}, 1);
    return conduit::crm::inTransaction(db, "test", [&](soci::session& s) -> std::optional<PartyRow> {
        PartyRow r;
        long long id = hostId;
        soci::indicator ind = soci::i_null;
        s << "SELECT NAME, VERSION FROM CRM_PARTY WHERE HOST_ID = :h", soci::use(id), soci::into(r.name, ind), soci::into(r.version);
        if (ind != soci::i_ok) return std::nullopt;
        return r;
    });
}

bool waitForName(const std::filesystem::path& crmFile, sdk::Id hostId, const std::string& name) {
    for (int i = 0; i < 200; ++i) {
        if (auto row = partyOfHost(crmFile, hostId); row && row->name == name) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

bool logged(const RealHost& host, const std::string& text) {
    for (const auto& line : host.logger.lines())
        if (line.find(text) != std::string::npos) return true;
    return false;
}

refhost::Actor clerk() { return {5, std::chrono::time_point_cast<sdk::TimePoint::duration>(std::chrono::system_clock::now())}; }

TEST(DirectoryChanges, ARenameWhileRunningIsFollowedAndDowntimeIsCaughtUpAtTheNextStart) {
    TempDir dir;
    RealHost host(dir.path());
    auto& changes = host.suite.directoryChanges();
    const auto crmFile = dir / "crm.fdb";
    {
        RunningCrm crm(host);
        EXPECT_TRUE(logged(host, "host directory: ")) << "the first start reads everything";
        ASSERT_TRUE(partyOfHost(crmFile, 3));
        refhost::HostTransaction tx(host.suite.database());
        refhost::renameCounterparty(tx, changes, 3, "Okna Zmiana S.A.", clerk());
        tx.commit();
        EXPECT_TRUE(waitForName(crmFile, 3, "Okna Zmiana S.A.")) << "followed while running, without a restart";
    }
    EXPECT_TRUE(logged(host, "catalogue followed the host directory: 1 counterparties"));

    // Downtime: a move, a rename and a new customer while no workstation runs.
    sdk::Id added = 0;
    {
        refhost::HostTransaction tx(host.suite.database());
        refhost::moveCounterparty(tx, changes, 4, "Gdańsk", "ul. Nowa 5", clerk());
        refhost::renameCounterparty(tx, changes, 5, "Drzwi Nowe Sp. j.", clerk());
        added = refhost::nextId(tx.sql(), refhost::HostTable::Counterparties);
        refhost::SimRandom rng = refhost::SimRandom::forStep(99, 1);
        auto fresh = refhost::makeCounterparty(rng, added);
        fresh.name = "Nowy Klient Kowalski";
        refhost::insertCounterparty(tx.sql(), added, fresh);
        changes.recordCounterparty(tx, sdk::DirectoryChangeKind::Added, added, clerk());
        tx.commit();
    }
    ASSERT_FALSE(partyOfHost(crmFile, added)) << "nobody ran";
    {
        RunningCrm crm(host);
        EXPECT_TRUE(logged(host, "host directory changes caught up: 3 counterparties, 1 new, 2 changed"))
            << "only what changed is read again";
    }
    EXPECT_EQ(partyOfHost(crmFile, 5)->name, "Drzwi Nowe Sp. j.");
    EXPECT_EQ(partyOfHost(crmFile, added)->name, "Nowy Klient Kowalski");
    const auto moved = partyOfHost(crmFile, 4);
    ASSERT_TRUE(moved);
    EXPECT_GT(moved->version, 1) << "the move changed its address";
}

TEST(DirectoryChanges, TheHostsCommercialTermsComeWithTheCounterparty) {
    TempDir dir;
    RealHost host(dir.path());
    const auto terms = host.suite.directoryChanges().commercialTerms(3);
    ASSERT_TRUE(terms);
    ASSERT_TRUE(terms->paymentTermDays);
    EXPECT_FALSE(host.suite.directoryChanges().commercialTerms(999999)) << "no such counterparty";
    {
        RunningCrm crm(host);
    }
    conduit::crm::Database db({.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dir / "crm.fdb"}, 1);
    const auto document = conduit::crm::inTransaction(db, "test", [](soci::session& s) {
        std::string doc;
        s << "SELECT CAST(DOC AS VARCHAR(8000)) FROM CRM_PARTY WHERE HOST_ID = 3", soci::into(doc);
        return doc;
    });
    EXPECT_NE(document.find("\"payment_days\":" + std::to_string(*terms->paymentTermDays)), std::string::npos) << document;
}

}  // namespace
