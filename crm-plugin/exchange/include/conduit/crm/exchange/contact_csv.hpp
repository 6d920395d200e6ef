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
};

// The first record of the file, as column names (what the import wizard shows to map).
std::vector<std::string> csvHeader(std::string_view utf8Text, char separator = 0);

// Every row after the header as a record (its `line` the row's first line). A column the mapping
// does not know is kept in `extra` and reported once for the file (UnknownColumn); a date that
// cannot be read is reported on its row (BadDate) and kept in `extra`; text that is not UTF-8 is
// reported (NotDecodable) and read with U+FFFD in its place. Empty rows give no record.
ContactFile readContactCsv(std::string_view utf8Text, const CsvReadOptions& options = {});

}  // namespace conduit::crm::exchange
