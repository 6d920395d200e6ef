#include <conduit/crm/foundation/access_scope.hpp>

#include <algorithm>

namespace conduit::crm {

bool isValidKindPattern(std::string_view p) {
    if (p == "*") return true;
    if (p.empty() || p.size() > 64) return false;
    std::string_view stem = p;
    if (p.size() >= 2 && p.substr(p.size() - 2) == ".*") stem = p.substr(0, p.size() - 1);  // keeps the dot
    for (std::size_t i = 0; i < stem.size(); ++i) {
        const char c = stem[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok) return false;
    }
    return stem.front() != '.';
}

bool kindPatternMatches(std::string_view pattern, std::string_view kind) {
    if (pattern == "*") return true;
    if (pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == ".*") {
        const auto stem = pattern.substr(0, pattern.size() - 1);  // "payment."
        return kind.substr(0, stem.size()) == stem;
    }
    return pattern == kind;
}

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
