// The open set of event kinds: a dotted code with localized names (ru, pl, en), an icon and a
// default importance. Adapters and later plugins register their own kinds; nothing is an enum.
#pragma once

#include <conduit/crm/timeline/event.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

// Who may hear of an event outside the company. Internal events (notes, money details, stock)
// never reach an external recipient such as a customer's contact person.
enum class Audience : int { Internal = 0, External = 1 };

struct EventKind {
    std::string code;  // "payment.received": lowercase, dot-separated, stable forever
    std::string nameRu, namePl, nameEn;
    std::string icon;  // freedesktop-style icon name the forms map to a resource
    Importance defaultImportance = Importance::Normal;
    Audience audience = Audience::Internal;  // default for events of this kind


    // Name in the workstation's language ("ru", "pl", "en"); English for anything else.
    const std::string& name(std::string_view locale) const;
    friend bool operator==(const EventKind&, const EventKind&) = default;
};

// Thread-safe: adapters register from their own start-up code while forms read.
class EventKindRegistry {
public:
    EventKindRegistry();  // starts with the built-in kinds (builtinKinds())

    // Adds a kind. Re-registering an identical kind is a no-op; a different definition for an
    // existing code, or a malformed code, throws std::invalid_argument.
    void add(EventKind kind);
    std::optional<EventKind> find(std::string_view code) const;
    bool contains(std::string_view code) const;
    std::vector<EventKind> all() const;  // sorted by code

    static bool isValidCode(std::string_view code);

private:
    mutable std::mutex mutex_;
    std::map<std::string, EventKind, std::less<>> kinds_;
};

// The audience of one event: an "audience" of "internal"/"external" in its extra JSON overrides
// the kind's default; an unknown kind is internal (the safe side).
Audience audienceOf(const Event& event, const EventKindRegistry& kinds);

// The kinds of the v1 host modules, the user notes and the notifier's own.
const std::vector<EventKind>& builtinKinds();

}  // namespace conduit::crm
