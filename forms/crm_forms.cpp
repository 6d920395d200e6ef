#include "crm_forms.hpp"

#include "common/event_look.hpp"

#include "cards/entity_card.hpp"
#include "catalogue/catalogue_list.hpp"
#include "catalogue/duplicate_review.hpp"
#include "catalogue/party_card.hpp"
#include "catalogue/party_editor.hpp"
#include "exchange/import_wizard.hpp"
#include "common/directory_cache.hpp"
#include "common/exception_barrier.hpp"
#include "dispatcher/dispatcher_workstation.hpp"
#include "entry/entry_form.hpp"
#include "preferences/mail_preferences_form.hpp"
#include "rules/rules_editor.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/parties/catalogue_access.hpp>
#include <conduit/crm/foundation/time_zone.hpp>

#include <QPointer>
#include <QVBoxLayout>

#include <memory>
#include <mutex>

namespace conduit::forms {

namespace {

// A tab that owns the directory cache its form reads through (cards and entry forms take a
// reference; the workstation keeps its own).
class CachedTab : public QWidget {
public:
    CachedTab(const sdk::IDirectory& directory, QWidget* parent) : QWidget(parent), cache(std::make_unique<DirectoryCache>(directory)) {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
    }
    ~CachedTab() override { delete inner; }  // before the cache it uses
    void setInner(QWidget* w) {
        inner = w;
        layout()->addWidget(w);
    }
    std::unique_ptr<DirectoryCache> cache;
    QWidget* inner = nullptr;
};

// What the registered forms share: the context, and the open cards (to show another entity).
struct FormsState {
    CrmFormsContext context;
    sdk::IFormRegistry* registry = nullptr;
    QPointer<EntityCard> counterpartyCard, projectCard;
    sdk::Id pendingCounterparty = 0, pendingProject = 0;
    QPointer<PartyCard> partyCard;
    std::int64_t pendingParty = 0;
};

std::mutex gMutex;  // guards gRegistered (registration normally happens on the GUI thread only)
std::vector<std::pair<sdk::IFormRegistry*, std::vector<std::string>>> gRegistered;

Navigation navigationFor(const std::weak_ptr<FormsState>& weak) {
    Navigation n;
    n.openCounterparty = [weak](sdk::Id id) {
        auto state = weak.lock();
        if (!state) return;
        state->pendingCounterparty = id;
        if (state->counterpartyCard) state->counterpartyCard->showEntity(id);
        state->registry->openForm(kCounterpartyCardId);
    };
    n.openProject = [weak](sdk::Id id) {
        auto state = weak.lock();
        if (!state) return;
        state->pendingProject = id;
        if (state->projectCard) state->projectCard->showEntity(id);
        state->registry->openForm(kProjectCardId);
    };
    if (const auto state = weak.lock(); state && state->context.catalogue)
        n.openParty = [weak](std::int64_t id) {
            auto state = weak.lock();
            if (!state) return;
            state->pendingParty = id;
            if (state->partyCard) state->partyCard->showParty(id);
            state->registry->openForm(kPartyCardId);
        };
    return n;
}

// A form's create function as the host calls it: nothing thrown while a form is built reaches
// the host's event loop (no form then, and the host says so).
using Create = std::function<QWidget*(QWidget*)>;

Create guardedCreate(Create create) {
    return [create = std::move(create)](QWidget* parent) -> QWidget* {
        QWidget* made = nullptr;
        runGuarded(parent, "opening a form", [&] { made = create(parent); });
        return made;
    };
}

// Adds forms to the host's registry and remembers their ids.
class Registration {
public:
    Registration(sdk::IFormRegistry& registry, std::shared_ptr<FormsState> state)
        : registry_(registry), state_(std::move(state)), weak_(state_), lang_(state_->context.locale) {}

    void addDispatcher();
    void addCards();
    void addEntryForms();
    void addRulesEditor();
    void addCatalogue();
    void addMailPreferences();
    std::vector<std::string> ids() const { return ids_; }

private:
    void add(const char* id, const QString& title, const QString& menu, bool openOnStart, Create create);
    bool mayCreate(EntryKind kind) const;

