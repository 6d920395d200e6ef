// A load's changes of stored parties, one transaction's share at a time: each refused or written
// as update() would, with its event and audit row, and what it was before kept for undoing.
#pragma once

#include "catalogue_tx.hpp"

#include <conduit/crm/parties/catalogue_load.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace conduit::crm::parties::detail {

struct LoadChangesDone {
    std::vector<std::int64_t> written;
    std::vector<LoadRefusal> refused;
};

// `rows`: indices into `changes` whose fields passed their checks.
LoadChangesDone writeLoadChanges(soci::session& s, EventBatch& batch, const CatalogueViewer& v, const std::vector<Party>& changes,
                                 const std::vector<std::size_t>& rows, std::int64_t loadId, const std::string& country,
                                 sdk::TimePoint at);

}  // namespace conduit::crm::parties::detail
