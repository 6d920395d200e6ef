// Turns a host module's change into a CRM event a dispatcher understands: kind, the facts its
// text is rendered from, project and counterparty resolved, importance, due dates carried.
#pragma once

#include "host_change.hpp"

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <conduit/sdk/directory.hpp>

#include <string>

namespace conduit::adapters {

struct MappingContext {
    MappingContext(const sdk::IDirectory& directory, std::string locale = "pl");
    const sdk::IDirectory& directory;
    std::string locale;       // the installation's: the language of the stored text
    crm::Formatter formatter; // made once: ICU formatters are costly to build per change
};

// The event's facts, and its stored title and body in the context's language (each reader gets
// them rendered anew in theirs: timeline/event_text.hpp).
crm::Event toEvent(const HostChange& change, const MappingContext& context);

}  // namespace conduit::adapters
