#include <conduit/crm/exchange/attribute_map.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace conduit::crm::exchange {
namespace {

using F = AttributeField;

constexpr std::pair<AttributeField, std::string_view> kFieldNames[] = {
    {F::Ignore, "ignore"},         {F::Extra, "extra"},
    {F::FormattedName, "formatted_name"}, {F::DisplayName, "display_name"},
    {F::Prefix, "prefix"},         {F::GivenName, "given_name"},
    {F::AdditionalNames, "additional_names"}, {F::FamilyName, "family_name"},
    {F::Suffix, "suffix"},         {F::Nickname, "nickname"},
    {F::Organisation, "organisation"}, {F::Department, "department"},
    {F::JobTitle, "job_title"},    {F::Email, "email"},
    {F::Phone, "phone"},           {F::Url, "url"},
    {F::Messenger, "messenger"},   {F::Street, "street"},
    {F::Extended, "extended"},     {F::City, "city"},
    {F::Region, "region"},         {F::Postcode, "postcode"},
    {F::Country, "country"},       {F::PostalAddress, "postal_address"},
    {F::Photo, "photo"},           {F::Note, "note"},
    {F::Language, "language"},     {F::Categories, "categories"},
    {F::Guid, "guid"},
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// "cn;lang-pl" -> "cn": options say which value, not which attribute.
std::string baseName(std::string_view attribute) { return lower(attribute.substr(0, attribute.find(';'))); }

bool sameText(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

bool hasClass(const std::vector<std::string>& classes, std::string_view name) {
    return std::any_of(classes.begin(), classes.end(), [&](const std::string& c) { return sameText(c, name); });
}

using Preset = std::vector<std::pair<std::string, AttributeTarget>>;

// The server's own bookkeeping and secrets: a password hash must never reach the catalogue.
const Preset& ignoredEverywhere() {
    static const Preset preset{
        {"objectclass", {F::Ignore, ""}},       {"userpassword", {F::Ignore, ""}},
        {"structuralobjectclass", {F::Ignore, ""}}, {"entrycsn", {F::Ignore, ""}},
        {"contextcsn", {F::Ignore, ""}},        {"creatorsname", {F::Ignore, ""}},
        {"modifiersname", {F::Ignore, ""}},     {"createtimestamp", {F::Ignore, ""}},
        {"modifytimestamp", {F::Ignore, ""}},   {"entrydn", {F::Ignore, ""}},
        {"hassubordinates", {F::Ignore, ""}},   {"subschemasubentry", {F::Ignore, ""}},
        {"pwdhistory", {F::Ignore, ""}},        {"pwdchangedtime", {F::Ignore, ""}},
        {"pwdpolicysubentry", {F::Ignore, ""}}, {"sambantpassword", {F::Ignore, ""}},
        {"sambalmpassword", {F::Ignore, ""}},   {"unicodepwd", {F::Ignore, ""}},
    };
    return preset;
}

const Preset& openLdapPreset() {
    static const Preset preset{
        {"cn", {F::FormattedName, ""}},         {"displayname", {F::DisplayName, ""}},
        {"givenname", {F::GivenName, ""}},      {"sn", {F::FamilyName, ""}},
        {"initials", {F::AdditionalNames, ""}}, {"generationqualifier", {F::Suffix, ""}},
        {"mail", {F::Email, "work"}},           {"telephonenumber", {F::Phone, "work"}},
        {"mobile", {F::Phone, "cell"}},         {"homephone", {F::Phone, "home"}},
        {"facsimiletelephonenumber", {F::Phone, "fax"}}, {"pager", {F::Phone, "pager"}},
        {"o", {F::Organisation, ""}},           {"ou", {F::Department, ""}},
        {"departmentnumber", {F::Department, ""}}, {"title", {F::JobTitle, ""}},
        {"street", {F::Street, "work"}},        {"postaladdress", {F::PostalAddress, "postal"}},
        {"homepostaladdress", {F::PostalAddress, "home"}}, {"l", {F::City, "work"}},
        {"st", {F::Region, "work"}},            {"postalcode", {F::Postcode, "work"}},
        {"c", {F::Country, "work"}},            {"labeleduri", {F::Url, "work"}},
        {"jpegphoto", {F::Photo, ""}},          {"description", {F::Note, ""}},
        {"preferredlanguage", {F::Language, ""}}, {"uid", {F::Extra, ""}},
        {"entryuuid", {F::Extra, ""}},          {"businesscategory", {F::Categories, ""}},
    };
    return preset;
}

const Preset& activeDirectoryPreset() {
    static const Preset preset{
        {"company", {F::Organisation, ""}},     {"department", {F::Department, ""}},
        {"physicaldeliveryofficename", {F::Extended, "work"}},
        {"streetaddress", {F::Street, "work"}}, {"co", {F::Country, "work"}},
        {"wwwhomepage", {F::Url, "work"}},      {"url", {F::Url, "work"}},
        {"objectguid", {F::Guid, ""}},          {"middlename", {F::AdditionalNames, ""}},
        {"personaltitle", {F::Prefix, ""}},     {"othertelephone", {F::Phone, "work"}},
        {"othermobile", {F::Phone, "cell"}},    {"otherhomephone", {F::Phone, "home"}},
        {"ipphone", {F::Phone, "work"}},        {"thumbnailphoto", {F::Photo, ""}},
        {"info", {F::Note, ""}},                {"samaccountname", {F::Extra, ""}},
        {"userprincipalname", {F::Extra, ""}},  {"countrycode", {F::Ignore, ""}},
        {"objectsid", {F::Ignore, ""}},         {"usnchanged", {F::Ignore, ""}},
        {"usncreated", {F::Ignore, ""}},        {"whenchanged", {F::Ignore, ""}},
        {"whencreated", {F::Ignore, ""}},       {"dscorepropagationdata", {F::Ignore, ""}},
    };
    return preset;
}

const Preset& thunderbirdPreset() {
    static const Preset preset{
        {"mozillanickname", {F::Nickname, ""}},       {"mozillasecondemail", {F::Email, "home"}},
        {"mozillahomestreet", {F::Street, "home"}},   {"mozillahomestreet2", {F::Extended, "home"}},
        {"mozillahomelocalityname", {F::City, "home"}}, {"mozillahomestate", {F::Region, "home"}},
        {"mozillahomepostalcode", {F::Postcode, "home"}}, {"mozillahomecountryname", {F::Country, "home"}},
        {"mozillaworkstreet2", {F::Extended, "work"}}, {"mozillaworkurl", {F::Url, "work"}},
        {"mozillahomeurl", {F::Url, "home"}},          {"mozillausehtmlmail", {F::Ignore, ""}},
        {"nsaimid", {F::Messenger, "aim"}},            {"xmozillausehtmlmail", {F::Ignore, ""}},
        {"modifytimestamp", {F::Ignore, ""}},
    };
    return preset;
}

AttributeMap fromPresets(std::initializer_list<const Preset*> presets) {
    AttributeMap map;
    for (const Preset* preset : presets)
        for (const auto& [name, target] : *preset) map.set(name, target);
    map.companyClasses = {"organization"};
    map.contactClasses = {"person", "organizationalPerson", "inetOrgPerson", "residentialPerson",
                          "organization", "user", "contact", "mozillaAbPersonAlpha"};
    return map;
}

}  // namespace

std::string_view toString(AttributeField field) {
    for (const auto& [f, name] : kFieldNames)
        if (f == field) return name;
    return "extra";
}

AttributeMap AttributeMap::openLdap() { return fromPresets({&ignoredEverywhere(), &openLdapPreset()}); }

AttributeMap AttributeMap::activeDirectory() {
    return fromPresets({&ignoredEverywhere(), &openLdapPreset(), &activeDirectoryPreset()});
}

AttributeMap AttributeMap::thunderbird() {
    return fromPresets({&ignoredEverywhere(), &openLdapPreset(), &thunderbirdPreset()});
}

AttributeMap AttributeMap::standard() {
    return fromPresets({&ignoredEverywhere(), &openLdapPreset(), &activeDirectoryPreset(), &thunderbirdPreset()});
}

void AttributeMap::set(std::string attribute, AttributeTarget target) {
    const std::string key = baseName(attribute);
    for (auto& [name, existing] : entries_)
        if (name == key) {
            existing = std::move(target);
            return;
        }
    entries_.emplace_back(key, std::move(target));
}

void AttributeMap::erase(std::string_view attribute) {
    const std::string key = baseName(attribute);
    std::erase_if(entries_, [&](const auto& entry) { return entry.first == key; });
}

const AttributeTarget& AttributeMap::targetOf(std::string_view attribute) const {
    static const AttributeTarget kUnmapped{AttributeField::Extra, ""};
    const std::string key = baseName(attribute);
    for (const auto& [name, target] : entries_)
        if (name == key) return target;
    return kUnmapped;
}

std::string AttributeMap::toJson() const {
    nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
    for (const auto& [name, target] : entries_) {
        nlohmann::ordered_json one{{"field", std::string(toString(target.field))}};
        if (!target.label.empty()) one["label"] = target.label;
        attributes[name] = std::move(one);
    }
    nlohmann::ordered_json out{{"attributes", attributes},
                               {"companyClasses", companyClasses},
                               {"contactClasses", contactClasses}};
    return out.dump(2);
}

namespace {

bool fieldNamed(std::string_view name, AttributeField& field) {
    for (const auto& [f, n] : kFieldNames)
        if (n == name) {
            field = f;
            return true;
        }
    return false;
}

// {"field": "phone", "label": "cell"} or just "phone".
bool readTarget(const nlohmann::ordered_json& value, AttributeTarget& target) {
    if (value.is_string()) return fieldNamed(value.get<std::string>(), target.field);
    if (!value.is_object() || !value.contains("field") || !value["field"].is_string()) return false;
    if (value.contains("label")) {
        if (!value["label"].is_string()) return false;
        target.label = value["label"].get<std::string>();
    }
    return fieldNamed(value["field"].get<std::string>(), target.field);
}

std::vector<std::string> readClasses(const nlohmann::ordered_json& doc, const char* key, std::vector<ExchangeProblem>& problems) {
    std::vector<std::string> out;
    if (!doc.contains(key)) return out;
    if (!doc[key].is_array()) {
        problems.push_back({ProblemCode::MalformedLine, 0, key, "not a list"});
        return out;
    }
    for (const auto& c : doc[key]) {
        if (c.is_string()) out.push_back(c.get<std::string>());
        else problems.push_back({ProblemCode::MalformedLine, 0, key, c.dump()});
    }
    return out;
}

}  // namespace

AttributeMap AttributeMap::fromJson(std::string_view json, std::vector<ExchangeProblem>& problems) {
    const auto doc = nlohmann::ordered_json::parse(json.begin(), json.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        throw ExchangeError({ProblemCode::MalformedLine, 0, "", "attribute map is not a JSON object"});
    AttributeMap map;
    if (doc.contains("attributes") && doc["attributes"].is_object()) {
        for (const auto& [name, value] : doc["attributes"].items()) {
            AttributeTarget target;
            if (!name.empty() && isValidUtf8(name) && readTarget(value, target)) map.set(name, target);
            else problems.push_back({ProblemCode::MalformedLine, 0, replaceInvalidUtf8(name),
                                     replaceInvalidUtf8(value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace))});
        }
    } else if (doc.contains("attributes")) {
        problems.push_back({ProblemCode::MalformedLine, 0, "attributes", "not an object"});
    }
    map.companyClasses = readClasses(doc, "companyClasses", problems);
    map.contactClasses = readClasses(doc, "contactClasses", problems);
    return map;
}

namespace {

const std::vector<std::string>* valuesOf(const DirectoryEntry& entry, std::string_view name) {
    for (const auto& attribute : entry.attributes)
        if (baseName(attribute.name) == name) return &attribute.values;
    return nullptr;
}

bool hasAnyClass(const DirectoryEntry& entry, const std::vector<std::string>& classes) {
    const auto* values = valuesOf(entry, "objectclass");
    if (!values) return false;
    return std::any_of(values->begin(), values->end(), [&](const std::string& v) { return hasClass(classes, v); });
}

std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
    }
    if (i < bytes.size()) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// objectGUID's bytes in Microsoft's order: the first three groups little-endian.
std::string guidText(std::string_view b) {
    if (b.size() != 16) return "base64:" + base64(b);
    static constexpr int kOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    std::string out;
    char hex[3];
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(b[static_cast<std::size_t>(kOrder[i])]));
        out += hex;
    }
    return out;
}

