// What the host gives as codes, named in the reader's language: a project's status
// ("materials_reserved" → "материалы зарезервированы") and a language ("ru" → "rosyjski").
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <string>
#include <string_view>

namespace conduit::crm {

// The reference suite's project statuses in `locale`; an unknown status as it came, its
// underscores as spaces (a status a later host adds still reads as words).
std::string projectStatusName(std::string_view status, const Locale& locale);

// A language tag ("ru", "pl_PL", "de") named in `locale` by ICU's display names ("русский",
// "polski", "German"); the tag itself when ICU does not know it, "" for an empty tag.
std::string languageName(std::string_view tag, const Locale& locale);

}  // namespace conduit::crm
