// What a merge of two parties decides field by field: the fields on which they differ, each
// side's value as the reader reads it, and what the person may choose there.
#pragma once

#include "common/directory_cache.hpp"
#include "common/lang.hpp"

#include <conduit/crm/parties/catalogue_error.hpp>
#include <conduit/crm/parties/custom_field.hpp>
#include <conduit/crm/parties/duplicates.hpp>
#include <conduit/crm/parties/party.hpp>

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace conduit::forms {

// Which value the merged party keeps: the survivor's, the absorbed party's, or both of a list.
enum class MergeKeep { Survivor, Absorbed, Both };

struct MergeField {
    std::string key;                  // the core's name of the field ("phones", "custom.colour")
    QString label;                    // "Telefony"
    QString survivorText, absorbedText;
    std::vector<MergeKeep> offered;   // what the person may choose; empty: the merge decides
    MergeKeep kept = MergeKeep::Survivor;  // the first choice, or what the merge keeps anyway
    QString note;                     // why there is no choice ("the host's field")
};

// The fields on which `survivor` and `absorbed` differ, in the order a card shows them.
// `customFields` names the custom fields; `directory` the owners.
std::vector<MergeField> differingFields(const crm::parties::Party& survivor, const crm::parties::Party& absorbed,
                                        const std::vector<crm::parties::CustomField>& customFields, DirectoryCache& directory,
                                        const Lang& lang);

// What the core is told, one side per chosen field (`chosen` beside `fields`); a list kept whole
// is the core's default and needs no word.
crm::parties::MergeChoices mergeChoices(const std::vector<MergeField>& fields, const std::vector<MergeKeep>& chosen);

// The party that stays by default: the host's counterparty, else the one in the catalogue longer.
bool survivesByDefault(const crm::parties::Party& a, const crm::parties::Party& b);

// Why two parties cannot be merged at all, seen before asking the core (which refuses them too).
std::optional<crm::parties::CatalogueProblem> impossibleMerge(const crm::parties::Party& survivor, const crm::parties::Party& absorbed);

}  // namespace conduit::forms
