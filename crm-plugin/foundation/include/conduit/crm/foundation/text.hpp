// Small text helpers the whole core shares: lengths and cuts of UTF-8 text counted in characters
// (the database's VARCHAR limits are characters), and their repair.
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace conduit::crm {

// Code points in valid UTF-8 (continuation bytes not counted).
std::size_t utf8Length(std::string_view text);
// The first `chars` characters, never splitting one.
std::string utf8Prefix(std::string_view text, std::size_t chars);
// The text when it fits in `chars` characters, otherwise its start ending in "…" (visible cut).
std::string utf8Shorten(std::string_view text, std::size_t chars);

bool isValidUtf8(std::string_view text);
// The text with every invalid UTF-8 sequence replaced by U+FFFD: what the host sent is kept, and
// the UTF-8 database accepts it (it refuses a malformed string with the whole row).
std::string replaceInvalidUtf8(std::string_view text);

}  // namespace conduit::crm
