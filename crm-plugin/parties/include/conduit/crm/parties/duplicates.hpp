// Possible duplicates and what a merge decides: the keys two parties share, and per field
// which side's value the merged party keeps.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace conduit::crm::parties {

enum class DuplicateReason { SameName, SimilarName, SamePhone, SameEmail, SameTaxId };
std::string_view toString(DuplicateReason reason);  // "name", "loose", "phone", "email", "tax"

struct DuplicateMatch {
    std::int64_t partyId = 0;
    std::string name;
    std::vector<DuplicateReason> reasons;  // strongest first
};

struct DuplicatePair {
    std::int64_t a = 0, b = 0;  // a < b
    DuplicateReason reason = DuplicateReason::SameName;
};

struct SweepReport {
    std::size_t keysCompared = 0, pairsFound = 0, pairsNew = 0;
};

// Which side a field of the merged party comes from ("name", "phones", "emails", "addresses",
// "tax_ids", "owner", "notes", ...); a list field not chosen is the union of both.
enum class MergeSide { Survivor, Absorbed };
using MergeChoices = std::map<std::string, MergeSide>;

struct MergeResult {
    std::int64_t mergeId = 0;
    std::size_t eventsMoved = 0, employmentsMoved = 0, relationsMoved = 0, certificationsMoved = 0;
};

}  // namespace conduit::crm::parties
