#include <conduit/crm/notify/sender.hpp>

#include "outbox_rows.hpp"
#include <conduit/crm/notify/render.hpp>
#include "sql_util.hpp"
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/foundation/sha256.hpp>

#include <soci/soci.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iterator>
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

// What the server said, as far as "failing the same way" goes: its reply code (the first 4xx/5xx
// number in the text). Failures without one (no connection, a timeout, the client's own error)
// are one kind: the server was not heard at all.
std::string failureSignature(const sdk::SendResult& r) {
    std::string detail = r.detail;
    for (const auto& rr : r.recipients)
        if (rr.status != sdk::SendStatus::Accepted && !rr.detail.empty()) detail = rr.detail;
    auto digit = [&](std::size_t i) { return i < detail.size() && std::isdigit(static_cast<unsigned char>(detail[i])); };
    for (std::size_t i = 0; i + 3 <= detail.size(); ++i)
        if ((detail[i] == '4' || detail[i] == '5') && digit(i + 1) && digit(i + 2) && !digit(i + 3) && (i == 0 || !digit(i - 1)))
            return detail.substr(i, 3);
    return "no reply";
}

std::string lowered(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::string replaced(std::string text, const std::string& what, const std::string& with) {
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) text.replace(at, what.size(), with);
    return text;
}

// How many failures a grouped notification.failed event counts ("count":N in its extra).
int countIn(const std::string& extra) {
    const auto at = extra.find("\"count\":");
    return at == std::string::npos ? 1 : std::max(1, std::atoi(extra.c_str() + at + 8));
}

std::string isoDay(sdk::Date day) {
    const std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

}  // namespace

Sender::Sender(Database& db, EventStore& store, sdk::IMailClient& mail, const RecipientResolver& resolver, SenderOptions options)
    : db_(db), store_(store), mail_(mail), resolver_(resolver), options_(std::move(options)) {
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
    if (breakerUntil_ && now < *breakerUntil_) {
        total.breakerOpen = true;
        return total;
    }
    breakerUntil_.reset();  // half open: the next failing run trips it again, for longer
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
        total.deferred += r.deferred;
        total.failureEvents += r.failureEvents;
        total.breakerOpen = total.breakerOpen || r.breakerOpen;
        if (r.breakerOpen || claimed + r.lostClaims < options_.batchSize) break;
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
    sdk::MailHeaders headers;  // for a host that takes them (SDK 1.2)
};

// The row's new state, written only while this instance still holds the claim.
struct Sender::Outcome {
    long long id;
    OutboxStatus status;
    std::optional<sdk::TimePoint> next;
    std::string error;
    bool sent = false;
    bool notOffered = false;             // the breaker stopped the batch first: its attempt is given back
    const Prepared* failure = nullptr;   // failed for good: its notification.failed goes with the outcome
};

