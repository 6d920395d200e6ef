// Drains the outbox through the host's mail client. Claims rows with a conditional UPDATE (its row
// count says who won; an update conflict means another instance has it), so workstations sharing
// one Firebird server send each notification once; retries temporary failures with back-off and
// stops offering mail to a server that refuses everything (circuit breaker).
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/notify/mail_headers.hpp>
#include <conduit/crm/notify/outbox.hpp>
#include <conduit/crm/notify/recipients.hpp>
#include <conduit/crm/database/database.hpp>

#include <conduit/sdk/mail.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm {
class EventStore;
}

namespace conduit::crm::notify {

struct RenderedMail;

struct SenderOptions {
    // Names this installation in Message-IDs: "<notify-<row id>.<installation>@<domain>>", stable
    // per notification (a resend after a lost reply carries the same id).
    std::string installation = "conduit";
    std::string messageIdDomain = "conduit.local";
    std::string instanceId;          // who claimed a row (diagnostics); empty: host name + pid
    sdk::MailAddress from;           // empty: the host's default sender
    std::size_t batchSize = 50;      // rows claimed at once (handed to sendBatch in chunks: breakerThreshold)
    int maxAttempts = 6;             // temporary failures before a row fails for good
    std::chrono::seconds retryBase{30};  // back-off: base * 2^(attempts-1), capped at retryMax
    std::chrono::seconds retryMax{3600};
    std::chrono::minutes claimTimeout{10};  // a Sending row older than this was abandoned: reclaim
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // the installation's: times in the mail
    std::string feedLocale = "en";   // language of notification.failed titles ("ru", "pl", "en"): the host's
    // Circuit breaker: this many temporary failures in a row with the same server reply stop the
    // batch. The claimed rows not offered yet go back to pending without spending an attempt, and
    // nothing is offered before breakerBase * 2^(trips-1) (capped at breakerMax) has passed; a
    // delivered message resets the trips. Mail goes to the client in chunks of breakerThreshold,
    // doubling, so a failing server is noticed within the first chunk. 0 turns it off.
    int breakerThreshold = 5;
    std::chrono::seconds breakerBase{60};
    std::chrono::seconds breakerMax{1800};
    // The host's mail client taking header fields (SDK 1.2 HostServices::mailHeaders): threading,
    // Auto-Submitted, List-Id (mail_headers.hpp). Null: mail goes without them.
    sdk::IMailHeaderClient* mailHeaders = nullptr;
};

// Checked for every row when it is sent: may this recipient still see this event? The default
// is the internal/external rule (an internal event never goes to an external recipient).
using MayReceive = std::function<bool(const Recipient&, const Event&)>;
// The event as this recipient may read it, asked after MayReceive: what the mail renders and
// attaches (a copy without the payment details the person may not see). nullopt: not to be told.
// The default is the event as stored.
using VisibleCopy = std::function<std::optional<Event>(const Recipient&, const Event&)>;
struct SendReport {
    std::size_t claimed = 0, sent = 0, retrying = 0, failed = 0, skipped = 0;
    std::size_t lostClaims = 0;  // rows another instance claimed first
    std::size_t deferred = 0;    // claimed, not offered: the breaker stopped the batch (no attempt spent)
    std::size_t failureEvents = 0;  // notification.failed events created (later failures of the day add to them)
    bool breakerOpen = false;    // the breaker stopped this round or kept it from sending
};

class Sender {
public:
    Sender(Database& db, EventStore& store, sdk::IMailClient& mail, const RecipientResolver& resolver,
           SenderOptions options = {});

    void setMayReceive(MayReceive check) { mayReceive_ = std::move(check); }
    void setVisibleCopy(VisibleCopy copy) { visibleCopy_ = std::move(copy); }

    // Claims due rows (up to batchSize), renders and sends them, records outcomes. Repeats while
    // full batches come back, so one call drains what is due. Throws ConnectionError when the
    // database is unreachable (nothing claimed stays lost: Sending rows are reclaimed later).
    // While the breaker is open it claims nothing. Called from one thread at a time.
    SendReport runOnce(sdk::TimePoint now);
    // When the breaker lets mail be offered again; nullopt when it is closed.
    std::optional<sdk::TimePoint> breakerOpenUntil() const { return breakerUntil_; }

