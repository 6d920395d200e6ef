// Conduit CRM's plugin entry, the composition root: it states what it is, and start() and stop()
// are the areas' named steps, run in order and torn down in reverse.
#include "catalogue_actions.hpp"
#include "exchange_actions.hpp"
#include "mail_actions.hpp"
#include "crm_actions.hpp"
#include "feed_printout.hpp"
#include "plugin_settings.hpp"
#include "plugin_status.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/identity.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/foundation/sha256.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/parties/catalogue.hpp>
#include <conduit/crm/parties/catalogue_access.hpp>
#include <conduit/crm/parties/host_catalogue_sync.hpp>
#include <conduit/crm/parties/host_directory_follower.hpp>
#include <conduit/crm/readstate/read_state.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <module_adapters.hpp>

#include <conduit/sdk/plugin.hpp>
#include <crm_forms.hpp>
#include <dispatcher/event_card.hpp>
#include <feed/live_updates.hpp>

#include <atomic>
#include <memory>

namespace conduit::crm {
namespace {

class CrmPlugin final : public sdk::IPlugin {
public:
    sdk::PluginInfo info() const override { return {"conduit.crm", "Conduit CRM", "0.1.0", sdk::kSdkVersion}; }

    void start(sdk::HostServices& services) override {
        services_ = &services;
        try {
            readSettings();
            setupStore();
            setupAccess();
            setupReadState();
            setupNotifications();
            setupCatalogue();
            setupAdapters();
            setupEntries();
            setupForms();
        } catch (...) {
            stop();  // a half-started plugin leaves no signal connected and no form behind
            throw;
        }
    }

    void stop() override {
        if (!services_) return;
        stopForms();
        stopEntries();
        const bool drained = stopAdapters();
        // Without a window the feed is read here: what a dispatcher would see at the top.
        if (drained && services_->host.headless) printFeed(25);
        stopCatalogue();
        stopNotifications();
        stopStore();
        release();
        services_ = nullptr;
    }

private:
    // ---- start steps ------------------------------------------------------------------------

    // Every timestamp the CRM writes comes from the host's clock (simulated time in the
    // reference host); a bad stored value is logged and replaced, never fatal.
    void readSettings() {
        clock_ = clockOr(services_->clock);
        settings_ = readPluginSettings(services_->settings, services_->modules.presentModules(), services_->host.locale);
        for (const auto& ignored : settings_.ignored) log(sdk::LogLevel::Warning, status::ignoredSetting(ignored));
    }

    // Where the host wants CRM data. Throws (and the host carries on) when the database is
    // unreachable or belongs to a newer plugin.
    void setupStore() {
        StoreOptions options;
        options.durability = settings_.durability;
        options.clock = clock_;
        store_ = EventStore::open(services_->database, options);
        const bool embedded = services_->database.kind == sdk::DatabaseLocation::Kind::Embedded;
        log(sdk::LogLevel::Info, status::storeOpened(*store_, embedded, settings_.durability));
    }

    // Rights and the audit log: every read and write below goes through them.
    void setupAccess() {
        audit_ = std::make_unique<AuditLog>(store_->database(), clock_);
        // A user entry's "create" row commits with the entry, once however often it was saved.
        store_->writer().addParticipant(&AuditLog::recordCreatedEntries);
        access_ = std::make_unique<AccessControl>(*store_, services_->directory, *audit_);
    }

    // Who has read what (the workstation's bold rows and counter, the digests' omissions).
    void setupReadState() { readState_ = std::make_unique<ReadState>(services_->database, 2, clock_); }

