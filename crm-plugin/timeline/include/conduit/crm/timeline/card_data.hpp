// What a counterparty card or a project card shows, read in one call: the summary, the newest
// events sorted into lists (payments, notes, due dates, files, calls) and the projects' summaries.
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/summaries.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace conduit::crm {

class EventStore;

enum class CardSubject { Counterparty, Project };

struct CardData {
    Summary summary;
    std::vector<Event> payments;        // newest first (payment.*)
    std::vector<Event> notes;           // newest first (note.*)
    std::vector<Event> recent;          // the newest events, any kind
    std::vector<Event> withoutProject;  // counterparty card: events tied to no project
    std::vector<Event> upcoming;        // due today or later, soonest first
    std::vector<std::int64_t> settled;  // upcoming prepayment demands already paid (no attention needed)
    std::vector<Event> withFiles;       // events with attachments (other than body.txt)
    std::vector<Event> calls;           // events with audio attachments (recordings)
    // Counterparty card: per project id, its summary (last event, counts).
    std::vector<std::pair<sdk::Id, Summary>> projectSummaries;
    std::size_t scanned = 0;            // how many of the newest events the lists come from

    bool isSettled(std::int64_t eventId) const;
};

constexpr std::size_t kCardScan = 600;     // newest events read for the lists
constexpr std::size_t kCardListMax = 15;   // rows per list
constexpr std::size_t kCardProjectsMax = 40;

// The summary, then the newest kCardScan events of the subject (keyset pages on its own index)
// sorted into the lists, then a summary per project of `projects` (the counterparty's, from the
// host's directory). With `access` every read is the viewer's: hidden events are neither counted
// nor listed. Throws what the store throws.
CardData loadCardData(EventStore& store, CardSubject subject, sdk::Id id, const std::vector<sdk::Id>& projects,
                      sdk::TimePoint now, const std::optional<AccessScope>& access = std::nullopt);

}  // namespace conduit::crm
