#include <conduit/crm/notify/sender.hpp>

#include "outbox_rows.hpp"
#include <conduit/crm/notify/render.hpp>
#include "sql_util.hpp"
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <soci/soci.h>

#include <unistd.h>

#include <algorithm>
#include <map>

namespace conduit::crm::notify {
namespace {

std::string defaultInstanceId() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    return std::string(host[0] ? host : "host") + ":" + std::to_string(getpid());
}

std::string cut(const std::string& s, std::size_t chars) { return utf8Prefix(s, chars); }

// Rows still due for a send: new ones, retries, and claims whose sender vanished.
std::string dueStatuses() {
    return "STATUS IN (" + detail::statusSql(OutboxStatus::Pending) + ", " + detail::statusSql(OutboxStatus::Sending) + ")";
}

sdk::SendResult temporaryFailure(std::string detail) {
    sdk::SendResult r;
    r.status = sdk::SendStatus::TemporaryFailure;
    r.detail = std::move(detail);
    return r;
}

}  // namespace

Sender::Sender(Database& db, EventStore& store, sdk::IMailClient& mail, const RecipientResolver& resolver, SenderOptions options)
    : db_(db), store_(store), outgoing_(mail, options.mailHeaders), mail_(outgoing_), resolver_(resolver), options_(std::move(options)) {
    if (options_.instanceId.empty()) options_.instanceId = defaultInstanceId();
    options_.batchSize = std::clamp<std::size_t>(options_.batchSize, 1, 500);
    options_.maxAttempts = std::max(1, options_.maxAttempts);
}

std::string Sender::messageId(std::int64_t rowId) const {
    return "notify-" + std::to_string(rowId) + "." + options_.installation + "@" + options_.messageIdDomain;
}

bool Sender::defaultMayReceive(const Recipient& recipient, const Event& event, const EventKindRegistry& kinds) {
    return !recipient.external || audienceOf(event, kinds) == Audience::External;
}

SendReport Sender::runOnce(sdk::TimePoint now) {
    SendReport total;
    // Drain what is due, batch by batch; bounded so one call cannot spin forever.
    for (int round = 0; round < 1000; ++round) {
        std::size_t claimed = 0;
        const SendReport r = sendBatch(now, claimed);
        total.claimed += r.claimed;
        total.sent += r.sent;
        total.retrying += r.retrying;
        total.failed += r.failed;
        total.skipped += r.skipped;
        total.lostClaims += r.lostClaims;
        if (claimed + r.lostClaims < options_.batchSize) break;
    }
    return total;
}

// One batch's claimed rows with what rendering needs, read in the claim's transaction.
struct Sender::Batch {
    std::vector<OutboxRow> rows;
    std::map<std::int64_t, Rule> rules;
    std::map<std::int64_t, Event> events;                          // by id
    std::map<std::int64_t, std::vector<std::int64_t>> digestItems;  // digest row -> event ids
};

// What one claimed row became before it went to the mail client.
struct Sender::Prepared {
    OutboxRow row;
    std::optional<Event> event;  // the row's event (OnOccurrence, Reminder)
    bool skip = false;           // no longer allowed / nothing left to say
    std::string skipReason;
    sdk::MailMessage message;
};

// The row's new state, written only while this instance still holds the claim.
struct Sender::Outcome {
    long long id;
    OutboxStatus status;
    std::optional<sdk::TimePoint> next;
    std::string error;
    bool sent = false;
};

SendReport Sender::sendBatch(sdk::TimePoint now, std::size_t& claimedCount) {
    SendReport report;
    Batch batch = claim(now, report);
    claimedCount = report.claimed = batch.rows.size();
    if (batch.rows.empty()) return report;
    std::vector<Prepared> work = prepare(batch, now);
    const std::vector<sdk::SendResult> results = send(work);
    recordOutcomes(decide(work, results, now, report), now);
    return report;
}

// Candidates first, then one conditional UPDATE each; its row count says whether this instance
// won. A claim also pushes NEXT_ATTEMPT_AT out by claimTimeout, so a row whose sender died
// becomes due again by itself.
Sender::Batch Sender::claim(sdk::TimePoint now, SendReport& report) {
    Batch batch;
    inTransaction(db_, "notification sender", [&](soci::session& s) {
        const std::vector<long long> won = claimRows(s, dueRows(s, now), now, report);
        if (!won.empty()) readBatch(s, won, batch);
    });
    for (auto& [id, e] : batch.events)
        if (!e.attachments.empty())
            if (auto full = store_.event(id)) e = std::move(*full);
    return batch;
}

