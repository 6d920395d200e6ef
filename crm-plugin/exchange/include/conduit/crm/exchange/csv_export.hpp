// The catalogue as CSV that Excel opens right: UTF-8 with a BOM or the Windows code page of the
// reader's Excel, the list separator of the reader's region, headers in the reader's language.
#pragma once

#include <conduit/crm/exchange/atomic_file.hpp>
#include <conduit/crm/exchange/exchange_problem.hpp>
#include <conduit/crm/exchange/export_rows.hpp>

#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/foundation/time_zone.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

enum class CsvEncoding {
    Utf8Bom,  // every Excel since 2007 reads the BOM as UTF-8
    Cp1250,   // Polish Windows' ANSI code page
    Cp1251,   // Russian Windows' ANSI code page
};
std::string_view charsetOf(CsvEncoding encoding);  // "UTF-8", "windows-1250", "windows-1251"

// Excel takes the list separator from Windows' region: ";" where the decimal mark is a comma
// (Polish, Russian), "," for English.
char csvSeparatorFor(const Locale& reader);

// One cell per RFC 4180 (quoted when it holds the separator, a quote or a line break; quotes
// doubled). A cell beginning with =, +, -, @, a tab or a carriage return is prefixed with ' so a
// spreadsheet shows it as text instead of running it as a formula.
std::string csvCell(std::string_view text, char separator);

struct CsvOptions {
    CsvEncoding encoding = CsvEncoding::Utf8Bom;
    char separator = ';';
};

class CsvCatalogueWriter {
public:
    // Writes the BOM (UTF-8) and the header row.
    CsvCatalogueWriter(AtomicFile& out, const Locale& reader, const TimeZone& zone, CsvOptions options);
    void write(const parties::ExportedParty& party);
    void finish();
    // A character the code page lacks is written as '?': how many were, and the first rows that
    // had one (NotEncodable, line: the row, 1 the header), so the user can choose UTF-8 instead.
    std::size_t charactersReplaced() const { return replaced_; }
    const std::vector<ExchangeProblem>& problems() const { return problems_; }

private:
    void line(const std::vector<std::string>& cells);
    void noteMissing(ExchangeProblem problem, std::size_t count);

    AtomicFile& out_;
    const Locale reader_;
    const Formatter& formatter_;
    CsvOptions options_;
    std::size_t lines_ = 0, replaced_ = 0;
    std::vector<ExchangeProblem> problems_;
};

}  // namespace conduit::crm::exchange
