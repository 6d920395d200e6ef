// What people record by hand: finance registers a payment, the order department notes how to work
// with a customer, a measurer records installation specifics with the measurement sheet attached.
#pragma once

#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <conduit/sdk/directory.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace conduit::crm {

// A refused entry: which field, and why in the user's language ("ru", "pl", "en").
struct ValidationError : std::invalid_argument {
    ValidationError(std::string field, const std::string& message)
        : std::invalid_argument(message), field(std::move(field)) {}
    std::string field;  // "amount", "counterparty", "project", "text", "attachment", "requestId"
};

// Refused for want of a right (AccessControl): field "rights", message in the user's language.
struct AccessDenied : ValidationError {
    explicit AccessDenied(const std::string& message) : ValidationError("rights", message) {}
};
// action: "create", "edit" or "delete"; the event kind is named in the message.
AccessDenied accessDenied(std::string_view action, const std::string& kind, const std::string& locale);

// The checks and title rule of a note's text, shared with editing (UserEventChanges).
void checkNoteText(const std::string& field, const std::string& text, bool required, const std::string& locale);
std::string noteTitle(const std::string& prefix, const std::string& text);

class AccessControl;

struct UserEventLimits {
    std::int64_t maxAttachmentBytes = 20 * 1024 * 1024;
    std::size_t maxAttachments = 10;
};

// Every entry carries a requestId made once per form (a UUID): saving twice, or a retry after a
// lost connection, stores one event.
struct PaymentEntry {
    std::string requestId;
    sdk::Id authorId = 0;
    sdk::Id counterpartyId = 0;
    sdk::Id projectId = 0;  // optional
    sdk::Money amount;
    // When it was paid: a date as typed (paidOn, the installation's calendar) or a moment
    // (paidAt). A payment dated today is stored at the clock's now; one dated another day keeps
    // its date as a date (shown without an hour). Neither given: now.
    std::optional<sdk::Date> paidOn;
    sdk::TimePoint paidAt{};
    std::string document, note;
};

struct CustomerNote {
    std::string requestId;
    sdk::Id authorId = 0;
    sdk::Id counterpartyId = 0;
    sdk::Id projectId = 0;  // optional: a note about the customer in general when 0
    std::string text;
    sdk::TimePoint at{};  // the epoch (unset): the clock's now
};

struct MeasurementNote {
    std::string requestId;
    sdk::Id authorId = 0;
    sdk::Id projectId = 0;  // required: a measurement belongs to a project
    std::string text;
    std::vector<Attachment> sheets;  // file name + content; the media type is taken from the bytes
    sdk::TimePoint at{};  // the epoch (unset): the clock's now
};

class UserEvents {
public:
    using Submit = std::function<bool(Event)>;  // usually EventWriter::submit
    UserEvents(Submit submit, const sdk::IDirectory& directory, std::string locale = "pl", UserEventLimits limits = {});

    // Validate, build the event and submit it. Return the event as submitted (with its key).
    // Throw ValidationError with a message in the locale; nothing is submitted then.
    Event registerPayment(const PaymentEntry& entry);
    Event addCustomerNote(const CustomerNote& note);
    Event addMeasurementNote(const MeasurementNote& note);

    // From now on refuse an entry whose author lacks the right to create its kind (AccessDenied,
    // before anything is submitted). Without it (the default) every author may enter everything,
    // as before rights existed. Creations are audited by the writer (AuditLog::recordCreatedEntries).
    void enforce(const AccessControl& access);
    // The host's clock and the installation's zone: what "today" and "now" are for entries
    // (by default the system clock and the language's home zone).
    void useCalendar(Clock clock, TimeZone zone);

private:
    void deliver(const Event& e);  // throws std::runtime_error when the store refuses
    void requireCreate(sdk::Id author, const std::string& kind, sdk::Id project) const;
    sdk::TimePoint when(const PaymentEntry& p, EventFacts& facts) const;
    sdk::TimePoint nowOr(sdk::TimePoint at) const;
    const AccessControl* access_ = nullptr;
    Submit submit_;
    const sdk::IDirectory& directory_;
    std::string locale_;
    Formatter formatter_;  // the stored text's language; readers get theirs (event_text.hpp)
    UserEventLimits limits_;
    Clock clock_ = systemClock();
    TimeZone zone_;  // what "today" is for a date typed without an hour
};

// The media type of a measurement sheet from its first bytes: PDF, JPEG, PNG or TIFF; nullopt
// for anything else (the name's extension is not trusted).
std::optional<std::string> sniffSheetMediaType(std::string_view content);
// A file name safe to store and to offer for download: no folders, no control characters, no
// bidirectional overrides (U+202E shows "fdp.exe" as "exe.pdf"), no leading or trailing dots,
// at most 200 bytes of valid UTF-8; "attachment" when nothing is left.
std::string safeFileName(std::string_view name);

}  // namespace conduit::crm
