#include <conduit/crm/notify/schedulers.hpp>

#include <conduit/crm/foundation/sha256.hpp>
#include "directory_cache.hpp"
#include "outbox_rows.hpp"
#include "sql_util.hpp"
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>

namespace conduit::crm::notify {

namespace {
const std::string kReminderMark = "reminders.mark";
}

ReminderScheduler::ReminderScheduler(Database& db, const RecipientResolver& resolver, ReminderOptions options)
    : db_(db), resolver_(resolver), options_(options) {}

namespace {

// What settles a due date: a later event of the same project that moved it, finished it or paid
// it. Its reminders then no longer fire ("installation in 2 days" after the installation moved,
// "stage overdue" after the stage finished, "prepayment due" after it was paid).
struct Settlement {
    std::vector<std::string> kinds;  // any of these, later in the same project ...
    bool sameStage = false;          // ... and for the same stage
};

const Settlement* settlementOf(const std::string& kind) {
    static const std::map<std::string, Settlement> kSettled = {
        {kinds::kStagePlanned,
         {{kinds::kStagePlanned, kinds::kStageRescheduled, kinds::kStageFinished, kinds::kInstallationPlanned},
          true}},
        {kinds::kStageRescheduled,
         {{kinds::kStagePlanned, kinds::kStageRescheduled, kinds::kStageFinished, kinds::kInstallationPlanned},
          true}},
        {kinds::kInstallationPlanned,
         {{kinds::kInstallationPlanned, kinds::kStageRescheduled, kinds::kStageFinished}, true}},
        {kinds::kOrderPrepaymentRequired, {{kinds::kPrepaymentReceived}, false}},
        {kinds::kOrderProductionLaunched, {{kinds::kStageFinished}, false}},
    };
    auto it = kSettled.find(kind);
    return it == kSettled.end() ? nullptr : &it->second;
}

// Asks once per event (a bounded index walk on the project's events newer than it).
class SettledCheck {
public:
    explicit SettledCheck(soci::session& s) : s_(s) {}
    bool operator()(const Event& e) {
        const auto* rule = settlementOf(e.kind);
        if (!rule || e.projectId == 0) return false;
        if (auto it = cache_.find(e.id); it != cache_.end()) return it->second;
        long long project = e.projectId, id = e.id;
        std::tm at = rows::toTm(e.occurredAt);
        std::string k[4];
        for (std::size_t i = 0; i < 4; ++i) k[i] = i < rule->kinds.size() ? rule->kinds[i] : std::string("-");
        // production_launched is settled by the production stage's finish.
        std::string stage = e.kind == kinds::kOrderProductionLaunched ? std::string("production") : e.stage;
        const bool byStage = rule->sameStage || e.kind == kinds::kOrderProductionLaunched;
        int n = 0;
        if (byStage)
            s_ << "SELECT COUNT(*) FROM (SELECT FIRST 1 S.ID FROM CRM_EVENT S WHERE S.PROJECT_ID = :p AND S.OCCURRED_AT >= :at"
                  " AND S.ID <> :id AND S.DELETED_AT IS NULL AND S.KIND IN (:k1, :k2, :k3, :k4) AND S.STAGE = :st)",
                soci::use(project), soci::use(at), soci::use(id), soci::use(k[0]), soci::use(k[1]), soci::use(k[2]),
                soci::use(k[3]), soci::use(stage), soci::into(n);
        else
            s_ << "SELECT COUNT(*) FROM (SELECT FIRST 1 S.ID FROM CRM_EVENT S WHERE S.PROJECT_ID = :p AND S.OCCURRED_AT >= :at"
                  " AND S.ID <> :id AND S.DELETED_AT IS NULL AND S.KIND IN (:k1, :k2, :k3, :k4))",
                soci::use(project), soci::use(at), soci::use(id), soci::use(k[0]), soci::use(k[1]), soci::use(k[2]),
                soci::use(k[3]), soci::into(n);
        return cache_[e.id] = n > 0;
    }

private:
    soci::session& s_;
    std::map<std::int64_t, bool> cache_;
};

}  // namespace

ReminderReport ReminderScheduler::runOnce(sdk::TimePoint now) {
    try {
        return scan(now);
    } catch (const std::exception& e) {
        // Another workstation ran the same window at the same moment and committed first (its
        // mark insert or update won): it queued these reminders; ours rolled back.
        if (detail::isConcurrentWrite(e)) return {};
        throw;
    }
}

namespace {

// More than any zone's distance from UTC.
constexpr std::chrono::hours kZoneSlack{26};

// When a reminder `offset` from the event's due moment fires. A due date (a calendar date, stored
// as its UTC midnight) is due from the start of that day in the installation's zone, and whole
// days before or after it are counted in days, so "2 days before" is that day's midnight there
// even across a daylight-saving change.
sdk::TimePoint reminderMoment(const Event& ev, std::chrono::minutes offset, const TimeZone& zone) {
    const auto due = calendarDue(ev);
    if (!due) return *ev.dueAt + offset;
    const sdk::Date day = *due;
    const auto wholeDays = std::chrono::duration_cast<std::chrono::days>(offset);
    if (wholeDays == offset) return zone.startOfDay(day + wholeDays);
    return zone.startOfDay(day) + offset;
}

}  // namespace

ReminderReport ReminderScheduler::scan(sdk::TimePoint now) {
    return inTransaction(db_, "notification schedulers", [&](soci::session& s) {
        ReminderReport report;
        const auto mark = detail::readMark(s, kReminderMark).value_or(now - options_.firstRunLookback);
        if (mark > now) return report;  // the clock went back: wait for it to pass the mark
        const sdk::TimePoint from = mark - options_.overlap;
        std::vector<Rule> rules;
        for (auto& r : RuleStore::enabledRules(s))
            if (r.timing == Timing::Reminder) rules.push_back(std::move(r));
        detail::DirectoryCache directory(resolver_.directory());
        RecipientResolver resolver(directory, resolver_.kinds());
        resolver.setCrewLeadLookup(resolver_.crewLeadLookup());
        const auto choices = MailChoices::load(s);
        resolver.setFollowerLookup([&choices](const Event& e) {
            const auto ids = choices.followersOf(e);
            return std::vector<sdk::Id>(ids.begin(), ids.end());
        });
        std::optional<detail::OutboxInserter> inserter;
        SettledCheck settled(s);
        const std::string sql = std::string("SELECT ") + rows::kEventColumns +
                                " FROM CRM_EVENT E WHERE ((E.DUE_AT = :k1 AND E.ID > :k2) OR E.DUE_AT > :k3) AND E.DELETED_AT IS NULL"
                                " AND E.DUE_AT <= :hi ORDER BY E.DUE_AT, E.ID ROWS :n";
        for (const auto& rule : rules) {
            for (const auto offset : rule.offsets) {
                // The moment dueAt + offset lies in (from, now]  <=>  dueAt in (from - offset, now - offset],
                // widened by a day each way for due dates, which fall due at the zone's midnight
                // (reminderMoment); rows outside the window are passed over below.
                std::tm keyTime = rows::toTm(from - offset - kZoneSlack), hi = rows::toTm(now - offset + kZoneSlack);
                long long keyId = std::numeric_limits<long long>::max(), n = static_cast<long long>(options_.pageSize);
                for (;;) {
                    std::vector<Event> page;
                    Event e;
                    soci::statement st = (s.prepare << sql, soci::use(keyTime, "k1"), soci::use(keyId, "k2"),
                                          soci::use(keyTime, "k3"), soci::use(hi, "hi"), soci::use(n, "n"), soci::into(e));
                    detail::LeakOnUnwind keepSt(st);
                    st.execute(false);
                    while (st.fetch()) page.push_back(e);
                    for (const auto& ev : page) {
                        ++report.scanned;
                        if (!applies(rule, ev) || !ev.dueAt) continue;
                        const sdk::TimePoint fire = reminderMoment(ev, offset, options_.zone);
                        if (fire <= from || fire > now) continue;
                        if (settled(ev)) {
                            ++report.settled;
                            continue;
                        }
                        const bool late = now - fire > options_.lateAfter;
                        for (const auto& r : resolver.resolve(rule, ev)) {
                            if (!deliveryFor(choices, r, ev, Timing::Reminder, OutboxStatus::Pending)) continue;
                            OutboxRow row;
                            row.eventId = ev.id;
                            row.ruleId = rule.id;
                            row.timing = Timing::Reminder;
                            row.offsetMinutes = static_cast<int>(offset.count());
                            row.recipient = r;
                            row.status = OutboxStatus::Pending;
                            row.late = late;
                            row.createdAt = now;
                            row.nextAttemptAt = now;
                            row.fireAt = fire;
                            if (!inserter) inserter.emplace(s);
                            if (inserter->insert(row, OutboxWriter::dedupeKey(ev.id, rule.id, row.offsetMinutes, r.address))) {
                                ++report.queued;
                                report.late += late;
                            }
                        }
                    }
                    if (page.size() < options_.pageSize) break;
                    keyTime = rows::toTm(*page.back().dueAt);
                    keyId = page.back().id;
                }
            }
        }
        detail::writeMark(s, kReminderMark, now);
        return report;
    });
}

DigestScheduler::DigestScheduler(Database& db, DigestOptions options) : db_(db), options_(options) {}

sdk::TimePoint DigestScheduler::lastSlot(sdk::TimePoint now, int hour, const TimeZone& zone) {
    const auto today = zone.localDate(now);
    const auto slot = zone.at(today, hour, 0);
    return slot <= now ? slot : zone.at(today - std::chrono::days(1), hour, 0);
}

namespace {

struct DigestItem {
    long long id, eventId, userId, ruleId;
    detail::OutboxColumns columns;
};

// The items of the rules `ruleIds` waiting for the digest at `slot`, per address.
std::map<std::string, std::vector<DigestItem>> waitingItems(soci::session& s, const std::set<long long>& ruleIds,
                                                            sdk::TimePoint slot) {
    std::map<std::string, std::vector<DigestItem>> byAddress;
    std::tm until = rows::toTm(slot);
    detail::OutboxColumns c;
    auto prep = (s.prepare << std::string("SELECT ") + detail::kOutboxColumns + " FROM CRM_NOTIFICATION WHERE STATUS = " +
                                  detail::statusSql(OutboxStatus::DigestWait) + " AND CREATED_AT <= :t ORDER BY ID");
    prep, soci::use(until, "t");
    c.bindInto(prep);
    soci::statement st(prep);
    detail::LeakOnUnwind keepSt(st);
    st.execute(false);
    while (st.fetch()) {
        if (!ruleIds.count(c.ruleId)) continue;
        const long long user = c.iUser == soci::i_ok ? c.userId : 0;
        byAddress[addressKey(c.address)].push_back({c.id, c.iEvent == soci::i_ok ? c.eventId : 0, user, c.ruleId, c});
    }
    return byAddress;
}

// The rule a digest names in its footer: the digest rule that brought most of its items (an
// at-once rule's items are there by the person's own choice), else the rule of most items.
long long footerRule(const std::vector<DigestItem>& items, const std::set<long long>& digestRules) {
    std::map<long long, std::pair<int, int>> score;  // rule -> (is a digest rule, items)
    for (const auto& i : items) {
        auto& sc = score[i.ruleId];
        sc.first = digestRules.count(i.ruleId) ? 1 : 0;
        ++sc.second;
    }
    return std::max_element(score.begin(), score.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
}

}  // namespace

DigestReport DigestScheduler::runOnce(sdk::TimePoint now) {
    DigestReport report;
    // Every enabled rule may have items waiting: a digest rule's, or an at-once rule's that a
    // person asked to have in their digest. One digest per person and digest hour, whatever the rules.
    std::map<int, std::set<long long>> rulesByHour;
    std::set<long long> digestRules;
    inTransaction(db_, "notification schedulers", [&](soci::session& s) {
        for (auto& r : RuleStore::enabledRules(s)) {
            rulesByHour[r.digestHour].insert(r.id);
            if (r.timing == Timing::Digest) digestRules.insert(r.id);
        }
    });
    for (const auto& entry : rulesByHour) {
        // Named, not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const int hour = entry.first;
        const auto& ruleIds = entry.second;
        const auto slot = lastSlot(now, hour, options_.zone);
        const std::string markName = "digest.at." + std::to_string(hour);
        // One transaction per hour: the digest rows, their items' new status and the mark. A
        // conflict with another workstation doing the same digest: it made it, ours rolls back.
        DigestReport hourReport;
        try {
            inTransaction(db_, "notification schedulers", [&](soci::session& s) {
                if (auto mark = detail::readMark(s, markName); mark && *mark >= slot) return;
                for (auto& [address, items] : waitingItems(s, ruleIds, slot)) {
                    std::vector<bool> read(items.size(), false);
                    const sdk::Id user = items.front().userId;
                    if (readFilter_ && user) {
                        std::vector<std::int64_t> ids;
                        for (const auto& i : items) ids.push_back(i.eventId);
                        auto answer = readFilter_(user, ids);
                        if (answer.size() == read.size()) read = std::move(answer);
                    }
                    std::vector<long long> keep, skip;
                    std::vector<DigestItem> kept;
                    for (std::size_t i = 0; i < items.size(); ++i) {
                        (read[i] ? skip : keep).push_back(items[i].id);
                        if (!read[i]) kept.push_back(items[i]);
                    }
                    for (long long id : skip)
                        s << "UPDATE CRM_NOTIFICATION SET STATUS = " + detail::statusSql(OutboxStatus::Read) +
                                 " WHERE ID = :id AND STATUS = " + detail::statusSql(OutboxStatus::DigestWait) +
                                 " PLAN (CRM_NOTIFICATION INDEX (PK_CRM_NOTIFICATION))",
                            soci::use(id);
                    hourReport.skippedRead += skip.size();
                    if (keep.empty()) continue;
                    OutboxRow digest = kept.front().columns.toRow();
                    digest.id = 0;
                    digest.eventId = 0;
                    digest.ruleId = footerRule(kept, digestRules);
                    digest.timing = Timing::Digest;
                    digest.offsetMinutes = 0;
                    digest.status = OutboxStatus::Pending;
                    digest.attempts = 0;
                    digest.late = now - slot > options_.lateAfter;
                    digest.createdAt = now;
                    digest.nextAttemptAt = now;
                    digest.fireAt = slot;
                    const auto key = sha256Hex("d2|" + std::to_string(hour) + "|" +
                                               std::to_string(slot.time_since_epoch().count()) + "|" + address);
                    const auto digestId = OutboxWriter::insertRow(s, digest, key);
                    if (!digestId) continue;  // another instance made this digest
                    long long did = digestId;
                    for (long long id : keep)
                        s << "UPDATE CRM_NOTIFICATION SET STATUS = " + detail::statusSql(OutboxStatus::Digested) +
                                 ", DIGEST_ID = :d WHERE ID = :id",
                            soci::use(did), soci::use(id);
                    ++hourReport.digests;
                    hourReport.items += keep.size();
                }
                detail::writeMark(s, markName, slot);
            });
        } catch (const std::exception& e) {
            if (!detail::isConcurrentWrite(e)) throw;
            continue;
        }
        report.digests += hourReport.digests;
        report.items += hourReport.items;
        report.skippedRead += hourReport.skippedRead;
    }
    return report;
}

}  // namespace conduit::crm::notify
