#include <conduit/crm/notify/notification_service.hpp>

#include "directory_cache.hpp"
#include "sql_util.hpp"
#include <conduit/crm/foundation/kind_pattern.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <map>
#include <conduit/crm/timeline/event_store.hpp>

namespace conduit::crm::notify {

NotificationService::NotificationService(EventStore& store, const sdk::DatabaseLocation& where, const sdk::IDirectory& directory,
                                         sdk::IMailClient& mail, NotifyOptions options)
    : store_(store),
      options_(std::move(options)),
      clock_(options_.clock ? options_.clock : systemClock()),
      db_(where, 3),
      resolver_(directory, store.kinds()),
      rules_(db_, clock_),
      outbox_(db_),
      preferences_(db_, directory, [&store](Event e) { return store.writer().submit(std::move(e)); }, clock_),
      outboxWriter_(std::make_shared<OutboxWriter>(resolver_, clock_, options_.outbox)),
      reminders_(db_, resolver_, options_.reminders),
      digests_(db_, options_.digest),
      sender_(db_, store, mail, resolver_, options_.sender) {}

NotificationService::~NotificationService() { stop(); }

void NotificationService::setMayReceive(MayReceive check) { sender_.setMayReceive(std::move(check)); }
void NotificationService::setVisibleCopy(VisibleCopy copy) { sender_.setVisibleCopy(std::move(copy)); }
void NotificationService::setReadFilter(ReadFilter filter) { digests_.setReadFilter(std::move(filter)); }
void NotificationService::setCrewLeadLookup(RecipientResolver::CrewLeadLookup lookup) { resolver_.setCrewLeadLookup(std::move(lookup)); }

void NotificationService::start(bool startThread) {
    if (joined_) return;
    if (options_.seedDefaults) rules_.seedDefaults();
    // The participant holds the OutboxWriter alive; removeParticipant() in stop() waits for a
    // batch in progress, so the resolver it references is never used after stop().
    participantId_ = store_.writer().addParticipant(
        [writer = outboxWriter_](soci::session& s, const std::vector<const Event*>& events) { (*writer)(s, events); });
    followsId_ = store_.writer().addParticipant(&MailPreferences::recordFollows);
    joined_ = true;
    if (startThread) {
        {
            std::lock_guard lock(wakeup_->mutex);
            wakeup_->stopping = false;
        }
        listenerId_ = store_.writer().onBatch([w = wakeup_](const BatchMetrics& m, const std::vector<std::int64_t>&) {
            if (m.written == 0) return;
            {
                std::lock_guard lock(w->mutex);
                w->newEvents = true;
            }
            w->cv.notify_all();
        });
        thread_ = std::thread([this] { loop(); });
    }
}

void NotificationService::stop() {
    if (joined_) {
        store_.writer().removeParticipant(participantId_);
        store_.writer().removeParticipant(followsId_);
        joined_ = false;
    }
    if (listenerId_) {
        store_.writer().removeBatchListener(listenerId_);
        listenerId_ = 0;
    }
    {
        std::lock_guard lock(wakeup_->mutex);
        wakeup_->stopping = true;
    }
    wakeup_->cv.notify_all();
    if (thread_.joinable()) thread_.join();
}

TickReport NotificationService::runOnce(sdk::TimePoint now) {
    std::lock_guard tick(tickMutex_);
    TickReport report;
    // Each step on its own: a failing digest does not keep reminders or sending from running.
    auto step = [&](auto&& f) {
        try {
            f();
        } catch (const std::exception& e) {
            report.error = databaseMessage(e);
        }
    };
    step([&] { report.reminders = reminders_.runOnce(now); });
    step([&] { report.digest = digests_.runOnce(now); });
    step([&] { report.sent = sender_.runOnce(now); });
    bool logFailure = false, logRecovery = false;
    {
        std::lock_guard lock(mutex_);
        last_ = report;
        logFailure = !report.error.empty() && !failing_;
        logRecovery = report.error.empty() && failing_;
        failing_ = !report.error.empty();
    }
    if (options_.logger && logFailure)
        options_.logger->log(sdk::LogLevel::Warning, "crm.notify", "notifications paused, will retry: " + report.error);
    if (options_.logger && logRecovery) options_.logger->log(sdk::LogLevel::Info, "crm.notify", "notifications running again");
    return report;
}

TickReport NotificationService::lastTick() const {
    std::lock_guard lock(mutex_);
    return last_;
}

std::vector<PlannedNotification> NotificationService::preview(const Event& event) {
    std::vector<Rule> enabled;
    for (auto& r : rules_.list())
        if (r.enabled) enabled.push_back(std::move(r));
    const auto choices = inTransaction(db_, "mail preferences", [](soci::session& s) { return MailChoices::load(s); });
    RecipientResolver resolver(resolver_.directory(), resolver_.kinds());
    resolver.setCrewLeadLookup(resolver_.crewLeadLookup());
    resolver.setFollowerLookup([&choices](const Event& e) {
        const auto ids = choices.followersOf(e);
        return std::vector<sdk::Id>(ids.begin(), ids.end());
    });
    return resolver.preview(enabled, event);
}

namespace {

// The newest events of the window whose kind one of `patterns` matches, through the kinds index
// (a prefix or an exact kind) or the feed's (every kind); at most `cap`, newest first.
std::vector<Event> eventsOfKinds(soci::session& s, const std::vector<std::string>& patterns, sdk::TimePoint from,
                                 sdk::TimePoint to, std::size_t cap, bool& capped) {
    std::map<std::int64_t, Event> byId;
    std::tm lo = rows::toTm(from), hi = rows::toTm(to);
    long long n = static_cast<long long>(cap) + 1;
    auto read = [&](const std::string& where, const std::string& order, std::string* kind) {
        const std::string sql = std::string("SELECT ") + rows::kEventColumns + " FROM CRM_EVENT E WHERE " + where +
                                " E.OCCURRED_AT >= :lo AND E.OCCURRED_AT <= :hi AND E.DELETED_AT IS NULL ORDER BY " + order +
                                " ROWS :n";
        Event e;
        auto prep = (s.prepare << sql);
        if (kind) prep, soci::use(*kind, "k");
        prep, soci::use(lo, "lo"), soci::use(hi, "hi"), soci::use(n, "n"), soci::into(e);
        soci::statement st(prep);
        detail::LeakOnUnwind keep(st);
        st.execute(false);
        std::size_t got = 0;
        while (st.fetch()) {
            byId.emplace(e.id, e);
            ++got;
        }
        if (got > cap) capped = true;
    };
    for (const auto& text : patterns) {
        const auto pattern = KindPattern::parse(text);
        if (!pattern) continue;
        if (pattern->isAll()) {
            read("", "E.OCCURRED_AT DESC, E.ID DESC", nullptr);
            continue;
        }
        std::string kind(pattern->isPrefix() ? pattern->prefix() : pattern->exact());
        read(pattern->isPrefix() ? "E.KIND STARTING WITH :k AND" : "E.KIND = :k AND", "E.KIND DESC, E.OCCURRED_AT DESC, E.ID DESC",
             &kind);
    }
    std::vector<Event> out;
    for (auto it = byId.rbegin(); it != byId.rend() && out.size() < cap; ++it) out.push_back(std::move(it->second));
    if (byId.size() > cap) capped = true;
    return out;
}

}  // namespace

ReachReport NotificationService::reach(const Rule& rule, ReachOptions options) {
    ReachReport report;
    report.to = clock_();
    report.from = report.to - options.window;
    const auto events = inTransaction(db_, "notification rules", [&](soci::session& s) {
        return eventsOfKinds(s, rule.kinds, report.from, report.to, options.cap, report.capped);
    });
    report.eventsScanned = events.size();
    detail::DirectoryCache directory(resolver_.directory());
    RecipientResolver resolver(directory, resolver_.kinds());
    resolver.setCrewLeadLookup(resolver_.crewLeadLookup());
    const auto choices = inTransaction(db_, "mail preferences", [](soci::session& s) { return MailChoices::load(s); });
    resolver.setFollowerLookup([&choices](const Event& e) {
        const auto ids = choices.followersOf(e);
        return std::vector<sdk::Id>(ids.begin(), ids.end());
    });
    report.people = resolver.reach(rule, events, options_.digest.zone);
    return report;
}

void NotificationService::loop() {
    auto& w = *wakeup_;
    std::unique_lock lock(w.mutex);
    while (!w.stopping) {
        w.newEvents = false;  // this round sees every row committed so far
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        runOnce(clock_());
        lock.lock();
        // The gap first, so that a busy writer (a batch every few ms) does not turn the rounds
        // into a loop; then until the period ends or new events arrive.
        w.cv.wait_until(lock, started + options_.minGap, [&] { return w.stopping; });
        w.cv.wait_until(lock, started + options_.interval, [&] { return w.stopping || w.newEvents; });
    }
}

}  // namespace conduit::crm::notify
