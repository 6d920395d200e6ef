// The header names Outlook (per language), Google Contacts and Thunderbird write, each with the
// field it holds: the data the contact column presets are built from.
#pragma once

#include <conduit/crm/exchange/contact_columns.hpp>
#include <conduit/crm/foundation/locale.hpp>

#include <span>
#include <string_view>

namespace conduit::crm::exchange::presets {

struct Entry {
    const char* header;
    ContactField field;
    int slot = 0;
    const char* label = "";
};

struct Preset {
    std::string_view id;
    std::span<const Entry> entries;
    DateOrder dateOrder;
    bool numberedColumns;  // Google's "E-mail 1 - Value", "Address 2 - City", read by pattern
    LocalizedText name;
};

std::span<const Preset> all();

}  // namespace conduit::crm::exchange::presets
