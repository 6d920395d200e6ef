// The lines the plugin writes to the host's log: what it opened and connected on start, what
// it received, stored and sent by stop. Text only; the plugin entry decides when to log them.
#pragma once

#include "plugin_settings.hpp"

#include <conduit/crm/database/durability.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/parties/host_catalogue_sync.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <module_adapters.hpp>

#include <string>
#include <vector>

namespace conduit::crm::status {

std::string ignoredSetting(const IgnoredSetting& setting);
std::string storeOpened(EventStore& store, bool embedded, Durability durability);
std::string rulesLoaded(std::size_t rules);
// "catalogue: 412 companies, 0 people (412 from the host, ...); host directory: 3 new, 1 changed".
std::string catalogueSynced(const parties::HostSyncReport& sync, const parties::CatalogueCounts& counts);
// "catalogue followed the host directory: 12 counterparties added, changed or removed in 9 rounds"
std::string directoryFollowed(std::uint64_t rounds, std::size_t applied);
// The catalogue as the run leaves it, with the duplicate pairs waiting for review and the
// certificates that end within 60 days.
std::string catalogueAtStop(const parties::CatalogueCounts& counts, std::size_t duplicatePairs, std::size_t certificatesEnding);
std::string connectedModules(const std::vector<std::string>& modules);
std::string unsavedEvents(std::size_t events);
// Pages through the outbox: a stop-time figure, bounded by the outbox's size.
std::string notificationsAtStop(notify::NotificationService& notifications, const notify::TickReport& last);
// Mail sent per person: a heading with the busiest colleague, one line per colleague (immediate
// mails and digests), one line for all customers' contacts together.
std::vector<std::string> mailPerPerson(notify::Outbox& outbox);
// One line per module, then the total with catch-up, overflow and failures.
std::vector<std::string> adapterActivity(const adapters::ModuleAdapters& adapters);
std::string storeActivity(const WriterCounts& writer);

}  // namespace conduit::crm::status