    sdk::IFormRegistry& registry_;
    std::shared_ptr<FormsState> state_;
    std::weak_ptr<FormsState> weak_;
    Lang lang_;
    std::vector<std::string> ids_;
};

void Registration::add(const char* id, const QString& title, const QString& menu, bool openOnStart, Create create) {
    // The spec's create function keeps the shared state alive as long as the host keeps the form.
    registry_.addForm({id, title.toStdString(), menu.toStdString(), openOnStart,
                       [state = state_, create = guardedCreate(std::move(create))](QWidget* parent) { return create(parent); }});
    ids_.push_back(id);
}

WorkstationContext workstationContext(const FormsState& s, const std::weak_ptr<FormsState>& weak) {
    const auto& c = s.context;
    WorkstationContext w{c.store, c.directory};
    w.locale = c.locale;
    w.currentUser = c.currentUser;
    w.modules = c.modules;
    w.live = c.live;
    w.webEngine = c.webEngine;
    w.settings = &c.settings;
    w.userEvents = c.userEvents;
    w.changes = c.changes;
    w.readState = c.readState;
    w.previewRecipients = c.previewRecipients;
    w.navigation = navigationFor(weak);
    w.access = c.access;
    w.clock = c.clock;
    return w;
}

void Registration::addDispatcher() {
    add(kDispatcherFormId, lang_.pick("Dispatcher", "Диспетчер", "Dyspozytor"),
        lang_.pick("&CRM/&Dispatcher workstation", "&CRM/&Рабочее место диспетчера", "&CRM/&Stanowisko dyspozytora"), true,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            return s ? new DispatcherWorkstation(workstationContext(*s, weak), parent) : nullptr;
        });
}

Create cardCreator(const std::weak_ptr<FormsState>& weak, CardScope scope) {
    return [weak, scope](QWidget* parent) -> QWidget* {
        auto s = weak.lock();
        if (!s) return nullptr;
        const auto& c = s->context;
        auto* tab = new CachedTab(c.directory, parent);
        auto* w = new EntityCard(scope, c.store, *tab->cache, Lang(c.locale), c.currentUser, navigationFor(weak), c.userEvents,
                                 c.previewRecipients, tab);
        tab->setInner(w);
        if (c.access) w->setAccessControl(c.access);
        if (c.clock) w->setClock(c.clock);
        if (c.preferences) w->setMailPreferences(c.preferences);
        const sdk::Id pending = scope == CardScope::Counterparty ? s->pendingCounterparty : s->pendingProject;
        (scope == CardScope::Counterparty ? s->counterpartyCard : s->projectCard) = w;
        if (pending) w->showEntity(pending);
        return tab;
    };
}

void Registration::addCards() {
    add(kCounterpartyCardId, lang_.pick("Counterparty", "Контрагент", "Kontrahent"),
        lang_.pick("&CRM/&Counterparty card", "&CRM/&Карточка контрагента", "&CRM/Karta &kontrahenta"), false,
        cardCreator(weak_, CardScope::Counterparty));
    add(kProjectCardId, lang_.pick("Project", "Проект", "Projekt"),
        lang_.pick("&CRM/&Project card", "&CRM/Карточка &проекта", "&CRM/Karta &projektu"), false, cardCreator(weak_, CardScope::Project));
}

bool Registration::mayCreate(EntryKind kind) const {
    const auto& ctx = state_->context;
    try {
        return !ctx.access || ctx.access->mayCreate(ctx.currentUser.id, entryKindCode(kind), 0);
    } catch (const std::exception&) {
        return false;  // rights that cannot be read grant nothing
    }
}

Create entryCreator(const std::weak_ptr<FormsState>& weak, EntryKind kind) {
    return [weak, kind](QWidget* parent) -> QWidget* {
        auto s = weak.lock();
        if (!s) return nullptr;
        const auto& c = s->context;
        auto* tab = new CachedTab(c.directory, parent);
        tab->setInner(new EntryForm(kind, EntryContext{*c.userEvents, *tab->cache, Lang(c.locale), c.currentUser, c.previewRecipients, c.clock},
                                    {}, tab));
        return tab;
    };
}

// Entry forms only for the kinds the user may create.
void Registration::addEntryForms() {
    if (!state_->context.userEvents) return;
    if (mayCreate(EntryKind::Payment))
        add(kPaymentEntryId, lang_.pick("New payment", "Новый платёж", "Nowa płatność"),
            lang_.pick("&CRM/New pa&yment", "&CRM/Новый п&латёж", "&CRM/Nowa p&łatność"), false, entryCreator(weak_, EntryKind::Payment));
    if (mayCreate(EntryKind::CustomerNote))
        add(kCustomerNoteEntryId, lang_.pick("Customer note", "Заметка о клиенте", "Notatka o kliencie"),
            lang_.pick("&CRM/Customer &note", "&CRM/&Заметка о клиенте", "&CRM/&Notatka o kliencie"), false,
            entryCreator(weak_, EntryKind::CustomerNote));
    if (mayCreate(EntryKind::Measurement))
        add(kMeasurementEntryId, lang_.pick("Measurement", "Замер", "Pomiar"),
            lang_.pick("&CRM/&Measurement and installation", "&CRM/З&амер и монтаж", "&CRM/Po&miar i montaż"), false,
            entryCreator(weak_, EntryKind::Measurement));
}

void Registration::addCatalogue() {
    const auto& ctx = state_->context;
    if (!ctx.catalogue) return;
    // Only colleagues: a customer's contact (or someone with no role) would see an empty list.
    if (ctx.access) {
        try {
            const auto viewer = ctx.access->viewer(ctx.currentUser.id);
            if (viewer.roles.empty() || viewer.isClientOnly()) return;
        } catch (const std::exception&) {
            return;  // rights that cannot be read grant nothing
        }
    }
    add(kCatalogueListId, lang_.pick("Catalogue", "Каталог", "Katalog"),
        lang_.pick("&CRM/C&atalogue of companies and people", "&CRM/&Каталог компаний и контактов", "&CRM/&Katalog firm i osób"), false,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            return new CatalogueList(*c.catalogue, c.currentUser.id, Lang(c.locale), navigationFor(weak), parent);
        });
    add(kPartyCardId, lang_.pick("Company or person", "Компания или контакт", "Firma lub osoba"),
        lang_.pick("&CRM/Company or &person card", "&CRM/Карточка компании или &контакта", "&CRM/Karta firmy lub &osoby"), false,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            auto* tab = new CachedTab(c.directory, parent);
            auto* card = new PartyCard({*c.catalogue, c.store, *tab->cache, c.currentUser, c.access, navigationFor(weak), c.clock, &c.settings},
                                       Lang(c.locale), tab);
            tab->setInner(card);
            s->partyCard = card;
            if (s->pendingParty) card->showParty(s->pendingParty);
            else card->showStart();
            return tab;
        });
    add(kPartyEditorId, lang_.pick("New company", "Новая компания", "Nowa firma"),
        lang_.pick("&CRM/&New company…", "&CRM/&Новая компания…", "&CRM/&Nowa firma…"), false,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            return new PartyEditor({*c.catalogue, c.currentUser.id, navigationFor(weak)}, Lang(c.locale), crm::parties::PartyKind::Company, 0, parent);
        });
    add(kImportId, lang_.pick("Import contacts", "Импорт контактов", "Import kontaktów"),
        lang_.pick("&CRM/&Import contacts…", "&CRM/&Импорт контактов…", "&CRM/&Import kontaktów…"), false,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            return new ImportWizard({*c.catalogue, c.currentUser.id}, Lang(c.locale), parent);
        });
    // Offered to those whose rights allow merging; the core refuses everyone else anyway.
    bool merges = !ctx.access;
    try {
        merges = merges || crm::parties::catalogueViewer(ctx.access->viewer(ctx.currentUser.id)).merges;
    } catch (const std::exception&) {
        merges = false;  // rights that cannot be read grant nothing
    }
    if (merges)
        add(kDuplicatesId, lang_.pick("Possible duplicates", "Возможные дубликаты", "Możliwe duplikaty"),
            lang_.pick("&CRM/Possible &duplicates", "&CRM/Возможные &дубликаты", "&CRM/Możliwe &duplikaty"), false,
            [weak = weak_](QWidget* parent) -> QWidget* {
                auto s = weak.lock();
                if (!s) return nullptr;
                const auto& c = s->context;
                auto* tab = new CachedTab(c.directory, parent);
                tab->setInner(new DuplicateReview({*c.catalogue, *tab->cache, c.currentUser.id, navigationFor(weak)}, Lang(c.locale), tab));
                return tab;
            });
}

