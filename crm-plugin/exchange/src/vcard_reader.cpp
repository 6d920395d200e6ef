#include <conduit/crm/exchange/vcard_reader.hpp>

#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/vcard_writer.hpp>
#include <conduit/crm/foundation/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

namespace conduit::crm::exchange {
namespace {

// ---- small text helpers -------------------------------------------------------------------------

char upperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), upperAscii);
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return upperAscii(x) == upperAscii(y);
           });
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equalsNoCase(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// ---- physical lines -----------------------------------------------------------------------------

struct PhysicalLine {
    std::string_view text;
    std::size_t number = 0;
};

// Lines end in LF, CRLF or CR CR LF (iOS); a file with no LF at all ends them in CR. A CR alone
// inside a line of a LF file belongs to the value (Thunderbird writes such).
class LineCursor {
public:
    explicit LineCursor(std::string_view text)
        : text_(text), separator_(text.find('\n') == std::string_view::npos ? '\r' : '\n') {}

    bool atEnd() const { return position_ >= text_.size(); }

    PhysicalLine peek() const {
        const auto end = std::min(text_.find(separator_, position_), text_.size());
        auto line = text_.substr(position_, end - position_);
        while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return {line, number_};
    }

    PhysicalLine take() {
        const auto line = peek();
        const auto end = text_.find(separator_, position_);
        position_ = end == std::string_view::npos ? text_.size() : end + 1;
        ++number_;
        return line;
    }

private:
    std::string_view text_;
    char separator_;
    std::size_t position_ = 0;
    std::size_t number_ = 1;
};

// ---- content lines (unfolded) -------------------------------------------------------------------

struct ContentLine {
    std::string text;
    std::size_t line = 0;
    bool tooLong = false;
    bool endsInEquals = false;  // kept when the text is dropped: the soft breaks still join
};

// What the header of a line says about how its value continues on the next lines.
struct ValueEncoding {
    bool known = false;  // the header (up to the first ':') has been seen
    bool quotedPrintable = false;
    // 2.1's BASE64, whose lines may go on unindented up to a blank line; 3.0's "b" is folded.
    bool base64 = false;
};

std::vector<std::string_view> splitHeader(std::string_view header);
std::vector<std::string> splitParameterValues(std::string_view text);

std::size_t headerEnd(std::string_view text);

ValueEncoding encodingOfHeader(std::string_view text) {
    const auto colon = headerEnd(text);
    if (colon == std::string_view::npos) return {};
    ValueEncoding out;
    out.known = true;
    const auto parts = splitHeader(text.substr(0, colon));
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto equals = parts[i].find('=');
        const bool bare = equals == std::string_view::npos;
        const auto name = upper(trim(parts[i].substr(0, bare ? 0 : equals)));
        if (!name.empty() && name != "ENCODING" && name != "TYPE") continue;
        for (const auto& value : splitParameterValues(trim(parts[i].substr(bare ? 0 : equals + 1)))) {
            const auto word = upper(trim(value));
            out.quotedPrintable = out.quotedPrintable || word == "QUOTED-PRINTABLE";
            out.base64 = out.base64 || word == "BASE64";
        }
    }
    return out;
}

bool isBase64Line(std::string_view line) {
    if (trim(line).empty()) return false;
    return std::all_of(line.begin(), line.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
               c == '/' || c == '=' || c == ' ' || c == '\t';
    });
}

bool isCardBoundary(std::string_view line) {
    return startsWithNoCase(line, "END:VCARD") || startsWithNoCase(line, "BEGIN:VCARD");
}

void append(ContentLine& content, std::string_view more, std::size_t limit) {
    content.endsInEquals = !more.empty() && more.back() == '=';
    if (content.tooLong) return;
    if (content.text.size() + more.size() > limit) {
        content.tooLong = true;
        content.text.clear();
        content.text.shrink_to_fit();
        return;
    }
    content.text.append(more);
}

// One property with its continuations: folds (a leading space or tab), quoted-printable soft
// breaks (a trailing '='), and 2.1 base64 blocks whose lines are not indented.
ContentLine readContentLine(LineCursor& lines, std::size_t limit) {
    const auto first = lines.take();
    ContentLine content{"", first.number, false, false};
    append(content, first.text, limit);
    ValueEncoding encoding = encodingOfHeader(content.text);
    while (!lines.atEnd()) {
        const auto next = lines.peek().text;
        const bool softBreak = encoding.quotedPrintable && content.endsInEquals && !isCardBoundary(next);
        if (softBreak) {
            if (!content.tooLong) content.text.pop_back();
            append(content, next, limit);
        } else if (!next.empty() && (next.front() == ' ' || next.front() == '\t')) {
            append(content, next.substr(1), limit);
        } else if (encoding.base64 && isBase64Line(next)) {
            append(content, next, limit);
        } else {
            break;
        }
        // The header is looked at again only once its ':' has come: a header folded over many
        // lines costs no more than one that is not.
        const bool headerEnded = next.find(':') != std::string_view::npos;
        lines.take();
        if (!encoding.known && headerEnded) encoding = encodingOfHeader(content.text);
    }
    return content;
}

