// A person's place in a company: job title, department, the installation's hierarchy level,
// whom they report to, their part in decisions and their influence toward us with its history.
#pragma once

#include <conduit/sdk/values.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conduit::crm::parties {

// What the person does in the company's decisions about us.
enum class DecisionRole { None, DecisionMaker, Influencer, Approver, User, Gatekeeper };
std::string_view toString(DecisionRole role);
std::optional<DecisionRole> decisionRoleFromString(std::string_view code);

constexpr int kMinInfluence = -5, kMaxInfluence = 5;

struct Employment {
    std::int64_t id = 0;
    std::int64_t personId = 0, companyId = 0;
    std::string jobTitle, department;
    std::string levelCode;          // a rung of the installation's ladder (HierarchyLevel::code)
    std::int64_t reportsTo = 0;     // the person (party id) above them, 0: nobody recorded
    DecisionRole decisionRole = DecisionRole::None;
    int influence = 0;              // toward us, -5 (against) .. +5 (our champion)
    std::optional<sdk::Date> since, until;  // until set: no longer there
    bool hostOwned = false;         // the host counterparty's own contact
    friend bool operator==(const Employment&, const Employment&) = default;
};

// One rung of the ladder an installation configures (board, management, specialists, ...).
struct HierarchyLevel {
    std::string code;
    int rank = 0;  // 1 = top
    std::string nameRu, namePl, nameEn;
};

struct InfluenceChange {
    sdk::TimePoint at{};
    int influence = 0;
    sdk::Id by = 0;
    std::string note;
};

}  // namespace conduit::crm::parties
