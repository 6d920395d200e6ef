#include <conduit/crm/exchange/contact_columns.hpp>

#include "contact_columns_presets.hpp"

#include <nlohmann/json.hpp>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace conduit::crm::exchange {
namespace {

struct FieldWords {
    ContactField field;
    std::string_view id;
    LocalizedText text;
};

constexpr FieldWords kFields[] = {
    {ContactField::Ignore, "ignore", {"не читать", "pomiń", "do not read"}},
    {ContactField::Extra, "extra", {"дополнительное поле", "pole dodatkowe", "extra field"}},
    {ContactField::FormattedName, "display_name", {"отображаемое имя", "nazwa wyświetlana", "display name"}},
    {ContactField::Prefix, "prefix", {"обращение", "tytuł", "title"}},
    {ContactField::GivenName, "given_name", {"имя", "imię", "first name"}},
    {ContactField::MiddleName, "middle_name", {"отчество", "drugie imię", "middle name"}},
    {ContactField::FamilyName, "family_name", {"фамилия", "nazwisko", "last name"}},
    {ContactField::Suffix, "suffix", {"суффикс", "sufiks", "suffix"}},
    {ContactField::Nickname, "nickname", {"псевдоним", "pseudonim", "nickname"}},
    {ContactField::Organisation, "organisation", {"организация", "firma", "organisation"}},
    {ContactField::Department, "department", {"отдел", "dział", "department"}},
    {ContactField::JobTitle, "job_title", {"должность", "stanowisko", "job title"}},
    {ContactField::Email, "email", {"адрес эл. почты", "adres e-mail", "e-mail address"}},
    {ContactField::EmailLabel, "email_label", {"тип эл. почты", "rodzaj e-maila", "e-mail kind"}},
    {ContactField::Phone, "phone", {"телефон", "telefon", "phone"}},
    {ContactField::PhoneLabel, "phone_label", {"тип телефона", "rodzaj telefonu", "phone kind"}},
    {ContactField::Street, "street", {"улица", "ulica", "street"}},
    {ContactField::Extended, "extended_address", {"дополнение к адресу", "uzupełnienie adresu", "extended address"}},
    {ContactField::City, "city", {"город", "miejscowość", "city"}},
    {ContactField::Region, "region", {"область", "województwo", "region"}},
    {ContactField::Postcode, "postcode", {"индекс", "kod pocztowy", "postcode"}},
    {ContactField::Country, "country", {"страна", "kraj", "country"}},
    {ContactField::AddressLabel, "address_label", {"тип адреса", "rodzaj adresu", "address kind"}},
    {ContactField::AddressFormatted, "address_text", {"адрес одной строкой", "adres w całości", "whole address"}},
    {ContactField::Birthday, "birthday", {"день рождения", "urodziny", "birthday"}},
    {ContactField::BirthYear, "birth_year", {"год рождения", "rok urodzenia", "birth year"}},
    {ContactField::BirthMonth, "birth_month", {"месяц рождения", "miesiąc urodzenia", "birth month"}},
    {ContactField::BirthDay, "birth_day", {"число рождения", "dzień urodzenia", "birth day"}},
    {ContactField::Anniversary, "anniversary", {"годовщина", "rocznica", "anniversary"}},
    {ContactField::Gender, "gender", {"пол", "płeć", "gender"}},
    {ContactField::Language, "language", {"язык", "język", "language"}},
    {ContactField::Note, "note", {"заметки", "notatki", "notes"}},
    {ContactField::Categories, "categories", {"категории", "kategorie", "categories"}},
    {ContactField::WebPage, "web_page", {"веб-страница", "strona WWW", "web page"}},
    {ContactField::WebPageLabel, "web_page_label", {"тип веб-страницы", "rodzaj strony WWW", "web page kind"}},
    {ContactField::Messenger, "messenger", {"мессенджер", "komunikator", "messenger"}},
    {ContactField::MessengerLabel, "messenger_service", {"служба мессенджера", "usługa komunikatora", "messenger service"}},
};

const FieldWords& wordsOf(ContactField field) {
    for (const auto& words : kFields)
        if (words.field == field) return words;
    return kFields[1];
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string collapseSpaces(std::string_view text) {
    std::string out;
    bool pendingSpace = false;
    for (const char c : text) {
        if (isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out += ' ';
        pendingSpace = false;
        out += c;
    }
    return out;
}

std::string foldCase(const std::string& text) {
    std::string out;
    icu::UnicodeString::fromUTF8(text).foldCase().toUTF8String(out);
    return out;
}

// One preset's headers, normalised once.
using HeaderIndex = std::map<std::string, ColumnTarget, std::less<>>;

const HeaderIndex& indexOf(const presets::Preset& preset) {
    static const auto indices = [] {
        std::map<std::string_view, HeaderIndex> all;
        for (const auto& p : presets::all())
            for (const auto& entry : p.entries)
                all[p.id].emplace(normalizeHeader(entry.header), ColumnTarget{entry.field, entry.slot, entry.label});
        return all;
    }();
    return indices.at(preset.id);
}

// Google's "<kind> <n> - <part>" columns.
std::optional<ColumnTarget> numberedColumn(std::string_view header) {
    const auto dash = header.find(" - ");
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view left = header.substr(0, dash), part = header.substr(dash + 3);
    const auto space = left.rfind(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string_view kind = left.substr(0, space), number = left.substr(space + 1);
    int slot = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), slot);
    if (error != std::errc() || end != number.data() + number.size() || slot <= 0) return std::nullopt;
    const bool isLabel = part == "type" || part == "label";
    using F = ContactField;
    if (kind == "e-mail" || kind == "email") return ColumnTarget{isLabel ? F::EmailLabel : part == "value" ? F::Email : F::Extra, slot, ""};
    if (kind == "phone") return ColumnTarget{isLabel ? F::PhoneLabel : part == "value" ? F::Phone : F::Extra, slot, ""};
    if (kind == "website") return ColumnTarget{isLabel ? F::WebPageLabel : part == "value" ? F::WebPage : F::Extra, slot, ""};
    if (kind == "im") return ColumnTarget{part == "service" ? F::MessengerLabel : part == "value" ? F::Messenger : F::Extra, slot, ""};
    if (kind == "organization") {
        const F field = part == "name" ? F::Organisation : part == "title" ? F::JobTitle : part == "department" ? F::Department : F::Extra;
        return ColumnTarget{field, slot, ""};
    }
    if (kind == "address") {
        static const std::map<std::string_view, F> kParts{
            {"type", F::AddressLabel}, {"label", F::AddressLabel}, {"formatted", F::AddressFormatted},
            {"street", F::Street}, {"city", F::City}, {"region", F::Region}, {"postal code", F::Postcode},
            {"country", F::Country}, {"extended address", F::Extended}};
        const auto it = kParts.find(part);
        return ColumnTarget{it == kParts.end() ? F::Extra : it->second, slot, ""};
    }
    return ColumnTarget{F::Extra, slot, ""};  // Relation, Event, Custom Field, External ID, ...
}

std::optional<ColumnTarget> targetIn(const presets::Preset& preset, const std::string& normalized) {
    const auto& index = indexOf(preset);
    if (const auto it = index.find(normalized); it != index.end()) return it->second;
    if (preset.numberedColumns) return numberedColumn(normalized);
    return std::nullopt;
}

ColumnMapping mappingFor(const presets::Preset& preset, const std::vector<std::string>& header) {
    ColumnMapping mapping;
    mapping.preset = std::string(preset.id);
    mapping.dateOrder = preset.dateOrder;
    for (const auto& column : header)
        if (auto target = targetIn(preset, normalizeHeader(column)))
            mapping.rules.push_back({column, std::move(*target)});
    return mapping;
}

std::string_view toString(DateOrder order) { return order == DateOrder::MonthFirst ? "month_first" : "day_first"; }

}  // namespace

std::string normalizeHeader(std::string_view header) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    while (header.substr(0, kBom.size()) == kBom) header.remove_prefix(kBom.size());
    return foldCase(collapseSpaces(header));
}

