// Contacts written as vCard 3.0 (as Outlook, Google and Apple read it) or 4.0, for an export or
// for another program's address book; readVCards reads back what was written.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <string>
#include <vector>

namespace conduit::crm::exchange {

enum class VCardVersion { V3_0, V4_0 };

struct VCardWriteOptions {
    VCardVersion version = VCardVersion::V3_0;
    // 3.0 only (4.0 is UTF-8 by definition): the code page of text properties, e.g. "windows-1251"
    // for an old Outlook. Each text property says its CHARSET=; one the code page cannot hold
    // (Polish in windows-1251) is written in UTF-8 with CHARSET=UTF-8 rather than with '?'.
    // Empty: UTF-8, with CHARSET=UTF-8 on every text property so that Outlook reads it as such.
    // A charset no converter knows throws ExchangeError (UnknownCharset).
    std::string charset;
};

// The cards, CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character,
// text escaped, photos in base64, kinds as TYPE= (or an Apple X-ABLabel when not a vCard kind).
// What `extra` holds is written back as its properties; `line` and `problems` are not written.
std::string writeVCards(const std::vector<ContactRecord>& records, const VCardWriteOptions& options = {});

// The name a card shows (FN): the formatted name, else the parts of the name, else the organisation.
std::string displayNameOf(const ContactRecord& record);

}  // namespace conduit::crm::exchange
