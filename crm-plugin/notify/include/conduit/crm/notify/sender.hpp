// Drains the outbox through the host's mail client. Claims rows with a conditional UPDATE (its row
// count says who won; an update conflict means another instance has it), so workstations sharing
// one Firebird server send each notification once; retries temporary failures with back-off.
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
    std::size_t batchSize = 50;      // rows claimed and handed to sendBatch at once
    int maxAttempts = 6;             // temporary failures before a row fails for good
    std::chrono::seconds retryBase{30};  // back-off: base * 2^(attempts-1), capped at retryMax
    std::chrono::seconds retryMax{3600};
    std::chrono::minutes claimTimeout{10};  // a Sending row older than this was abandoned: reclaim
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // the installation's: times in the mail
    std::string feedLocale = "en";   // language of notification.failed titles ("ru", "pl", "en"): the host's
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
// Receives the "notification.failed" event of a row that failed for good (the plugin entry
// passes it to EventWriter::submit). Its idempotency key is per row: reported once.
using FailureSink = std::function<void(Event)>;

struct SendReport {
    std::size_t claimed = 0, sent = 0, retrying = 0, failed = 0, skipped = 0;
    std::size_t lostClaims = 0;  // rows another instance claimed first
};

class Sender {
public:
    Sender(Database& db, EventStore& store, sdk::IMailClient& mail, const RecipientResolver& resolver,
           SenderOptions options = {});

    void setMayReceive(MayReceive check) { mayReceive_ = std::move(check); }
    void setVisibleCopy(VisibleCopy copy) { visibleCopy_ = std::move(copy); }
    void setFailureSink(FailureSink sink) { failureSink_ = std::move(sink); }

    // Claims due rows (up to batchSize), renders and sends them, records outcomes. Repeats while
    // full batches come back, so one call drains what is due. Throws ConnectionError when the
    // database is unreachable (nothing claimed stays lost: Sending rows are reclaimed later).
    SendReport runOnce(sdk::TimePoint now);

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
    // The message, its header fields attached to outgoing_ (event: null for a digest).
    sdk::MailMessage envelope(const OutboxRow& row, const Event* event, RenderedMail mail,
                              std::vector<sdk::MailAttachment> attachments) const;

    std::vector<sdk::SendResult> send(const std::vector<Prepared>& work);

    std::vector<Outcome> decide(const std::vector<Prepared>& work, const std::vector<sdk::SendResult>& results,
                                sdk::TimePoint now, SendReport& report) const;
    Outcome outcomeOf(const Prepared& p, const sdk::SendResult& result, sdk::TimePoint now) const;
    std::chrono::seconds retryDelay(int attempts) const;
    void reportFailure(const Prepared& p, const std::string& why, sdk::TimePoint now) const;
    void recordOutcomes(const std::vector<Outcome>& outcomes, sdk::TimePoint now);

    Database& db_;
    EventStore& store_;
    // Header fields wait here beside their message until the batch goes out (prepare is const).
    mutable HeaderedMail outgoing_;
    sdk::IMailClient& mail_;
    const RecipientResolver& resolver_;
    SenderOptions options_;
    MayReceive mayReceive_;
    VisibleCopy visibleCopy_;
    FailureSink failureSink_;
};

}  // namespace conduit::crm::notify