    // Notifications join the writer's transactions before any event arrives, so every event,
    // catch-up included, gets its outbox rows atomically; they send through the host's mail.
    void setupNotifications() {
        notify::NotifyOptions options;
        options.clock = clock_;
        options.sender.installation = installationId();
        options.sender.feedLocale = services_->host.locale;
        options.sender.mailHeaders = services_->mailHeaders;
        options.sender.zone = settings_.zone;
        options.digest.zone = settings_.zone;
        options.reminders.zone = settings_.zone;
        options.logger = &services_->logger;
        notifications_ = std::make_unique<notify::NotificationService>(*store_, services_->database,
                                                                         services_->directory, services_->mail, options);
        // The recipient's right to see the event is asked again when the message goes out.
        // Both checks: an internal event never goes outside, and the person may see this event.
        notifications_->setMayReceive(
            [access = access_.get(), store = store_.get()](const notify::Recipient& r, const Event& e) {
                return notify::Sender::defaultMayReceive(r, e, store->kinds()) &&
                       access->mayReceive(r.external ? Recipient::contact(r.counterpartyId) : Recipient::user(r.userId), e);
            });
        // A colleague reads the mail as they read the feed: without the payment details their
        // rights hide. A customer's contact reads what the client role may see, their own payments
        // in full, as stored.
        notifications_->setVisibleCopy(
            [access = access_.get()](const notify::Recipient& r, const Event& e) -> std::optional<Event> {
                if (r.external) return e;
                return access->visibleCopy(r.userId, e);
            });
        // Only an administrator changes the rules, whatever form or action asks.
        notifications_->rules().enforce([access = access_.get()](sdk::Id actor) { return access->mayAdminister(actor); });
        // A person changes their own mail preferences and follows; an administrator anyone's.
        notifications_->preferences().enforce([access = access_.get()](sdk::Id actor, sdk::Id user) {
            return actor == user || access->mayAdminister(actor);
        });
        notifications_->setReadFilter([read = readState_.get()](sdk::Id user, const std::vector<std::int64_t>& ids) {
            return read->readFlags(user, ids);
        });
        notifications_->start();
        log(sdk::LogLevel::Info, status::rulesLoaded(notifications_->rules().list().size()));
        if (services_->actions) {
            provideMailActions(*services_->actions, notifications_->preferences(), services_->host.locale);
            mailActionsProvided_ = true;
        }
    }

    // The CRM's own companies and people; the host's counterparties join it as parties whose
    // host fields only the host changes (read again when no workstation did so lately).
    void setupCatalogue() {
        parties::CatalogueOptions options;
        options.installationLanguage = std::string(Locale::of(services_->host.locale).code());
        options.defaultCountry = options.installationLanguage == "ru" ? "RU" : "PL";
        options.clock = clock_;
        catalogue_ = std::make_unique<parties::Catalogue>(store_->database(), store_->writer(), parties::viewersFrom(*access_),
                                                          options);
        hostSync_ = std::make_unique<parties::HostCatalogueSync>(
            *catalogue_, services_->directory, options.defaultCountry,
            [this](const std::string& line) { log(sdk::LogLevel::Debug, "catalogue: " + line); }, services_->directoryChanges);
        // With the host's change log, what changed while no workstation ran; without, a full read
        // unless another workstation made one lately.
        const auto report = services_->directoryChanges ? hostSync_->catchUp() : hostSync_->runIfDue(std::chrono::minutes(10));
        log(sdk::LogLevel::Info, status::catalogueSynced(report, catalogue_->counts()));
        followHostDirectory();
        if (!services_->actions) return;
        provideCatalogueActions(*services_->actions, *catalogue_, services_->directory, services_->host.locale);
        provideExchangeActions(*services_->actions, *catalogue_, services_->host.locale, settings_.zone,
                               [this](const std::string& line) { log(sdk::LogLevel::Info, "catalogue: " + line); });
        catalogueActionsProvided_ = true;
    }

    // Each directory change the host signals is applied on the follower's thread.
    void followHostDirectory() {
        if (!services_->directoryChanges) return;
        follower_ = std::make_unique<parties::HostDirectoryFollower>(*hostSync_, *services_->directoryChanges,
                                                                     [this](const parties::HostSyncReport& r) {
                                                                         followed_ += r.created + r.changed + r.removed;
                                                                         if (r.failed) log(sdk::LogLevel::Warning, "catalogue: a host directory change is left for later");
                                                                     });
        follower_->start();
    }

