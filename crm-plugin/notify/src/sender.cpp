#include <conduit/crm/notify/sender.hpp>

#include "outbox_rows.hpp"
#include <conduit/crm/notify/render.hpp>
#include "sql_util.hpp"
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_store.hpp>

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

// What one claimed row became before it went to the mail client.
struct Prepared {
    OutboxRow row;
    std::optional<Event> event;  // the row's event (OnOccurrence, Reminder)
    bool skip = false;           // no longer allowed / nothing left to say
    std::string skipReason;
    sdk::MailMessage message;
};

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

SendReport Sender::sendBatch(sdk::TimePoint now, std::size_t& claimedCount) {
    SendReport report;
    std::vector<OutboxRow> claimed;
    std::map<std::int64_t, Rule> rules;
    std::map<std::int64_t, Event> events;                          // by id
    std::map<std::int64_t, std::vector<std::int64_t>> digestItems;  // digest row -> event ids

    // 1. Claim: candidates first, then one conditional UPDATE each; its row count says whether
    //    this instance won. A claim also pushes NEXT_ATTEMPT_AT out by claimTimeout, so a row
    //    whose sender died becomes due again by itself.
    inTransaction(db_, "notification sender", [&](soci::session& s) {
        std::vector<long long> candidates;
        {
            std::tm t = rows::toTm(now);
            long long n = static_cast<long long>(options_.batchSize), id = 0;
            soci::statement st = (s.prepare << "SELECT ID FROM CRM_NOTIFICATION WHERE STATUS IN ('pending', 'sending')"
                                               " AND NEXT_ATTEMPT_AT <= :t ORDER BY NEXT_ATTEMPT_AT, ID ROWS :n",
                                  soci::use(t), soci::use(n), soci::into(id));
            detail::LeakOnUnwind keepSt(st);
            st.execute(false);
            while (st.fetch()) candidates.push_back(id);
        }
        std::tm t = rows::toTm(now), until = rows::toTm(now + options_.claimTimeout);
        long long id = 0;
        soci::statement claim = (s.prepare << "UPDATE CRM_NOTIFICATION SET STATUS = 'sending', CLAIMED_BY = :me, CLAIMED_AT = :t,"
                                              " NEXT_ATTEMPT_AT = :until, ATTEMPTS = ATTEMPTS + 1"
                                              " WHERE ID = :id AND STATUS IN ('pending', 'sending') AND NEXT_ATTEMPT_AT <= :t2"
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
        if (won.empty()) return;
        detail::OutboxReader reader(s);
        for (long long w : won)
            if (auto row = reader.read(w)) claimed.push_back(std::move(*row));
        for (auto& r : RuleStore::enabledRules(s)) rules.emplace(r.id, std::move(r));
        // The events, read once per batch through one prepared statement (attachment metadata,
        // rare, through the store below).
        Event e;
        long long eventId = 0;
        soci::statement readEvent = (s.prepare << std::string("SELECT ") + rows::kEventColumns + " FROM CRM_EVENT E WHERE E.ID = :id",
                                     soci::use(eventId), soci::into(e));
        detail::LeakOnUnwind keepReadEvent(readEvent);
        auto load = [&](std::int64_t id) {
            if (events.count(id)) return;
            eventId = id;
            readEvent.execute(true);
            if (readEvent.got_data()) events.emplace(id, e);
        };
        for (const auto& row : claimed) {
            if (row.timing == Timing::Digest) {
                auto& items = digestItems[row.id];
                items = detail::digestItems(s, row.id);
                for (auto id : items) load(id);
            } else {
                load(row.eventId);
            }
        }
    });
    for (auto& [id, e] : events)
        if (!e.attachments.empty())
            if (auto full = store_.event(id)) e = std::move(*full);
    claimedCount = claimed.size();
    report.claimed = claimed.size();
    if (claimed.empty()) return report;

    // 2. Render. Events are read again now: the recipient's right to see them is checked at send time.
    const auto& kinds = resolver_.kinds();
    auto allowed = [&](const Recipient& r, const Event& e) {
        return mayReceive_ ? mayReceive_(r, e) : defaultMayReceive(r, e, kinds);
    };
    std::vector<Prepared> work;
    work.reserve(claimed.size());
    for (auto& row : claimed) {
        Prepared p;
        p.row = std::move(row);
        const auto rule = rules.find(p.row.ruleId);
        const std::string ruleName = rule != rules.end() ? rule->second.name : std::string{};
        const bool attach = rule != rules.end() && rule->second.attachFiles;
        RenderContext context{kinds, resolver_.directory(), now, ruleName};
        RenderedMail mail;
        std::vector<sdk::MailAttachment> attachments;
        if (p.row.timing == Timing::Digest) {
            std::vector<Event> items;
            for (auto id : digestItems[p.row.id])
                if (auto it = events.find(id); it != events.end() && allowed(p.row.recipient, it->second)) items.push_back(it->second);
            if (items.empty()) {
                p.skip = true;
                p.skipReason = "nothing in the digest the recipient may see";
            } else {
                mail = renderDigest(p.row, items, context);
            }
        } else {
            if (auto it = events.find(p.row.eventId); it != events.end()) p.event = it->second;
            if (!p.event) {
                p.skip = true;
                p.skipReason = "event no longer stored";
            } else if (!allowed(p.row.recipient, *p.event)) {
                p.skip = true;
                p.skipReason = "recipient may not see this event";
            } else {
                mail = renderEvent(p.row, *p.event, context);
                if (attach)
                    for (const auto& a : p.event->attachments)
                        if (auto content = store_.attachmentContent(a.sha256))
                            attachments.push_back({a.fileName, a.mediaType, std::move(*content)});
            }
        }
        if (!p.skip) {
            p.message.messageId = messageId(p.row.id);
            p.message.from = options_.from;
            p.message.to.push_back({p.row.recipient.address, p.row.recipient.name});
            p.message.subject = std::move(mail.subject);
            p.message.textBody = std::move(mail.text);
            p.message.htmlBody = std::move(mail.html);
            p.message.attachments = std::move(attachments);
        }
        work.push_back(std::move(p));
    }

    // 3. Send what is left, in one batch (one SMTP connection in the reference host).
    std::vector<sdk::MailMessage> messages;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < work.size(); ++i)
        if (!work[i].skip) {
            messages.push_back(work[i].message);
            index.push_back(i);
        }
    std::vector<sdk::SendResult> results;
    if (!messages.empty()) {
        try {
            results = mail_.sendBatch(messages);
        } catch (const std::exception& e) {
            results.clear();
            sdk::SendResult r;
            r.status = sdk::SendStatus::TemporaryFailure;
            r.detail = std::string("mail client failed: ") + e.what();
            results.assign(messages.size(), r);
        }
        if (results.size() != messages.size()) {
            sdk::SendResult r;
            r.status = sdk::SendStatus::TemporaryFailure;
            r.detail = "mail client answered " + std::to_string(results.size()) + " results for " + std::to_string(messages.size()) + " messages";
            results.assign(messages.size(), r);
        }
    }

    // 4. Failure events first (keyed per row: a repeat after a crash is deduplicated by the
    //    writer), then the outcomes. Only rows this instance still holds are updated.
    struct Outcome {
        long long id;
        std::string status;
        std::optional<sdk::TimePoint> next;
        std::string error;
        bool sent = false;
    };
    std::vector<Outcome> outcomes;
    for (auto& p : work)
        if (p.skip) {
            outcomes.push_back({p.row.id, "skipped", std::nullopt, p.skipReason});
            ++report.skipped;
        }
    for (std::size_t k = 0; k < results.size(); ++k) {
        Prepared& p = work[index[k]];
        const auto& res = results[k];
        std::string detail = res.detail;
        for (const auto& rr : res.recipients)
            if (!rr.detail.empty()) detail = rr.detail;
        if (res.status == sdk::SendStatus::Accepted) {
            outcomes.push_back({p.row.id, "sent", std::nullopt, {}, true});
            ++report.sent;
            continue;
        }
        const int attempts = p.row.attempts;  // includes this one
        if (res.status == sdk::SendStatus::TemporaryFailure && attempts < options_.maxAttempts) {
            auto delay = options_.retryBase;
            for (int i = 1; i < attempts && delay < options_.retryMax; ++i) delay *= 2;
            delay = std::min(delay, options_.retryMax);
            outcomes.push_back({p.row.id, "pending", now + delay, detail});
            ++report.retrying;
            continue;
        }
        const std::string why = res.status == sdk::SendStatus::PermanentFailure
                                    ? detail
                                    : "gave up after " + std::to_string(attempts) + " attempts: " + detail;
        outcomes.push_back({p.row.id, "failed", std::nullopt, why});
        ++report.failed;
        // A failed notification about a failed notification would loop: that one is only logged in the row.
        if (failureSink_ && !(p.event && p.event->kind == "notification.failed")) {
            Event f;
            f.idempotencyKey = idempotencyKey("notify", "failed:" + options_.installation + ":" + std::to_string(p.row.id), 1);
            f.occurredAt = now;
            f.kind = "notification.failed";
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
                             (p.event ? "\nEvent #" + std::to_string(p.event->id) + ": " + p.event->title : std::string{}),
                         990);
            f.extra = "{\"notification\":" + std::to_string(p.row.id) + ",\"audience\":\"internal\"}";
            failureSink_(std::move(f));
        }
    }

    inTransaction(db_, "notification sender", [&](soci::session& s) {
        std::tm sentAt = rows::toTm(now), next{};
        std::string status, error, mid;
        long long id = 0;
        soci::indicator iError = soci::i_ok, iSent = soci::i_ok, iMid = soci::i_ok;
        soci::statement update = (s.prepare << "UPDATE CRM_NOTIFICATION SET STATUS = :st, NEXT_ATTEMPT_AT = :nx, LAST_ERROR = :er,"
                                               " SENT_AT = :sa, MESSAGE_ID = :mid WHERE ID = :id AND STATUS = 'sending' AND CLAIMED_BY = :me"
                                               " PLAN (CRM_NOTIFICATION INDEX (PK_CRM_NOTIFICATION))",
                                  soci::use(status), soci::use(next), soci::use(error, iError), soci::use(sentAt, iSent),
                                  soci::use(mid, iMid), soci::use(id), soci::use(options_.instanceId));
        detail::LeakOnUnwind keepUpdate(update);
        for (auto& o : outcomes) {
            status = o.status;
            error = cut(o.error, 990);
            mid = messageId(o.id);
            id = o.id;
            iError = error.empty() ? soci::i_null : soci::i_ok;
            next = rows::toTm(o.next.value_or(now));
            iSent = iMid = o.sent ? soci::i_ok : soci::i_null;
            update.execute(true);
        }
    });
    return report;
}

}  // namespace conduit::crm::notify
