// A typed, dated relation between two companies, read from both cards: "A is a dealer of B",
// seen on B's card as "B's dealer: A" (the three-tier model: our clients' key clients).
#pragma once

#include <conduit/crm/foundation/locale.hpp>
#include <conduit/sdk/values.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conduit::crm::parties {

enum class RelationKind { DealerOf, KeyClientOf, SubsidiaryOf, InstallerFor, CompetitorOf };
std::string_view toString(RelationKind kind);  // "dealer_of", "key_client_of", ...
std::optional<RelationKind> relationKindFromString(std::string_view code);
// As read from the `from` side ("дилер компании", "dealer firmy") or from the `to` side
// ("дилеры", "dealerzy").
std::string relationName(RelationKind kind, bool fromSide, const Locale& reader);

struct PartyRelation {
    std::int64_t id = 0;
    RelationKind kind = RelationKind::DealerOf;
    std::int64_t fromId = 0, toId = 0;
    std::optional<sdk::Date> since, until;
    std::string note;
    sdk::TimePoint createdAt{};
    sdk::Id createdBy = 0;
    bool current(sdk::Date today) const { return !until || *until >= today; }
    friend bool operator==(const PartyRelation&, const PartyRelation&) = default;
};

}  // namespace conduit::crm::parties