// ---- a property split into its parts ------------------------------------------------------------

struct Parameter {
    std::string name;                 // upper case; empty for a bare 2.1 value (TEL;WORK;VOICE)
    std::vector<std::string> values;  // as written, quotes removed
};

struct Property {
    std::string group, name;  // name in upper case
    std::vector<Parameter> parameters;
    std::string value;
    std::size_t line = 0;
};

// The place of the ':' that ends the header, outside quoted parameter values when the quotes close.
std::size_t headerEnd(std::string_view text) {
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') quoted = !quoted;
        if (text[i] == ':' && !quoted) return i;
    }
    return text.find(':');
}

std::vector<std::string> splitParameterValues(std::string_view text) {
    std::vector<std::string> values;
    std::string current;
    bool quoted = false;
    for (const char c : text) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            values.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    values.push_back(std::move(current));
    return values;
}

Parameter parameterOf(std::string_view text) {
    const auto equals = text.find('=');
    const auto quote = text.find('"');
    if (equals == std::string_view::npos || (quote != std::string_view::npos && quote < equals))
        return {"", splitParameterValues(trim(text))};
    return {upper(trim(text.substr(0, equals))), splitParameterValues(trim(text.substr(equals + 1)))};
}

std::vector<std::string_view> splitHeader(std::string_view header) {
    std::vector<std::string_view> parts;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == '"') quoted = !quoted;
        if (header[i] == ';' && !quoted) {
            parts.push_back(header.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(header.substr(start));
    return parts;
}

bool isTokenCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool isToken(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return isTokenCharacter(c) && c != '.'; });
}

std::optional<Property> propertyOf(const ContentLine& content) {
    const std::string_view text = content.text;
    const auto colon = headerEnd(text);
    if (colon == std::string_view::npos) return std::nullopt;
    const auto parts = splitHeader(text.substr(0, colon));
    Property property;
    property.line = content.line;
    auto name = trim(parts.front());
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos) {
        property.group = std::string(name.substr(0, dot));
        name.remove_prefix(dot + 1);
    }
    if (!isToken(name) || !std::all_of(property.group.begin(), property.group.end(), isTokenCharacter)) return std::nullopt;
    property.name = upper(name);
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (!trim(parts[i]).empty()) property.parameters.push_back(parameterOf(parts[i]));
    property.value = std::string(text.substr(colon + 1));
    return property;
}

const Parameter* findParameter(const Property& property, std::string_view name) {
    for (const auto& parameter : property.parameters)
        if (parameter.name == name) return &parameter;
    return nullptr;
}

std::string parameterValue(const Property& property, std::string_view name) {
    const auto* parameter = findParameter(property, name);
    return parameter && !parameter->values.empty() ? parameter->values.front() : std::string();
}

bool hasBareValue(const Property& property, std::string_view value) {
    for (const auto& parameter : property.parameters)
        if (parameter.name.empty() || parameter.name == "TYPE")
            for (const auto& v : parameter.values)
                if (equalsNoCase(v, value)) return true;
    return false;
}

// ---- transfer encodings -------------------------------------------------------------------------

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

struct Bytes {
    std::string bytes;
    std::optional<std::string> badPlace;  // what was broken, for the problem's detail
};

Bytes decodeQuotedPrintable(std::string_view text) {
    Bytes out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '=') {
            out.bytes += text[i];
            continue;
        }
        if (i + 1 == text.size()) break;  // a soft break at the very end
        const int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        const int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
        if (high < 0 || low < 0) {
            if (!out.badPlace) out.badPlace = std::string(text.substr(i, 3));
            out.bytes += '=';
            continue;
        }
        out.bytes += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

Bytes decodeBase64(std::string_view text) {
    Bytes out;
    out.bytes.reserve(text.size() / 4 * 3 + 3);
    unsigned buffer = 0;
    int bits = 0, digits = 0;
    bool padded = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '=') {
            padded = true;
            continue;
        }
        const int value = base64Value(c);
        if (value < 0 || padded) {
            out.badPlace = "'" + std::string(1, c) + "' after " + std::to_string(digits) + " characters";
            return out;
        }
        ++digits;
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (digits % 4 == 1) out.badPlace = std::to_string(digits) + " characters";
    return out;
}

// The digits of a base64 value kept as text (a certificate, a logo): nothing else survives a write.
std::string base64Digits(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (base64Value(c) >= 0 || c == '=') out += c;
    return out;
}

std::string withoutSpaces(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out += c;
    return out;
}

// ---- the file's text and its code pages ---------------------------------------------------------

struct FileText {
    std::string owned;        // the decoded text of a UTF-16 file (or one forced to a wide code page)
    std::string_view text;
    bool decoded = false;     // values are UTF-8 already; CHARSET= applies to encoded bytes only
    std::string forced;       // the reader's choice for values without CHARSET=
    std::string guessed;      // the guess for values without CHARSET= that are not UTF-8
    std::string encoding;
};

