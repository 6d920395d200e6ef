// Each person's mail choices as actions for the host: follow or unfollow a project or a
// counterparty, and a family of events at once, in the digest or never (the simulator's staff).
#pragma once

#include <conduit/crm/notify/preferences.hpp>

#include <conduit/sdk/actions.hpp>

#include <string>

namespace conduit::crm {

// Fields: "project" or "counterparty" (host ids), "following" ("yes"/"no"), optional "user"
// (whose follow; the signed-in user by default; only an administrator names another).
inline constexpr const char* kActionFollow = "crm.mail.follow";
// Fields: "family" (payments, schedule, production, warehouse, notes, failures, other),
// "delivery" (atonce, digest, never, rules: back to what the rules say), optional "user".
inline constexpr const char* kActionMailDelivery = "crm.mail.delivery";

// The same request id twice is one follow event; a follow already in the asked state is left
// alone. The reference is the subject ("project:17").
sdk::ActionResult handleMailAction(const sdk::ActionRequest& request, notify::MailPreferences& preferences, const std::string& locale);

void provideMailActions(sdk::IActionRegistry& registry, notify::MailPreferences& preferences, const std::string& locale);
void withdrawMailActions(sdk::IActionRegistry& registry);

}  // namespace conduit::crm