    // Signals first, then catch-up from the last cursors this plugin saved. The adapters wait
    // for room while the writer's queue is full: the host is never held, its changes go to the
    // ring, then to the journal (nothing refused and dropped).
    void setupAdapters() {
        adapters_ = std::make_unique<adapters::ModuleAdapters>(*services_, adapters::submitTo(store_->writer()));
        adapters_->start(settings_.cursors);
        log(sdk::LogLevel::Info, status::connectedModules(adapters_->connectedModules()));
    }

    // What people enter (payments, notes, measurement sheets), also offered to the host as
    // actions when it has an action registry (SDK 1.1).
    void setupEntries() {
        auto* writer = &store_->writer();
        const auto& locale = services_->host.locale;
        userEvents_ = std::make_unique<UserEvents>([writer](Event e) { return writer->submit(std::move(e)); },
                                                   services_->directory, locale);
        userEvents_->enforce(*access_);
        userEvents_->useCalendar(clock_, settings_.zone);
        changes_ = std::make_unique<UserEventChanges>(*store_, *access_, locale, clock_);
        if (!services_->actions) return;
        provideCrmActions(*services_->actions, *userEvents_, *writer, locale, clock_);
        actionsProvided_ = true;
    }

    // The workstation, cards, entry dialogs and the rules editor. The writer's batches tell open
    // feeds to look for newer events.
    void setupForms() {
        live_ = std::make_unique<forms::LiveUpdates>();
        store_->writer().onBatch(live_->batchCallback());
        forms::CrmFormsContext context{*store_, services_->directory, services_->settings};
        context.locale = services_->host.locale;
        context.timeZone = settings_.zone.id();
        context.currentUser = services_->currentUser;
        context.modules = services_->modules.presentModules();
        context.live = live_.get();
        context.webEngine = forms::webEngineUsable();
        context.userEvents = userEvents_.get();
        context.changes = changes_.get();  // correcting and deleting entries, as the rights allow
        context.readState = readState_.get();
        context.access = access_.get();  // the forms read and offer only what this user may
        context.rules = &notifications_->rules();
        context.ruleReach = [notes = notifications_.get()](const notify::Rule& rule) { return notes->reach(rule); };
        context.preferences = &notifications_->preferences();
        context.clock = clock_;
        context.logger = &services_->logger;  // what the forms' exception barrier catches
        context.catalogue = catalogue_.get();
        context.previewRecipients = [notes = notifications_.get(), reader = Locale::of(services_->host.locale)](const Event& e) {
            std::vector<forms::RecipientPreview> lines;
            for (const auto& p : notes->preview(e))
                lines.push_back({p.recipient.name, p.recipient.address, notify::ruleName(p.ruleName, reader)});
            return lines;
        };
        formIds_ = forms::registerCrmForms(services_->forms, std::move(context));
    }

    // ---- stop steps, in reverse ---------------------------------------------------------------

    void stopForms() {
        if (!formIds_.empty()) forms::unregisterCrmForms(services_->forms);
        formIds_.clear();
    }

    void stopCatalogue() {
        if (catalogueActionsProvided_) {
            withdrawCatalogueActions(*services_->actions);
            withdrawExchangeActions(*services_->actions);
        }
        catalogueActionsProvided_ = false;
        if (follower_) {
            follower_->stop();
            log(sdk::LogLevel::Info, status::directoryFollowed(follower_->rounds(), followed_));
        }
        follower_.reset();
        if (!catalogue_ || !services_->host.headless) return;  // the demo's figures
        try {
            const auto today = std::chrono::floor<std::chrono::days>(clock_());
            const auto expiring = catalogue_->certificationsExpiring(today, today + std::chrono::days(60)).size();
            log(sdk::LogLevel::Info, status::catalogueAtStop(catalogue_->counts(), catalogue_->reviewList(0, 1000).size(), expiring));
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot count the catalogue: ") + e.what());
        }
    }

    void stopEntries() {
        if (actionsProvided_) withdrawCrmActions(*services_->actions);
        actionsProvided_ = false;
    }