bool keepsAscii(std::string_view charset) {
    constexpr std::string_view kMarkup = "BEGIN:VCARD\r\nN;X=\"a,b\":\\;\n";
    return fromUtf8(kMarkup, charset).bytes == kMarkup;
}

// UTF-16 (its BOM or its zero bytes) is decoded whole before the lines are split; a stray zero
// byte in an 8-bit file is not UTF-16.
bool looksWide(std::string_view bytes) {
    if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") return true;
    const auto start = bytes.substr(0, 8192);
    if (start.find('\0') == std::string_view::npos) return false;
    return decodeFile(start).encoding.rfind("UTF-16", 0) == 0;
}

FileText decodeWhole(std::string_view bytes, std::string_view charset, ContactFile& file) {
    auto decoded = decodeFile(bytes, charset);
    FileText out;
    out.owned = std::move(decoded.text);
    out.text = out.owned;
    out.decoded = true;
    out.encoding = decoded.encoding;
    for (auto& problem : decoded.problems) file.problems.push_back(std::move(problem));
    return out;
}

FileText fileTextOf(std::string_view bytes, const VCardReadOptions& options, ContactFile& file) {
    std::string_view forced = options.encoding;
    if (!forced.empty() && !charsetName(forced)) {
        file.problems.push_back({ProblemCode::UnknownCharset, 0, "", std::string(forced.substr(0, 64))});
        forced = {};
    }
    if (!forced.empty() && !keepsAscii(forced)) return decodeWhole(bytes, forced, file);
    if (forced.empty() && looksWide(bytes)) return decodeWhole(bytes, {}, file);
    FileText out;
    out.text = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? bytes.substr(3) : bytes;
    if (!forced.empty()) {
        out.forced = charsetName(forced).value_or(std::string(forced));
        out.encoding = out.forced;
    } else if (!isValidUtf8(out.text)) {
        out.guessed = decodeFile(out.text.substr(0, 1 << 20)).encoding;
    }
    return out;
}

// ---- one card -----------------------------------------------------------------------------------

struct CardReader {
    const FileText& file;
    const VCardReadOptions& options;
    ContactRecord record;
    std::map<std::string, std::string> labels;  // group -> its X-ABLabel
    std::vector<std::string> labelledGroups;    // groups whose label a value took
    bool usedGuess = false;

    void problem(ProblemCode code, const Property& property, std::string detail) {
        record.problems.push_back({code, property.line, property.name, std::move(detail)});
    }
    void keep(const Property& property, std::string text) {
        record.extra.emplace_back(property.group.empty() ? property.name : property.group + "." + property.name,
                                  std::move(text));
    }
};

// The value's bytes with its transfer encoding (quoted-printable, base64) undone.
std::optional<std::string> transferDecoded(CardReader& card, const Property& property, bool& encoded) {
    const auto encoding = upper(parameterValue(property, "ENCODING"));
    encoded = false;
    if (encoding == "QUOTED-PRINTABLE" || hasBareValue(property, "QUOTED-PRINTABLE")) {
        encoded = true;
        auto decoded = decodeQuotedPrintable(property.value);
        if (decoded.badPlace) card.problem(ProblemCode::BadQuotedPrintable, property, *decoded.badPlace);
        return std::move(decoded.bytes);
    }
    if (encoding == "B" || encoding == "BASE64" || hasBareValue(property, "BASE64")) {
        encoded = true;
        auto decoded = decodeBase64(property.value);
        if (decoded.badPlace) {
            card.problem(ProblemCode::BadBase64, property, *decoded.badPlace);
            return std::nullopt;
        }
        return std::move(decoded.bytes);
    }
    return property.value;
}

std::string convertedText(CardReader& card, const Property& property, std::string_view bytes, std::string_view charset) {
    auto converted = toUtf8(bytes, charset);
    if (converted.problem) {
        converted.problem->line = property.line;
        converted.problem->field = property.name;
        card.record.problems.push_back(*converted.problem);
        if (converted.problem->code == ProblemCode::UnknownCharset) return replaceInvalidUtf8(bytes);
    }
    return std::move(converted.text);
}

// The value as UTF-8: its CHARSET=, else the reader's choice, else UTF-8, else the file's guess.
std::string utf8Of(CardReader& card, const Property& property, const std::string& bytes, bool encoded) {
    const auto charset = parameterValue(property, "CHARSET");
    const bool alreadyText = card.file.decoded && !encoded;
    if (!alreadyText && !charset.empty()) return convertedText(card, property, bytes, charset);
    if (!alreadyText && !card.file.forced.empty()) return convertedText(card, property, bytes, card.file.forced);
    if (isValidUtf8(bytes)) return bytes;
    card.usedGuess = true;
    if (!card.file.guessed.empty()) return convertedText(card, property, bytes, card.file.guessed);
    auto guess = decodeFile(bytes);
    return std::move(guess.text);
}

// Text as a person typed it: line breaks as LF, no control characters but TAB and LF.
void addClean(std::string& out, char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n') return;
    out += c;
}

