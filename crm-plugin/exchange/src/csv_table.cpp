#include <conduit/crm/exchange/csv_table.hpp>

#include <array>

namespace conduit::crm::exchange {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view withoutBom(std::string_view text) {
    return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? text.substr(kUtf8Bom.size()) : text;
}

// Reads one record at a time; owns the position and the line count so quoted line breaks and
// the three kinds of line end are counted in one place.
class RecordReader {
public:
    RecordReader(std::string_view text, char separator, const CsvLimits& limits)
        : text_(text), separator_(separator), limits_(limits) {}

    bool atEnd() const { return pos_ >= text_.size(); }
    std::size_t line() const { return line_; }

    enum class Outcome { Record, Blank, TooLarge, Truncated };

    Outcome next(CsvRecord& record) {
        record.line = line_;
        record.fields.clear();
        field_.clear();
        recordBytes_ = 0;
        tooLarge_ = false;
        quotedAnywhere_ = false;
        for (;;) {
            if (!readField()) return Outcome::Truncated;
            pushField(record);
            if (atEnd() || endOfLine()) break;
            ++pos_;  // the separator
        }
        if (tooLarge_) return Outcome::TooLarge;
        if (record.fields.size() == 1 && record.fields[0].empty() && !quotedAnywhere_) return Outcome::Blank;
        return Outcome::Record;
    }

    std::size_t openQuoteLine() const { return openQuoteLine_; }

private:
    bool isLineEnd(char c) const { return c == '\n' || c == '\r'; }

    // Consumes a line end at the position, if there is one, and counts it.
    bool endOfLine() {
        if (atEnd() || !isLineEnd(text_[pos_])) return false;
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
        return true;
    }

    void append(char c) {
        if (field_.size() >= limits_.maxFieldBytes || recordBytes_ >= limits_.maxRecordBytes) {
            tooLarge_ = true;
            return;
        }
        field_ += c;
        ++recordBytes_;
    }

    void pushField(CsvRecord& record) {
        if (record.fields.size() >= limits_.maxFields) tooLarge_ = true;
        else record.fields.push_back(std::move(field_));
        field_.clear();
    }

    // Reads up to the separator or line end that ends the field (not consuming it); false when
    // the file ends inside quotes.
    bool readField() {
        if (!atEnd() && text_[pos_] == '"') {
            quotedAnywhere_ = true;
            if (!readQuoted()) return false;
        }
        while (!atEnd() && text_[pos_] != separator_ && !isLineEnd(text_[pos_])) append(text_[pos_++]);
        return true;
    }

    // The quoted part of a field: doubled quotes are one quote, line breaks are kept as written.
    bool readQuoted() {
        openQuoteLine_ = line_;
        ++pos_;
        while (!atEnd()) {
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    append('"');
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return true;
            }
            if (isLineEnd(c)) {
                if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') append(text_[pos_++]);
                append(text_[pos_++]);
                ++line_;
                continue;
            }
            append(c);
            ++pos_;
        }
        return false;
    }

    std::string_view text_;
    char separator_;
    const CsvLimits& limits_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t openQuoteLine_ = 0;
    std::string field_;
    std::size_t recordBytes_ = 0;
    bool tooLarge_ = false;
    bool quotedAnywhere_ = false;
};

void reportRagged(CsvTable& table) {
    if (table.records.empty()) return;
    const std::size_t expected = table.records.front().fields.size();
    for (const auto& record : table.records)
        if (record.fields.size() != expected)
            table.problems.push_back({ProblemCode::RaggedRow, record.line, "",
                                      std::to_string(record.fields.size()) + "/" + std::to_string(expected)});
}

}  // namespace

char detectSeparator(std::string_view text) {
    text = withoutBom(text);
    constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
    std::array<std::size_t, 3> counts{};
    bool quoted = false;
    for (const char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        for (std::size_t i = 0; i < kCandidates.size(); ++i)
            if (c == kCandidates[i]) ++counts[i];
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < kCandidates.size(); ++i)
        if (counts[i] > counts[best]) best = i;
    return kCandidates[best];
}

CsvTable readCsvTable(std::string_view text, const CsvTableOptions& options) {
    text = withoutBom(text);
    CsvTable table;
    table.separator = options.separator != 0 ? options.separator : detectSeparator(text);
    RecordReader reader(text, table.separator, options.limits);
    CsvRecord record;
    while (!reader.atEnd()) {
        switch (reader.next(record)) {
        case RecordReader::Outcome::Record: table.records.push_back(std::move(record)); break;
        case RecordReader::Outcome::Blank: break;
        case RecordReader::Outcome::TooLarge:
            table.problems.push_back({ProblemCode::TooLarge, record.line, "", ""});
            break;
        case RecordReader::Outcome::Truncated:
            table.problems.push_back({ProblemCode::Truncated, reader.openQuoteLine(), "", "\""});
            break;
        }
        record = {};
    }
    reportRagged(table);
    return table;
}

}  // namespace conduit::crm::exchange