const ColumnTarget* ColumnMapping::find(std::string_view header) const {
    const std::string wanted = normalizeHeader(header);
    for (const auto& rule : rules)
        if (normalizeHeader(rule.column) == wanted) return &rule.target;
    return nullptr;
}

std::vector<std::string> presetIds() {
    std::vector<std::string> ids;
    for (const auto& preset : presets::all()) ids.emplace_back(preset.id);
    return ids;
}

const LocalizedText& presetName(std::string_view presetId) {
    static constexpr LocalizedText kOwn{"своё сопоставление столбцов", "własne przypisanie kolumn", "own column mapping"};
    for (const auto& preset : presets::all())
        if (preset.id == presetId) return preset.name;
    return kOwn;
}

ColumnMapping presetMapping(std::string_view presetId, const std::vector<std::string>& header) {
    for (const auto& preset : presets::all())
        if (preset.id == presetId) return mappingFor(preset, header);
    return {};
}

ColumnMapping detectMapping(const std::vector<std::string>& header) {
    ColumnMapping best;
    for (const auto& preset : presets::all()) {
        ColumnMapping candidate = mappingFor(preset, header);
        if (candidate.rules.size() > best.rules.size()) best = std::move(candidate);
    }
    return best;
}

std::string_view toString(ContactField field) { return wordsOf(field).id; }

std::optional<ContactField> contactFieldOf(std::string_view name) {
    for (const auto& words : kFields)
        if (words.id == name) return words.field;
    return std::nullopt;
}

const LocalizedText& displayName(ContactField field) { return wordsOf(field).text; }

