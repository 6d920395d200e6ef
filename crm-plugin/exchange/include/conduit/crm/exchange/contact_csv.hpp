// Contacts from a CSV file as Outlook (English, Polish, Russian, German), Google Contacts or
// Thunderbird export them: one ContactRecord per row, with what could not be read reported per row.
#pragma once

#include <conduit/crm/exchange/contact_columns.hpp>
#include <conduit/crm/exchange/contact_record.hpp>
#include <conduit/crm/exchange/csv_table.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

struct CsvReadOptions {
    std::optional<ColumnMapping> mapping;  // none: the preset that fits the header
    char separator = 0;                    // 0: detected
    CsvLimits limits;
    std::string encoding;  // for bytes: "" finds it (BOM, UTF-16, UTF-8, else a Polish/Russian/Western guess)
};

// The first record of the file, as column names (what the import wizard shows to map).
std::vector<std::string> csvHeader(std::string_view utf8Text, char separator = 0);

// Every row after the header as a record (its `line` the row's first line). A column the mapping
// does not know is kept in `extra` and reported once for the file (UnknownColumn); a date that
// cannot be read is reported on its row (BadDate) and kept in `extra`; text that is not UTF-8 is
// reported (NotDecodable) and read with U+FFFD in its place. Empty rows give no record.
ContactFile readContactCsv(std::string_view utf8Text, const CsvReadOptions& options = {});

// The file's bytes as they are on disk: decoded first (UTF-8 with or without BOM, UTF-16LE/BE,
// windows-1250, windows-1251, ... or `options.encoding`), then read as above. `encoding` of the
// result says what the bytes were read as; what could not be decoded is among its problems.
ContactFile readContactCsvBytes(std::string_view bytes, const CsvReadOptions& options = {});

}  // namespace conduit::crm::exchange
