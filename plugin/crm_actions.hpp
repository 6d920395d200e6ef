// The CRM's actions for its host (sdk::IActionRegistry): payments and notes entered from outside
// the CRM's own dialogs — host menus, scripts, imports, the reference host's simulator.
#pragma once

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event_writer.hpp>
#include <conduit/crm/entries/user_events.hpp>

#include <conduit/sdk/actions.hpp>

#include <chrono>

namespace conduit::crm {

// Action names and their fields (documented in docs/host-integration.md).
inline constexpr const char* kActionPayment = "crm.payment.register";
inline constexpr const char* kActionCustomerNote = "crm.note.customer";
inline constexpr const char* kActionMeasurementNote = "crm.note.measurement";

// Answers one request with the user-events API. `ok` means stored: the handler waits (up to
// `storeTimeout`) for the writer to commit, so a host may retry a failed call with the same
// requestId and still get one event. An entry without an "at" field happened at `clock`'s now.
sdk::ActionResult handleCrmAction(const sdk::ActionRequest& request, UserEvents& userEvents, EventWriter& writer,
                                  const std::string& locale, const Clock& clock,
                                  std::chrono::milliseconds storeTimeout = std::chrono::seconds(10));

void provideCrmActions(sdk::IActionRegistry& registry, UserEvents& userEvents, EventWriter& writer,
                       const std::string& locale, Clock clock);
void withdrawCrmActions(sdk::IActionRegistry& registry);

}  // namespace conduit::crm