// The value split at unescaped `separator` (none when '\0'), each part unescaped.
std::vector<std::string> unescapedParts(std::string_view text, char separator) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            const char next = text[++i];
            if (next == 'n' || next == 'N') {
                parts.back() += '\n';
            } else if (next == ',' || next == ';' || next == ':' || next == '\\') {
                parts.back() += next;
            } else {
                parts.back() += '\\';
                --i;
            }
        } else if (c == separator && separator != '\0') {
            parts.emplace_back();
        } else if (c == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') continue;
            parts.back() += '\n';
        } else {
            addClean(parts.back(), c);
        }
    }
    return parts;
}

std::string unescaped(std::string_view text) { return std::move(unescapedParts(text, '\0').front()); }

// ---- labels, dates, messengers ------------------------------------------------------------------

// A label or a type from the header: valid UTF-8 on one line, whatever bytes the file had.
std::string cleanLabel(std::string_view text) {
    std::string out;
    for (const char c : replaceInvalidUtf8(text))
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    return std::string(trim(out));
}

std::string abLabel(std::string_view label) {
    auto text = trim(label);
    if (text.size() > 8 && text.substr(0, 4) == "_$!<" && text.substr(text.size() - 4) == ">!$_")
        text = text.substr(4, text.size() - 8);
    return lower(cleanLabel(text));
}

// "work", "home,fax", "pref": the kinds written as TYPE= or bare 2.1 values, or the group's X-ABLabel.
std::string labelOf(CardReader& card, const Property& property, std::initializer_list<std::string_view> ignored) {
    if (!property.group.empty()) {
        const auto found = card.labels.find(lower(property.group));
        if (found != card.labels.end()) {
            card.labelledGroups.push_back(found->first);
            return abLabel(found->second);
        }
    }
    static constexpr std::array<std::string_view, 10> kNotKinds{
        "quoted-printable", "base64", "8bit", "7bit", "b", "jpeg", "png", "gif", "uri", "text"};
    std::vector<std::string> kinds;
    const auto add = [&kinds](std::string kind) {
        if (!kind.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(std::move(kind));
    };
    for (const auto& parameter : property.parameters) {
        if (parameter.name == "PREF") add("pref");
        if (!parameter.name.empty() && parameter.name != "TYPE") continue;
        for (const auto& quotedList : parameter.values) {
            for (const auto& value : splitParameterValues(quotedList)) {
                const auto kind = lower(cleanLabel(value));
                const bool skip = std::find(ignored.begin(), ignored.end(), kind) != ignored.end() ||
                                  std::find(kNotKinds.begin(), kNotKinds.end(), kind) != kNotKinds.end();
                if (!skip) add(kind);
            }
        }
    }
    std::string label;
    for (const auto& kind : kinds) label += (label.empty() ? "" : ",") + kind;
    return label;
}

bool isLeap(int year) { return year == 0 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)); }

bool plausible(const ContactDate& date) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (date.month < 1 || date.month > 12 || date.day < 1) return false;
    if (date.month == 2 && date.day == 29) return isLeap(date.year);
    return date.day <= kDays[date.month - 1];
}

std::optional<int> number(std::string_view digits) {
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    int value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// 1980-03-21, 19800321, --0321, --03-21, 21.03.1980, each maybe with a time after 'T'.
std::optional<ContactDate> dateOf(std::string_view text) {
    text = trim(text);
    text = text.substr(0, std::min(text.find('T'), text.size()));
    std::optional<int> year, month, day;
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
        year = number(text.substr(0, 4)), month = number(text.substr(5, 2)), day = number(text.substr(8, 2));
    } else if (text.size() == 8 && text[0] != '-') {
        year = number(text.substr(0, 4)), month = number(text.substr(4, 2)), day = number(text.substr(6, 2));
    } else if (text.size() == 6 && text.substr(0, 2) == "--") {
        year = 0, month = number(text.substr(2, 2)), day = number(text.substr(4, 2));
    } else if (text.size() == 7 && text.substr(0, 2) == "--" && text[4] == '-') {
        year = 0, month = number(text.substr(2, 2)), day = number(text.substr(5, 2));
    } else if (text.size() == 10 && text[2] == '.' && text[5] == '.') {
        day = number(text.substr(0, 2)), month = number(text.substr(3, 2)), year = number(text.substr(6, 4));
    }
    if (!year || !month || !day) return std::nullopt;
    ContactDate date{*year, *month, *day};
    if (!plausible(date)) return std::nullopt;
    return date;
}

struct Messenger {
    std::string_view scheme, label;
};

constexpr std::array<Messenger, 12> kMessengers{{
    {"xmpp", "jabber"}, {"skype", "skype"}, {"tg", "telegram"}, {"telegram", "telegram"}, {"aim", "aim"},
    {"icq", "icq"}, {"msnim", "msn"}, {"ymsgr", "yahoo"}, {"gtalk", "gtalk"}, {"gg", "gadugadu"},
    {"sip", "sip"}, {"qq", "qq"},
}};

