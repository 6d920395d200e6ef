// Shared by the rights tests: a company directory (one user per department, a project manager,
// measurers, an external client), an embedded store, and the access objects wired as the plugin does.
#pragma once

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/entries/user_events.hpp>

#include <memory_directory.hpp>
#include <test_support.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <map>

namespace conduit::access_test {

using namespace std::chrono_literals;

enum UserId : sdk::Id {
    kDispatcher = 101, kPlanner = 102, kFinance = 103, kOrders = 104, kOrders2 = 114, kMeasurer = 105, kSales = 106,
    kManagement = 107, kAdmin = 108, kProjectManager = 109, kMeasurer2 = 110, kClient = 111, kStranger = 112
};
enum ProjectId : sdk::Id { kOpenProject = 42, kSecretProject = 43 };
enum CounterpartyId : sdk::Id { kFedor = 7, kOknaLodz = 8 };

class CompanyDirectory : public test::MemoryDirectory {
public:
    CompanyDirectory() {
        const char* codes[] = {"dispatch", "finance", "orders", "measurement", "production", "sales", "management", "admin"};
        for (sdk::Id i = 0; i < 8; ++i) add(sdk::Department{i + 1, codes[i], codes[i]});
        add(sdk::Department{20, "partners", "Partnerzy zewnętrzni"});
        addUser(kDispatcher, "dyspozytor", "Anna Dyspozytorka", 1);
        addUser(kFinance, "ksiegowa", "Бухгалтер Ольга", 2);
        addUser(kOrders, "zamowienia", "Paweł Zamówienia", 3);
        addUser(kOrders2, "zamowienia2", "Ewa Zamówienia", 3);
        addUser(kMeasurer, "pomiar", "Замерщик Иван", 4);
        addUser(kMeasurer2, "pomiar2", "Józef Pomiarowiec", 4);
        addUser(kPlanner, "planista", "Planista Łukasz", 5);
        addUser(kSales, "handlowiec", "Продавец Мария", 6);
        addUser(kProjectManager, "kierownik", "Kierownik Zbigniew", 6);
        addUser(kManagement, "prezes", "Prezes Żaneta", 7);
        addUser(kAdmin, "admin", "Administrator", 8);
        addUser(kClient, "klient", "Klient Okna Łódź", 0);
        addUser(kStranger, "obcy", "Obcy z partnera", 20);
        add(sdk::Counterparty{kFedor, sdk::CounterpartyKind::Person, "Щербаков Фёдор"});
        add(sdk::Counterparty{kOknaLodz, sdk::CounterpartyKind::Company, "Okna Łódź Sp. z o.o."});
        add(sdk::Project{kOpenProject, "P-2026-0042", "Okna, salon", kOknaLodz, kProjectManager, kMeasurer});
        add(sdk::Project{kSecretProject, "P-2026-0043", "Тайный проект", kFedor, kProjectManager, kMeasurer2});
    }
    void addUser(sdk::Id id, std::string login, std::string name, sdk::Id dept) {
        add(sdk::User{id, std::move(login), std::move(name), "", dept});
    }
};

inline sdk::DatabaseLocation embeddedAt(const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Embedded;
    where.file = file;
    return where;
}

inline sdk::TimePoint day(int d, int hour = 12) {
    using namespace std::chrono;
    return sys_days(year(2026) / 3 / d) + hours(hour);
}

class AccessTest : public ::testing::Test {
protected:
    void SetUp() override {
        store = crm::EventStore::open(embeddedAt(dir / "crm.fdb"));
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
        userEvents = std::make_unique<crm::UserEvents>([this](crm::Event e) { return store->writer().submit(std::move(e)); },
                                                       directory, "en");
        store->writer().addParticipant(&crm::AuditLog::recordCreatedEntries);
        userEvents->enforce(*access);
        changes = std::make_unique<crm::UserEventChanges>(*store, *access, "en");
    }
    void flush() { ASSERT_TRUE(store->writer().flush(10s)) << store->counts().writer.lastError; }
    // A host event (adapters' shape).
    crm::Event hostEvent(const std::string& key, const std::string& kind, sdk::Id project, sdk::Id counterparty, int dayOfMonth) {
        crm::Event e;
        e.idempotencyKey = "test|" + key + "|v1";
        e.kind = kind;
        e.sourceModule = "payments";
        e.occurredAt = day(dayOfMonth);
        e.projectId = project;
        e.counterpartyId = counterparty;
        e.title = kind + " " + key;
        return e;
    }
    void write(const crm::Event& e) { ASSERT_TRUE(store->writer().submit(e)); }
    // Every event `user` gets through the feed, page by page.
    std::vector<crm::Event> feedOf(sdk::Id user, crm::FeedFilter f = {}, std::size_t pageSize = 100) {
        f.access = access->scope(user);
        std::vector<crm::Event> out;
        std::optional<crm::FeedCursor> after;
        do {
            auto page = store->feed(f, after, pageSize);
            out.insert(out.end(), page.events.begin(), page.events.end());
            after = page.next;
        } while (after);
        return out;
    }

    test::TempDir dir{"conduit-access"};
    CompanyDirectory directory;
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
    std::unique_ptr<crm::UserEvents> userEvents;
    std::unique_ptr<crm::UserEventChanges> changes;
};

}  // namespace conduit::access_test
