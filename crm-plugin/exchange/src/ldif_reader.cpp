#include <conduit/crm/exchange/ldif_reader.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <algorithm>
#include <optional>

namespace conduit::crm::exchange {
namespace {

// One line after unfolding, with the number of its first physical line.
struct Line {
    std::string text;
    std::size_t number = 0;
};

using Record = std::vector<Line>;

struct AttributeLine {
    enum class Kind { Plain, Base64, Url };
    std::string name;
    std::string value;  // as written: base64 and URLs not yet decoded
    Kind kind = Kind::Plain;
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// What a problem shows of a line it could not read: its start, always valid text.
std::string excerpt(std::string_view text) { return utf8Shorten(replaceInvalidUtf8(text.substr(0, 200)), 40); }

class RecordSplitter {
public:
    std::vector<Record> split(std::string_view bytes) {
        if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
        std::size_t number = 0;
        while (!bytes.empty()) {
            const auto end = bytes.find('\n');
            std::string_view line = bytes.substr(0, end);
            bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
            if (line.ends_with('\r')) line.remove_suffix(1);
            take(line, ++number);
        }
        finish();
        return std::move(records_);
    }

private:
    void take(std::string_view line, std::size_t number) {
        if (line.empty()) return finish();
        if (line.front() == ' ') return continueLast(line.substr(1), number);
        inComment_ = line.front() == '#';
        if (!inComment_) current_.push_back({std::string(line), number});
    }

    // A folded line continues the line before it, comments included.
    void continueLast(std::string_view rest, std::size_t number) {
        if (inComment_) return;
        if (current_.empty()) current_.push_back({" " + std::string(rest), number});
        else current_.back().text += rest;
    }

    void finish() {
        inComment_ = false;
        if (!current_.empty()) records_.push_back(std::move(current_));
        current_.clear();
    }

    std::vector<Record> records_;
    Record current_;
    bool inComment_ = false;
};

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ';' ||
           c == '.' || c == '_';
}

std::optional<AttributeLine> parseLine(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == 0 || colon == std::string::npos) return std::nullopt;
    AttributeLine out;
    out.name = text.substr(0, colon);
    if (!std::all_of(out.name.begin(), out.name.end(), isNameChar) || out.name.front() == ';') return std::nullopt;
    std::size_t at = colon + 1;
    const char mark = at < text.size() ? text[at] : '\0';
    if (mark == ':' || mark == '<') {
        out.kind = mark == ':' ? AttributeLine::Kind::Base64 : AttributeLine::Kind::Url;
        ++at;
    }
    while (at < text.size() && text[at] == ' ') ++at;
    out.value = text.substr(at);
    return out;
}

int base64Digit(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Strict but for spaces (left by careless folding) and missing padding.
std::optional<std::string> decodeBase64(std::string_view text) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    std::size_t digits = 0, padding = 0;
    for (char c : text) {
        if (c == ' ') continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        const int digit = base64Digit(c);
        if (digit < 0 || padding > 0) return std::nullopt;
        ++digits;
        buffer = (buffer << 6) | static_cast<unsigned>(digit);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (digits % 4 == 1 || padding > 2 || (padding > 0 && (digits + padding) % 4 != 0)) return std::nullopt;
    return out;
}

// ldapsearch ends its output with "search: 2 / result: 0 Success": a trailer, not an entry.
bool isSearchTrailer(const Record& record) {
    return std::all_of(record.begin(), record.end(), [](const Line& line) {
        const auto parsed = parseLine(line.text);
        if (!parsed) return false;
        const auto name = lower(parsed->name);
        return name == "search" || name == "result" || name == "matcheddn" || name == "text" || name == "ref";
    }) && lower(record.front().text).starts_with("search:");
}

class EntryReader {
public:
    EntryReader(const AttributeMap& map, ContactFile& file) : map_(map), file_(file) {}

    void read(const Record& record) {
        if (isSearchTrailer(record)) return;
        entry_ = {};
        problems_.clear();
        if (!readDn(record.front())) return;
        for (std::size_t i = 1; i < record.size(); ++i)
            if (!readLine(record[i])) return;
        if (!isContactEntry(entry_, map_)) return;
        ContactRecord contact = toContact(entry_, map_);
        contact.problems.insert(contact.problems.begin(), problems_.begin(), problems_.end());
        file_.records.push_back(std::move(contact));
    }

private:
    // Without a DN there is no entry: the whole record is reported and skipped.
    bool readDn(const Line& line) {
        const auto parsed = parseLine(line.text);
        if (!parsed || lower(parsed->name) != "dn") {
            file_.problems.push_back({ProblemCode::MalformedLine, line.number, "dn", excerpt(line.text)});
            return false;
        }
        auto value = valueOf(*parsed, line.number);
        if (!value) {
            file_.problems.insert(file_.problems.end(), problems_.begin(), problems_.end());
            return false;
        }
        entry_.dn = std::move(*value);
        entry_.line = line.number;
        return true;
    }

    // False when the record turns out to be a change other than an addition.
    bool readLine(const Line& line) {
        const auto parsed = parseLine(line.text);
        if (!parsed) {
            problems_.push_back({ProblemCode::MalformedLine, line.number, "", excerpt(line.text)});
            return true;
        }
        const auto name = lower(parsed->name);
        if (name == "control") return true;
        if (name == "changetype") return isAddition(*parsed, line.number);
        if (auto value = valueOf(*parsed, line.number)) add(parsed->name, std::move(*value));
        return true;
    }

    bool isAddition(const AttributeLine& parsed, std::size_t number) {
        if (lower(parsed.value) == "add") return true;
        file_.problems.push_back({ProblemCode::NotAnAddition, number, "changetype", excerpt(parsed.value)});
        return false;
    }

    std::optional<std::string> valueOf(const AttributeLine& parsed, std::size_t number) {
        const std::string field = excerpt(parsed.name);
        if (parsed.kind == AttributeLine::Kind::Url) {
            problems_.push_back({ProblemCode::ValueByUrl, number, field, excerpt(parsed.value)});
            return std::nullopt;
        }
        if (parsed.kind == AttributeLine::Kind::Plain) return parsed.value;
        auto decoded = decodeBase64(parsed.value);
        if (!decoded) problems_.push_back({ProblemCode::BadBase64, number, field, excerpt(parsed.value)});
        return decoded;
    }

    void add(const std::string& name, std::string value) {
        const auto key = lower(name);
        for (auto& attribute : entry_.attributes)
            if (lower(attribute.name) == key) {
                attribute.values.push_back(std::move(value));
                return;
            }
        entry_.attributes.push_back({name, {std::move(value)}});
    }

    const AttributeMap& map_;
    ContactFile& file_;
    DirectoryEntry entry_;
    std::vector<ExchangeProblem> problems_;
};

// "version: 1" opens a file; it belongs to no entry.
void dropVersionLine(std::vector<Record>& records) {
    if (records.empty() || !lower(records.front().front().text).starts_with("version:")) return;
    records.front().erase(records.front().begin());
    if (records.front().empty()) records.erase(records.begin());
}

}  // namespace

ContactFile readLdif(std::string_view bytes, const AttributeMap& map) {
    ContactFile file;
    file.encoding = "UTF-8";
    auto records = RecordSplitter().split(bytes);
    dropVersionLine(records);
    EntryReader reader(map, file);
    for (const auto& record : records) reader.read(record);
    return file;
}

}  // namespace conduit::crm::exchange