bool isScheme(std::string_view text) {
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

LabelledValue messengerOf(const Property& property, std::string_view text) {
    LabelledValue out{std::string(trim(text)), lower(cleanLabel(parameterValue(property, "X-SERVICE-TYPE")))};
    const auto colon = out.value.find(':');
    if (colon == std::string::npos || !isScheme(std::string_view(out.value).substr(0, colon))) return out;
    const auto scheme = lower(out.value.substr(0, colon));
    out.value.erase(0, colon + 1);
    if (!out.label.empty()) return out;
    out.label = scheme;
    for (const auto& messenger : kMessengers)
        if (messenger.scheme == scheme) out.label = std::string(messenger.label);
    return out;
}

// ---- photos -------------------------------------------------------------------------------------

std::string sniffedImageType(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
    if (bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
    if (bytes.substr(0, 4) == "GIF8") return "image/gif";
    if (bytes.substr(0, 2) == "BM") return "image/bmp";
    return {};
}

std::string imageTypeOf(const Property& property) {
    const auto written = parameterValue(property, "TYPE");
    auto type = trim(written);
    if (type.empty())
        for (const auto& bare : {"JPEG", "PNG", "GIF", "BMP"})
            if (hasBareValue(property, bare)) type = bare;
    if (type.empty()) return {};
    if (type.find('/') != std::string_view::npos) return lower(cleanLabel(type));
    return "image/" + lower(cleanLabel(type));
}

void takePhoto(CardReader& card, const Property& property, std::string bytes, std::string type) {
    if (bytes.size() > card.options.maxPhotoBytes) {
        card.problem(ProblemCode::TooLarge, property, std::to_string(bytes.size()) + " bytes");
        return;
    }
    if (type.empty()) type = sniffedImageType(bytes);
    if (!card.record.photo.empty()) {
        card.keep(property, "data:" + type + ";base64," + base64Digits(property.value));
        return;
    }
    card.record.photo = std::move(bytes);
    card.record.photoType = std::move(type);
}

void readDataUri(CardReader& card, const Property& property, std::string_view uri) {
    const auto comma = uri.find(',');
    const auto header = uri.substr(5, comma == std::string_view::npos ? 0 : comma - 5);
    if (comma == std::string_view::npos || header.find(";base64") == std::string_view::npos) {
        card.keep(property, std::string(uri));
        return;
    }
    auto decoded = decodeBase64(uri.substr(comma + 1));
    if (decoded.badPlace) {
        card.problem(ProblemCode::BadBase64, property, *decoded.badPlace);
        return;
    }
    takePhoto(card, property, std::move(decoded.bytes), lower(cleanLabel(header.substr(0, header.find(';')))));
}

// An inline image (2.1/3.0 base64, a 4.0 data: URI) is the photo; a link to one stays in extra.
void readPhoto(CardReader& card, const Property& property) {
    const auto text = unescaped(trim(property.value));
    if (startsWithNoCase(trim(text), "data:")) return readDataUri(card, property, withoutSpaces(text));
    bool encoded = false;
    auto bytes = transferDecoded(card, property, encoded);
    if (!encoded) return card.keep(property, text);
    if (bytes) takePhoto(card, property, std::move(*bytes), imageTypeOf(property));
}

// ---- what each property fills in ----------------------------------------------------------------

using Handler = void (*)(CardReader&, const Property&, const std::string&);

void setOrKeep(CardReader& card, const Property& property, std::string& member, std::string text) {
    if (text.empty()) return;
    if (member.empty()) member = std::move(text);
    else if (member != text) card.keep(property, std::move(text));
}

void readName(CardReader& card, const Property& property, const std::string& text) {
    auto& r = card.record;
    if (!r.familyName.empty() || !r.givenName.empty() || !r.additionalNames.empty() || !r.prefix.empty() ||
        !r.suffix.empty()) {
        card.keep(property, unescaped(text));
        return;
    }
    auto parts = unescapedParts(text, ';');
    parts.resize(std::max<std::size_t>(parts.size(), 5));
    std::string* members[] = {&r.familyName, &r.givenName, &r.additionalNames, &r.prefix, &r.suffix};
    for (std::size_t i = 0; i < 5; ++i) *members[i] = std::string(trim(parts[i]));
}

void readOrganisation(CardReader& card, const Property& property, const std::string& text) {
    auto parts = unescapedParts(text, ';');
    if (!card.record.organisation.empty()) {
        card.keep(property, unescaped(text));
        return;
    }
    card.record.organisation = std::string(trim(parts.front()));
    std::string departments;
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (!trim(parts[i]).empty()) departments += (departments.empty() ? "" : ", ") + std::string(trim(parts[i]));
    card.record.department = std::move(departments);
}

void readFormattedName(CardReader& card, const Property& property, const std::string& text) {
    setOrKeep(card, property, card.record.formattedName, std::string(trim(unescaped(text))));
}
void readTitle(CardReader& card, const Property& property, const std::string& text) {
    setOrKeep(card, property, card.record.jobTitle, unescaped(text));
}
void readNickname(CardReader& card, const Property& property, const std::string& text) {
    setOrKeep(card, property, card.record.nickname, unescaped(text));
}
void readLanguage(CardReader& card, const Property& property, const std::string& text) {
    setOrKeep(card, property, card.record.language, std::string(trim(unescaped(text))));
}
void readUid(CardReader& card, const Property& property, const std::string& text) {
    setOrKeep(card, property, card.record.sourceId, std::string(trim(unescaped(text))));
}
void readKept(CardReader& card, const Property& property, const std::string& text) {
    card.keep(property, unescaped(text));
}

void readEmail(CardReader& card, const Property& property, const std::string& text) {
    auto value = std::string(trim(unescaped(text)));
    if (!value.empty()) card.record.emails.push_back({std::move(value), labelOf(card, property, {"internet", "x400"})});
}

void readPhone(CardReader& card, const Property& property, const std::string& text) {
    std::string value(trim(unescaped(text)));
    while (startsWithNoCase(value, "tel:")) value = std::string(trim(std::string_view(value).substr(4)));
    if (!value.empty()) card.record.phones.push_back({std::move(value), labelOf(card, property, {"voice"})});
}

void readUrl(CardReader& card, const Property& property, const std::string& text) {
    auto value = std::string(trim(unescaped(text)));
    if (!value.empty()) card.record.urls.push_back({std::move(value), labelOf(card, property, {})});
}

void readAddress(CardReader& card, const Property& property, const std::string& text) {
    auto parts = unescapedParts(text, ';');
    parts.resize(std::max<std::size_t>(parts.size(), 7));
    ContactAddress address;
    address.label = labelOf(card, property, {});
    const std::string poBox(trim(parts[0])), extended(trim(parts[1]));
    address.extended = poBox.empty() ? extended : extended.empty() ? poBox : poBox + ", " + extended;
    address.street = std::string(trim(parts[2]));
    address.city = std::string(trim(parts[3]));
    address.region = std::string(trim(parts[4]));
    address.postcode = std::string(trim(parts[5]));
    address.country = std::string(trim(parts[6]));
    for (std::size_t i = 7; i < parts.size(); ++i)
        if (!trim(parts[i]).empty()) address.country += (address.country.empty() ? "" : ", ") + std::string(trim(parts[i]));
    if (address.extended.empty() && address.street.empty() && address.city.empty() && address.region.empty() &&
        address.postcode.empty() && address.country.empty())
        return;
    card.record.addresses.push_back(std::move(address));
}

void readDate(CardReader& card, const Property& property, const std::string& text, ContactDate& member) {
    const auto value = unescaped(text);
    if (trim(value).empty()) return;
    if (equalsNoCase(parameterValue(property, "VALUE"), "text")) return card.keep(property, value);
    auto date = dateOf(value);
    if (!date) {
        card.problem(ProblemCode::BadDate, property, std::string(trim(value)).substr(0, 40));
        return card.keep(property, value);
    }
    if (date->year == 1604 && !parameterValue(property, "X-APPLE-OMIT-YEAR").empty()) date->year = 0;
    if (member.empty()) member = *date;
    else if (!(member == *date)) card.keep(property, value);
}

void readBirthday(CardReader& card, const Property& property, const std::string& text) {
    readDate(card, property, text, card.record.birthday);
}
void readAnniversary(CardReader& card, const Property& property, const std::string& text) {
    readDate(card, property, text, card.record.anniversary);
}

void readNote(CardReader& card, const Property&, const std::string& text) {
    auto note = unescaped(text);
    if (note.empty()) return;
    auto& member = card.record.note;
    member += (member.empty() ? "" : "\n") + note;
}

void readCategories(CardReader& card, const Property&, const std::string& text) {
    for (auto& part : unescapedParts(text, ','))
        if (!trim(part).empty()) card.record.categories.emplace_back(trim(part));
}

std::string genderOf(std::string_view text) {
    const auto word = lower(trim(text));
    if (word == "m" || word == "male" || word == "man") return "M";
    if (word == "f" || word == "female" || word == "woman") return "F";
    return {};
}

void readGender(CardReader& card, const Property& property, const std::string& text) {
    const auto parts = unescapedParts(text, property.name == "GENDER" ? ';' : '\0');
    auto gender = genderOf(parts.front());
    const bool onlySex = parts.size() == 1 || trim(parts[1]).empty();
    if (gender.empty() || !onlySex || (!card.record.gender.empty() && card.record.gender != gender))
        return card.keep(property, unescaped(text));
    card.record.gender = std::move(gender);
}

void readKind(CardReader& card, const Property& property, const std::string& text) {
    const auto kind = lower(trim(unescaped(text)));
    if (kind == "org" || kind == "organization" || kind == "company") card.record.isCompany = true;
    else if (kind != "individual") card.keep(property, unescaped(text));
}

void readMessenger(CardReader& card, const Property& property, const std::string& text) {
    auto messenger = messengerOf(property, unescaped(text));
    if (!messenger.value.empty()) card.record.messengers.push_back(std::move(messenger));
}

void readNamedMessenger(CardReader& card, const Property& property, const std::string& text) {
    static constexpr std::array<Messenger, 12> kProperties{{
        {"X-SKYPE", "skype"}, {"X-SKYPE-USERNAME", "skype"}, {"X-TELEGRAM", "telegram"}, {"X-JABBER", "jabber"},
        {"X-AIM", "aim"}, {"X-ICQ", "icq"}, {"X-MSN", "msn"}, {"X-YAHOO", "yahoo"}, {"X-GOOGLE-TALK", "gtalk"},
        {"X-GTALK", "gtalk"}, {"X-GADUGADU", "gadugadu"}, {"X-QQ", "qq"},
    }};
    auto messenger = messengerOf(property, unescaped(text));
    for (const auto& known : kProperties)
        if (known.scheme == property.name) messenger.label = std::string(known.label);
    if (!messenger.value.empty()) card.record.messengers.push_back(std::move(messenger));
}

void readShowAs(CardReader& card, const Property& property, const std::string& text) {
    if (equalsNoCase(trim(unescaped(text)), "COMPANY")) card.record.isCompany = true;
    else card.keep(property, unescaped(text));
}

void ignore(CardReader&, const Property&, const std::string&) {}

struct PropertyHandler {
    std::string_view name;
    Handler handler;
};

constexpr PropertyHandler kHandlers[] = {
    {"N", readName}, {"FN", readFormattedName}, {"ORG", readOrganisation}, {"TITLE", readTitle},
    {"ROLE", readKept}, {"EMAIL", readEmail}, {"TEL", readPhone}, {"ADR", readAddress}, {"URL", readUrl},
    {"BDAY", readBirthday}, {"ANNIVERSARY", readAnniversary}, {"X-ANNIVERSARY", readAnniversary},
    {"X-MS-ANNIVERSARY", readAnniversary}, {"X-EVOLUTION-ANNIVERSARY", readAnniversary}, {"NOTE", readNote},
    {"CATEGORIES", readCategories}, {"NICKNAME", readNickname}, {"GENDER", readGender}, {"X-GENDER", readGender},
    {"LANG", readLanguage}, {"KIND", readKind}, {"X-ABSHOWAS", readShowAs}, {"UID", readUid},
    {"IMPP", readMessenger}, {"X-MS-IMADDRESS", readMessenger}, {"X-SKYPE", readNamedMessenger},
    {"X-SKYPE-USERNAME", readNamedMessenger}, {"X-TELEGRAM", readNamedMessenger}, {"X-JABBER", readNamedMessenger},
    {"X-AIM", readNamedMessenger}, {"X-ICQ", readNamedMessenger}, {"X-MSN", readNamedMessenger},
    {"X-YAHOO", readNamedMessenger}, {"X-GOOGLE-TALK", readNamedMessenger}, {"X-GTALK", readNamedMessenger},
    {"X-GADUGADU", readNamedMessenger}, {"X-QQ", readNamedMessenger}, {"VERSION", ignore}, {"PRODID", ignore},
    {"X-ABLABEL", ignore}, {"BEGIN", ignore}, {"END", ignore},
};

Handler handlerOf(std::string_view name) {
    for (const auto& entry : kHandlers)
        if (entry.name == name) return entry.handler;
    return nullptr;
}

bool isBase64(const Property& property) {
    const auto encoding = upper(parameterValue(property, "ENCODING"));
    return encoding == "B" || encoding == "BASE64" || hasBareValue(property, "BASE64");
}

void readProperty(CardReader& card, const Property& property) {
    if (property.name == "PHOTO") return readPhoto(card, property);
    const auto handler = handlerOf(property.name);
    if (!handler && isBase64(property)) return card.keep(property, base64Digits(property.value));
    bool encoded = false;
    auto bytes = transferDecoded(card, property, encoded);
    if (!bytes) return;
    const auto text = utf8Of(card, property, *bytes, encoded);
    (handler ? handler : readKept)(card, property, text);
}

// The group labels are read first: Apple writes X-ABLabel after the value it names.
void collectLabels(CardReader& card, const std::vector<Property>& properties) {
    for (const auto& property : properties) {
        if (property.name != "X-ABLABEL" || property.group.empty()) continue;
        bool encoded = false;
        auto bytes = transferDecoded(card, property, encoded);
        if (bytes) card.labels.emplace(lower(property.group), unescaped(utf8Of(card, property, *bytes, encoded)));
    }
}

void keepUnusedLabels(CardReader& card, const std::vector<Property>& properties) {
    for (const auto& property : properties) {
        if (property.name != "X-ABLABEL") continue;
        const auto group = lower(property.group);
        const auto used = std::find(card.labelledGroups.begin(), card.labelledGroups.end(), group);
        const auto label = card.labels.find(group);
        if (used == card.labelledGroups.end() && label != card.labels.end()) card.keep(property, label->second);
        else if (property.group.empty()) card.keep(property, unescaped(property.value));
    }
}

// A title nobody gave is the role; a card without FN is named as a writer would name it.
void finish(ContactRecord& record) {
    if (record.jobTitle.empty()) {
        const auto role = std::find_if(record.extra.begin(), record.extra.end(),
                                       [](const auto& entry) { return entry.first == "ROLE"; });
        if (role != record.extra.end()) {
            record.jobTitle = role->second;
            record.extra.erase(role);
        }
    }
    if (record.formattedName.empty()) record.formattedName = displayNameOf(record);
    const bool nameless = record.formattedName.empty() && record.organisation.empty() && record.emails.empty();
    if (nameless) record.problems.push_back({ProblemCode::NoName, record.line, "", ""});
}

ContactRecord recordOf(const FileText& file, const VCardReadOptions& options, std::size_t line,
                       const std::vector<Property>& properties, std::vector<ExchangeProblem> problems,
                       bool& usedGuess) {
    CardReader card{file, options, {}, {}, {}, false};
    card.record.line = line;
    card.record.problems = std::move(problems);
    collectLabels(card, properties);
    for (const auto& property : properties) readProperty(card, property);
    keepUnusedLabels(card, properties);
    finish(card.record);
    std::stable_sort(card.record.problems.begin(), card.record.problems.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    usedGuess = usedGuess || card.usedGuess;
    return std::move(card.record);
}

// ---- the file -----------------------------------------------------------------------------------

bool isLine(std::string_view text, std::string_view what) { return equalsNoCase(trim(text), what); }

// What a property costs in memory beside its text, counted against the card's limit so that
// a card of a million empty lines is as large as its limit says.
constexpr std::size_t kPropertyCost = 128;

struct OpenCard {
    std::size_t line = 0, bytes = 0;
    bool tooLarge = false;
    std::vector<Property> properties;
    std::vector<ExchangeProblem> problems;
};

class FileReader {
public:
    FileReader(const FileText& text, const VCardReadOptions& options, ContactFile& file)
        : text_(text), options_(options), file_(file) {}

    void read() {
        LineCursor lines(text_.text);
        while (!lines.atEnd() && !full_) {
            auto content = readContentLine(lines, options_.maxLineBytes);
            if (card_) onCardLine(content);
            else if (isLine(content.text, "BEGIN:VCARD")) open(content.line);
        }
        if (card_) {
            card_->problems.push_back({ProblemCode::Truncated, card_->line, "END", "BEGIN:VCARD without END:VCARD"});
            close();
        }
    }

    bool usedGuess() const { return usedGuess_; }

private:
    void open(std::size_t line) {
        if (file_.records.size() >= options_.maxCards) {
            file_.problems.push_back({ProblemCode::TooLarge, line, "", std::to_string(options_.maxCards) + " cards"});
            full_ = true;
            return;
        }
        card_ = OpenCard{};
        card_->line = line;
    }

    void close() {
        file_.records.push_back(recordOf(text_, options_, card_->line, card_->properties,
                                         std::move(card_->problems), usedGuess_));
        card_.reset();
    }

    void onCardLine(const ContentLine& content) {
        if (content.tooLong) {
            const auto limit = std::to_string(options_.maxLineBytes);
            card_->problems.push_back({ProblemCode::TooLarge, content.line, "", "a line over " + limit + " bytes"});
            return;
        }
        if (trim(content.text).empty()) return;
        if (isLine(content.text, "END:VCARD")) return close();
        if (isLine(content.text, "BEGIN:VCARD")) {
            card_->problems.push_back({ProblemCode::Truncated, card_->line, "END", "BEGIN:VCARD before END:VCARD"});
            close();
            return open(content.line);
        }
        addProperty(content);
    }

    void addProperty(const ContentLine& content) {
        card_->bytes += content.text.size() + kPropertyCost;
        if (card_->tooLarge) return;
        if (card_->bytes > options_.maxCardBytes) {
            card_->tooLarge = true;
            const auto limit = std::to_string(options_.maxCardBytes);
            card_->problems.push_back({ProblemCode::TooLarge, content.line, "", "a card over " + limit + " bytes"});
            return;
        }
        auto property = propertyOf(content);
        if (!property) {
            card_->problems.push_back({ProblemCode::MalformedLine, content.line, "",
                                       utf8Prefix(replaceInvalidUtf8(content.text.substr(0, 160)), 40)});
            return;
        }
        card_->properties.push_back(std::move(*property));
    }

    const FileText& text_;
    const VCardReadOptions& options_;
    ContactFile& file_;
    std::optional<OpenCard> card_;
    bool full_ = false, usedGuess_ = false;
};

}  // namespace

ContactFile readVCards(std::string_view bytes, const VCardReadOptions& options) {
    ContactFile file;
    const auto text = fileTextOf(bytes, options, file);
    FileReader reader(text, options, file);
    reader.read();
    file.encoding = "UTF-8";
    if (!text.encoding.empty()) file.encoding = text.encoding;
    else if (reader.usedGuess() && !text.guessed.empty()) file.encoding = text.guessed;
    return file;
}

}  // namespace conduit::crm::exchange
