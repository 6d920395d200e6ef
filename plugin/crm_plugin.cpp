// Conduit CRM's plugin entry: states what it is, takes its host services in start(), wires the
// event store, the module adapters and the forms, and tears them down in reverse order in stop().
#include "crm_actions.hpp"
#include "feed_printout.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <module_adapters.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/foundation/sha256.hpp>
#include <soci/soci.h>
#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/plugin.hpp>
#include <crm_forms.hpp>
#include <dispatcher/event_card.hpp>
#include <feed/live_updates.hpp>
#include <conduit/crm/readstate/read_state.hpp>

#include <memory>

namespace conduit::crm {
namespace {

constexpr const char* kCursorPrefix = "crm.cursor.";
// "on": Firebird's forced writes for an embedded CRM database instead of one sync per batch.
constexpr const char* kForcedWrites = "crm.store.forced_writes";

class CrmPlugin final : public sdk::IPlugin {
public:
    sdk::PluginInfo info() const override { return {"conduit.crm", "Conduit CRM", "0.1.0", sdk::kSdkVersion}; }

    void start(sdk::HostServices& services) override {
        services_ = &services;
        // 1. The store: where the host wants CRM data. Throws (and the host carries on) when the
        //    database is unreachable or belongs to a newer plugin.
        StoreOptions storeOptions;
        storeOptions.durability = durabilityFromSetting(services.settings.get(kForcedWrites).value_or(""));
        store_ = EventStore::open(services.database, storeOptions);
        const bool embedded = services.database.kind == sdk::DatabaseLocation::Kind::Embedded;
        log(sdk::LogLevel::Info,
            "event store: " + store_->describe() + ", schema " + std::to_string(store_->counts().schemaVersion) +
                (!embedded ? "" : storeOptions.durability == Durability::ForcedWrites ? ", forced writes"
                                                                                    : ", synced once per batch"));

        // 2. Rights and the audit log: every read and write below goes through them.
        audit_ = std::make_unique<AuditLog>(store_->database());
        // A user entry's "create" row commits with the entry, once however often it was saved.
        store_->writer().addParticipant(&AuditLog::recordCreatedEntries);
        access_ = std::make_unique<AccessControl>(*store_, services.directory, *audit_);

        // Who has read what (the workstation's bold rows and counter, the digests' omissions).
        readState_ = std::make_unique<ReadState>(services.database);

        // 3. Notifications join the writer's transactions before any event arrives, so every
        //    event, catch-up included, gets its outbox rows atomically. They schedule by the
        //    host's clock (simulated time in the reference host), send through the host's mail.
        auto* writer = &store_->writer();
        notify::NotifyOptions notifyOptions;
        if (services.clock) notifyOptions.clock = services.clock;
        notifyOptions.sender.installation = installationId();
        notifyOptions.sender.feedLocale = services.host.locale;
        notifyOptions.logger = &services.logger;
        notifications_ = std::make_unique<notify::NotificationService>(*store_, services.database, services.directory,
                                                                         services.mail, notifyOptions);
        // The recipient's right to see the event is asked again when the message goes out.
        // Both checks: an internal event never goes outside, and the person may see this event.
        notifications_->setMayReceive(
            [access = access_.get(), store = store_.get()](const notify::Recipient& r, const Event& e) {
                return notify::Sender::defaultMayReceive(r, e, store->kinds()) &&
                       access->mayReceive(r.external ? Recipient::contact(r.counterpartyId) : Recipient::user(r.userId), e);
            });
        notifications_->setReadFilter([read = readState_.get()](sdk::Id user, const std::vector<std::int64_t>& ids) {
            return read->readFlags(user, ids);
        });
        notifications_->start();
        log(sdk::LogLevel::Info, "notifications: " + std::to_string(notifications_->rules().list().size()) +
                                     " rules");

        // 4. Adapters: signals first, then catch-up from the last cursors this plugin saved.
        // They wait for room while the writer's queue is full: the host is never held, its
        // changes go to the ring, then to the journal (nothing refused and dropped).
        adapters_ = std::make_unique<adapters::ModuleAdapters>(services, adapters::submitTo(*writer));
        std::map<std::string, std::int64_t> cursors;
        for (auto& m : services.modules.presentModules())
            if (auto v = services.settings.get(kCursorPrefix + m)) cursors[m] = std::stoll(*v);
        adapters_->start(cursors);
        std::string present;
        for (auto& m : adapters_->connectedModules()) present += (present.empty() ? "" : ", ") + m;
        log(sdk::LogLevel::Info, "connected to host modules: " + (present.empty() ? std::string("none") : present));

        // 5. What people enter (payments, notes, measurement sheets), also offered to the host as
        //    actions when it has an action registry (SDK 1.1).
        userEvents_ = std::make_unique<UserEvents>([writer](Event e) { return writer->submit(std::move(e)); },
                                                   services.directory, services.host.locale);
        userEvents_->enforce(*access_);
        changes_ = std::make_unique<UserEventChanges>(*store_, *access_, services.host.locale);
        if (services.actions) {
            provideCrmActions(*services.actions, *userEvents_, *writer, services.host.locale);
            actionsProvided_ = true;
        }

        // 6. Forms: the workstation, cards, entry dialogs and the rules editor. The writer's
        //    batches tell open feeds to look for newer events.
        live_ = std::make_unique<forms::LiveUpdates>();
        store_->writer().onBatch(live_->batchCallback());
        forms::CrmFormsContext context{*store_, services.directory, services.settings};
        context.locale = services.host.locale;
        context.currentUser = services.currentUser;
        context.modules = services.modules.presentModules();
        context.live = live_.get();
        context.webEngine = forms::webEngineUsable();
        context.userEvents = userEvents_.get();
        context.changes = changes_.get();  // correcting and deleting entries, as the rights allow
        context.readState = readState_.get();
        context.access = access_.get();  // the forms read and offer only what this user may
        context.rules = &notifications_->rules();
        context.clock = services.clock;  // SDK 1.1; empty with a 1.0 host: the system clock
        context.previewRecipients = [notes = notifications_.get()](const Event& e) {
            std::vector<forms::RecipientPreview> lines;
            for (const auto& p : notes->preview(e))
                lines.push_back({p.recipient.name, p.recipient.address, p.ruleName});
            return lines;
        };
        formIds_ = forms::registerCrmForms(services.forms, std::move(context));
    }

