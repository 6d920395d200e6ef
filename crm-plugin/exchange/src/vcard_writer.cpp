#include <conduit/crm/exchange/vcard_writer.hpp>

#include <conduit/crm/exchange/codepage.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <set>

namespace conduit::crm::exchange {
namespace {

constexpr std::size_t kLineOctets = 75;

char upperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), upperAscii);
    return out;
}

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\\' || c == ';' || c == ',') out += '\\';
        if (c == '\n') out += "\\n";
        else if (c != '\r') out += c;
    }
    return out;
}

std::string joined(std::initializer_list<std::string_view> parts) {
    std::string out;
    bool first = true;
    for (const auto part : parts) {
        if (!first) out += ';';
        out += escaped(part);
        first = false;
    }
    return out;
}

// A parameter value as a quoted string when it holds what would end or split it.
std::string parameterText(std::string_view text) {
    std::string clean;
    for (const char c : text)
        if (c != '"' && static_cast<unsigned char>(c) >= 0x20) clean += c;
    if (clean.find_first_of(";:,= ") == std::string::npos && !clean.empty()) return clean;
    return "\"" + clean + "\"";
}

std::string base64(std::string_view bytes) {
    static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const auto at = [&bytes](std::size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
        const unsigned group = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        out += kDigits[(group >> 18) & 63];
        out += kDigits[(group >> 12) & 63];
        out += i + 1 < bytes.size() ? kDigits[(group >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kDigits[group & 63] : '=';
    }
    return out;
}

// ---- lines --------------------------------------------------------------------------------------

// Cut before `limit` octets, backing off so as not to split a UTF-8 character in its UTF-8 part.
std::size_t cutAt(std::string_view line, std::size_t start, std::size_t limit, std::size_t utf8Until) {
    std::size_t cut = std::min(line.size(), start + limit);
    if (cut == line.size()) return cut;
    const std::size_t lowest = start + 1;
    while (cut > lowest && cut < utf8Until && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    return cut;
}

void appendFolded(std::string& out, std::string_view line, std::size_t utf8Until) {
    std::size_t start = 0;
    bool first = true;
    do {
        const auto cut = cutAt(line, start, first ? kLineOctets : kLineOctets - 1, utf8Until);
        if (!first) out += ' ';
        out.append(line.substr(start, cut - start));
        out += "\r\n";
        start = cut;
        first = false;
    } while (start < line.size());
}

class CardWriter {
public:
    CardWriter(std::string& out, const VCardWriteOptions& options) : out_(out), options_(options) {}

    bool v4() const { return options_.version == VCardVersion::V4_0; }

    // A property of human text: in 3.0 it says its charset, the code page's when the text fits it.
    void text(std::string_view name, std::string_view parameters, std::string_view value) {
        if (v4()) return plain(name, parameters, value);
        std::string header = std::string(name) + std::string(parameters);
        if (!options_.charset.empty()) {
            auto encoded = fromUtf8(value, options_.charset);
            if (encoded.ok()) {
                const auto line = header + ";CHARSET=" + charsetName_ + ":" + encoded.bytes;
                return appendFolded(out_, line, header.size());
            }
        }
        const auto line = header + ";CHARSET=UTF-8:" + std::string(value);
        appendFolded(out_, line, line.size());
    }

    // A property whose value is ASCII by nature (dates, kinds, base64) or any text in 4.0.
    void plain(std::string_view name, std::string_view parameters, std::string_view value) {
        const auto line = std::string(name) + std::string(parameters) + ":" + std::string(value);
        appendFolded(out_, line, line.size());
    }

    // An address, a number, an id: ASCII as a rule, said to be UTF-8 when it is not.
    void textOrPlain(std::string_view name, std::string_view parameters, std::string_view value) {
        if (isAscii(value)) return plain(name, parameters, value);
        text(name, parameters, value);
    }

    void setCharsetName(std::string name) { charsetName_ = std::move(name); }

private:
    std::string& out_;
    const VCardWriteOptions& options_;
    std::string charsetName_;
};

// ---- kinds and groups ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 22> kKinds{
    "work", "home", "cell", "voice", "fax", "pager", "msg", "video", "text", "pref", "internet",
    "postal", "parcel", "dom", "intl", "car", "isdn", "bbs", "modem", "textphone", "main", "x400"};

std::vector<std::string> kindsOf(std::string_view label) {
    std::vector<std::string> kinds;
    std::size_t start = 0;
    while (start <= label.size()) {
        const auto comma = std::min(label.find(',', start), label.size());
        kinds.emplace_back(label.substr(start, comma - start));
        start = comma + 1;
    }
    return kinds;
}

// Kinds go to TYPE= only when a reader gives the same label back: vCard kinds, each once, none
// that the property's reader leaves out (VOICE of a phone, INTERNET of an e-mail).
bool asTypes(const std::vector<std::string>& kinds, std::string_view property) {
    std::set<std::string> seen;
    return std::all_of(kinds.begin(), kinds.end(), [&](const std::string& kind) {
        const bool implied = (property == "TEL" && kind == "voice") ||
                             (property == "EMAIL" && (kind == "internet" || kind == "x400"));
        return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end() && !implied && seen.insert(kind).second;
    });
}

// Group names ("item3") the extra properties already use, so a label never lands on them.
class Groups {
public:
    explicit Groups(const ContactRecord& record) {
        for (const auto& [name, value] : record.extra) {
            const auto dot = name.rfind('.');
            if (dot != std::string::npos) taken_.insert(upper(name.substr(0, dot)));
        }
    }
    std::string next() {
        for (;;) {
            auto name = "item" + std::to_string(++counter_);
            if (!taken_.count(upper(name))) return name;
        }
    }

private:
    std::set<std::string> taken_;
    int counter_ = 0;
};

struct Labelled {
    std::string prefix;      // "item1." when the label goes to an X-ABLabel
    std::string parameters;  // ";TYPE=WORK,FAX"
    std::string abLabel;
};

Labelled labelled(std::string_view property, std::string_view label, bool v4, Groups& groups) {
    Labelled out;
    if (label.empty()) return out;
    const auto kinds = kindsOf(label);
    if (!asTypes(kinds, property)) {
        out.prefix = groups.next() + ".";
        out.abLabel = std::string(label);
        return out;
    }
    if (!v4) {
        out.parameters = ";TYPE=" + upper(label);
        return out;
    }
    for (const auto& kind : kinds) out.parameters += kind == "pref" ? ";PREF=1" : ";TYPE=" + kind;
    return out;
}

void writeLabelled(CardWriter& card, Groups& groups, std::string_view name, const LabelledValue& value) {
    const auto how = labelled(name, value.label, card.v4(), groups);
    card.textOrPlain(how.prefix + std::string(name), how.parameters, escaped(value.value));
    if (!how.abLabel.empty()) card.text(how.prefix + "X-ABLabel", "", escaped(how.abLabel));
}

// ---- the card's parts ---------------------------------------------------------------------------

std::string dateText(const ContactDate& date) {
    char text[16];
    const int month = date.month % 100, day = date.day % 100;
    if (date.year > 0) std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year % 10000, month, day);
    else std::snprintf(text, sizeof text, "--%02d%02d", month, day);
    return text;
}

struct Messenger {
    std::string_view label, scheme;
};

constexpr std::array<Messenger, 10> kSchemes{{
    {"jabber", "xmpp"}, {"skype", "skype"}, {"telegram", "tg"}, {"aim", "aim"}, {"icq", "icq"},
    {"msn", "msnim"}, {"yahoo", "ymsgr"}, {"gtalk", "gtalk"}, {"gadugadu", "gg"}, {"sip", "sip"},
}};

void writeMessenger(CardWriter& card, const LabelledValue& messenger) {
    if (messenger.label.empty()) return card.textOrPlain("IMPP", "", escaped(messenger.value));
    std::string scheme = "im";
    for (const auto& known : kSchemes)
        if (known.label == messenger.label) scheme = std::string(known.scheme);
    card.textOrPlain("IMPP", ";X-SERVICE-TYPE=" + parameterText(messenger.label), scheme + ":" + escaped(messenger.value));
}

std::string photoSubtype(std::string_view type) {
    const auto slash = type.find('/');
    return upper(slash == std::string_view::npos ? type : type.substr(slash + 1));
}

void writePhoto(CardWriter& card, const ContactRecord& record) {
    if (record.photo.empty()) return;
    if (card.v4()) return card.plain("PHOTO", "", "data:" + record.photoType + ";base64," + base64(record.photo));
    const auto subtype = photoSubtype(record.photoType);
    card.plain("PHOTO", ";ENCODING=b" + (subtype.empty() ? "" : ";TYPE=" + parameterText(subtype)), base64(record.photo));
}

void writeNames(CardWriter& card, const ContactRecord& r) {
    if (r.isCompany) card.v4() ? card.plain("KIND", "", "org") : card.plain("X-ABShowAs", "", "COMPANY");
    card.text("N", "", joined({r.familyName, r.givenName, r.additionalNames, r.prefix, r.suffix}));
    card.text("FN", "", escaped(displayNameOf(r)));
    if (!r.nickname.empty()) card.text("NICKNAME", "", escaped(r.nickname));
    if (!r.organisation.empty() || !r.department.empty())
        card.text("ORG", "", r.department.empty() ? escaped(r.organisation) : joined({r.organisation, r.department}));
    if (!r.jobTitle.empty()) card.text("TITLE", "", escaped(r.jobTitle));
}

void writeReaches(CardWriter& card, Groups& groups, const ContactRecord& r) {
    for (const auto& email : r.emails) writeLabelled(card, groups, "EMAIL", email);
    for (const auto& phone : r.phones) writeLabelled(card, groups, "TEL", phone);
    for (const auto& address : r.addresses) {
        const auto how = labelled("ADR", address.label, card.v4(), groups);
        card.text(how.prefix + "ADR", how.parameters,
                         joined({"", address.extended, address.street, address.city, address.region, address.postcode,
                                 address.country}));
        if (!how.abLabel.empty()) card.text(how.prefix + "X-ABLabel", "", escaped(how.abLabel));
    }
    for (const auto& url : r.urls) writeLabelled(card, groups, "URL", url);
    for (const auto& messenger : r.messengers) writeMessenger(card, messenger);
}

void writeDetails(CardWriter& card, const ContactRecord& r) {
    if (!r.birthday.empty()) card.plain("BDAY", "", dateText(r.birthday));
    if (!r.anniversary.empty()) card.plain(card.v4() ? "ANNIVERSARY" : "X-ANNIVERSARY", "", dateText(r.anniversary));
    if (!r.gender.empty())
        card.v4() ? card.plain("GENDER", "", r.gender) : card.plain("X-GENDER", "", r.gender == "F" ? "Female" : "Male");
    if (!r.language.empty()) card.textOrPlain("LANG", "", escaped(r.language));
    if (!r.note.empty()) card.text("NOTE", "", escaped(r.note));
    if (!r.categories.empty()) {
        std::string categories;
        for (const auto& category : r.categories) categories += (categories.empty() ? "" : ",") + escaped(category);
        card.text("CATEGORIES", "", categories);
    }
    if (!r.sourceId.empty()) card.textOrPlain("UID", "", escaped(r.sourceId));
}

void writeCard(std::string& out, const ContactRecord& record, const VCardWriteOptions& options,
               const std::string& charsetName) {
    CardWriter card(out, options);
    card.setCharsetName(charsetName);
    Groups groups(record);
    out += "BEGIN:VCARD\r\n";
    out += card.v4() ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n";
    card.plain("PRODID", "", "-//Conduit//CRM//EN");
    writeNames(card, record);
    writeReaches(card, groups, record);
    writeDetails(card, record);
    writePhoto(card, record);
    for (const auto& [name, value] : record.extra) card.text(name, "", escaped(value));
    out += "END:VCARD\r\n";
}

}  // namespace

std::string displayNameOf(const ContactRecord& record) {
    if (!record.formattedName.empty()) return record.formattedName;
    std::string name;
    const auto& r = record;
    for (const auto* part : {&r.prefix, &r.givenName, &r.additionalNames, &r.familyName, &r.suffix})
        if (!part->empty()) name += (name.empty() ? "" : " ") + *part;
    return name.empty() ? record.organisation : name;
}

std::string writeVCards(const std::vector<ContactRecord>& records, const VCardWriteOptions& options) {
    std::string charsetName;
    if (!options.charset.empty() && options.version == VCardVersion::V3_0) {
        const auto name = exchange::charsetName(options.charset);
        if (!name) throw ExchangeError({ProblemCode::UnknownCharset, 0, "", options.charset});
        charsetName = *name;
    }
    std::string out;
    for (const auto& record : records) writeCard(out, record, options, charsetName);
    return out;
}

}  // namespace conduit::crm::exchange
