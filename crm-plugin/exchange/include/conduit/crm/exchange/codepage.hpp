// Code pages of contact files: the bytes a file or one of its fields holds turned into UTF-8 and
// back (ICU's converters), and the guess of a whole file's encoding when the file does not say.
#pragma once

#include <conduit/crm/exchange/exchange_problem.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

// Text turned into UTF-8. When some bytes were not text in the charset, `text` still holds the
// rest with U+FFFD in their place and `problem` is NotDecodable: its detail says the byte offset
// and the bytes ("byte 17: 98"), its line is the line of the decoded text the first one sits on.
// An unknown charset name gives an empty text and UnknownCharset (detail: the name).
struct Utf8Text {
    std::string text;
    std::optional<ExchangeProblem> problem;
    bool ok() const { return !problem; }
};

// UTF-8 turned into a code page for a writer. A character the code page lacks is never dropped
// quietly: the bytes hold '?' (the code page's substitute) in its place, `problem` is NotEncodable
// (detail: the first such character, its code point and how many there were) and `missing`
// counts them, so the writer can choose another encoding for that text. Invalid UTF-8 in the
// input gives NotDecodable; an unknown charset, empty bytes and UnknownCharset.
struct EncodedText {
    std::string bytes;
    std::optional<ExchangeProblem> problem;
    std::size_t missing = 0;
    bool ok() const { return !problem; }
};

// A whole file's text: what it was read as, and whether that was a guess (no BOM, no override).
struct DecodedText {
    std::string text;        // UTF-8, without the BOM
    std::string encoding;    // "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1250", ...
    bool guessed = false;
    std::vector<ExchangeProblem> problems;
};

// Any charset ICU knows, by any of its names ("cp1251", "windows-1250", "UTF-16LE", "KOI8-R",
// "us-ascii", "Shift_JIS"); lookups ignore case.
Utf8Text toUtf8(std::string_view bytes, std::string_view charset);
EncodedText fromUtf8(std::string_view utf8, std::string_view charset);

// The name a file or a header should carry for a charset ("cp1251" -> "windows-1251"), or none
// when no converter knows it.
std::optional<std::string> charsetName(std::string_view charset);

// A file's bytes as text. Order: a BOM (UTF-8, UTF-16LE/BE) decides; then UTF-16 without a BOM
// by its pattern of zero bytes; then valid UTF-8 (not a guess: letters of a single-byte code page
// almost never form valid UTF-8); else a guess among windows-1250 (Polish), windows-1251
// (Russian) and windows-1252 (Western), by which reads as the more plausible words.
// `override`, when given, forces the encoding (a BOM of it is still dropped); an unknown
// override is reported as UnknownCharset and the file is read as if none was given.
DecodedText decodeFile(std::string_view bytes, std::string_view override = {});

}  // namespace conduit::crm::exchange
