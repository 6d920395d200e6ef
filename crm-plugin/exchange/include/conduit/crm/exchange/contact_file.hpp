// A contact file of any kind the import takes, read by what its bytes are rather than its name:
// vCard, LDIF or CSV (Outlook, Google, Thunderbird), in whatever encoding it came.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace conduit::crm::exchange {

enum class ContactFormat { Unknown, VCard, Ldif, Csv };
std::string_view toString(ContactFormat format);  // "vcard", "ldif", "csv"

// A file over this is refused before it is read (a 2 GB "contacts" file is a mistake, not an
// address book); 50,000 vCards with photos take about 100 MB.
inline constexpr std::size_t kMaxContactFileBytes = 256u * 1024 * 1024;

struct ContactFileOptions {
    std::string encoding;  // forced ("windows-1251"); empty: found from the bytes
    ContactFormat format = ContactFormat::Unknown;  // forced; Unknown: found from the bytes
};

// What the bytes look like: a vCard's BEGIN:VCARD, an LDIF's dn: or version: line, else CSV
// when the first line has a separator; Unknown for anything else.
ContactFormat detectContactFormat(std::string_view bytes, std::string_view encoding = {});

// Every contact of the file. An empty file, one over the limit or of no known format gives no
// records and one problem (UnknownFormat, TooLarge) saying so.
ContactFile readContactFile(std::string_view bytes, const ContactFileOptions& options = {});

}  // namespace conduit::crm::exchange