// Everyone signed in sets their own mail; an administrator may choose whose (the core checks again).
void Registration::addMailPreferences() {
    const auto& ctx = state_->context;
    if (!ctx.preferences || ctx.currentUser.id == 0) return;
    bool administers = false;
    try {
        administers = ctx.access && ctx.access->mayAdminister(ctx.currentUser.id);
    } catch (const std::exception&) {
    }
    add(kMailPreferencesId, lang_.pick("My mail", "Моя почта", "Moja poczta"),
        lang_.pick("&CRM/My &mail from the CRM", "&CRM/Моя &почта из CRM", "&CRM/Moja &poczta z CRM"), false,
        [weak = weak_, administers](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            auto* tab = new CachedTab(c.directory, parent);
            tab->setInner(new MailPreferencesForm({*c.preferences, *tab->cache, c.currentUser, administers, navigationFor(weak)},
                                                  Lang(c.locale), tab));
            return tab;
        });
}

// Only for administrators: hidden rather than read-only, it has nothing to show someone who may
// not change it.
void Registration::addRulesEditor() {
    const auto& ctx = state_->context;
    if (!ctx.rules) return;
    bool administers = !ctx.access;
    try {
        administers = administers || ctx.access->mayAdminister(ctx.currentUser.id);
    } catch (const std::exception&) {
    }
    if (!administers) return;
    add(kRulesEditorId, lang_.pick("Notification rules", "Правила уведомлений", "Reguły powiadomień"),
        lang_.pick("&CRM/Notification &rules", "&CRM/Пра&вила уведомлений", "&CRM/&Reguły powiadomień"), false,
        [weak = weak_](QWidget* parent) -> QWidget* {
            auto s = weak.lock();
            if (!s) return nullptr;
            const auto& c = s->context;
            return new RulesEditor({*c.rules, c.store.kinds(), c.directory, c.currentUser.id, c.ruleReach}, Lang(c.locale), parent);
        });
}

}  // namespace

