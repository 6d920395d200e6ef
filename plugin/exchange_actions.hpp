// Contacts in and out of the catalogue for the host: an import of a contact file or an LDAP
// directory, an undo of one, and exports, as actions of host menus, scripts and ./conduit.
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/sdk/actions.hpp>

#include <functional>
#include <string>

namespace conduit::crm {

// Fields in docs/host-integration.md. The import takes the file as the request's first file, or
// an "ldap" URL; the result's message is the summary and the rows worth a look, in `locale`.
inline constexpr const char* kActionImport = "crm.catalogue.import";
inline constexpr const char* kActionUndoImport = "crm.catalogue.undo-import";
// Writes what the requesting user may see to the path in "out" (on the host's machine).
inline constexpr const char* kActionExport = "crm.catalogue.export";

// `log` hears one line per import or undo done, in English, for the host's log.
using ExchangeLog = std::function<void(const std::string&)>;

// `zone`: the installation's, for the dates an export's reader sees.
sdk::ActionResult handleExchangeAction(const sdk::ActionRequest& request, parties::Catalogue& catalogue, const std::string& locale,
                                       const TimeZone& zone, const ExchangeLog& log = {});

void provideExchangeActions(sdk::IActionRegistry& registry, parties::Catalogue& catalogue, const std::string& locale,
                            const TimeZone& zone, ExchangeLog log = {});
void withdrawExchangeActions(sdk::IActionRegistry& registry);

}  // namespace conduit::crm
