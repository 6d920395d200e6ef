// What the catalogue list asks for as someone types and groups: words of a name, a tax id, a
// phone or an e-mail, narrowed by kind, role, region, category, owner, tag; pages by keyset.
#pragma once

#include <conduit/crm/parties/party.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::parties {

struct CatalogueCursor {
    std::string nameFold;
    std::int64_t id = 0;
    friend bool operator==(const CatalogueCursor&, const CatalogueCursor&) = default;
};

struct CatalogueFilter {
    // Every word must start a word of a name, or start the party's tax id, phone (digits as
    // typed, with or without the country code) or e-mail; case, marks and script do not matter.
    std::string text;
    std::optional<PartyKind> kind;
    PartyRoles anyRole = 0;   // any of these roles; 0: any
    std::optional<std::string> region, category, industry, tag;
    std::optional<sdk::Id> owner;
    std::optional<std::int64_t> employer;  // people of this company
    bool includeMerged = false;
    std::optional<CatalogueCursor> after;
    std::size_t limit = 50;
};

// One line of the list: enough to show, sort and group without loading the document.
struct CatalogueRow {
    std::int64_t id = 0;
    PartyKind kind = PartyKind::Company;
    std::string name, region, industry, category, country;
    PartyRoles roles = 0;
    sdk::Id ownerId = 0;
    sdk::Id hostId = 0;
    bool isPrivate = false, merged = false, removedInHost = false;
};

struct CataloguePage {
    std::vector<CatalogueRow> rows;
    std::optional<CatalogueCursor> next;
};

struct CatalogueCounts {
    std::size_t companies = 0, people = 0, hostLinked = 0, crmOnly = 0, merged = 0;
    std::vector<std::pair<PartyRole, std::size_t>> byRole;
};

}  // namespace conduit::crm::parties
