// Building blocks of the hand-written MIME renderer: encodings (base64, RFC 2047 encoded-words,
// RFC 2231 parameters), header folding, address checks. Exposed so tests can check each rule.
#pragma once

#include <conduit/sdk/mail.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refhost::mime {

namespace sdk = conduit::sdk;

// Base64 with CRLF after every 76 characters (and after the last line), as MIME bodies need.
std::string base64Lines(std::string_view bytes);
std::string base64(std::string_view bytes);

// Replaces each run of CR/LF (and other C0 controls, DEL) by one space: a header value can never
// start a new header line.
std::string sanitizeHeaderText(std::string_view text);

// Splits UTF-8 text into "=?UTF-8?B?...?=" words of at most maxWordLength characters, never
// cutting a multi-byte sequence (each word must decode on its own, RFC 2047 section 5).
std::vector<std::string> encodedWords(std::string_view utf8, std::size_t maxWordLength = 75);

// True when the text can go into a header as it is: printable ASCII, single spaces between words,
// nothing a decoder would take for an encoded-word.
bool isPlainHeaderText(std::string_view text);

// Joins tokens with single spaces into "Name: ...", folding (CRLF SP) before a token that would
// push the line beyond 78 characters. Tokens are never split. Ends with CRLF.
std::string foldHeader(std::string_view name, const std::vector<std::string>& tokens);

// Unstructured header (Subject): plain when possible, else encoded-words.
std::string unstructuredHeader(std::string_view name, std::string_view utf8);

// Why an address is unusable, or nullopt when it passes the minimal check
// (non-empty, exactly one '@' with text on both sides, no space, CR, LF, '<', '>', controls).
std::optional<std::string> addressProblem(std::string_view address);

// "Name" <addr> / =?UTF-8?B?...?= <addr> / addr, as tokens ready for foldHeader.
std::vector<std::string> mailboxTokens(const sdk::MailAddress& mailbox);
std::string addressListHeader(std::string_view name, const std::vector<sdk::MailAddress>& mailboxes);

// One MIME parameter: name="value" when plain ASCII, else RFC 2231 name*=UTF-8''percent-encoded,
// split into name*0*, name*1*, ... sections when long. Each element is one "; "-separated token.
std::vector<std::string> parameterTokens(std::string_view name, std::string_view utf8Value);

// Why a header field a plugin adds (SDK 1.2) cannot go into a message, or nullopt: the name must
// be an RFC 5322 field name the client does not write itself, the value non-empty and foldable.
std::optional<std::string> extraHeaderProblem(const sdk::MailHeader& header);

// The extra fields that may go into a message, in their order (a name given twice: the first),
// and why each other one is left out.
struct CheckedHeaders {
    std::vector<sdk::MailHeader> accepted;
    std::vector<std::string> refused;
};
CheckedHeaders checkHeaders(const sdk::MailHeaders& headers);

// One checked extra field: CR/LF made spaces, folded at spaces, each run of words with non-ASCII
// characters as encoded-words (their inner spaces kept), ASCII words as they are.
std::string extraHeader(const sdk::MailHeader& header);

// RFC 5322 date in UTC, e.g. "Tue, 05 Mar 2024 09:07:03 +0000" (locale independent).
std::string rfc5322Date(std::chrono::system_clock::time_point when);

// A fresh globally unique local part for a Message-ID (time + 128 random bits, hex).
std::string uniqueToken();

// The Message-ID without brackets: the message's own id (sanitised; "@domain" added when it has
// none) or a new unique one.
std::string resolveMessageId(std::string_view messageId, std::string_view domain);

// "type/subtype" when mediaType is a well-formed media type, else application/octet-stream.
std::string safeMediaType(std::string_view mediaType);

// The full message with a given Message-ID (no brackets) and date; what renderMime calls. The
// extra fields go after Message-ID, those checkHeaders refuses left out.
std::string render(const sdk::MailMessage& message, const sdk::MailAddress& from,
                   std::string_view messageId, std::chrono::system_clock::time_point date,
                   const sdk::MailHeaders& extra = {});

// The From mailbox actually used: the message's, else the default (keeping the message's display
// name when it only set that).
sdk::MailAddress effectiveFrom(const sdk::MailAddress& from, const sdk::MailAddress& defaultFrom);

}  // namespace refhost::mime
