// Time-driven notifications: reminders at offsets from an event's due date, and the daily digest.
// Both work from a time window since a stored last-fired mark (never "is it this exact day?"),
// so a plugin that was down catches up on start, and several instances dedupe by key.
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/notify/outbox.hpp>
#include <conduit/crm/notify/recipients.hpp>
#include <conduit/crm/database/database.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

namespace conduit::crm::notify {

struct ReminderOptions {
    // Rows for moments more than this late are marked late (the mail says so).
    std::chrono::minutes lateAfter{15};
    // Re-scan this much before the mark: an event committed just as the last scan ran is not
    // missed (duplicates are refused by the outbox key).
    std::chrono::minutes overlap{10};
    // On the very first run the mark starts this far back (events stored before notifications
    // existed get their pending reminders, not the whole history's).
    std::chrono::hours firstRunLookback{24};
    std::size_t pageSize = 500;  // events read per query (keyset paging)
    // A due date without an hour is due from the start of that day in this zone: "1 day before"
    // fires at the installation's midnight, not at UTC's.
    TimeZone zone = TimeZone::defaultFor(Language::Pl);
};

struct ReminderReport {
    std::size_t scanned = 0;   // events with a due time in a window
    std::size_t queued = 0;    // new outbox rows
    std::size_t late = 0;      // of which late
    std::size_t settled = 0;   // skipped: a later event moved, finished or paid what was due
};

// Fires once per (rule, event, offset, address): finds events whose dueAt + offset fell into
// (mark - overlap, now], writes pending rows and advances the mark, in one transaction.
class ReminderScheduler {
public:
    ReminderScheduler(Database& db, const RecipientResolver& resolver, ReminderOptions options = {});
    // Another workstation running the same window at once is not an error: one of the two
    // commits the rows and the mark, the other reports nothing queued.
    ReminderReport runOnce(sdk::TimePoint now);

private:
    ReminderReport scan(sdk::TimePoint now);

    Database& db_;
    const RecipientResolver& resolver_;
    ReminderOptions options_;
};

// Which of `eventIds` the user has read in the workstation (same order). The read-state table
// belongs to the forms; the plugin entry wires it. Unset: nothing counts as read.
using ReadFilter = std::function<std::vector<bool>(sdk::Id user, const std::vector<std::int64_t>& eventIds)>;

struct DigestOptions {
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // Rule::digestHour is this zone's wall time
    std::chrono::minutes lateAfter{30};
};

struct DigestReport {
    std::size_t digests = 0;   // digest rows queued
    std::size_t items = 0;     // events in them
    std::size_t skippedRead = 0;
};

// At each digest rule's hour: per address, the rule's waiting items become one digest row
// (items left out when the user already read them). Once per rule and day: a mark per rule.
class DigestScheduler {
public:
    DigestScheduler(Database& db, DigestOptions options = {});
    void setReadFilter(ReadFilter filter) { readFilter_ = std::move(filter); }
    DigestReport runOnce(sdk::TimePoint now);

    // The latest moment at or before `now` when the zone's clocks showed `hour`:00 (daylight
    // saving included, so an 08:00 digest stays at 08:00 all year).
    static sdk::TimePoint lastSlot(sdk::TimePoint now, int hour, const TimeZone& zone);

private:
    Database& db_;
    DigestOptions options_;
    ReadFilter readFilter_;
};

}  // namespace conduit::crm::notify