    void stop() override {
        if (!services_) return;
        // Reverse order of start: forms, actions, adapters (drained into the writer), then the store.
        if (!formIds_.empty()) forms::unregisterCrmForms(services_->forms);
        formIds_.clear();
        if (actionsProvided_) withdrawCrmActions(*services_->actions);
        actionsProvided_ = false;
        if (adapters_) adapters_->stop();
        if (store_) {
            const bool flushed = store_->writer().flush(std::chrono::seconds(30));
            // Cursors only move once their events are committed; otherwise the next start replays.
            if (flushed && adapters_)
                for (auto& [module, seq] : adapters_->cursors())
                    services_->settings.set(kCursorPrefix + module, std::to_string(seq));
            // Without a window the feed is read here: what a dispatcher would see at the top.
            if (services_->host.headless && flushed) printFeed(25);
            if (notifications_) {
                // One last round so that what is due goes out now, then leave the writer.
                const auto tick = notifications_->runOnce(now());
                notifications_->stop();
                reportNotifications(tick);
            }
            store_->writer().stop();
            if (auto unsaved = store_->writer().takePending(); !unsaved.empty())
                log(sdk::LogLevel::Error, std::to_string(unsaved.size()) +
                                              " events not yet stored; they are replayed from the host on next start");
            report();
        }
        adapters_.reset();
        notifications_.reset();
        changes_.reset();
        userEvents_.reset();
        access_.reset();
        audit_.reset();
        readState_.reset();
        store_.reset();
        live_.reset();  // after the writer: its callback holds only a relay that outlives this
        services_ = nullptr;
    }

private:
    void log(sdk::LogLevel level, const std::string& message) { services_->logger.log(level, "crm", message); }