std::vector<long long> Sender::dueRows(soci::session& s, sdk::TimePoint now) const {
    std::vector<long long> candidates;
    std::tm t = rows::toTm(now);
    long long n = static_cast<long long>(options_.batchSize), id = 0;
    soci::statement st = (s.prepare << "SELECT ID FROM CRM_NOTIFICATION WHERE " + dueStatuses() +
                                           " AND NEXT_ATTEMPT_AT <= :t ORDER BY NEXT_ATTEMPT_AT, ID ROWS :n",
                          soci::use(t), soci::use(n), soci::into(id));
    detail::LeakOnUnwind keepSt(st);
    st.execute(false);
    while (st.fetch()) candidates.push_back(id);
    return candidates;
}

std::vector<long long> Sender::claimRows(soci::session& s, const std::vector<long long>& candidates, sdk::TimePoint now,
                                         SendReport& report) const {
    std::tm t = rows::toTm(now), until = rows::toTm(now + options_.claimTimeout);
    long long id = 0;
    soci::statement claim = (s.prepare << "UPDATE CRM_NOTIFICATION SET STATUS = " + detail::statusSql(OutboxStatus::Sending) +
                                              ", CLAIMED_BY = :me, CLAIMED_AT = :t, NEXT_ATTEMPT_AT = :until, ATTEMPTS = ATTEMPTS + 1"
                                              " WHERE ID = :id AND " + dueStatuses() + " AND NEXT_ATTEMPT_AT <= :t2"
                                              // By primary key only: left to itself the optimizer also
                                              // walks the whole due range of CRM_NOTIFICATION_DUE per row.
                                              " PLAN (CRM_NOTIFICATION INDEX (PK_CRM_NOTIFICATION))",
                             soci::use(options_.instanceId), soci::use(t), soci::use(until), soci::use(id), soci::use(t));
    detail::LeakOnUnwind keepClaim(claim);
    std::vector<long long> won;
    for (long long candidate : candidates) {
        id = candidate;
        try {
            claim.execute(true);
        } catch (const std::exception& e) {
            if (isConnectionLost(e)) throw;
            // Update conflict: another instance claimed (and committed) it meanwhile.
            ++report.lostClaims;
            continue;
        }
        if (claim.get_affected_rows() == 1) won.push_back(candidate);
        else ++report.lostClaims;
    }
    return won;
}

// The rows, the enabled rules, and each event once per batch through one prepared statement
// (attachment metadata, rare, through the store afterwards).
void Sender::readBatch(soci::session& s, const std::vector<long long>& won, Batch& batch) const {
    detail::OutboxReader reader(s);
    for (long long w : won)
        if (auto row = reader.read(w)) batch.rows.push_back(std::move(*row));
    for (auto& r : RuleStore::enabledRules(s)) batch.rules.emplace(r.id, std::move(r));
    Event e;
    long long eventId = 0;
    soci::statement readEvent = (s.prepare << std::string("SELECT ") + rows::kEventColumns + " FROM CRM_EVENT E WHERE E.ID = :id",
                                 soci::use(eventId), soci::into(e));
    detail::LeakOnUnwind keepReadEvent(readEvent);
    auto load = [&](std::int64_t id) {
        if (batch.events.count(id)) return;
        eventId = id;
        readEvent.execute(true);
        if (readEvent.got_data()) batch.events.emplace(id, e);
    };
    for (const auto& row : batch.rows) {
        if (row.timing != Timing::Digest) {
            load(row.eventId);
            continue;
        }
        auto& items = batch.digestItems[row.id];
        items = detail::digestItems(s, row.id);
        for (auto id : items) load(id);
    }
}

// Events are checked again now: the recipient's right to see them is decided at send time.
std::vector<Sender::Prepared> Sender::prepare(Batch& batch, sdk::TimePoint now) const {
    std::vector<Prepared> work;
    work.reserve(batch.rows.size());
    for (auto& row : batch.rows) {
        Prepared p;
        p.row = std::move(row);
        if (p.row.timing == Timing::Digest) prepareDigest(p, batch, now);
        else prepareEvent(p, batch, now);
        work.push_back(std::move(p));
    }
    return work;
}

bool Sender::allowed(const Recipient& r, const Event& e) const {
    return mayReceive_ ? mayReceive_(r, e) : defaultMayReceive(r, e, resolver_.kinds());
}

std::optional<Event> Sender::readable(const Recipient& r, const Event& e) const {
    if (!allowed(r, e)) return std::nullopt;
    return visibleCopy_ ? visibleCopy_(r, e) : std::optional<Event>(e);
}

