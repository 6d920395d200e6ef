#include <conduit/crm/notify/outbox.hpp>

#include <conduit/crm/foundation/sha256.hpp>
#include "directory_cache.hpp"
#include "outbox_rows.hpp"
#include "sql_util.hpp"
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>

namespace conduit::crm::notify {

std::string_view toString(OutboxStatus status) {
    switch (status) {
        case OutboxStatus::Pending: return "pending";
        case OutboxStatus::Sending: return "sending";
        case OutboxStatus::Sent: return "sent";
        case OutboxStatus::Failed: return "failed";
        case OutboxStatus::Skipped: return "skipped";
        case OutboxStatus::DigestWait: return "digestwait";
        case OutboxStatus::Digested: return "digested";
        case OutboxStatus::Read: return "read";
    }
    return "pending";
}

namespace detail {

std::optional<OutboxStatus> statusFromString(std::string_view s) {
    for (auto st : {OutboxStatus::Pending, OutboxStatus::Sending, OutboxStatus::Sent, OutboxStatus::Failed,
                    OutboxStatus::Skipped, OutboxStatus::DigestWait, OutboxStatus::Digested, OutboxStatus::Read})
        if (toString(st) == s) return st;
    return std::nullopt;
}

std::string statusSql(OutboxStatus status) { return "'" + std::string(toString(status)) + "'"; }

const char* const kOutboxColumns =
    "ID, EVENT_ID, RULE_ID, TIMING, OFFSET_MIN, ADDRESS, DISPLAY_NAME, LANG, EXTERNAL_RCPT, USER_ID, COUNTERPARTY_ID,"
    " STATUS, ATTEMPTS, LATE, CREATED_AT, NEXT_ATTEMPT_AT, FIRE_AT, SENT_AT, MESSAGE_ID, LAST_ERROR, DIGEST_ID";

void OutboxColumns::bindInto(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(eventId, iEvent), soci::into(ruleId), soci::into(timing), soci::into(offset),
        soci::into(address), soci::into(name, iName), soci::into(lang), soci::into(external), soci::into(userId, iUser),
        soci::into(counterpartyId, iCp), soci::into(status), soci::into(attempts), soci::into(late), soci::into(created),
        soci::into(next), soci::into(fire, iFire), soci::into(sent, iSent), soci::into(messageId, iMessage),
        soci::into(lastError, iError), soci::into(digestId, iDigest);
}

OutboxRow OutboxColumns::toRow() const {
    OutboxRow r;
    r.id = id;
    r.eventId = iEvent == soci::i_ok ? eventId : 0;
    r.ruleId = ruleId;
    r.timing = timingFromString(timing).value_or(Timing::OnOccurrence);
    r.offsetMinutes = offset;
    r.recipient.address = address;
    r.recipient.name = iName == soci::i_ok ? name : std::string{};
    r.recipient.language = lang;
    r.recipient.external = external != 0;
    r.recipient.userId = iUser == soci::i_ok ? userId : 0;
    r.recipient.counterpartyId = iCp == soci::i_ok ? counterpartyId : 0;
    r.status = statusFromString(status).value_or(OutboxStatus::Pending);
    r.attempts = attempts;
    r.late = late != 0;
    r.createdAt = rows::toTimePoint(created);
    r.nextAttemptAt = rows::toTimePoint(next);
    if (iFire == soci::i_ok) r.fireAt = rows::toTimePoint(fire);
    if (iSent == soci::i_ok) r.sentAt = rows::toTimePoint(sent);
    if (iMessage == soci::i_ok) r.messageId = messageId;
    if (iError == soci::i_ok) r.lastError = lastError;
    r.digestId = iDigest == soci::i_ok ? digestId : 0;
    return r;
}

OutboxInserter::OutboxInserter(soci::session& s)
    : st_((s.prepare << "INSERT INTO CRM_NOTIFICATION (ID, DEDUPE_KEY, EVENT_ID, RULE_ID, TIMING, OFFSET_MIN, ADDRESS, DISPLAY_NAME,"
                        " LANG, EXTERNAL_RCPT, USER_ID, COUNTERPARTY_ID, STATUS, ATTEMPTS, LATE, CREATED_AT, NEXT_ATTEMPT_AT, FIRE_AT)"
                        " VALUES (NEXT VALUE FOR CRM_NOTIFICATION_SEQ, :k, :e, :r, :t, :o, :a, :n, :l, :x, :u, :c, :s, :at, :late,"
                        " :cr, :nx, :f)",
           soci::use(key_), soci::use(eventId_, iEvent_), soci::use(ruleId_), soci::use(timing_), soci::use(offset_),
           soci::use(address_), soci::use(name_, iName_), soci::use(lang_), soci::use(external_), soci::use(userId_, iUser_),
           soci::use(cpId_, iCp_), soci::use(status_), soci::use(attempts_), soci::use(late_), soci::use(created_),
           soci::use(next_), soci::use(fire_, iFire_))) {}

bool OutboxInserter::insert(const OutboxRow& row, const std::string& dedupeKey) {
    key_ = dedupeKey;
    eventId_ = row.eventId;
    ruleId_ = row.ruleId;
    userId_ = row.recipient.userId;
    cpId_ = row.recipient.counterpartyId;
    offset_ = row.offsetMinutes;
    external_ = row.recipient.external;
    late_ = row.late;
    attempts_ = row.attempts;
    timing_ = toString(row.timing);
    status_ = toString(row.status);
    address_ = row.recipient.address;
    name_ = utf8Prefix(row.recipient.name, 200);
    lang_ = row.recipient.language.substr(0, 8);
    created_ = rows::toTm(row.createdAt);
    next_ = rows::toTm(row.nextAttemptAt);
    iEvent_ = eventId_ ? soci::i_ok : soci::i_null;
    iUser_ = userId_ ? soci::i_ok : soci::i_null;
    iCp_ = cpId_ ? soci::i_ok : soci::i_null;
    iName_ = name_.empty() ? soci::i_null : soci::i_ok;
    iFire_ = row.fireAt ? soci::i_ok : soci::i_null;
    if (row.fireAt) fire_ = rows::toTm(*row.fireAt);
    try {
        st_.execute(true);
    } catch (const std::exception& e) {
        // Firebird undid just this statement; the caller's transaction goes on.
        if (isUniqueViolation(e)) return false;
        throw;
    }
    return true;
}

OutboxReader::OutboxReader(soci::session& s) : st_(s) {
    auto prep = (s.prepare << std::string("SELECT ") + kOutboxColumns + " FROM CRM_NOTIFICATION WHERE ID = :id");
    prep, soci::use(key_, "id");
    c_.bindInto(prep);
    st_ = prep;
}

std::optional<OutboxRow> OutboxReader::read(std::int64_t id) {
    key_ = id;
    st_.execute(true);
    if (!st_.got_data()) return std::nullopt;
    return c_.toRow();
}

bool isConcurrentWrite(const std::exception& e) { return isUniqueViolation(e) || isWriteConflict(e); }

std::optional<sdk::TimePoint> readMark(soci::session& s, const std::string& name) {
    std::tm t{};
    soci::indicator ind = soci::i_null;
    s << "SELECT VALUE_TIME FROM CRM_NOTIFY_STATE WHERE NAME = :n", soci::use(name), soci::into(t, ind);
    if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
    return rows::toTimePoint(t);
}

void writeMark(soci::session& s, const std::string& name, sdk::TimePoint at) {
    std::tm t = rows::toTm(at);
    soci::statement up = (s.prepare << "UPDATE CRM_NOTIFY_STATE SET VALUE_TIME = :t WHERE NAME = :n AND (VALUE_TIME IS NULL OR VALUE_TIME < :t2)",
                          soci::use(t), soci::use(name), soci::use(t));
    detail::LeakOnUnwind keepUp(up);
    up.execute(true);
    if (up.get_affected_rows() > 0) return;
    int exists = 0;
    s << "SELECT COUNT(*) FROM CRM_NOTIFY_STATE WHERE NAME = :n", soci::use(name), soci::into(exists);
    if (!exists) s << "INSERT INTO CRM_NOTIFY_STATE (NAME, VALUE_TIME) VALUES (:n, :t)", soci::use(name), soci::use(t);
}

}  // namespace detail

Outbox::Outbox(Database& db) : db_(db) {}

std::vector<OutboxRow> Outbox::rows(const OutboxFilter& filter, std::int64_t afterId, std::size_t limit) {
    limit = std::clamp<std::size_t>(limit, 1, 1000);
    return inTransaction(db_, "notification outbox", [&](soci::session& s) {
        long long after = afterId, event = filter.eventId.value_or(0), n = static_cast<long long>(limit);
        std::string status(filter.status ? toString(*filter.status) : "");
        std::string sql = std::string("SELECT ") + detail::kOutboxColumns + " FROM CRM_NOTIFICATION WHERE ID > :after";
        if (filter.eventId) sql += " AND EVENT_ID = :event";
        if (filter.status) sql += " AND STATUS = :status";
        sql += " ORDER BY ID ROWS :n";
        detail::OutboxColumns c;
        auto prep = (s.prepare << sql);
        prep, soci::use(after, "after");
        if (filter.eventId) prep, soci::use(event, "event");
        if (filter.status) prep, soci::use(status, "status");
        prep, soci::use(n, "n");
        c.bindInto(prep);
        soci::statement st(prep);
        detail::LeakOnUnwind keepSt(st);
        st.execute(false);
        std::vector<OutboxRow> out;
        while (st.fetch()) out.push_back(c.toRow());
        return out;
    });
}

std::optional<OutboxRow> Outbox::row(std::int64_t id) {
    return inTransaction(db_, "notification outbox", [&](soci::session& s) { return detail::loadRow(s, id); });
}

std::vector<std::int64_t> Outbox::digestItems(std::int64_t digestId) {
    return inTransaction(db_, "notification outbox", [&](soci::session& s) { return detail::digestItems(s, digestId); });
}

std::vector<MailTally> Outbox::sentPerRecipient() {
    return inTransaction(db_, "notification outbox", [&](soci::session& s) {
        std::map<std::string, MailTally> byAddress;
        std::string address, name, timing;
        int external = 0;
        long long count = 0;
        soci::indicator iName = soci::i_ok;
        {
            soci::statement st = (s.prepare << "SELECT ADDRESS, MAX(DISPLAY_NAME), MAX(EXTERNAL_RCPT), TIMING, COUNT(*)"
                                               " FROM CRM_NOTIFICATION WHERE STATUS = " +
                                                   detail::statusSql(OutboxStatus::Sent) + " GROUP BY ADDRESS, TIMING",
                                  soci::into(address), soci::into(name, iName), soci::into(external), soci::into(timing),
                                  soci::into(count));
            detail::LeakOnUnwind keep(st);
            st.execute(false);
            while (st.fetch()) {
                auto& t = byAddress[addressKey(address)];
                t.address = addressKey(address);
                if (iName == soci::i_ok) t.name = name;
                t.external = external != 0;
                (timing == toString(Timing::Digest) ? t.digests : t.immediate) += static_cast<std::size_t>(count);
            }
        }
        // Digest rows have no event; their items point at them.
        soci::statement st = (s.prepare << "SELECT D.ADDRESS, COUNT(*) FROM CRM_NOTIFICATION I JOIN CRM_NOTIFICATION D ON D.ID = I.DIGEST_ID"
                                           " WHERE D.STATUS = " + detail::statusSql(OutboxStatus::Sent) +
                                           " AND I.STATUS = " + detail::statusSql(OutboxStatus::Digested) + " GROUP BY D.ADDRESS",
                              soci::into(address), soci::into(count));
        detail::LeakOnUnwind keep(st);
        st.execute(false);
        while (st.fetch()) byAddress[addressKey(address)].digestItems += static_cast<std::size_t>(count);
        std::vector<MailTally> out;
        for (auto& [key, t] : byAddress) out.push_back(std::move(t));
        std::stable_sort(out.begin(), out.end(), [](const MailTally& a, const MailTally& b) { return a.immediate > b.immediate; });
        return out;
    });
}

namespace detail {

std::optional<OutboxRow> loadRow(soci::session& s, std::int64_t id) {
    long long key = id;
    OutboxColumns c;
    auto prep = (s.prepare << std::string("SELECT ") + kOutboxColumns + " FROM CRM_NOTIFICATION WHERE ID = :id");
    prep, soci::use(key, "id");
    c.bindInto(prep);
    soci::statement st(prep);
    detail::LeakOnUnwind keepSt(st);
    st.execute(true);
    if (!st.got_data()) return std::nullopt;
    return c.toRow();
}

std::vector<std::int64_t> digestItems(soci::session& s, std::int64_t digestId) {
    long long key = digestId, eventId = 0;
    std::vector<std::int64_t> out;
    soci::statement st = (s.prepare << "SELECT EVENT_ID FROM CRM_NOTIFICATION WHERE DIGEST_ID = :d AND STATUS = " +
                                           statusSql(OutboxStatus::Digested) + " ORDER BY EVENT_ID",
                          soci::use(key), soci::into(eventId));
    detail::LeakOnUnwind keepSt(st);
    st.execute(false);
    while (st.fetch()) out.push_back(eventId);
    return out;
}

}  // namespace detail

OutboxWriter::OutboxWriter(const RecipientResolver& resolver, Clock clock, OutboxOptions options)
    : resolver_(resolver), clock_(clock ? std::move(clock) : systemClock()), options_(options) {}

std::string OutboxWriter::dedupeKey(std::int64_t eventId, std::int64_t ruleId, int offsetMinutes, std::string_view address) {
    return sha256Hex("n1|" + std::to_string(eventId) + "|" + std::to_string(ruleId) + "|" + std::to_string(offsetMinutes) +
                     "|" + addressKey(address));
}

std::int64_t OutboxWriter::insertRow(soci::session& s, const OutboxRow& row, const std::string& dedupe) {
    long long id = row.id;
    if (!id) s << "SELECT NEXT VALUE FOR CRM_NOTIFICATION_SEQ FROM RDB$DATABASE", soci::into(id);
    long long eventId = row.eventId, ruleId = row.ruleId, userId = row.recipient.userId, cpId = row.recipient.counterpartyId;
    int offset = row.offsetMinutes, external = row.recipient.external, late = row.late, attempts = row.attempts;
    std::string timing(toString(row.timing)), status(toString(row.status));
    std::string name = utf8Prefix(row.recipient.name, 200), lang = row.recipient.language.substr(0, 8);
    std::tm created = rows::toTm(row.createdAt), next = rows::toTm(row.nextAttemptAt), fire{};
    soci::indicator iEvent = eventId ? soci::i_ok : soci::i_null, iUser = userId ? soci::i_ok : soci::i_null,
                    iCp = cpId ? soci::i_ok : soci::i_null, iName = name.empty() ? soci::i_null : soci::i_ok,
                    iFire = row.fireAt ? soci::i_ok : soci::i_null;
    if (row.fireAt) fire = rows::toTm(*row.fireAt);
    try {
        s << "INSERT INTO CRM_NOTIFICATION (ID, DEDUPE_KEY, EVENT_ID, RULE_ID, TIMING, OFFSET_MIN, ADDRESS, DISPLAY_NAME, LANG,"
             " EXTERNAL_RCPT, USER_ID, COUNTERPARTY_ID, STATUS, ATTEMPTS, LATE, CREATED_AT, NEXT_ATTEMPT_AT, FIRE_AT)"
             " VALUES (:id, :k, :e, :r, :t, :o, :a, :n, :l, :x, :u, :c, :s, :at, :late, :cr, :nx, :f)",
            soci::use(id), soci::use(dedupe), soci::use(eventId, iEvent), soci::use(ruleId), soci::use(timing),
            soci::use(offset), soci::use(row.recipient.address), soci::use(name, iName), soci::use(lang),
            soci::use(external), soci::use(userId, iUser), soci::use(cpId, iCp), soci::use(status), soci::use(attempts),
            soci::use(late), soci::use(created), soci::use(next), soci::use(fire, iFire);
    } catch (const std::exception& e) {
        // Firebird undid just this statement; the caller's transaction goes on.
        if (isUniqueViolation(e)) return 0;
        throw;
    }
    return id;
}

std::vector<OutboxRow> OutboxWriter::plan(const Rule& rule, const Event& event, sdk::TimePoint now) const {
    return plan(rule, event, now, resolver_);
}

std::optional<OutboxStatus> deliveryFor(const MailChoices& choices, const Recipient& recipient, const Event& event,
                                        Timing timing, OutboxStatus planned) {
    if (recipient.external || !recipient.userId) return planned;
    const bool important = event.importance >= Importance::High;
    if (choices.unfollowed(recipient.userId, event) && !(recipient.personal && important)) return std::nullopt;
    const auto chosen = choices.of(recipient.userId, event.kind);
    if (!chosen) return planned;
    switch (*chosen) {
        case Delivery::Never: return std::nullopt;
        case Delivery::Digest:
            if (timing == Timing::OnOccurrence && planned == OutboxStatus::Pending && !important) return OutboxStatus::DigestWait;
            return planned;
        case Delivery::AtOnce:
            return planned == OutboxStatus::DigestWait ? OutboxStatus::Pending : planned;
    }
    return planned;
}

std::vector<OutboxRow> OutboxWriter::plan(const Rule& rule, const Event& event, sdk::TimePoint now,
                                          const RecipientResolver& resolver, const MailChoices& choices) const {
    std::vector<OutboxRow> out;
    if (!applies(rule, event)) return out;
    struct Moment {
        int offset;
        OutboxStatus status;
        std::optional<sdk::TimePoint> fireAt;
    };
    std::vector<Moment> moments;
    switch (rule.timing) {
        case Timing::OnOccurrence:
            moments.push_back({0, OutboxStatus::Pending, std::nullopt});
            break;
        case Timing::Digest:
            moments.push_back({0, OutboxStatus::DigestWait, std::nullopt});
            break;
        case Timing::Reminder:
            if (!event.dueAt) break;
            for (auto o : rule.offsets) {
                const sdk::TimePoint fire = *event.dueAt + o;
                if (fire > now) continue;  // the ReminderScheduler fires it when its moment comes
                // The moment passed before the event was stored: still worth saying before the
                // due time, or shortly after it; not for old history replayed by a catch-up.
                const bool useful = o.count() < 0 ? *event.dueAt > now : now - fire <= options_.pastReminderLimit;
                if (useful) moments.push_back({static_cast<int>(o.count()), OutboxStatus::Pending, fire});
            }
            break;
    }
    if (moments.empty()) return out;
    const auto recipients = resolver.resolve(rule, event);
    for (const auto& m : moments) {
        for (const auto& r : recipients) {
            const auto status = deliveryFor(choices, r, event, rule.timing, m.status);
            if (!status) continue;
            OutboxRow row;
            row.eventId = event.id;
            row.ruleId = rule.id;
            // A digest rule's item sent at once is one event's mail, not a digest.
            row.timing = rule.timing == Timing::Digest && *status == OutboxStatus::Pending ? Timing::OnOccurrence : rule.timing;
            row.offsetMinutes = m.offset;
            row.recipient = r;
            row.status = *status;
            row.createdAt = now;
            row.nextAttemptAt = now;
            row.fireAt = m.fireAt;
            out.push_back(std::move(row));
        }
    }
    return out;
}

void OutboxWriter::operator()(soci::session& session, const std::vector<const Event*>& events) const {
    const auto now = clock_();
    const auto rules = RuleStore::enabledRules(session);
    if (rules.empty()) return;
    // The directory is asked once per project/user/department per batch, not per event.
    detail::DirectoryCache directory(resolver_.directory());
    RecipientResolver resolver(directory, resolver_.kinds());
    resolver.setCrewLeadLookup(resolver_.crewLeadLookup());
    const auto choices = MailChoices::load(session);
    resolver.setFollowerLookup([&choices](const Event& e) {
        const auto ids = choices.followersOf(e);
        return std::vector<sdk::Id>(ids.begin(), ids.end());
    });
    std::optional<detail::OutboxInserter> inserter;  // prepared on the first row
    for (const Event* e : events)
        for (const auto& rule : rules)
            for (const auto& row : plan(rule, *e, now, resolver, choices)) {
                if (!inserter) inserter.emplace(session);
                inserter->insert(row, dedupeKey(row.eventId, row.ruleId, row.offsetMinutes, row.recipient.address));
            }
}

}  // namespace conduit::crm::notify