std::string toJson(const ColumnMapping& mapping) {
    nlohmann::ordered_json columns = nlohmann::ordered_json::array();
    for (const auto& rule : mapping.rules)
        columns.push_back({{"column", rule.column},
                           {"field", toString(rule.target.field)},
                           {"slot", rule.target.slot},
                           {"label", rule.target.label}});
    const nlohmann::ordered_json out{
        {"preset", mapping.preset}, {"date_order", toString(mapping.dateOrder)}, {"columns", columns}};
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

[[noreturn]] void refuse(std::string detail) {
    throw ExchangeError({ProblemCode::UnknownFormat, 0, "", std::move(detail)});
}

ColumnRule ruleFromJson(const nlohmann::json& item) {
    if (!item.is_object() || !item.contains("column") || !item.contains("field")) refuse("column without column or field");
    const auto field = contactFieldOf(item.at("field").get<std::string>());
    if (!field) refuse("unknown field " + item.at("field").get<std::string>());
    ColumnRule rule{item.at("column").get<std::string>(), {*field, item.value("slot", 0), item.value("label", "")}};
    if (rule.target.slot < 0) refuse("negative slot");
    return rule;
}

}  // namespace

ColumnMapping mappingFromJson(std::string_view json) {
    try {
        const auto parsed = nlohmann::json::parse(json);
        if (!parsed.is_object() || !parsed.contains("columns") || !parsed.at("columns").is_array())
            refuse("no columns");
        ColumnMapping mapping;
        mapping.preset = parsed.value("preset", "");
        const std::string order = parsed.value("date_order", "day_first");
        if (order != "day_first" && order != "month_first") refuse("unknown date_order " + order);
        mapping.dateOrder = order == "month_first" ? DateOrder::MonthFirst : DateOrder::DayFirst;
        for (const auto& item : parsed.at("columns")) mapping.rules.push_back(ruleFromJson(item));
        return mapping;
    } catch (const nlohmann::json::exception& e) {
        refuse(e.what());
    }
}

namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

struct DateParts {
    std::string_view text[3];
    int value[3] = {0, 0, 0};
    char separator = 0;
};

// Three runs of digits joined by one and the same of '-', '/', '.'.
bool splitDate(std::string_view text, DateParts& parts) {
    const auto at = text.find_first_of("-/.");
    if (at == std::string_view::npos) return false;
    parts.separator = text[at];
    for (int i = 0; i < 3; ++i) {
        const auto end = i < 2 ? text.find(parts.separator) : text.size();
        if (end == std::string_view::npos || end == 0 || end > 4) return false;
        parts.text[i] = text.substr(0, end);
        const auto [ptr, error] = std::from_chars(text.data(), text.data() + end, parts.value[i]);
        if (error != std::errc() || ptr != text.data() + end) return false;
        text.remove_prefix(i < 2 ? end + 1 : end);
    }
    return true;
}

int fullYear(std::string_view text, int year) {
    if (text.size() > 2) return year;
    return year < 30 ? 2000 + year : 1900 + year;
}

int daysIn(int month, int year) {
    constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month != 2) return kDays[month - 1];
    const bool leap = year == 0 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    return leap ? 29 : 28;
}

DateRead checked(int year, int month, int day, ContactDate& date) {
    if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return DateRead::Bad;
    date = {year, month, day};
    return DateRead::Date;
}

// (year, month, day) from the three parts, by where a four-digit year stands and by the order.
DateRead fromParts(const DateParts& p, DateOrder order, ContactDate& date) {
    if (p.text[0].size() == 4) return checked(p.value[0], p.value[1], p.value[2], date);
    const int year = fullYear(p.text[2], p.value[2]);
    bool monthFirst = p.separator == '/' && order == DateOrder::MonthFirst;
    if (p.separator == '/' && p.value[0] > 12) monthFirst = false;
    if (p.separator == '/' && p.value[1] > 12) monthFirst = true;
    return monthFirst ? checked(year, p.value[0], p.value[1], date) : checked(year, p.value[1], p.value[0], date);
}

}  // namespace

DateRead parseContactDate(std::string_view text, DateOrder order, ContactDate& date) {
    text = trimmed(text);
    if (text.empty()) return DateRead::Empty;
    if (const auto t = text.find('T'); t != std::string_view::npos && t == 10) text = text.substr(0, t);
    if (text.size() == 7 && text.substr(0, 2) == "--") {  // vCard's and Google's date without a year
        const std::string withYear = "0000-" + std::string(text.substr(2));
        DateParts parts;
        if (!splitDate(withYear, parts)) return DateRead::Bad;
        return checked(0, parts.value[1], parts.value[2], date);
    }
    DateParts parts;
    if (!splitDate(text, parts)) return DateRead::Bad;
    if (parts.value[0] == 0 && parts.value[1] == 0) return DateRead::Empty;  // Outlook's 0/0/00
    return fromParts(parts, order, date);
}

}  // namespace conduit::crm::exchange
