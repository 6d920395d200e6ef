// Changing and deleting what people entered (notes, payments registered by hand), with rights
// and an audit row in the same transaction. Host events are never changed.
//
// Editing replaces the text (a note's title follows its first line; a payment keeps its title
// and amount, the note beside it changes). Deleting is a soft delete: the row stays, marked, and
// leaves every feed, event and summary query; the audit log keeps its old values.
#pragma once

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <cstdint>
#include <string>

namespace conduit::crm {

class EventStore;
class AccessControl;

class UserEventChanges {
public:
    // `clock` stamps deletions and the audit rows of changes.
    UserEventChanges(EventStore& store, const AccessControl& access, std::string locale = "pl", Clock clock = systemClock())
        : store_(store), access_(access), locale_(std::move(locale)), clock_(std::move(clock)) {}

    // Throw ValidationError ("event": unknown or already deleted; "text": like creation) or
    // AccessDenied, with a message in the locale; nothing changes then.
    Event editText(sdk::Id actor, std::int64_t eventId, const std::string& newText);
    void remove(sdk::Id actor, std::int64_t eventId);

private:
    Event load(std::int64_t eventId) const;
    EventStore& store_;
    const AccessControl& access_;
    std::string locale_;
    Clock clock_;
};

}  // namespace conduit::crm