void Sender::prepareDigest(Prepared& p, const Batch& batch, sdk::TimePoint now) const {
    std::vector<Event> items;
    if (auto ids = batch.digestItems.find(p.row.id); ids != batch.digestItems.end())
        for (auto id : ids->second)
            if (auto it = batch.events.find(id); it != batch.events.end())
                if (auto copy = readable(p.row.recipient, it->second)) items.push_back(std::move(*copy));
    if (items.empty()) {
        p.skip = true;
        p.skipReason = "nothing in the digest the recipient may see";
        return;
    }
    p.message = envelope(p.row, nullptr, render(p, items, batch, now), {});
}

void Sender::prepareEvent(Prepared& p, const Batch& batch, sdk::TimePoint now) const {
    const auto it = batch.events.find(p.row.eventId);
    if (it == batch.events.end()) {
        p.skip = true;
        p.skipReason = "event no longer stored";
        return;
    }
    // Rendered and attached from the recipient's copy: what they may not see is not in it.
    p.event = readable(p.row.recipient, it->second);
    if (!p.event) {
        p.skip = true;
        p.skipReason = "recipient may not see this event";
        return;
    }
    const auto rule = batch.rules.find(p.row.ruleId);
    const bool attach = rule != batch.rules.end() && rule->second.attachFiles;
    p.message = envelope(p.row, &*p.event, render(p, {}, batch, now),
                         attach ? attachmentsOf(*p.event) : std::vector<sdk::MailAttachment>{});
}

// The one place the sender calls rendering (render.hpp): a row's mail from its event, or from
// the digest's items the recipient may see.
RenderedMail Sender::render(const Prepared& p, const std::vector<Event>& digestItems, const Batch& batch,
                            sdk::TimePoint now) const {
    const auto rule = batch.rules.find(p.row.ruleId);
    const std::string ruleName = rule != batch.rules.end() ? rule->second.name : std::string{};
    const RenderContext context{resolver_.kinds(), resolver_.directory(), now, ruleName, options_.zone};
    if (p.row.timing == Timing::Digest) return renderDigest(p.row, digestItems, context);
    return renderEvent(p.row, *p.event, context);
}

std::vector<sdk::MailAttachment> Sender::attachmentsOf(const Event& event) const {
    std::vector<sdk::MailAttachment> attachments;
    for (const auto& a : event.attachments)
        if (auto content = store_.attachmentContent(a.sha256)) attachments.push_back({a.fileName, a.mediaType, std::move(*content)});
    return attachments;
}

sdk::MailMessage Sender::envelope(const OutboxRow& row, const Event* event, RenderedMail mail,
                                  std::vector<sdk::MailAttachment> attachments) const {
    sdk::MailMessage m;
    m.messageId = messageId(row.id);
    m.from = options_.from;
    m.to.push_back({row.recipient.address, row.recipient.name});
    m.subject = std::move(mail.subject);
    m.textBody = std::move(mail.text);
    m.htmlBody = std::move(mail.html);
    m.attachments = std::move(attachments);
    outgoing_.attach(m.messageId, notificationHeaders(row.recipient.language, event,
                                                      {options_.installation, options_.messageIdDomain},
                                                      resolver_.directory(), resolver_.kinds()));
    return m;
}

// What is not skipped goes in one batch (one SMTP connection in the reference host); one result
// per message, in order. A mail client that throws or miscounts fails them all temporarily.
std::vector<sdk::SendResult> Sender::send(const std::vector<Prepared>& work) {
    std::vector<sdk::MailMessage> messages;
    for (const auto& p : work)
        if (!p.skip) messages.push_back(p.message);
    if (messages.empty()) return {};
    std::vector<sdk::SendResult> results;
    try {
        results = mail_.sendBatch(messages);
    } catch (const std::exception& e) {
        return std::vector<sdk::SendResult>(messages.size(), temporaryFailure(std::string("mail client failed: ") + e.what()));
    }
    if (results.size() != messages.size())
        return std::vector<sdk::SendResult>(messages.size(),
                                            temporaryFailure("mail client answered " + std::to_string(results.size()) + " results for " +
                                                             std::to_string(messages.size()) + " messages"));
    return results;
}

// Skipped rows first, then one outcome per result; failure events are handed over before the
// outcomes are written (keyed per row: a repeat after a crash is deduplicated by the writer).
std::vector<Sender::Outcome> Sender::decide(const std::vector<Prepared>& work, const std::vector<sdk::SendResult>& results,
                                            sdk::TimePoint now, SendReport& report) const {
    std::vector<Outcome> outcomes;
    std::vector<const Prepared*> sent;
    for (const auto& p : work) {
        if (!p.skip) {
            sent.push_back(&p);
            continue;
        }
        outcomes.push_back({p.row.id, OutboxStatus::Skipped, std::nullopt, p.skipReason});
        ++report.skipped;
    }
    for (std::size_t k = 0; k < results.size(); ++k) {
        outcomes.push_back(outcomeOf(*sent[k], results[k], now));
        switch (outcomes.back().status) {
            case OutboxStatus::Sent: ++report.sent; break;
            case OutboxStatus::Pending: ++report.retrying; break;
            default:
                ++report.failed;
                reportFailure(*sent[k], outcomes.back().error, now);
        }
    }
    return outcomes;
}