    // The message id of a row (also stored in the row once sent).
    std::string messageId(std::int64_t rowId) const;

    static bool defaultMayReceive(const Recipient& recipient, const Event& event, const EventKindRegistry& kinds);

private:
    struct Batch;
    struct Prepared;
    struct Outcome;

    // One batch: claim, prepare (check and render), send, decide the outcomes, record them.
    SendReport sendBatch(sdk::TimePoint now, std::size_t& claimedCount);

    Batch claim(sdk::TimePoint now, SendReport& report);
    std::vector<long long> dueRows(soci::session& s, sdk::TimePoint now) const;
    std::vector<long long> claimRows(soci::session& s, const std::vector<long long>& candidates, sdk::TimePoint now,
                                     SendReport& report) const;
    void readBatch(soci::session& s, const std::vector<long long>& won, Batch& batch) const;

    std::vector<Prepared> prepare(Batch& batch, sdk::TimePoint now) const;
    bool allowed(const Recipient& r, const Event& e) const;
    // What `r` may read of `e` (allowed, then the visible copy), nullopt when nothing.
    std::optional<Event> readable(const Recipient& r, const Event& e) const;
    void prepareDigest(Prepared& p, const Batch& batch, sdk::TimePoint now) const;
    void prepareEvent(Prepared& p, const Batch& batch, sdk::TimePoint now) const;
    RenderedMail render(const Prepared& p, const std::vector<Event>& digestItems, const Batch& batch, sdk::TimePoint now) const;
    std::vector<sdk::MailAttachment> attachmentsOf(const Event& event) const;
    sdk::MailMessage envelope(const OutboxRow& row, RenderedMail mail, std::vector<sdk::MailAttachment> attachments) const;
    // Threading, Auto-Submitted, List-Id (mail_headers.hpp); none when the host takes none. Event: null for a digest.
    sdk::MailHeaders headersFor(const OutboxRow& row, const Event* event) const;

    // Results for the messages offered, in order; fewer than the messages when the breaker tripped.
    std::vector<sdk::SendResult> send(const std::vector<Prepared>& work, sdk::TimePoint now);
    std::vector<sdk::SendResult> sendChunk(const std::vector<sdk::MailMessage>& messages, const std::vector<sdk::MailHeaders>& headers);
    // Counts a result into the run of like failures; true when the breaker trips on it.
    bool countTowardsBreaker(const sdk::SendResult& result, sdk::TimePoint now);

    std::vector<Outcome> decide(const std::vector<Prepared>& work, const std::vector<sdk::SendResult>& results,
                                sdk::TimePoint now, SendReport& report) const;
    Outcome outcomeOf(const Prepared& p, const sdk::SendResult& result, sdk::TimePoint now) const;
    std::chrono::seconds retryDelay(int attempts) const;
    // Writes the row outcomes and their notification.failed events in one transaction; the new
    // events' ids, for EventWriter::announce after the commit.
    std::vector<std::int64_t> recordOutcomes(const std::vector<Outcome>& outcomes, sdk::TimePoint now);
    std::optional<std::int64_t> recordFailure(soci::session& s, const Prepared& p, const std::string& why, sdk::TimePoint now);
    Event failureEvent(const Prepared& p, const std::string& why, sdk::Date day, int count) const;

    Database& db_;
    EventStore& store_;
    // Header fields wait here beside their message until the batch goes out (prepare is const).
    sdk::IMailClient& mail_;
    const RecipientResolver& resolver_;
    SenderOptions options_;
    MayReceive mayReceive_;
    VisibleCopy visibleCopy_;
    // The breaker: like temporary failures in a row (across batches), of which reply, trips so far.
    int failureRun_ = 0;
    std::string runSignature_;
    int breakerTrips_ = 0;
    std::optional<sdk::TimePoint> breakerUntil_;
};

}  // namespace conduit::crm::notify
