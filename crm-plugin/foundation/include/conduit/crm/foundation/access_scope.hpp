// What one viewer may see, as a plain value the read API turns into SQL conditions: which kinds
// are visible, whose payment details are shown, which restricted projects are out of reach.
#pragma once

#include <conduit/crm/foundation/kind_pattern.hpp>
#include <conduit/sdk/values.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {


// An ordered decision list: the first pattern that matches a kind decides. Built most specific
// first (exact codes, longer prefixes, then "*"), so a list is also its SQL CASE expression.
struct KindDecisions {
    struct Entry {
        std::string pattern;
        bool allowed = false;
        friend bool operator==(const Entry&, const Entry&) = default;
    };
    std::vector<Entry> entries;
    bool fallback = false;  // no pattern matched

    bool allows(std::string_view kind) const;
    bool allowsEverything() const;
    friend bool operator==(const KindDecisions&, const KindDecisions&) = default;
};

// Computed by AccessControl::scope(user); passed in FeedFilter::access and to the event,
// attachment and summary queries. Without a scope those queries answer as the system does.
struct AccessScope {
    sdk::Id userId = 0;
    KindDecisions see;      // kinds whose events are visible
    KindDecisions details;  // kinds whose amounts, invoice numbers, bodies and attachments are shown
    std::vector<sdk::Id> hiddenProjects;   // restricted projects this viewer takes no part in
    std::optional<sdk::Id> onlyCounterparty;  // an external client: their own counterparty only (0: none mapped)

    bool mayView(std::string_view kind, sdk::Id projectId, sdk::Id counterpartyId) const;
    bool maySeeDetails(std::string_view kind) const { return details.allows(kind); }
    friend bool operator==(const AccessScope&, const AccessScope&) = default;
};

}  // namespace conduit::crm
