#include <conduit/crm/foundation/access_scope.hpp>

#include <algorithm>

namespace conduit::crm {

bool KindDecisions::allows(std::string_view kind) const {
    for (const auto& e : entries)
        if (kindPatternMatches(e.pattern, kind)) return e.allowed;
    return fallback;
}

bool KindDecisions::allowsEverything() const {
    return fallback && std::all_of(entries.begin(), entries.end(), [](const Entry& e) { return e.allowed; });
}

bool AccessScope::mayView(std::string_view kind, sdk::Id projectId, sdk::Id counterpartyId) const {
    if (!see.allows(kind)) return false;
    if (onlyCounterparty && (*onlyCounterparty == 0 || counterpartyId != *onlyCounterparty)) return false;
    if (projectId && std::find(hiddenProjects.begin(), hiddenProjects.end(), projectId) != hiddenProjects.end()) return false;
    return true;
}

}  // namespace conduit::crm
