// The catalogue's actions for its host: companies, people in them, relations, certifications
// and the duplicate sweep entered from host menus, scripts and the reference host's simulator.
#pragma once

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/sdk/actions.hpp>
#include <conduit/sdk/directory.hpp>

#include <string>

namespace conduit::crm {

// Action names (fields in docs/host-integration.md). A party is named by "company"/"party" (its
// catalogue id) or "company_host"/"party_host" (the host counterparty it is).
inline constexpr const char* kActionCompany = "crm.catalogue.company";
inline constexpr const char* kActionPerson = "crm.catalogue.person";
inline constexpr const char* kActionRelation = "crm.catalogue.relation";
inline constexpr const char* kActionCertify = "crm.catalogue.certify";
inline constexpr const char* kActionSweep = "crm.catalogue.sweep";
inline constexpr const char* kActionMerge = "crm.catalogue.merge";

// The same request id twice does the thing once. The reference is the party's catalogue id.
// A host counterparty named before the catalogue read it is read from `directory` then.
sdk::ActionResult handleCatalogueAction(const sdk::ActionRequest& request, parties::Catalogue& catalogue,
                                        const sdk::IDirectory& directory, const std::string& locale);

void provideCatalogueActions(sdk::IActionRegistry& registry, parties::Catalogue& catalogue, const sdk::IDirectory& directory,
                             const std::string& locale);
void withdrawCatalogueActions(sdk::IActionRegistry& registry);

}  // namespace conduit::crm
