// What went wrong reading or writing one place of an import or an export: a code for tests and
// reports, where it was (line, field), and its wording in the reader's language.
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace conduit::crm::exchange {

enum class ProblemCode {
    NotDecodable,        // bytes that are not text in the encoding read (or chosen)
    UnknownFormat,       // neither vCard, CSV, LDIF nor anything else a reader knows
    Truncated,           // the file ends inside a record (BEGIN:VCARD without END, an open quote)
    MalformedLine,       // a line a reader cannot split into its parts
    BadQuotedPrintable,  // "=" not followed by two hex digits
    BadBase64,
    UnknownCharset,      // a CHARSET= no converter knows
    BadDate,
    NoName,              // a record with neither a name, an organisation nor an e-mail
    TooLarge,            // a file, a line or a photo over its limit
    UnknownColumn,       // a CSV header the mapping does not know (kept as extra)
    DirectoryUnreachable,   // LDAP: no server at the address, or it went away
    DirectoryRefused,       // LDAP: wrong bind DN or password
    DirectoryBadQuery,      // LDAP: the base DN or the filter is wrong
    ValueNotKept,        // a value the catalogue refuses (no such phone number): kept in the notes as read
    NotEncodable,        // a character the chosen code page lacks (written as '?', or another encoding chosen)
    RaggedRow,           // a CSV record with more or fewer fields than the header
    ValueByUrl,             // LDIF: a value given as a URL (":<"), which is never fetched
    NotAnAddition,          // LDIF: a change record (modify, delete, rename) rather than an entry
    DirectoryLimited,       // LDAP: the directory's size or time limit cut the result short
    Cancelled,           // the user stopped an export; the old file kept
    WriteFailed,         // an export could not write (full disk, no right); the old file kept
};

struct ExchangeProblem {
    ProblemCode code = ProblemCode::MalformedLine;
    std::size_t line = 0;   // 1-based line of the source, 0 when not about a line
    std::string field;      // "EMAIL", "Business Phone", "mail"; empty when not about a field
    std::string detail;     // what was found, for the report ("=ZZ", "KOI8-X"); never translated
    friend bool operator==(const ExchangeProblem&, const ExchangeProblem&) = default;
};

std::string_view toString(ProblemCode code);  // "not_decodable", ... for logs and reports

// "Wiersz 12, pole EMAIL: niepoprawne kodowanie quoted-printable (=ZZ)", in the reader's language.
std::string describe(const ExchangeProblem& problem, const Locale& reader);

// A whole import or export stopped (the directory refused the bind, the file cannot be written).
struct ExchangeError : std::runtime_error {
    explicit ExchangeError(ExchangeProblem problem);
    ExchangeProblem problem;
};

}  // namespace conduit::crm::exchange
