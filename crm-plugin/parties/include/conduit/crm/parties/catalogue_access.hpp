// The catalogue's rights read from the CRM's roles: who sees, edits and merges parties, and who
// reads tax ids and commercial terms.
#pragma once

#include <conduit/crm/parties/catalogue_rights.hpp>

namespace conduit::crm {
class AccessControl;
struct Viewer;
}  // namespace conduit::crm

namespace conduit::crm::parties {

// Colleagues see shared parties (a client's contact none); sales, project managers, orders,
// dispatchers and management edit; finance, management and sales read tax ids and terms; sales
// and management merge; administrators configure the ladder and custom fields.
CatalogueViewer catalogueViewer(const Viewer& viewer);
// `access` must outlive the function.
ViewerOf viewersFrom(const AccessControl& access);

}  // namespace conduit::crm::parties
