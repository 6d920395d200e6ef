// Shared by the forms tests: one QApplication (offscreen) for the process, a host directory with
// thousands of entries, and a fixture with a real embedded store wired for live updates.
#pragma once

#include "test_support.hpp"

#include <common/directory_cache.hpp>
#include <feed/feed_model.hpp>
#include <feed/live_updates.hpp>
#include <conduit/crm/parties/catalogue.hpp>
#include <conduit/crm/parties/catalogue_rights.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/sdk/forms.hpp>

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

namespace conduit::forms::testing {

using namespace std::chrono_literals;

// The forms need a QApplication; gtest's global environment makes one around all tests.
class QtEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        static int argc = 1;
        static char name[] = "test_forms";
        static char* argv[] = {name, nullptr};
        app_ = std::make_unique<QApplication>(argc, argv);
    }
    void TearDown() override { app_.reset(); }

private:
    std::unique_ptr<QApplication> app_;
};

inline sdk::TimePoint at(int year, unsigned month, unsigned day, int hour = 12, int minute = 0) {
    using namespace std::chrono;
    return sys_days(std::chrono::year(year) / month / day) + hours(hour) + minutes(minute);
}

constexpr sdk::Id kMe = 5;         // the workstation's user
constexpr sdk::Id kMyProject = 2;  // a project kMe manages

// A host directory of a mid-size manufacturer: 3,000 counterparties, 2,000 projects, 10 users,
// with Russian and Polish names.
class FakeDirectory : public sdk::IDirectory {
public:
    FakeDirectory() {
        static const char* ru[] = {"Иванов Пётр", "ООО «Щербаков и партнёры»", "Ковальчук Анна", "АО «Северный»"};
        static const char* pl[] = {"Kowalski Jan", "Żaluzja-Pol Sp. z o.o.", "Łukasz Wiśniewski", "Meble Gęś s.c."};
        for (int i = 1; i <= 3000; ++i) {
            sdk::Counterparty c;
            c.id = i;
            c.name = std::string(i % 2 ? ru[i % 4] : pl[i % 4]) + " #" + std::to_string(i);
            c.city = i % 2 ? "Москва" : "Łódź";
            counterparties_.push_back(c);
        }
        for (int i = 1; i <= 2000; ++i) {
            sdk::Project p;
            p.id = i;
            p.code = "P-2026-" + std::to_string(10000 + i).substr(1);
            p.name = i % 2 ? "Окна ПВХ, ул. Ленина " + std::to_string(i) : "Okna PCV, ul. Piotrkowska " + std::to_string(i);
            p.counterpartyId = i;
            p.managerUserId = i == kMyProject ? kMe : 1;
            p.measurerUserId = 3;
            projects_.push_back(p);
        }
        for (int i = 1; i <= 10; ++i) users_.push_back({i, "user" + std::to_string(i), i == kMe ? "Ковальчик Катажина" : "Użytkownik " + std::to_string(i), "", 1, "pl"});
    }
    template <typename T>
    static std::optional<T> byId(const std::vector<T>& all, sdk::Id id) {
        if (id >= 1 && id <= static_cast<sdk::Id>(all.size())) return all[static_cast<std::size_t>(id - 1)];
        return std::nullopt;
    }
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return byId(counterparties_, id); }
    std::optional<sdk::Project> project(sdk::Id id) const override { return byId(projects_, id); }
    std::optional<sdk::User> user(sdk::Id id) const override { return byId(users_, id); }
    std::optional<sdk::Department> department(sdk::Id) const override { return std::nullopt; }
    std::vector<sdk::Counterparty> counterparties() const override { return counterparties_; }
    std::vector<sdk::Project> projects() const override { return projects_; }
    std::vector<sdk::User> users() const override { return users_; }
    std::vector<sdk::Department> departments() const override { return {}; }

private:
    std::vector<sdk::Counterparty> counterparties_;
    std::vector<sdk::Project> projects_;
    std::vector<sdk::User> users_;
};

// The catalogue's rights the catalogue forms are tested with: a salesperson who edits, merges and
// sees restricted fields; a client's contact who sees nothing; anyone else an ordinary colleague.
constexpr sdk::Id kCatalogueSales = 12, kCatalogueClient = 40;
inline crm::parties::CatalogueViewer catalogueViewerFor(sdk::Id user) {
    crm::parties::CatalogueViewer v;
    v.userId = user;
    v.internal = user != kCatalogueClient;
    v.edits = v.seesRestricted = v.merges = user == kCatalogueSales;
    return v;
}

// A host's form registry that only lists what was registered (the forms are opened elsewhere).
class ListRegistry : public sdk::IFormRegistry {
public:
    void addForm(sdk::FormSpec spec) override { ids.push_back(spec.id); }
    void removeForm(const std::string&) override {}
    bool openForm(const std::string&) override { return false; }
    bool has(const std::string& id) const { return std::find(ids.begin(), ids.end(), id) != ids.end(); }
    std::vector<std::string> ids;
};

// The host's settings as a map (what the reference host keeps in its database).
class MemorySettings : public sdk::ISettings {
public:
    std::optional<std::string> get(std::string_view key) const override {
        auto it = values.find(std::string(key));
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    void set(std::string_view key, std::string_view value) override { values[std::string(key)] = std::string(value); }
    std::map<std::string, std::string> values;
};

inline crm::Event makeEvent(const std::string& key, sdk::TimePoint when, const std::string& kind = "note.project") {
    crm::Event e;
    e.idempotencyKey = key;
    e.occurredAt = when;
    e.kind = kind;
    e.title = "Событие " + key;
    return e;
}

// Waits (running the event loop) until `done` holds; false after `ms`.
template <typename F>
bool waitFor(F&& done, int ms = 10000) {
    return QTest::qWaitFor(std::forward<F>(done), ms);
}

class FormsTest : public ::testing::Test {
protected:
    void SetUp() override {
        crm::StoreOptions options;
        options.writer.maxLatency = 5ms;
        sdk::DatabaseLocation where;
        where.file = dir / "crm.fdb";
        store = crm::EventStore::open(where, options);
        live = std::make_unique<LiveUpdates>();
        store->writer().onBatch(live->batchCallback());
    }
    void TearDown() override {
        store->writer().onBatch({});
        live.reset();
        store.reset();
    }
    void write(const std::vector<crm::Event>& events) {
        for (const auto& e : events) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(10s)) << store->counts().writer.lastError;
    }
    // Waits until the model has no fetch in flight (and nothing queued on the event loop for it).
    static bool settle(FeedModel& model) {
        const bool idle = waitFor([&] { return !model.isBusy(); });
        QTest::qWait(20);
        return idle && !model.isBusy();
    }

    conduit::test::TempDir dir{"conduit-forms"};
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<LiveUpdates> live;
    FakeDirectory directory;
};

// The forms tests of the catalogue: a real catalogue on the fixture's store with the test rights.
class CatalogueFormsTest : public FormsTest {
protected:
    void SetUp() override {
        FormsTest::SetUp();
        catalogue = std::make_unique<crm::parties::Catalogue>(store->database(), store->writer(), catalogueViewerFor);
    }
    void TearDown() override {
        catalogue.reset();
        FormsTest::TearDown();
    }

    std::unique_ptr<crm::parties::Catalogue> catalogue;
};

}  // namespace conduit::forms::testing