std::string photoType(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xD8")) return "image/jpeg";
    if (bytes.starts_with("\x89PNG")) return "image/png";
    if (bytes.starts_with("GIF8")) return "image/gif";
    return "";
}

// "$" separates lines of a postal address; "\24" and "\5C" stand for "$" and "\" (RFC 4517).
std::vector<std::string> postalLines(std::string_view value) {
    std::vector<std::string> lines(1);
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string_view escape = value.substr(i, 3);
        if (value[i] == '$') {
            lines.emplace_back();
        } else if (escape == "\\24" || escape == "\\5C" || escape == "\\5c") {
            lines.back() += escape == "\\24" ? '$' : '\\';
            i += 2;
        } else {
            lines.back() += value[i];
        }
    }
    for (auto& line : lines) {
        const auto first = line.find_first_not_of(' ');
        const auto last = line.find_last_not_of(' ');
        line = first == std::string::npos ? "" : line.substr(first, last - first + 1);
    }
    std::erase(lines, "");
    return lines;
}

// "https://example.com/ Our site" -> the address alone; the words after it are its caption.
std::string uriOf(const std::string& labeled) { return labeled.substr(0, labeled.find(' ')); }

// "pl, en;q=0.8" -> "pl".
std::string firstLanguage(const std::string& value) {
    std::string tag = value.substr(0, value.find_first_of(",;"));
    tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
    return tag;
}

