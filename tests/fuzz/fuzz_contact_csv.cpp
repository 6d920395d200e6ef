// libFuzzer target: contact CSV files (any bytes, any encoding) never crash the reader, every text
// it gives is UTF-8, records come in the order of their lines, and a mapping found for a header
// survives its JSON; a user's mapping file or a date cell of any form never crash either.
#include <conduit/crm/exchange/contact_csv.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace conduit::crm;
using namespace conduit::crm::exchange;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void recordsAreText(const ContactFile& file) {
    std::size_t lastLine = 0;
    for (const auto& r : file.records) {
        check(r.line > lastLine);
        lastLine = r.line;
        check(isValidUtf8(r.formattedName + r.givenName + r.familyName + r.organisation + r.note));
        for (const auto& e : r.emails) check(isValidUtf8(e.value + e.label));
        for (const auto& [name, value] : r.extra) check(isValidUtf8(name) && isValidUtf8(value));
        check(r.birthday.empty() || (r.birthday.month >= 1 && r.birthday.month <= 12 && r.birthday.day >= 1));
    }
}

void wholeFile(std::string_view bytes) {
    recordsAreText(readContactCsvBytes(bytes));
    CsvReadOptions tight;
    tight.limits = {64, 256, 8};
    tight.separator = ';';
    recordsAreText(readContactCsvBytes(bytes, tight));
}

void table(std::string_view bytes) {
    for (const char separator : {',', '\t'}) {
        CsvTableOptions options;
        options.separator = separator;
        const CsvTable t = readCsvTable(bytes, options);
        for (std::size_t i = 1; i < t.records.size(); ++i) check(t.records[i].line > t.records[i - 1].line);
    }
}

void mappingOfHeader(std::string_view bytes) {
    const auto header = csvHeader(std::string(replaceInvalidUtf8(bytes)));
    const ColumnMapping mapping = detectMapping(header);
    check(mappingFromJson(toJson(mapping)) == mapping);
}

void userMapping(std::string_view bytes) {
    try {
        (void)mappingFromJson(bytes);
    } catch (const ExchangeError&) {
    }
}

void dateCell(std::string_view bytes) {
    ContactDate date;
    if (parseContactDate(bytes.substr(0, 24), DateOrder::MonthFirst, date) == DateRead::Date)
        check(date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    wholeFile(bytes);
    table(bytes);
    mappingOfHeader(bytes);
    userMapping(bytes);
    dateCell(bytes);
    return 0;
}
