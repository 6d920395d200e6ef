// Each person's say in their own mail: per family of event kinds at once, in the daily digest or
// never; and the projects and counterparties they follow or unfollow (CRM_MAIL_PREF, CRM_FOLLOW).
#pragma once

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <conduit/sdk/directory.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm::notify {

// Families of event kinds a person decides about at once (from the built-in kind codes).
enum class MailFamily {
    Payments,    // payment.*, order.prepayment_required
    Schedule,    // schedule.*: stages, installations, crews
    Production,  // order.production_launched, order.materials_reserved, warehouse.materials_reserved
    Warehouse,   // warehouse.fg_received, warehouse.invoice_posted
    Notes,       // note.*
    Failures,    // notification.failed
    Other,       // anything else (kinds of later areas, mail.sent, follows)
};

enum class Delivery {
    AtOnce,  // every mail as it comes, digest rules' items too
    Digest,  // into the daily digest; High and Critical events still come at once
    Never,   // no mail of this family at all (the feed still shows it)
};

const std::vector<MailFamily>& mailFamilies();
MailFamily familyOf(std::string_view kind);
std::string_view toString(MailFamily family);
std::string_view toString(Delivery delivery);
std::optional<MailFamily> mailFamilyFromString(std::string_view s);
std::optional<Delivery> deliveryFromString(std::string_view s);
// As a person reads them: "Платежи", "Harmonogram", "In the daily digest".
std::string familyName(MailFamily family, const Locale& reader);
std::string deliveryName(Delivery delivery, const Locale& reader);

// A change refused: `actor` may not change `user`'s mail, or the subject cannot be followed.
struct PreferenceError : std::invalid_argument {
    enum class Problem { NotAllowed, NoUser, NoSubject };
    PreferenceError(Problem problem, std::string detail);
    Problem problem;
};
std::string describe(const PreferenceError& error, const Locale& reader);

// Whether `actor` may change the mail of `user` (the plugin passes "themselves, or an
// administrator"; notify does not know the rights itself).
using MayChangeMailOf = std::function<bool(sdk::Id actor, sdk::Id user)>;

// What the outbox needs of everyone's choices, read once per batch in its transaction.
struct MailChoices {
    std::map<std::pair<sdk::Id, MailFamily>, Delivery> delivery;       // only what people set
    std::map<SubjectRef, std::set<sdk::Id>> followers, unfollowers;   // by subject

    std::optional<Delivery> of(sdk::Id user, std::string_view kind) const;
    // Users following any subject of the event.
    std::set<sdk::Id> followersOf(const Event& event) const;
    // Whether the user unfollowed a subject of the event (and follows none of its others).
    bool unfollowed(sdk::Id user, const Event& event) const;

    static MailChoices load(soci::session& s);
};

struct Follow {
    sdk::Id userId = 0;
    SubjectRef subject;
    bool following = true;  // false: unfollowed
    sdk::TimePoint changedAt{};
};

// The API the forms call (mail preferences dialog, the cards' Follow toggle). Thread-safe.
class MailPreferences {
public:
    using Submit = std::function<bool(Event)>;  // the event writer's submit
    MailPreferences(Database& db, const sdk::IDirectory& directory, Submit submit, Clock clock = systemClock());

    // From now on every change is asked of `check` (PreferenceError NotAllowed otherwise).
    // Without it (set-up code, tests) every change is allowed.
    void enforce(MayChangeMailOf check);

    // What `user` chose, family by family; a family missing is "as the rules say".
    std::map<MailFamily, Delivery> of(sdk::Id user);
    // nullopt: back to what the rules say.
    void set(sdk::Id actor, sdk::Id user, MailFamily family, std::optional<Delivery> delivery);

    // Follow (or unfollow, `following` false) a project, a counterparty or another subject. The
    // change is an event on that subject's timeline; its follow row commits with it. Returns the
    // event submitted. With a `requestKey` (a host action's user and request id) the same request
    // twice is one event; without, every call is a change of its own.
    Event follow(sdk::Id actor, sdk::Id user, const SubjectRef& subject, bool following, const std::string& requestKey = {});
    // nullopt: neither followed nor unfollowed (the rules decide). Committed changes only.
    std::optional<bool> following(sdk::Id user, const SubjectRef& subject);
    std::vector<Follow> follows(sdk::Id user);

    // The event writer's participant: writes the follow rows of "followed"/"unfollowed" events.
    static void recordFollows(soci::session& session, const std::vector<const Event*>& events);

private:
    void requireMayChange(sdk::Id actor, sdk::Id user) const;

    Database& db_;
    const sdk::IDirectory& directory_;
    Submit submit_;
    Clock clock_;
    mutable std::mutex checkMutex_;
    MayChangeMailOf mayChange_;
};

}  // namespace conduit::crm::notify
