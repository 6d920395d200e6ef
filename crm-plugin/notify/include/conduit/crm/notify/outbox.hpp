// The transactional outbox (CRM_NOTIFICATION): one row per event, rule, offset and address,
// written in the event writer's transaction; read back for the sender, the forms and tests.
#pragma once

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/notify/preferences.hpp>
#include <conduit/crm/notify/recipients.hpp>
#include <conduit/crm/notify/rules.hpp>
#include <conduit/crm/database/database.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm::notify {

using crm::Clock;
using crm::systemClock;

enum class OutboxStatus {
    Pending,     // waiting to be sent (at or after nextAttemptAt)
    Sending,     // claimed by a sender (claimedBy); reclaimed when that sender vanished
    Sent,        // accepted by the mail client
    Failed,      // permanent failure (or retries exhausted); a notification.failed event exists
    Skipped,     // not sent: the recipient may no longer see the event (checked at send time)
    DigestWait,  // a digest item waiting for its rule's digest hour
    Digested,    // a digest item included in the digest row digestId
    Read,        // a digest item left out: the user had read the event in the workstation
};
std::string_view toString(OutboxStatus status);

struct OutboxRow {
    std::int64_t id = 0;
    std::int64_t eventId = 0;   // 0 for a digest row (its items point to it through digestId)
    std::int64_t ruleId = 0;
    Timing timing = Timing::OnOccurrence;
    int offsetMinutes = 0;      // reminders: the rule's offset from dueAt
    Recipient recipient;
    OutboxStatus status = OutboxStatus::Pending;
    int attempts = 0;
    bool late = false;          // a reminder or digest sent later than its moment (downtime)
    sdk::TimePoint createdAt{}, nextAttemptAt{};
    std::optional<sdk::TimePoint> fireAt;  // reminders: dueAt + offset; digests: the digest slot
    std::optional<sdk::TimePoint> sentAt;
    std::string messageId;
    std::string lastError;
    std::int64_t digestId = 0;  // digest items: the digest row that carried them
};

struct OutboxFilter {
    std::optional<std::int64_t> eventId;
    std::optional<OutboxStatus> status;
};

// What a person's own choices make of a row a rule planned for them: its status, or nullopt for
// no row. Customers (external recipients) are never affected. "Never" drops the family's mail;
// "digest" turns an at-once mail into a digest item unless the event is High or Critical;
// "at once" sends a digest rule's item at once. An unfollowed subject drops what reaches the
// person only through a department (or as a follower), and what reaches them personally unless
// High or Critical. Reminders (due dates) keep their moment: only "never" and unfollowing apply.
std::optional<OutboxStatus> deliveryFor(const MailChoices& choices, const Recipient& recipient, const Event& event,
                                        Timing timing, OutboxStatus planned);

// Sent mail per recipient, for the stop log and the demo's figures.
struct MailTally {
    std::string address, name;
    bool external = false;
    std::size_t immediate = 0;  // one event each (on occurrence, reminders)
    std::size_t digests = 0;    // daily digests
    std::size_t digestItems = 0;  // events carried by them
};

// Read side of the outbox (pooled sessions, one transaction per call).
class Outbox {
public:
    explicit Outbox(Database& db);
    // Oldest first, ids after `afterId`; limit clamped to 1..1000.
    std::vector<OutboxRow> rows(const OutboxFilter& filter = {}, std::int64_t afterId = 0, std::size_t limit = 200);
    std::optional<OutboxRow> row(std::int64_t id);
    // Event ids of a digest row's items.
    std::vector<std::int64_t> digestItems(std::int64_t digestId);
    // What was sent, per address (lowercased), the busiest first.
    std::vector<MailTally> sentPerRecipient();

private:
    Database& db_;
};

struct OutboxOptions {
    // A reminder whose moment passed before its event was stored fires at once only while the
    // event is still relevant: before its due time (negative offsets), or at most this long
    // after its moment (at/after due). Keeps a catch-up of old history from mailing the past.
    std::chrono::hours pastReminderLimit{24 * 7};
};

// The EventWriter participant: for each new event and each enabled rule that applies, writes
// rows through the writer's session. On-occurrence rows are pending at once, digest rules leave
// DigestWait items, reminder rules leave nothing unless their moment already passed (the
// ReminderScheduler fires the rest). Resolution errors of one event do not stop the others:
// a directory exception propagates (the batch retries), which is all or nothing by design.
class OutboxWriter {
public:
    OutboxWriter(const RecipientResolver& resolver, Clock clock = systemClock(), OutboxOptions options = {});

    // Signature of EventWriter::TransactionParticipant.
    void operator()(soci::session& session, const std::vector<const Event*>& events) const;

    // Inserts one row unless its dedupe key exists; returns the new id, 0 when it existed.
    // Used by the schedulers too. Runs in the caller's transaction.
    static std::int64_t insertRow(soci::session& session, const OutboxRow& row, const std::string& dedupeKey);
    // SHA-256 (hex) of (event, rule, offset, lowercased address).
    static std::string dedupeKey(std::int64_t eventId, std::int64_t ruleId, int offsetMinutes, std::string_view address);
    // The rows one event makes under one rule at `now` (what operator() inserts), for tests.
    std::vector<OutboxRow> plan(const Rule& rule, const Event& event, sdk::TimePoint now) const;
    std::vector<OutboxRow> plan(const Rule& rule, const Event& event, sdk::TimePoint now, const RecipientResolver& resolver,
                                const MailChoices& choices = {}) const;

private:
    const RecipientResolver& resolver_;
    Clock clock_;
    OutboxOptions options_;
};

}  // namespace conduit::crm::notify