    // Names this installation in Message-IDs: the same for every workstation on one CRM
    // database (a retried notification keeps its id), different for another database. Taken from
    // the database's creation time and its path as the server sees it: no table of its own.
    std::string installationId() {
        std::string created, file;
        try {
            inTransaction(store_->database(), "installation id", [&](soci::session& s) {
                s << "SELECT CAST(MON$CREATION_DATE AS VARCHAR(32)), MON$DATABASE_NAME FROM MON$DATABASE",
                    soci::into(created), soci::into(file);
            });
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot read the database's creation time: ") + e.what());
            created = store_->describe();
        }
        return "crm-" + sha256Hex(created + "|" + file).substr(0, 12);
    }

    sdk::TimePoint now() const {
        if (services_->clock) return services_->clock();
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }

    void reportNotifications(const notify::TickReport& last) {
        auto count = [this](notify::OutboxStatus status) {
            std::size_t n = 0;
            std::int64_t after = 0;
            for (;;) {  // paged: a stop-time figure, bounded by the outbox's size
                const auto rows = notifications_->outbox().rows({std::nullopt, status}, after, 1000);
                n += rows.size();
                if (rows.size() < 1000) return n;
                after = rows.back().id;
            }
        };
        log(sdk::LogLevel::Info, "notifications: " + std::to_string(count(notify::OutboxStatus::Sent)) + " sent, " +
                                     std::to_string(count(notify::OutboxStatus::Pending)) + " pending, " +
                                     std::to_string(count(notify::OutboxStatus::Failed)) + " failed (last round: " +
                                     std::to_string(last.sent.sent) + " sent, " + std::to_string(last.reminders.queued) +
                                     " reminders, " + std::to_string(last.digest.digests) + " digests" +
                                     (last.error.empty() ? ")" : "; error: " + last.error + ")"));
    }

    void printFeed(std::size_t lines) {
        try {
            const auto text = feedPrintout(*store_, services_->directory, services_->host.locale, lines);
            log(sdk::LogLevel::Info, "dispatcher feed, newest " + std::to_string(text.size()) + " events:");
            for (const auto& line : text) log(sdk::LogLevel::Info, "  " + line);
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot read the feed: ") + e.what());
        }
    }

    void report() {
        if (adapters_) {
            long total = 0;
            for (auto& a : adapters_->activity()) {
                std::string line = a.module + ": " + std::to_string(a.total()) + " received";
                std::string parts;
                for (auto& [kind, n] : a.byKind) parts += (parts.empty() ? "" : ", ") + kind + " " + std::to_string(n);
                if (!parts.empty()) line += " (" + parts + ")";
                log(sdk::LogLevel::Info, line);
                total += a.total();
            }
            const auto c = adapters_->counts();
            log(sdk::LogLevel::Info, "total received from host modules: " + std::to_string(total) + " (" +
                                         std::to_string(c.caughtUp) + " by catch-up, " +
                                         std::to_string(c.overflowed) + " overflowed, " + std::to_string(c.failed) +
                                         " failed" +
                                         (c.deferred ? ", " + std::to_string(c.deferred) + " kept for the next start" : "") +
                                         ")");
        }
        const auto w = store_->counts().writer;
        log(sdk::LogLevel::Info, "event store: " + std::to_string(w.written) + " written, " +
                                     std::to_string(w.duplicates) + " duplicates skipped, " +
                                     std::to_string(w.batches) + " batches" +
                                     (w.lastError.empty() ? "" : ", last error: " + w.lastError));
    }

    sdk::HostServices* services_ = nullptr;
    std::unique_ptr<EventStore> store_;
    std::unique_ptr<ReadState> readState_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<AccessControl> access_;
    std::unique_ptr<notify::NotificationService> notifications_;
    std::unique_ptr<adapters::ModuleAdapters> adapters_;
    std::unique_ptr<UserEvents> userEvents_;
    std::unique_ptr<UserEventChanges> changes_;
    bool actionsProvided_ = false;
    std::unique_ptr<forms::LiveUpdates> live_;
    std::vector<std::string> formIds_;
};

std::unique_ptr<sdk::IPlugin> createCrmPlugin() { return std::make_unique<CrmPlugin>(); }

}  // namespace
}  // namespace conduit::crm

CONDUIT_DECLARE_PLUGIN(conduit::crm::createCrmPlugin)