class ContactBuilder {
public:
    ContactBuilder(const DirectoryEntry& entry, ContactRecord& record) : entry_(entry), record_(record) {}

    void add(const std::string& attribute, const AttributeTarget& target, const std::string& raw) {
        if (target.field == F::Ignore) return;
        if (target.field == F::Photo) return addPhoto(attribute, raw);
        if (target.field == F::Guid) {
            record_.extra.emplace_back(attribute, guidText(raw));
            return;
        }
        if (target.field == F::Extra) return addExtra(attribute, raw);
        addText(attribute, target, textOf(attribute, raw));
    }

private:
    std::string textOf(const std::string& attribute, const std::string& raw) {
        if (isValidUtf8(raw)) return raw;
        record_.problems.push_back({ProblemCode::NotDecodable, entry_.line, attribute, "UTF-8"});
        return replaceInvalidUtf8(raw);
    }

    void addExtra(const std::string& attribute, const std::string& raw) {
        record_.extra.emplace_back(attribute, isValidUtf8(raw) ? raw : "base64:" + base64(raw));
    }

    void addPhoto(const std::string& attribute, const std::string& raw) {
        if (!record_.photo.empty()) return addExtra(attribute, raw);
        record_.photo = raw;
        record_.photoType = photoType(raw);
    }