    // Drains the adapters into the writer. Cursors only move once their events are committed;
    // otherwise the next start replays. True when everything received is stored.
    bool stopAdapters() {
        if (adapters_) adapters_->stop();
        if (!store_) return false;
        const bool flushed = store_->writer().flush(std::chrono::seconds(30));
        if (flushed && adapters_) saveCursors(services_->settings, adapters_->cursors());
        return flushed;
    }

    // One last round so that what is due goes out now, then leave the writer.
    void stopNotifications() {
        if (mailActionsProvided_) withdrawMailActions(*services_->actions);
        mailActionsProvided_ = false;
        if (!notifications_) return;
        const auto last = notifications_->runOnce(clock_());
        notifications_->stop();
        log(sdk::LogLevel::Info, status::notificationsAtStop(*notifications_, last));
        if (!services_->host.headless) return;  // the demo's figures; a workstation's log stays short
        try {
            for (const auto& line : status::mailPerPerson(notifications_->outbox())) log(sdk::LogLevel::Info, line);
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot count the mail per person: ") + e.what());
        }
    }

    void stopStore() {
        if (!store_) return;
        store_->writer().stop();
        if (auto unsaved = store_->writer().takePending(); !unsaved.empty())
            log(sdk::LogLevel::Error, status::unsavedEvents(unsaved.size()));
        if (adapters_)
            for (const auto& line : status::adapterActivity(*adapters_)) log(sdk::LogLevel::Info, line);
        log(sdk::LogLevel::Info, status::storeActivity(store_->counts().writer));
    }

    void release() {
        adapters_.reset();
        notifications_.reset();
        changes_.reset();
        userEvents_.reset();
        catalogue_.reset();
        access_.reset();
        audit_.reset();
        readState_.reset();
        store_.reset();
        live_.reset();  // after the writer: its callback holds only a relay that outlives this
    }

    // ---- helpers ------------------------------------------------------------------------------

    void log(sdk::LogLevel level, const std::string& message) { services_->logger.log(level, "crm", message); }

    // Names this installation in Message-IDs: the same for every workstation on one CRM
    // database (a retried notification keeps its id), different for another database.
    std::string installationId() {
        std::string identity;
        try {
            identity = databaseIdentity(store_->database());
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot read the database's creation time: ") + e.what());
            identity = store_->describe() + "|";
        }
        return "crm-" + sha256Hex(identity).substr(0, 12);
    }

    void printFeed(std::size_t lines) {
        try {
            const auto text = feedPrintout(*store_, services_->directory, formatterFor(Locale::of(services_->host.locale), settings_.zone), lines);
            log(sdk::LogLevel::Info, "dispatcher feed, newest " + std::to_string(text.size()) + " events:");
            for (const auto& line : text) log(sdk::LogLevel::Info, "  " + line);
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Warning, std::string("cannot read the feed: ") + e.what());
        }
    }

    sdk::HostServices* services_ = nullptr;
    Clock clock_;
    PluginSettings settings_;
    std::unique_ptr<EventStore> store_;
    std::unique_ptr<ReadState> readState_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<AccessControl> access_;
    std::unique_ptr<notify::NotificationService> notifications_;
    std::unique_ptr<parties::Catalogue> catalogue_;
    std::unique_ptr<parties::HostCatalogueSync> hostSync_;
    std::unique_ptr<parties::HostDirectoryFollower> follower_;
    std::atomic<std::size_t> followed_{0};
    std::unique_ptr<adapters::ModuleAdapters> adapters_;
    std::unique_ptr<UserEvents> userEvents_;
    std::unique_ptr<UserEventChanges> changes_;
    bool actionsProvided_ = false;
    bool catalogueActionsProvided_ = false;
    bool mailActionsProvided_ = false;
    std::unique_ptr<forms::LiveUpdates> live_;
    std::vector<std::string> formIds_;
};

std::unique_ptr<sdk::IPlugin> createCrmPlugin() { return std::make_unique<CrmPlugin>(); }

}  // namespace
}  // namespace conduit::crm

CONDUIT_DECLARE_PLUGIN(conduit::crm::createCrmPlugin)
