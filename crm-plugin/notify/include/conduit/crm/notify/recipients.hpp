// Who a rule reaches for one event: roles resolved through the host directory into named
// addresses with a language, internal staff vs the customer's (external) contact person.
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/notify/rules.hpp>

#include <conduit/sdk/directory.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::notify {

struct Recipient {
    std::string address;      // as in the directory; compared case-insensitively (addressKey)
    std::string name;         // display name, UTF-8
    std::string language = "en";  // "ru", "pl" or "en": templates are chosen by it
    bool external = false;    // the counterparty's contact person (not a user of the host)
    sdk::Id userId = 0;       // host user, 0 for an external contact
    sdk::Id counterpartyId = 0;  // for an external contact
    // Reached as the event's own people (project manager, measurer, a named user, a crew's lead),
    // not only through a department or as a follower: unfollowing does not silence them.
    bool personal = false;
    friend bool operator==(const Recipient&, const Recipient&) = default;
};

// Lowercased address (ASCII letters only; the local part is case-insensitive in practice).
std::string addressKey(std::string_view address);

// One planned notification: a rule, a resolved recipient and (for reminders) the offset.
struct PlannedNotification {
    std::int64_t ruleId = 0;
    std::string ruleName;
    Timing timing = Timing::OnOccurrence;
    Recipient recipient;
};

// How many mails one person would have had from a rule over past events.
struct PersonReach {
    Recipient recipient;
    std::size_t mails = 0;   // a digest rule's items count once per person and day (one digest)
    std::size_t events = 0;  // events that reached them
};

class RecipientResolver {
public:
    // The crew lead of a crew id, when the host can say (the v1 directory has no crews).
    using CrewLeadLookup = std::function<std::optional<sdk::User>(sdk::Id crewId)>;
    // The users who follow a subject of the event (RecipientRole::Followers).
    using FollowerLookup = std::function<std::vector<sdk::Id>(const Event& event)>;

    RecipientResolver(const sdk::IDirectory& directory, const EventKindRegistry& kinds);

    // Without a lookup (the default) RecipientRole::CrewLead falls back to the users of the
    // "production" department: the planners who assign crews and can pass the word on.
    void setCrewLeadLookup(CrewLeadLookup lookup) { crewLead_ = std::move(lookup); }
    const CrewLeadLookup& crewLeadLookup() const { return crewLead_; }
    // Without one RecipientRole::Followers reaches nobody.
    void setFollowerLookup(FollowerLookup lookup) { followers_ = std::move(lookup); }

    // The recipients of `rule` for `event`, deduplicated case-insensitively by address (a
    // customer and its contact person sharing one address get one mail), without anyone who has
    // no address, and without external recipients when the event is internal.
    std::vector<Recipient> resolve(const Rule& rule, const Event& event) const;

    // "Who will be notified": every enabled rule that applies to a not-yet-stored event, with its
    // recipients; reminders and digests included (timing tells which). Writes nothing.
    std::vector<PlannedNotification> preview(const std::vector<Rule>& rules, const Event& event) const;

    // What `rule` (enabled or not, stored or not) would have sent for `events`: per person, the
    // most mails first. A reminder counts once per offset for an event with a due date; digest
    // days are the zone's calendar days of the events.
    std::vector<PersonReach> reach(const Rule& rule, const std::vector<Event>& events, const TimeZone& zone) const;

    const EventKindRegistry& kinds() const { return kinds_; }
    const sdk::IDirectory& directory() const { return directory_; }

private:
    void addUser(const sdk::User& user, bool personal, std::vector<Recipient>& out) const;

    const sdk::IDirectory& directory_;
    const EventKindRegistry& kinds_;
    CrewLeadLookup crewLead_;
    FollowerLookup followers_;
};

}  // namespace conduit::crm::notify