    // A single field takes the first value; later ones stay in extra, so none is lost.
    void single(std::string& slot, const std::string& attribute, std::string value) {
        if (slot.empty()) slot = std::move(value);
        else if (slot != value) record_.extra.emplace_back(attribute, std::move(value));
    }

    ContactAddress& address(const std::string& label) {
        for (auto& a : record_.addresses)
            if (a.label == label) return a;
        record_.addresses.push_back({});
        record_.addresses.back().label = label;
        return record_.addresses.back();
    }

    void addPostal(const std::string& attribute, const std::string& label, const std::string& value) {
        auto lines = postalLines(value);
        if (lines.empty()) return;
        ContactAddress& a = address(label);
        std::string joined;
        for (const auto& line : lines) joined += (joined.empty() ? "" : "\n") + line;
        single(a.street, attribute, joined);
    }

    void addText(const std::string& attribute, const AttributeTarget& t, std::string value) {
        switch (t.field) {
            case F::FormattedName:
            case F::DisplayName: return single(record_.formattedName, attribute, std::move(value));
            case F::Prefix: return single(record_.prefix, attribute, std::move(value));
            case F::GivenName: return single(record_.givenName, attribute, std::move(value));
            case F::AdditionalNames: return single(record_.additionalNames, attribute, std::move(value));
            case F::FamilyName: return single(record_.familyName, attribute, std::move(value));
            case F::Suffix: return single(record_.suffix, attribute, std::move(value));
            case F::Nickname: return single(record_.nickname, attribute, std::move(value));
            case F::Organisation: return single(record_.organisation, attribute, std::move(value));
            case F::Department: return single(record_.department, attribute, std::move(value));
            case F::JobTitle: return single(record_.jobTitle, attribute, std::move(value));
            case F::Email: return record_.emails.push_back({std::move(value), t.label});
            case F::Phone: return record_.phones.push_back({std::move(value), t.label});
            case F::Url: return record_.urls.push_back({uriOf(value), t.label});
            case F::Messenger: return record_.messengers.push_back({std::move(value), t.label});
            case F::Street: return single(address(t.label).street, attribute, std::move(value));
            case F::Extended: return single(address(t.label).extended, attribute, std::move(value));
            case F::City: return single(address(t.label).city, attribute, std::move(value));
            case F::Region: return single(address(t.label).region, attribute, std::move(value));
            case F::Postcode: return single(address(t.label).postcode, attribute, std::move(value));
            case F::Country: return single(address(t.label).country, attribute, std::move(value));
            case F::PostalAddress: return addPostal(attribute, t.label, value);
            case F::Note:
                record_.note += (record_.note.empty() ? "" : "\n") + value;
                return;
            case F::Language: return single(record_.language, attribute, firstLanguage(value));
            case F::Categories: return record_.categories.push_back(std::move(value));
            default: return addExtra(attribute, value);
        }
    }

