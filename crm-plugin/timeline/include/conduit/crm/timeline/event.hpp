// A CRM event: one thing that happened (or approaches) for a project, a counterparty, other
// subjects or nobody, as a plain value. Adapters build them from host payloads; the store keeps and returns them.
#pragma once

#include <conduit/crm/timeline/subject.hpp>

#include <conduit/sdk/values.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

enum class Importance : int { Low = 0, Normal = 1, High = 2, Critical = 3 };

struct Attachment {
    std::string fileName;
    std::string mediaType;  // "application/pdf", "image/jpeg", ...
    std::int64_t size = 0;  // bytes; set by the writer from content
    std::string sha256;     // lowercase hex of content; set by the writer
    std::string content;    // raw bytes; empty in feed pages (metadata only, see EventStore::attachmentContent)
    friend bool operator==(const Attachment&, const Attachment&) = default;
};

struct Event {
    std::int64_t id = 0;          // assigned by the store
    std::string idempotencyKey;   // see idempotencyKey(); unique in the store
    sdk::TimePoint occurredAt{};  // UTC, when it happened in the host
    sdk::TimePoint recordedAt{};  // UTC, set by the writer when left empty
    std::string kind;             // dotted code from EventKindRegistry: "payment.received"
    std::string sourceModule;     // host module ("payments", "scheduling", ...); empty for user notes
    sdk::Id authorId = 0;         // host user who made it; 0 for the system
    sdk::Id projectId = 0;        // 0: tied to no project (normal)
    sdk::Id counterpartyId = 0;   // 0: tied to no counterparty
    Importance importance = Importance::Normal;
    std::string title;            // at most 300 characters (longer: cut, ending in …)
    std::string body;             // over 1000 characters: kept whole as attachment body.txt, column keeps the start

    // Structured fields; empty/nullopt when they do not apply to the kind.
    std::optional<sdk::Money> amount;
    sdk::Id crewId = 0;
    std::string crewName;         // at most 100 characters
    std::string stage;            // at most 50
    std::optional<sdk::Date> startDate, endDate;
    std::string invoiceNumber;    // at most 60
    std::optional<sdk::TimePoint> dueAt;  // what approaches: installation date, payment deadline
    std::string extra;                    // free-form JSON for kinds added by later plugins, at most 1000

    std::vector<Attachment> attachments;
    // What else it concerns beyond projectId and counterpartyId (a company, a person, a task, ...);
    // subjectsOf() lists them all. Stored sorted, without duplicates (normalizeSubjects()). A row
    // mapped without loadSubjects() (the notifier's reads) holds one entry of id 0 per link.
    std::vector<SubjectRef> subjects;

    // Set by redactDetails() on a reader's copy, never stored: its title and body are rendered
    // without the facts the reader may not see (eventText()), and the stored ones are gone.
    bool detailsRedacted = false;

    friend bool operator==(const Event&, const Event&) = default;
};

// Due dates are calendar dates ("pay by 2026-02-06"): an event carries one as the first instant
// of that date in UTC, so every zone reads the same date back and no hour is ever invented.
inline sdk::TimePoint dueOn(sdk::Date day) { return sdk::TimePoint(day); }
inline std::optional<sdk::Date> dueDate(const Event& e) {
    if (!e.dueAt) return std::nullopt;
    return std::chrono::floor<std::chrono::days>(*e.dueAt);
}
// The due date when the event carries a calendar date (its UTC midnight, dueOn), nullopt when it
// carries a moment with an hour or no due date at all.
inline std::optional<sdk::Date> calendarDue(const Event& e) {
    const auto day = dueDate(e);
    return day && *e.dueAt == dueOn(*day) ? day : std::nullopt;
}
// Whether a due date is today or later, "today" being the calendar date of `now`.
inline bool dueFrom(const Event& e, sdk::TimePoint now) {
    return e.dueAt && *dueDate(e) >= std::chrono::floor<std::chrono::days>(now);
}
// The first instant of the calendar date of `now` in the carriers' terms (dueOn of today).
inline sdk::TimePoint startOfDueDay(sdk::TimePoint now) { return dueOn(std::chrono::floor<std::chrono::days>(now)); }

// The idempotency key of an event derived from its source: stable across replays and catch-up.
// Keys longer than the column (250 bytes) keep a readable prefix and end in a SHA-256.
std::string idempotencyKey(std::string_view module, std::string_view entity, std::int64_t version);
// Entered by a person through UserEvents (a payment, a note, a measurement), not mapped from a
// host module's change: the entries that rights let their authors edit and the audit records.
bool isUserEntry(const Event& e);

// The same, straight from a module payload's change stamp.
inline std::string idempotencyKey(const sdk::ChangeStamp& stamp) {
    return idempotencyKey(stamp.module, stamp.entity, stamp.version);
}

constexpr std::size_t kMaxTitleChars = 300;
constexpr std::size_t kMaxBodyChars = 1000;
constexpr std::size_t kMaxKeyBytes = 250;

}  // namespace conduit::crm
