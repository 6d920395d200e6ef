// Who sees and edits the catalogue: every colleague sees shared parties, a private one only its
// owner and management; tax ids and commercial terms only finance, management and sales.
#pragma once

#include <conduit/crm/parties/party.hpp>

#include <conduit/sdk/values.hpp>

#include <functional>
#include <set>
#include <string>

namespace conduit::crm::parties {

// What the catalogue needs to know of a person's rights, from the access area's viewer (the
// plugin fills it from AccessControl::viewer, so the catalogue does not read rights itself).
struct CatalogueViewer {
    sdk::Id userId = 0;
    bool internal = false;        // a colleague, not an external client
    bool seesAll = false;         // management, administrators: private parties too
    bool edits = false;           // may create and change parties
    bool seesRestricted = false;  // tax ids and commercial terms
    bool merges = false;          // may merge and undo merges
    bool administers = false;     // hierarchy ladder, custom fields
};

using ViewerOf = std::function<CatalogueViewer(sdk::Id userId)>;

bool maySee(const CatalogueViewer& v, const Party& p);
bool mayEdit(const CatalogueViewer& v, const Party& p);
// A colleague who edits the catalogue creates any party; one who does not, only their own.
bool mayCreate(const CatalogueViewer& v, const Party& draft);
// The party as `v` may read it: tax ids and terms gone (restrictedHidden) when not theirs.
Party visibleCopy(const CatalogueViewer& v, Party p);

}  // namespace conduit::crm::parties