    const DirectoryEntry& entry_;
    ContactRecord& record_;
};

// displayName names the contact before cn does, wherever it stands in the entry.
void addAll(const DirectoryEntry& entry, const AttributeMap& map, ContactBuilder& builder, bool displayNames) {
    for (const auto& attribute : entry.attributes) {
        const AttributeTarget& target = map.targetOf(attribute.name);
        if ((target.field == F::DisplayName) != displayNames) continue;
        for (const auto& value : attribute.values) builder.add(attribute.name, target, value);
    }
}

void nameTheCompany(ContactRecord& record) {
    if (record.formattedName.empty()) record.formattedName = record.organisation;
    if (record.organisation.empty()) record.organisation = record.formattedName;
}

bool hasName(const ContactRecord& r) {
    return !r.formattedName.empty() || !r.givenName.empty() || !r.familyName.empty() || !r.organisation.empty() ||
           !r.emails.empty();
}

}  // namespace

bool isContactEntry(const DirectoryEntry& entry, const AttributeMap& map) {
    if (map.contactClasses.empty() || !valuesOf(entry, "objectclass")) return true;
    return hasAnyClass(entry, map.contactClasses) || hasAnyClass(entry, map.companyClasses);
}

ContactRecord toContact(const DirectoryEntry& entry, const AttributeMap& map) {
    ContactRecord record;
    record.line = entry.line;
    record.sourceId = isValidUtf8(entry.dn) ? entry.dn : replaceInvalidUtf8(entry.dn);
    ContactBuilder builder(entry, record);
    addAll(entry, map, builder, true);
    addAll(entry, map, builder, false);
    record.isCompany = hasAnyClass(entry, map.companyClasses);
    if (record.isCompany) nameTheCompany(record);
    if (!hasName(record)) record.problems.push_back({ProblemCode::NoName, entry.line, "", record.sourceId});
    return record;
}

}  // namespace conduit::crm::exchange
