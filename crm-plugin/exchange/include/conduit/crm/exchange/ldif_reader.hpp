// Contacts from an LDIF file (RFC 2849: an ldapsearch or slapcat dump, Thunderbird's address
// book), through an attribute map; a broken line or entry is reported and the rest is read.
#pragma once

#include <conduit/crm/exchange/attribute_map.hpp>
#include <conduit/crm/exchange/contact_record.hpp>

#include <string_view>

namespace conduit::crm::exchange {

// Every contact entry in order (entries of other classes, such as groups and organisational
// units, are not contacts and are left out); `changetype: add` records count as entries, other
// change records and values given by URL (`:<`) are refused with a problem.
ContactFile readLdif(std::string_view bytes, const AttributeMap& map = AttributeMap::standard());

}  // namespace conduit::crm::exchange
