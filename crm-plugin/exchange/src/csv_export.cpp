#include <conduit/crm/exchange/csv_export.hpp>

#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/exchange_problem.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <algorithm>

namespace conduit::crm::exchange {
namespace {

bool startsFormula(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
        case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
        default: return false;
    }
}

std::string cellText(const TableCell& cell, const Formatter& formatter) {
    if (const auto* text = std::get_if<std::string>(&cell)) return *text;
    if (const auto* number = std::get_if<std::int64_t>(&cell)) return std::to_string(*number);
    if (const auto* day = std::get_if<sdk::Date>(&cell)) return formatter.shortDate(*day);
    return formatter.dateTime(std::get<sdk::TimePoint>(cell));
}

constexpr std::size_t kProblemsKept = 100;

}  // namespace

std::string_view charsetOf(CsvEncoding encoding) {
    switch (encoding) {
        case CsvEncoding::Utf8Bom: return "UTF-8";
        case CsvEncoding::Cp1250: return "windows-1250";
        case CsvEncoding::Cp1251: return "windows-1251";
    }
    return "UTF-8";
}

char csvSeparatorFor(const Locale& reader) { return reader.language() == Language::En ? ',' : ';'; }

std::string csvCell(std::string_view text, char separator) {
    const bool guarded = startsFormula(text);
    const bool quoted = guarded || text.find_first_of(std::string{separator, '"', '\n', '\r'}) != std::string_view::npos;
    std::string out;
    out.reserve(text.size() + 3);
    if (quoted) out += '"';
    if (guarded) out += '\'';
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    if (quoted) out += '"';
    return out;
}

CsvCatalogueWriter::CsvCatalogueWriter(AtomicFile& out, const Locale& reader, const TimeZone& zone, CsvOptions options)
    : out_(out), reader_(reader), formatter_(formatterFor(reader, zone)), options_(options) {
    if (options_.encoding == CsvEncoding::Utf8Bom) out_.write("\xEF\xBB\xBF");
    line(tableHeaders(reader_));
}

void CsvCatalogueWriter::line(const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) text += options_.separator;
        text += csvCell(cells[i], options_.separator);
    }
    text += "\r\n";
    ++lines_;
    if (options_.encoding == CsvEncoding::Utf8Bom) return out_.write(text);
    auto encoded = fromUtf8(replaceInvalidUtf8(text), charsetOf(options_.encoding));
    if (encoded.problem && encoded.problem->code != ProblemCode::NotEncodable) throw ExchangeError(*encoded.problem);
    if (encoded.problem) noteMissing(*encoded.problem, encoded.missing);
    out_.write(encoded.bytes);
}

void CsvCatalogueWriter::noteMissing(ExchangeProblem problem, std::size_t count) {
    replaced_ += count;
    problem.line = lines_;
    if (problems_.size() < kProblemsKept) problems_.push_back(std::move(problem));
}

void CsvCatalogueWriter::write(const parties::ExportedParty& party) {
    std::vector<std::string> cells;
    for (const auto& cell : tableRow(party, reader_)) cells.push_back(cellText(cell, formatter_));
    line(cells);
}

void CsvCatalogueWriter::finish() {}

}  // namespace conduit::crm::exchange
