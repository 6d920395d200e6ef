// What the CRM forms are given by the plugin: the store and the host's directory, who is working
// and in which language, and the optional services (entries, read state, notification preview).
#pragma once

#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/services.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace conduit::crm {
class AccessControl;
class ReadState;
struct ReadUndo;
class UserEvents;
class UserEventChanges;
namespace notify {
class RuleStore;
class MailPreferences;
struct ReachReport;
struct Rule;
}
namespace parties {
class Catalogue;
}
}  // namespace conduit::crm

namespace conduit::forms {

class LiveUpdates;

// One line of "Will be notified: …": who gets a message about an event, and why.
struct RecipientPreview {
    std::string name;     // "Anna Kowalczyk"
    std::string address;  // "anna@example.pl"; may be empty
    std::string why;      // "project manager", "rule: payments over 10 000 PLN"; may be empty
};
// Who would be notified of this event if it were saved now. Called on the GUI thread while the
// user edits, so it must be quick (no mail, no network).
using PreviewRecipients = std::function<std::vector<RecipientPreview>(const crm::Event&)>;

// Where the forms send the user. Empty functions: the links and buttons are not shown.
struct Navigation {
    std::function<void(sdk::Id)> openCounterparty;
    std::function<void(sdk::Id)> openProject;
    // A catalogue party (company or person) by its catalogue id.
    std::function<void(std::int64_t)> openParty;
};

// Everything the plugin hands to registerCrmForms(). References must outlive the forms
// (unregisterCrmForms() destroys them); null pointers and empty functions switch features off.
struct CrmFormsContext {
    crm::EventStore& store;
    const sdk::IDirectory& directory;
    sdk::ISettings& settings;              // saved filters ("crm.filters.<userId>")
    std::string locale = "pl";             // "ru", "pl", "en"
    std::string timeZone;                  // the installation's IANA zone; empty: the language's home zone
    sdk::User currentUser;
    std::vector<std::string> modules;      // host modules present (the source-module filter)
    LiveUpdates* live = nullptr;           // null: no live refresh
    bool webEngine = true;                 // false: HTML cards in a plain QTextBrowser
    crm::UserEvents* userEvents = nullptr; // null: no entry dialogs
    crm::UserEventChanges* changes = nullptr;  // null: entries cannot be edited or deleted here
    crm::ReadState* readState = nullptr;   // null: no read/unread marks or counter
    PreviewRecipients previewRecipients;   // empty: no "Will be notified" line
    crm::notify::RuleStore* rules = nullptr;  // null: no notification rules editor
    // What a rule would have mailed each person in the last 30 days (NotificationService::reach),
    // called off the GUI thread. Empty: the rules editor shows no such count.
    std::function<crm::notify::ReachReport(const crm::notify::Rule&)> ruleReach;
    // The person's mail preferences and follows: the cards' Follow button (null: none).
    crm::notify::MailPreferences* preferences = nullptr;
    // The rights model (issue 7). Null: no restriction. Set: every form reads with the current
    // user's AccessScope (computed when the form is created), offers only the entries they may
    // create, and the rules editor is registered only for users who may administer.
    crm::AccessControl* access = nullptr;
    // The host's clock (SDK 1.1 HostServices::clock; the reference host's simulated time): date
    // presets, "upcoming" on cards, the entry dialogs' date. Empty: the system clock.
    std::function<sdk::TimePoint()> clock;
    // The CRM's catalogue of companies and people (null: no catalogue forms). Every call passes
    // currentUser.id: the catalogue applies the rights itself.
    crm::parties::Catalogue* catalogue = nullptr;
    // The host's logger: whatever the forms' exception barrier catches is written here (null:
    // stderr).
    sdk::ILogger* logger = nullptr;
};

}  // namespace conduit::forms
