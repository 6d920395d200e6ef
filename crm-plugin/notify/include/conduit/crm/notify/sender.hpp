// Drains the outbox through the host's mail client. Claims rows with a conditional UPDATE (its row
// count says who won; an update conflict means another instance has it), so workstations sharing
// one Firebird server send each notification once; retries temporary failures with back-off.
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/notify/outbox.hpp>
#include <conduit/crm/notify/recipients.hpp>
#include <conduit/crm/database/database.hpp>

#include <conduit/sdk/mail.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace conduit::crm {
class EventStore;
}

namespace conduit::crm::notify {

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
};

// Checked for every row when it is sent: may this recipient still see this event? The default
// is the internal/external rule (an internal event never goes to an external recipient).
using MayReceive = std::function<bool(const Recipient&, const Event&)>;
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
    void setFailureSink(FailureSink sink) { failureSink_ = std::move(sink); }

    // Claims due rows (up to batchSize), renders and sends them, records outcomes. Repeats while
    // full batches come back, so one call drains what is due. Throws ConnectionError when the
    // database is unreachable (nothing claimed stays lost: Sending rows are reclaimed later).
    SendReport runOnce(sdk::TimePoint now);

    // The message id of a row (also stored in the row once sent).
    std::string messageId(std::int64_t rowId) const;

    static bool defaultMayReceive(const Recipient& recipient, const Event& event, const EventKindRegistry& kinds);

private:
    SendReport sendBatch(sdk::TimePoint now, std::size_t& claimedCount);

    Database& db_;
    EventStore& store_;
    sdk::IMailClient& mail_;
    const RecipientResolver& resolver_;
    SenderOptions options_;
    MayReceive mayReceive_;
    FailureSink failureSink_;
};

}  // namespace conduit::crm::notify
