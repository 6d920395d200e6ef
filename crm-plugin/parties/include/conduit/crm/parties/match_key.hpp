// The keys the catalogue finds duplicates by: names written in one script and spelling
// (Иванов = Ivanov, Łódź = Lodz, "ООО «Ромашка»" = "Romashka"), whatever the case and word order.
#pragma once

#include <string>
#include <string_view>

namespace conduit::crm::parties {

// A person's name as one key: Cyrillic transliterated as BGN/PCGN writes Russian names in Latin
// (Щукин → shchukin, Жуков → zhukov), marks dropped (ł → l), lower-case, punctuation gone, the
// words sorted ("Ivanov Petr" = "Пётр Иванов"). ICU transforms; UTF-8 in, ASCII out.
std::string personNameKey(std::string_view name);

// A company's name as one key: as a person's, without the legal form ("Sp. z o.o.", "S.A.",
// "ООО", "АО", "GmbH", "Ltd") and the quotes around the name.
std::string companyNameKey(std::string_view name);

// A key with the spellings of one sound merged (w/v, j/y, kh/h, doubled letters), so "Wołkow"
// meets "Volkov" and "Jurjew" meets "Yuryev": broader, for "possible duplicate" suggestions only.
std::string looseKey(std::string_view key);

}  // namespace conduit::crm::parties
