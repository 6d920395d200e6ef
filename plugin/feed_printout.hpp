// The dispatcher's feed as text lines: what a headless run prints so the unified information flow
// can be read without a window (newest first, like the workstation).
#pragma once

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/directory.hpp>

#include <string>
#include <vector>

namespace conduit::crm {

// "09.01.2026, 14:32  Wpłynęła przedpłata  P-2026-0042  Kowalski Sp. z o.o.  <title>", at most
// `limit` lines, as `reader` reads them (language, the installation's time zone).
std::vector<std::string> feedPrintout(EventStore& store, const sdk::IDirectory& directory, const Formatter& reader,
                                      std::size_t limit);

}  // namespace conduit::crm
