// Contacts from vCard files (2.1, 3.0, 4.0) as Outlook, Android, Apple, Google, Thunderbird, KDE
// and The Bat! write them: every card a ContactRecord, every damaged place an ExchangeProblem.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace conduit::crm::exchange {

struct VCardReadOptions {
    // Forces the file's encoding ("windows-1251", "UTF-16LE"); empty: the BOM, UTF-16, UTF-8 or a
    // guess decide (decodeFile). A CHARSET= of a property still wins for that property.
    std::string encoding;
    // Over these a hostile or broken file costs a problem, not memory: a longer line (after
    // unfolding) is skipped, a larger card is cut, a larger photo dropped, more cards not read.
    std::size_t maxLineBytes = 2 * 1024 * 1024;
    std::size_t maxCardBytes = 4 * 1024 * 1024;
    std::size_t maxPhotoBytes = 512 * 1024;
    std::size_t maxCards = 100000;
};

// Every card of the file in order. A card cut off by the end of the file, a line that cannot be
// split, broken quoted-printable or base64, a date that cannot be read or a value over a limit is
// reported with its line and property, and the rest of the card and the file is still read.
// Properties the record has no member for (X- fields, unknown ones) go to `extra` as
// "[group.]NAME" -> decoded text; PRODID and VERSION describe the file and are not kept.
ContactFile readVCards(std::string_view bytes, const VCardReadOptions& options = {});

}  // namespace conduit::crm::exchange
