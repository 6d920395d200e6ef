// A party as its stored JSON document and the search and duplicate keys derived from it; the
// one place that knows the document's field names (the store, merges and change events use it).
#pragma once

#include <conduit/crm/parties/party.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace conduit::crm::parties::detail {

nlohmann::json toDocument(const Party& p);
// The photo is a column of its own. Leaves the store's columns (id, version, times, merged,
// photo) as they are in `into`.
void fromDocument(const nlohmann::json& doc, Party& into);

struct PartyKey {
    std::string type;   // "word", "phone", "email", "tax", "tag", "name", "loose"
    std::string value;
    friend bool operator==(const PartyKey&, const PartyKey&) = default;
    friend auto operator<=>(const PartyKey&, const PartyKey&) = default;
};
constexpr std::size_t kMaxKeyChars = 120;
// Sorted, without duplicates.
std::vector<PartyKey> keysOf(const Party& p);
// The typed values as the store keeps them (tax ids as digits, phones in E.164, e-mails
// lower-cased), so keys and duplicates compare like with like. A value that is not valid (yet:
// the editor asks while someone types) stays as typed. `country`: for a phone without "+".
Party withStoredValues(Party p, const std::string& country);
// The stored code of a kind: "C" company, "P" person.
std::string kindCode(PartyKind kind);

// The name as the list sorts it (folded, at most 200 characters).
std::string nameFold(const Party& p);
// Folded words of a query or a name, as the 'word' keys hold them.
std::vector<std::string> words(std::string_view text);
// The digits of what looks like a phone number typed into a search ("22 654 32 10" → "226543210"),
// empty when the text has letters.
std::string phoneDigits(std::string_view text);

// The fields a change event lists, with the old and new value as people read them (codes for
// choices; the renderer words them).
struct FieldChange {
    std::string field, before, after;
};
std::vector<FieldChange> changesBetween(const Party& before, const Party& after);
// Whether `after` changes a field the host owns.
std::vector<std::string> hostFieldsChanged(const Party& before, const Party& after);

}  // namespace conduit::crm::parties::detail
