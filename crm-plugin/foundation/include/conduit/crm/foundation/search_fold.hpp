// Text as a search compares it, so people find what they mean however they type it: "петр" finds
// "Пётр", "dabrowski" finds "Dąbrowski", "lodz" finds "Łódź"; the pickers and the feed share it.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace conduit::crm {

// Case folded, diacritics dropped (ą→a, ó→o, ł→l, ß→ss, ё→е), й kept (Russian reads it as a
// letter of its own, not as и with a mark), UTF-8 in and out. Two texts match when the folded
// query is a substring of the folded text.
std::string searchFold(std::string_view utf8);

// Whether `text` contains `query` once both are folded; an empty query is contained everywhere.
bool searchContains(std::string_view text, std::string_view query);

// The letters a search treats as one that the database's case-insensitive CONTAINING keeps
// apart: a query with the base letter must also find the variant, and the other way round.
struct LetterVariant {
    std::string_view variant, base;
};
inline constexpr std::array<LetterVariant, 2> kLetterVariants{{{"ё", "е"}, {"Ё", "Е"}}};

// The text with every variant written as its base letter ("Пётр" → "Петр"), case kept.
std::string withBaseLetters(std::string_view utf8);

}  // namespace conduit::crm