std::vector<std::string> registerCrmForms(sdk::IFormRegistry& registry, CrmFormsContext context) {
    setReader(crm::Locale::of(context.locale), crm::installationZone(context.timeZone, context.locale));
    setBarrierLogger(context.logger);
    setBarrierLanguage(Lang(context.locale));
    auto state = std::make_shared<FormsState>(FormsState{std::move(context), &registry, {}, {}, 0, 0, {}, 0});
    Registration forms(registry, std::move(state));
    forms.addDispatcher();
    forms.addCards();
    forms.addEntryForms();
    forms.addRulesEditor();
    forms.addCatalogue();
    forms.addMailPreferences();
    const auto ids = forms.ids();
    std::lock_guard lock(gMutex);
    gRegistered.emplace_back(&registry, ids);
    return ids;
}

void unregisterCrmForms(sdk::IFormRegistry& registry) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(gMutex);
        for (auto it = gRegistered.begin(); it != gRegistered.end();) {
            if (it->first == &registry) {
                ids.insert(ids.end(), it->second.begin(), it->second.end());
                it = gRegistered.erase(it);
            } else {
                ++it;
            }
        }
    }
    // Reverse order: entry forms and cards first, the workstation last.
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) registry.removeForm(*it);
}

}  // namespace conduit::forms