Sender::Outcome Sender::outcomeOf(const Prepared& p, const sdk::SendResult& res, sdk::TimePoint now) const {
    if (res.status == sdk::SendStatus::Accepted) return {p.row.id, OutboxStatus::Sent, std::nullopt, {}, true};
    std::string detail = res.detail;
    for (const auto& rr : res.recipients)
        if (!rr.detail.empty()) detail = rr.detail;
    const int attempts = p.row.attempts;  // includes this one
    if (res.status == sdk::SendStatus::TemporaryFailure && attempts < options_.maxAttempts)
        return {p.row.id, OutboxStatus::Pending, now + retryDelay(attempts), detail};
    const std::string why = res.status == sdk::SendStatus::PermanentFailure
                                ? detail
                                : "gave up after " + std::to_string(attempts) + " attempts: " + detail;
    return {p.row.id, OutboxStatus::Failed, std::nullopt, why};
}

std::chrono::seconds Sender::retryDelay(int attempts) const {
    auto delay = options_.retryBase;
    for (int i = 1; i < attempts && delay < options_.retryMax; ++i) delay *= 2;
    return std::min(delay, options_.retryMax);
}

void Sender::reportFailure(const Prepared& p, const std::string& why, sdk::TimePoint now) const {
    // A failed notification about a failed notification would loop: that one is only logged in the row.
    if (!failureSink_ || (p.event && p.event->kind == kinds::kNotificationFailed)) return;
    Event f;
    f.idempotencyKey = idempotencyKey("notify", "failed:" + options_.installation + ":" + std::to_string(p.row.id), 1);
    f.occurredAt = now;
    f.kind = kinds::kNotificationFailed;
    f.sourceModule = "notify";
    f.importance = Importance::High;
    if (p.event) {
        f.projectId = p.event->projectId;
        f.counterpartyId = p.event->counterpartyId;
    }
    const std::string who = p.row.recipient.name.empty() ? p.row.recipient.address
                                                         : p.row.recipient.name + " <" + p.row.recipient.address + ">";
    const char* what = options_.feedLocale == "ru"   ? "Не доставлено уведомление: "
                       : options_.feedLocale == "pl" ? "Nie doręczono powiadomienia: "
                                                     : "Notification not delivered: ";
    f.title = cut(what + p.message.subject + " → " + who, 290);
    f.body = cut("Notification #" + std::to_string(p.row.id) + " to " + who + " failed for good: " + why +
                     (p.event ? "\nEvent #" + std::to_string(p.event->id) : std::string{}),
                 990);
    f.extra = "{\"notification\":" + std::to_string(p.row.id) + ",\"audience\":\"internal\"}";
    failureSink_(std::move(f));
}

// Only rows this instance still holds are updated: a claim that timed out belongs to another.
void Sender::recordOutcomes(const std::vector<Outcome>& outcomes, sdk::TimePoint now) {
    inTransaction(db_, "notification sender", [&](soci::session& s) {
        std::tm sentAt = rows::toTm(now), next{};
        std::string status, error, mid;
        long long id = 0;
        soci::indicator iError = soci::i_ok, iSent = soci::i_ok, iMid = soci::i_ok;
        soci::statement update = (s.prepare << "UPDATE CRM_NOTIFICATION SET STATUS = :st, NEXT_ATTEMPT_AT = :nx, LAST_ERROR = :er,"
                                               " SENT_AT = :sa, MESSAGE_ID = :mid WHERE ID = :id AND STATUS = " +
                                                   detail::statusSql(OutboxStatus::Sending) + " AND CLAIMED_BY = :me"
                                                   " PLAN (CRM_NOTIFICATION INDEX (PK_CRM_NOTIFICATION))",
                                  soci::use(status), soci::use(next), soci::use(error, iError), soci::use(sentAt, iSent),
                                  soci::use(mid, iMid), soci::use(id), soci::use(options_.instanceId));
        detail::LeakOnUnwind keepUpdate(update);
        for (const auto& o : outcomes) {
            status = toString(o.status);
            error = cut(o.error, 990);
            mid = messageId(o.id);
            id = o.id;
            iError = error.empty() ? soci::i_null : soci::i_ok;
            next = rows::toTm(o.next.value_or(now));
            iSent = iMid = o.sent ? soci::i_ok : soci::i_null;
            update.execute(true);
        }
    });
}

}  // namespace conduit::crm::notify
