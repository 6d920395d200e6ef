#include <conduit/crm/exchange/contact_file.hpp>

#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/contact_csv.hpp>
#include <conduit/crm/exchange/ldif_reader.hpp>
#include <conduit/crm/exchange/vcard_reader.hpp>

#include <conduit/crm/foundation/search_fold.hpp>

namespace conduit::crm::exchange {
namespace {

// Enough of the start of a file to tell its kind, decoded.
constexpr std::size_t kSniffBytes = 64 * 1024;

std::string_view firstLine(std::string_view text) {
    while (!text.empty() && (text.front() == '\n' || text.front() == '\r' || text.front() == ' ')) text.remove_prefix(1);
    return text.substr(0, text.find_first_of("\r\n"));
}

bool startsWithNoCase(std::string_view line, std::string_view prefix) {
    if (line.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
    return true;
}

// The first line that is not an LDIF comment.
std::string_view firstContentLine(std::string_view text) {
    while (!text.empty()) {
        const auto line = firstLine(text);
        if (!line.empty() && line.front() != '#') return line;
        const auto next = text.find('\n');
        if (next == std::string_view::npos) break;
        text.remove_prefix(next + 1);
    }
    return {};
}

// Exports put a stray line before the first card now and then ("ENCODING:UTF-8").
bool beginsVCardSoon(std::string_view text) {
    for (int lines = 0; lines < 10 && !text.empty(); ++lines) {
        if (startsWithNoCase(firstLine(text), "begin:vcard")) return true;
        const auto next = text.find('\n');
        if (next == std::string_view::npos) break;
        text.remove_prefix(next + 1);
    }
    return false;
}

}  // namespace

std::string_view toString(ContactFormat format) {
    switch (format) {
    case ContactFormat::VCard: return "vcard";
    case ContactFormat::Ldif: return "ldif";
    case ContactFormat::Csv: return "csv";
    case ContactFormat::Unknown: break;
    }
    return "unknown";
}

ContactFormat detectContactFormat(std::string_view bytes, std::string_view encoding) {
    const auto text = decodeFile(bytes.substr(0, kSniffBytes), encoding).text;
    auto start = std::string_view(text);
    if (start.substr(0, 3) == "\xEF\xBB\xBF") start.remove_prefix(3);
    const auto line = firstContentLine(start);
    if (beginsVCardSoon(start)) return ContactFormat::VCard;
    if (startsWithNoCase(line, "dn:") || startsWithNoCase(line, "version:")) return ContactFormat::Ldif;
    if (line.find_first_of(",;\t") != std::string_view::npos) return ContactFormat::Csv;
    return ContactFormat::Unknown;
}

ContactFile readContactFile(std::string_view bytes, const ContactFileOptions& options) {
    ContactFile none;
    if (bytes.size() > kMaxContactFileBytes) {
        none.problems.push_back({ProblemCode::TooLarge, 0, "", std::to_string(bytes.size() / (1024 * 1024)) + " MB"});
        return none;
    }
    const auto format = options.format != ContactFormat::Unknown ? options.format : detectContactFormat(bytes, options.encoding);
    switch (format) {
    case ContactFormat::VCard: {
        VCardReadOptions o;
        o.encoding = options.encoding;
        return readVCards(bytes, o);
    }
    case ContactFormat::Ldif: {
        const auto decoded = decodeFile(bytes, options.encoding);
        auto file = readLdif(decoded.text);
        file.encoding = decoded.encoding;
        file.problems.insert(file.problems.begin(), decoded.problems.begin(), decoded.problems.end());
        return file;
    }
    case ContactFormat::Csv: {
        CsvReadOptions o;
        o.encoding = options.encoding;
        return readContactCsvBytes(bytes, o);
    }
    case ContactFormat::Unknown: break;
    }
    none.problems.push_back({ProblemCode::UnknownFormat, 0, "", bytes.empty() ? "empty" : ""});
    return none;
}

}  // namespace conduit::crm::exchange
