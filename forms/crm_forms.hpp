// The plugin's one entry point for its forms: registers the dispatcher workstation, the
// counterparty and project cards and the entry dialogs in the host's window, and removes them.
#pragma once

#include "common/forms_context.hpp"

#include <conduit/sdk/forms.hpp>

#include <string>
#include <vector>

namespace conduit::forms {

// Form ids, as the host's registry knows them.
inline constexpr const char* kDispatcherFormId = "crm.dispatcher";
inline constexpr const char* kCounterpartyCardId = "crm.counterparty";
inline constexpr const char* kProjectCardId = "crm.project";
inline constexpr const char* kPaymentEntryId = "crm.entry.payment";
inline constexpr const char* kCustomerNoteEntryId = "crm.entry.customer-note";
inline constexpr const char* kMeasurementEntryId = "crm.entry.measurement";
inline constexpr const char* kRulesEditorId = "crm.notification-rules";
inline constexpr const char* kCatalogueListId = "crm.catalogue";
inline constexpr const char* kMailPreferencesId = "crm.mail-preferences";
inline constexpr const char* kPartyCardId = "crm.party";
inline constexpr const char* kPartyEditorId = "crm.party-editor";
inline constexpr const char* kDuplicatesId = "crm.duplicates";
inline constexpr const char* kImportId = "crm.import";

// Adds every form (GUI thread, after the store is open). The dispatcher workstation opens on
// start. Entry forms are registered only when context.userEvents is set (and, with
// context.access, only for the kinds the current user may create), the rules editor only when
// context.rules is (and, with context.access, the user may administer). Returns the ids added.
std::vector<std::string> registerCrmForms(sdk::IFormRegistry& registry, CrmFormsContext context);

// Removes every form registerCrmForms() added (their widgets are destroyed now). Call before the
// store, read state or user-events objects go. Safe to call when nothing was registered.
void unregisterCrmForms(sdk::IFormRegistry& registry);

}  // namespace conduit::forms