SendReport Sender::sendBatch(sdk::TimePoint now, std::size_t& claimedCount) {
    SendReport report;
    Batch batch = claim(now, report);
    claimedCount = report.claimed = batch.rows.size();
    if (batch.rows.empty()) return report;
    std::vector<Prepared> work = prepare(batch, now);
    const std::vector<sdk::SendResult> results = send(work, now);
    report.breakerOpen = breakerUntil_.has_value();
    const std::vector<std::int64_t> newEvents = recordOutcomes(decide(work, results, now, report), now);
    report.failureEvents = newEvents.size();
    store_.writer().announce(newEvents);
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
    p.message = envelope(p.row, render(p, items, batch, now), {});
    p.headers = headersFor(p.row, nullptr);
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
    p.message = envelope(p.row, render(p, {}, batch, now),
                         attach ? attachmentsOf(*p.event) : std::vector<sdk::MailAttachment>{});
    p.headers = headersFor(p.row, &*p.event);
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

sdk::MailMessage Sender::envelope(const OutboxRow& row, RenderedMail mail,
                                  std::vector<sdk::MailAttachment> attachments) const {
    sdk::MailMessage m;
    m.messageId = messageId(row.id);
    m.from = options_.from;
    m.to.push_back({row.recipient.address, row.recipient.name});
    m.subject = std::move(mail.subject);
    m.textBody = std::move(mail.text);
    m.htmlBody = std::move(mail.html);
    m.attachments = std::move(attachments);
    return m;
}

sdk::MailHeaders Sender::headersFor(const OutboxRow& row, const Event* event) const {
    if (!options_.mailHeaders) return {};
    return notificationHeaders(row.recipient.language, event, {options_.installation, options_.messageIdDomain},
                               resolver_.directory(), resolver_.kinds());
}

// What is not skipped goes to the mail client in chunks (one SMTP connection each in the reference
// host) of breakerThreshold messages, doubling: a server that refuses everything is noticed after
// the first few messages, a healthy one costs a handful of connections per batch. A chunk is
// always recorded whole (its messages were offered); after the one that trips the breaker, the
// rest is not offered.
std::vector<sdk::SendResult> Sender::send(const std::vector<Prepared>& work, sdk::TimePoint now) {
    std::vector<sdk::MailMessage> messages;
    std::vector<sdk::MailHeaders> headers;
    for (const auto& p : work)
        if (!p.skip) {
            messages.push_back(p.message);
            headers.push_back(p.headers);
        }
    std::vector<sdk::SendResult> results;
    std::size_t chunk = options_.breakerThreshold > 0 ? static_cast<std::size_t>(options_.breakerThreshold) : messages.size();
    for (std::size_t from = 0; from < messages.size(); chunk *= 2) {
        const std::size_t n = std::min(chunk, messages.size() - from);
        const auto first = static_cast<std::ptrdiff_t>(from), last = static_cast<std::ptrdiff_t>(from + n);
        std::vector<sdk::MailMessage> part(std::make_move_iterator(messages.begin() + first), std::make_move_iterator(messages.begin() + last));
        std::vector<sdk::MailHeaders> partHeaders(std::make_move_iterator(headers.begin() + first),
                                                  std::make_move_iterator(headers.begin() + last));
        from += n;
        bool tripped = false;
        for (auto& r : sendChunk(part, partHeaders)) {
            tripped = countTowardsBreaker(r, now) || tripped;
            results.push_back(std::move(r));
        }
        if (tripped) break;
    }
    return results;
}

// One result per message, in order. A mail client that throws or miscounts fails them all temporarily.
std::vector<sdk::SendResult> Sender::sendChunk(const std::vector<sdk::MailMessage>& messages,
                                              const std::vector<sdk::MailHeaders>& headers) {
    std::vector<sdk::SendResult> results;
    try {
        results = options_.mailHeaders ? options_.mailHeaders->sendBatch(messages, headers) : mail_.sendBatch(messages);
    } catch (const std::exception& e) {
        return std::vector<sdk::SendResult>(messages.size(), temporaryFailure(std::string("mail client failed: ") + e.what()));
    }
    if (results.size() != messages.size())
        return std::vector<sdk::SendResult>(messages.size(),
                                            temporaryFailure("mail client answered " + std::to_string(results.size()) + " results for " +
                                                             std::to_string(messages.size()) + " messages"));
    return results;
}

// Only temporary failures count: a permanent one is about its message (a recipient refused, a
// handler error at DATA) and says nothing about the next. A delivered message closes the breaker.
bool Sender::countTowardsBreaker(const sdk::SendResult& result, sdk::TimePoint now) {
    if (options_.breakerThreshold <= 0) return false;
    if (result.status != sdk::SendStatus::TemporaryFailure) {
        failureRun_ = 0;
        if (result.status == sdk::SendStatus::Accepted) breakerTrips_ = 0;
        return false;
    }
    const std::string signature = failureSignature(result);
    failureRun_ = failureRun_ > 0 && signature == runSignature_ ? failureRun_ + 1 : 1;
    runSignature_ = signature;
    if (failureRun_ < options_.breakerThreshold) return false;
    failureRun_ = 0;
    ++breakerTrips_;
    auto pause = options_.breakerBase;
    for (int i = 1; i < breakerTrips_ && pause < options_.breakerMax; ++i) pause *= 2;
    breakerUntil_ = now + std::min(pause, options_.breakerMax);
    return true;
}

// Skipped rows first, then one outcome per result; rows the breaker kept back go back to pending
// until it lets mail through again. A row failed for good carries its failure event along.
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
    for (std::size_t k = 0; k < sent.size(); ++k) {
        if (k >= results.size()) {
            outcomes.push_back({sent[k]->row.id, OutboxStatus::Pending, breakerUntil_.value_or(now),
                                "not offered: the mail server refused the messages before it (" + runSignature_ + ")", false, true});
            ++report.deferred;
            continue;
        }
        outcomes.push_back(outcomeOf(*sent[k], results[k], now));
        switch (outcomes.back().status) {
            case OutboxStatus::Sent: ++report.sent; break;
            case OutboxStatus::Pending: ++report.retrying; break;
            default:
                ++report.failed;
                outcomes.back().failure = sent[k];
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

// One notification.failed event per recipient and installation day, whatever the number of
// failures: the first failure of the day inserts it (key: installation, day, recipient), later
// ones update its count and text in place, in the same transaction as their row's outcome. So
// the feed shows "12 notifications to X not delivered today" once instead of twelve events, and
// the rule about undelivered notifications mails dispatch once per recipient and day (the
// participants run for the insert only). A failure of a notification.failed notification is not
// reported again (no loop).
std::optional<std::int64_t> Sender::recordFailure(soci::session& s, const Prepared& p, const std::string& why, sdk::TimePoint now) {
    if (p.event && p.event->kind == kinds::kNotificationFailed) return std::nullopt;
    const sdk::Date day = options_.zone.localDate(now);
    const std::string key = idempotencyKey("notify", "failed:" + options_.installation + ":" + isoDay(day) + ":" +
                                                         sha256Hex(lowered(p.row.recipient.address)).substr(0, 32), 1);
    long long existing = 0;
    std::string extra;
    soci::indicator iExtra = soci::i_null;
    s << "SELECT ID, EXTRA FROM CRM_EVENT WHERE IDEMPOTENCY_KEY = :k", soci::use(key), soci::into(existing), soci::into(extra, iExtra);
    const int count = existing != 0 ? countIn(iExtra == soci::i_ok ? extra : std::string{}) + 1 : 1;

    Event f = failureEvent(p, why, day, count);
    if (existing != 0) {
        s << "UPDATE CRM_EVENT SET TITLE = :t, BODY = :b, EXTRA = :x WHERE ID = :id", soci::use(f.title), soci::use(f.body),
            soci::use(f.extra), soci::use(existing);
        return std::nullopt;
    }
    f.idempotencyKey = key;
    f.occurredAt = now;
    return store_.writer().insertWithin(s, f);
}

// The day's event for a recipient after `count` failures, the latest one `p`, in the feed's language.
Event Sender::failureEvent(const Prepared& p, const std::string& why, sdk::Date day, int count) const {
    const Locale reader = Locale::of(options_.feedLocale);
    const std::string who = p.row.recipient.name.empty() ? p.row.recipient.address
                                                         : p.row.recipient.name + " <" + p.row.recipient.address + ">";
    std::string title = count == 1 ? reader.pick({"Не доставлено уведомление: {subject} → {who}", "Nie doręczono powiadomienia: {subject} → {who}",
                                                  "Notification not delivered: {subject} → {who}"})
                                   : reader.pick({"Не доставлено уведомлений для {who} за {day}: {n}", "Nie doręczono powiadomień do {who} w dniu {day}: {n}",
                                                  "Notifications not delivered to {who} on {day}: {n}"});
    std::string body = reader.pick({"Уведомлений для {who}, не доставленных за {day}: {n}. Последнее: №{row} — {why}",
                                    "Powiadomienia do {who} niedoręczone w dniu {day}: {n}. Ostatnie: nr {row} — {why}",
                                    "Notifications to {who} not delivered on {day}: {n}. Latest: #{row} — {why}"});
    const std::pair<const char*, std::string> values[] = {{"{subject}", p.message.subject},
                                                         {"{who}", who},
                                                         {"{day}", formatterFor(reader, options_.zone).shortDate(day)},
                                                         {"{n}", std::to_string(count)},
                                                         {"{row}", std::to_string(p.row.id)},
                                                         {"{why}", why}};
    for (const auto& [name, value] : values) {
        title = replaced(title, name, value);
        body = replaced(body, name, value);
    }
    if (p.event) body += "\n" + std::string(reader.pick({"Событие №", "Zdarzenie nr ", "Event #"})) + std::to_string(p.event->id);

    Event f;
    f.kind = kinds::kNotificationFailed;
    f.sourceModule = "notify";
    f.importance = Importance::High;
    if (p.event) {
        f.projectId = p.event->projectId;
        f.counterpartyId = p.event->counterpartyId;
    }
    f.title = cut(title, 290);
    f.body = cut(body, 990);
    f.extra = "{\"notification\":" + std::to_string(p.row.id) + ",\"count\":" + std::to_string(count) + ",\"day\":\"" +
              isoDay(day) + "\",\"audience\":\"internal\"}";
    return f;
}

// Only rows this instance still holds are updated: a claim that timed out belongs to another
// (and so does reporting its failure). The failure events commit with the outcomes, or neither.
std::vector<std::int64_t> Sender::recordOutcomes(const std::vector<Outcome>& outcomes, sdk::TimePoint now) {
    std::vector<std::int64_t> newEvents;
    inTransaction(db_, "notification sender", [&](soci::session& s) {
        newEvents.clear();  // a retried transaction starts over
        std::tm sentAt = rows::toTm(now), next{};
        std::string status, error, mid;
        long long id = 0;
        int giveBack = 0;
        soci::indicator iError = soci::i_ok, iSent = soci::i_ok, iMid = soci::i_ok;
        soci::statement update = (s.prepare << "UPDATE CRM_NOTIFICATION SET STATUS = :st, NEXT_ATTEMPT_AT = :nx, LAST_ERROR = :er,"
                                               " SENT_AT = :sa, MESSAGE_ID = :mid, ATTEMPTS = ATTEMPTS - :back WHERE ID = :id AND STATUS = " +
                                                   detail::statusSql(OutboxStatus::Sending) + " AND CLAIMED_BY = :me"
                                                   " PLAN (CRM_NOTIFICATION INDEX (PK_CRM_NOTIFICATION))",
                                  soci::use(status), soci::use(next), soci::use(error, iError), soci::use(sentAt, iSent),
                                  soci::use(mid, iMid), soci::use(giveBack), soci::use(id), soci::use(options_.instanceId));
        detail::LeakOnUnwind keepUpdate(update);
        for (const auto& o : outcomes) {
            status = toString(o.status);
            error = cut(o.error, 990);
            mid = messageId(o.id);
            id = o.id;
            iError = error.empty() ? soci::i_null : soci::i_ok;
            next = rows::toTm(o.next.value_or(now));
            iSent = iMid = o.sent ? soci::i_ok : soci::i_null;
            giveBack = o.notOffered ? 1 : 0;
            update.execute(true);
            if (o.failure && update.get_affected_rows() == 1)
                if (auto created = recordFailure(s, *o.failure, o.error, now)) newEvents.push_back(*created);
        }
    });
    return newEvents;
}

}  // namespace conduit::crm::notify
