// Shared by the store tests: an embedded store in a fresh folder and a quick event factory.
#pragma once

#include "test_support.hpp"

#include <conduit/crm/timeline/event_store.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>

namespace conduit::crm {

// Readable failure output for Event comparisons.
inline void PrintTo(const Event& e, std::ostream* os) {
    auto tp = [](auto t) { return std::to_string(t.time_since_epoch().count()); };
    *os << "{id=" << e.id << " key=" << e.idempotencyKey << " occ=" << tp(e.occurredAt) << " rec=" << tp(e.recordedAt)
        << " kind=" << e.kind << " src=" << e.sourceModule << " author=" << e.authorId << " project=" << e.projectId
        << " cp=" << e.counterpartyId << " imp=" << static_cast<int>(e.importance) << " title=" << e.title
        << " body=" << e.body << " amount=" << (e.amount ? std::to_string(e.amount->minor) + e.amount->currency : "-")
        << " crew=" << e.crewId << "/" << e.crewName << " stage=" << e.stage
        << " start=" << (e.startDate ? tp(*e.startDate) : "-") << " end=" << (e.endDate ? tp(*e.endDate) : "-")
        << " invoice=" << e.invoiceNumber << " due=" << (e.dueAt ? tp(*e.dueAt) : "-") << " extra=" << e.extra;
    for (const auto& a : e.attachments)
        *os << " [att " << a.fileName << " " << a.mediaType << " " << a.size << " " << a.sha256 << " content=" << a.content.size() << "]";
    *os << "}";
}

}  // namespace conduit::crm

namespace conduit::crm::testing {

using namespace std::chrono_literals;

inline sdk::DatabaseLocation embeddedAt(const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Embedded;
    where.file = file;
    return where;
}

inline sdk::TimePoint at(int year, unsigned month, unsigned day, int hour = 12, int minute = 0, int second = 0) {
    using namespace std::chrono;
    return sys_days(std::chrono::year(year) / month / day) + hours(hour) + minutes(minute) + seconds(second);
}

inline Event makeEvent(const std::string& key, sdk::TimePoint when, const std::string& kind = "note.project") {
    Event e;
    e.idempotencyKey = key;
    e.occurredAt = when;
    e.kind = kind;
    e.title = "event " + key;
    return e;
}

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override { store = EventStore::open(embeddedAt(dir / "crm.fdb")); }
    void write(const std::vector<Event>& events) {
        for (const auto& e : events) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(5s)) << store->counts().writer.lastError;
    }
    conduit::test::TempDir dir{"conduit-store"};
    std::unique_ptr<EventStore> store;
};

}  // namespace conduit::crm::testing
