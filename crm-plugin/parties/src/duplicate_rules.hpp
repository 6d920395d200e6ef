// How strongly a shared key says two parties are one: the reason each key type gives, their
// order, and the size past which a shared key (a switchboard, a group's mailbox) says nothing.
#pragma once

#include <conduit/crm/parties/duplicates.hpp>

#include <optional>
#include <string>

namespace conduit::crm::parties::detail {

inline constexpr int kMaxDuplicateGroup = 20;

inline std::optional<DuplicateReason> reasonOf(const std::string& keyType) {
    if (keyType == "tax") return DuplicateReason::SameTaxId;
    if (keyType == "email") return DuplicateReason::SameEmail;
    if (keyType == "phone") return DuplicateReason::SamePhone;
    if (keyType == "name") return DuplicateReason::SameName;
    if (keyType == "loose") return DuplicateReason::SimilarName;
    return std::nullopt;
}

// Strongest first: a tax id names one firm, a name may be a namesake.
inline int strength(DuplicateReason r) {
    switch (r) {
        case DuplicateReason::SameTaxId: return 5;
        case DuplicateReason::SameEmail: return 4;
        case DuplicateReason::SamePhone: return 3;
        case DuplicateReason::SameName: return 2;
        case DuplicateReason::SimilarName: return 1;
    }
    return 0;
}

}  // namespace conduit::crm::parties::detail
