// A CSV file split into records and fields (RFC 4180, as Outlook, Google and Thunderbird write it),
// each record with the line it starts on, so every later problem can say where it is.
#pragma once

#include <conduit/crm/exchange/exchange_problem.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

// Bounds a hostile or broken file cannot push a reader past: a record over them is reported
// (TooLarge) and skipped, the records after it are still read.
struct CsvLimits {
    std::size_t maxFieldBytes = 1 << 20;
    std::size_t maxRecordBytes = 4 << 20;
    std::size_t maxFields = 2048;
};

struct CsvTableOptions {
    char separator = 0;  // ',', ';' or '\t'; 0: detected from the first record
    CsvLimits limits;
};

struct CsvRecord {
    std::size_t line = 0;  // 1-based line the record starts on
    std::vector<std::string> fields;
};

struct CsvTable {
    char separator = ',';
    std::vector<CsvRecord> records;  // the header first, when the file has one
    std::vector<ExchangeProblem> problems;
};

// The separator of the first record: the most frequent of ',', ';' and tab outside quotes
// (a comma when none is there, or on a tie).
char detectSeparator(std::string_view text);

// Every record of the text; a leading UTF-8 BOM is skipped and lines may end in CRLF, LF or CR.
// An opening quote never closed makes the rest of the file one field: that record is reported as
// Truncated, the records before it are kept. Lines that are wholly empty are not records.
CsvTable readCsvTable(std::string_view text, const CsvTableOptions& options = {});

}  // namespace conduit::crm::exchange
