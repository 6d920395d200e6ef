// The notifications of the CRM in one object for the plugin entry: rules (with defaults seeded),
// the outbox participant in the event writer, reminders, digests and the sender on one thread.
//
// Usage (plugin entry, after EventStore::open):
//
//   notify::NotificationService notes(*store, services.database, directory, mail, options);
//   notes.setMayReceive(...); notes.setVisibleCopy(...);     // optional, before start()
//   notes.setReadFilter(...);
//   notes.rules().enforce(mayAdminister);                      // only administrators change rules
//   notes.start();                                             // seeds defaults, joins the writer, starts the thread
//   notes.rules().add(actor, rule);  notes.preview(event);     // rules editor, "who will be notified"
//   notes.reach(rule);                                         // ... and how many mails in the last 30 days
//   notes.preferences().enforce(mayChangeMailOf);              // a user their own, an administrator anyone's
//   notes.preferences().set(actor, user, family, Delivery::Digest);  notes.preferences().follow(...);
//   notes.stop();                                              // before store->writer().stop()
//
// Thread-safety: rules(), outbox(), preview() from any thread; setters before start().
#pragma once

#include <conduit/crm/notify/outbox.hpp>
#include <conduit/crm/notify/preferences.hpp>
#include <conduit/crm/notify/recipients.hpp>
#include <conduit/crm/notify/rules.hpp>
#include <conduit/crm/notify/schedulers.hpp>
#include <conduit/crm/notify/sender.hpp>
#include <conduit/crm/database/database.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/mail.hpp>
#include <conduit/sdk/services.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace conduit::crm {
class EventStore;
}

namespace conduit::crm::notify {

struct NotifyOptions {
    SenderOptions sender;
    ReminderOptions reminders;
    DigestOptions digest;
    OutboxOptions outbox;
    std::chrono::milliseconds interval{2000};  // the thread's period (reminders, digests, sending)
    // A committed batch with new events starts a round at once (its outbox rows are due now),
    // but rounds come at most this often while events keep coming.
    std::chrono::milliseconds minGap{200};
    bool seedDefaults = true;
    Clock clock;  // empty: systemClock()
    // Where the thread reports a failing tick (once per episode) and its recovery; may be null.
    sdk::ILogger* logger = nullptr;
};

// "This rule would have sent Anna Nowak 212 mails": a rule's reach over the stored events of a
// past window, from the newest back, at most `cap` events read (through the kinds index).
struct ReachReport {
    std::vector<PersonReach> people;  // the most mails first
    std::size_t eventsScanned = 0;
    bool capped = false;              // more events matched: the counts cover the newest `cap` only
    sdk::TimePoint from{}, to{};      // the window
};

struct ReachOptions {
    std::chrono::hours window{24 * 30};
    std::size_t cap = 20000;
};

struct TickReport {
    ReminderReport reminders;
    DigestReport digest;
    SendReport sent;
    std::string error;  // the last tick's failure (database down ...), empty when none
};

class NotificationService {
public:
    // Opens its own connections to the CRM database (`where`, as given to EventStore::open).
    // Does not connect or write before start().
    NotificationService(EventStore& store, const sdk::DatabaseLocation& where, const sdk::IDirectory& directory,
                        sdk::IMailClient& mail, NotifyOptions options = {});
    ~NotificationService();  // stop()
    NotificationService(const NotificationService&) = delete;
    NotificationService& operator=(const NotificationService&) = delete;

    void setMayReceive(MayReceive check);
    // What each recipient reads of an event in mail, reminders and digests (Sender::setVisibleCopy).
    void setVisibleCopy(VisibleCopy copy);
    void setReadFilter(ReadFilter filter);
    void setCrewLeadLookup(RecipientResolver::CrewLeadLookup lookup);

    // Seeds the default rules (once per database), joins the writer's transactions. Then, with
    // startThread, runs runOnce(clock()) every options.interval, and after each committed batch
    // of new events (not more often than options.minGap), until stop().
    void start(bool startThread = true);
    // Leaves the writer (waits for a batch in progress), stops the thread. Idempotent.
    void stop();

    // One round: reminders, digests, then the sender. Errors are caught and reported.
    TickReport runOnce(sdk::TimePoint now);
    TickReport lastTick() const;

    RuleStore& rules() { return rules_; }
    Outbox& outbox() { return outbox_; }
    const RecipientResolver& resolver() const { return resolver_; }
    // "Who will be notified" for an event not stored yet: enabled rules, resolved. Writes nothing.
    std::vector<PlannedNotification> preview(const Event& event);
    // What `rule` (new or edited, not stored) would have sent each person over the last
    // options.window of stored events (rights and personal choices aside). Writes nothing.
    ReachReport reach(const Rule& rule, ReachOptions options = {});

    MailPreferences& preferences() { return preferences_; }

private:
    void loop();
    // What the writer's batch listener shares with the thread: the listener may still run just
    // after it is removed, so it holds this, not the service.
    struct Wakeup {
        std::mutex mutex;
        std::condition_variable cv;
        bool stopping = false;
        bool newEvents = false;
    };

    EventStore& store_;
    NotifyOptions options_;
    Clock clock_;
    Database db_;
    RecipientResolver resolver_;
    RuleStore rules_;
    Outbox outbox_;
    MailPreferences preferences_;
    std::shared_ptr<OutboxWriter> outboxWriter_;
    ReminderScheduler reminders_;
    DigestScheduler digests_;
    Sender sender_;

    std::uint64_t participantId_ = 0, followsId_ = 0, listenerId_ = 0;
    bool joined_ = false;
    std::shared_ptr<Wakeup> wakeup_ = std::make_shared<Wakeup>();
    mutable std::mutex mutex_;
    TickReport last_;
    bool failing_ = false;  // the last tick failed (logged once per episode)
    std::mutex tickMutex_;  // one runOnce at a time (the thread and a test's call)
    std::thread thread_;
};

}  // namespace conduit::crm::notify
