#include <conduit/crm/exchange/contact_csv.hpp>

#include <conduit/crm/exchange/codepage.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace conduit::crm::exchange {
namespace {

using F = ContactField;

struct Column {
    std::string name;
    std::optional<ColumnTarget> target;  // none: the mapping does not know the column
};

std::string_view trimmed(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Google joins several values of one column with " ::: ".
std::vector<std::string> splitValues(std::string_view text, std::string_view separator = ":::") {
    std::vector<std::string> values;
    for (;;) {
        const auto at = text.find(separator);
        const auto value = trimmed(text.substr(0, at));
        if (!value.empty()) values.emplace_back(value);
        if (at == std::string_view::npos) return values;
        text.remove_prefix(at + separator.size());
    }
}

// Google's kinds ("* Home", "Mobile", "Work Fax") in the words ContactRecord labels use.
std::string normalizeLabel(std::string_view raw) {
    raw = trimmed(raw);
    const bool primary = raw.substr(0, 2) == "* ";
    if (primary) raw.remove_prefix(2);
    std::string label = normalizeHeader(raw);
    static const std::map<std::string, std::string, std::less<>> kWords{
        {"mobile", "cell"}, {"work fax", "work,fax"}, {"home fax", "home,fax"}, {"business", "work"},
        {"other fax", "fax"}, {"work mobile", "work,cell"}, {"google voice", "voice"}};
    if (const auto it = kWords.find(label); it != kWords.end()) label = it->second;
    if (primary) label += label.empty() ? "pref" : ",pref";
    return label;
}

std::string genderOf(std::string_view value, bool& known) {
    static const std::map<std::string, std::string, std::less<>> kWords{
        {"male", "M"}, {"m", "M"}, {"mężczyzna", "M"}, {"мужской", "M"}, {"мужчина", "M"}, {"männlich", "M"},
        {"female", "F"}, {"f", "F"}, {"kobieta", "F"}, {"женский", "F"}, {"женщина", "F"}, {"weiblich", "F"},
        {"unspecified", ""}, {"nieokreślona", ""}, {"nieokreślony", ""}, {"не определен", ""},
        {"не определён", ""}, {"не указан", ""}, {"keine angabe", ""}};
    const auto it = kWords.find(normalizeHeader(value));
    known = it != kWords.end();
    return known ? it->second : std::string();
}

std::optional<int> numberOf(std::string_view text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Turns one CSV row into a record; one instance per row, so labels and address parts of the row
// meet before they are stored.
class RowReader {
public:
    RowReader(const std::vector<Column>& columns, const ColumnMapping& mapping, std::size_t line)
        : columns_(columns), mapping_(mapping) {
        record_.line = line;
    }

    ContactRecord read(const std::vector<std::string>& fields) {
        const auto values = cleaned(fields);
        collectLabels(values);
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!values[i].empty()) apply(i, values[i]);
        finishAddresses();
        finishBirthParts();
        if (fields.size() != columns_.size())
            problem(ProblemCode::RaggedRow, "", std::to_string(fields.size()) + "/" + std::to_string(columns_.size()));
        if (record_.givenName.empty() && record_.familyName.empty() && record_.formattedName.empty() &&
            record_.organisation.empty() && record_.emails.empty())
            problem(ProblemCode::NoName, "", "");
        return std::move(record_);
    }

private:
    std::string columnName(std::size_t i) const {
        return i < columns_.size() ? columns_[i].name : "#" + std::to_string(i + 1);
    }

    const ColumnTarget* targetOf(std::size_t i) const {
        return i < columns_.size() && columns_[i].target ? &*columns_[i].target : nullptr;
    }

    void problem(ProblemCode code, std::string field, std::string detail) {
        record_.problems.push_back({code, record_.line, std::move(field), std::move(detail)});
    }

    std::vector<std::string> cleaned(const std::vector<std::string>& fields) {
        std::vector<std::string> values;
        values.reserve(fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto* target = targetOf(i);
            const std::string_view kept = target && target->field == F::Note ? std::string_view(fields[i]) : trimmed(fields[i]);
            if (isValidUtf8(kept)) {
                values.emplace_back(kept);
                continue;
            }
            problem(ProblemCode::NotDecodable, columnName(i), "");
            values.push_back(replaceInvalidUtf8(kept));
        }
        return values;
    }

    void collectLabels(const std::vector<std::string>& values) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            const auto* target = targetOf(i);
            if (!target || values[i].empty()) continue;
            switch (target->field) {
            case F::EmailLabel: emailLabels_[target->slot] = normalizeLabel(values[i]); break;
            case F::PhoneLabel: phoneLabels_[target->slot] = normalizeLabel(values[i]); break;
            case F::WebPageLabel: urlLabels_[target->slot] = normalizeLabel(values[i]); break;
            case F::MessengerLabel: messengerLabels_[target->slot] = normalizeHeader(values[i]); break;
            case F::AddressLabel: addressLabels_[target->slot] = normalizeLabel(values[i]); break;
            default: break;
            }
        }
    }

    void keepExtra(std::size_t i, const std::string& value) { record_.extra.emplace_back(columnName(i), value); }

    void setOnce(std::string& field, std::size_t i, const std::string& value) {
        if (field.empty()) field = value;
        else if (field != value) keepExtra(i, value);
    }

    static void appendLine(std::string& field, const std::string& value) {
        if (!field.empty()) field += '\n';
        field += value;
    }

    std::string labelFor(const std::map<int, std::string>& labels, const ColumnTarget& target) const {
        const auto it = labels.find(target.slot);
        return it != labels.end() && target.slot != 0 ? it->second : target.label;
    }

    void addValues(std::vector<LabelledValue>& list, const std::map<int, std::string>& labels,
                   const ColumnTarget& target, const std::string& value) {
        for (auto& item : splitValues(value)) list.push_back({std::move(item), labelFor(labels, target)});
    }

    ContactAddress& address(const ColumnTarget& target) {
        auto& slot = addresses_[target.slot];
        if (slot.label.empty()) slot.label = labelFor(addressLabels_, target);
        return slot;
    }

    void apply(std::size_t i, const std::string& value) {
        const auto* target = targetOf(i);
        if (!target) return keepExtra(i, value);
        if (applyName(*target, i, value) || applyContact(*target, value) || applyAddress(*target, value)) return;
        applyOther(*target, i, value);
    }

    bool applyName(const ColumnTarget& target, std::size_t i, const std::string& value) {
        switch (target.field) {
        case F::FormattedName: setOnce(record_.formattedName, i, value); return true;
        case F::Prefix: setOnce(record_.prefix, i, value); return true;
        case F::GivenName: setOnce(record_.givenName, i, value); return true;
        case F::MiddleName: setOnce(record_.additionalNames, i, value); return true;
        case F::FamilyName: setOnce(record_.familyName, i, value); return true;
        case F::Suffix: setOnce(record_.suffix, i, value); return true;
        case F::Nickname: setOnce(record_.nickname, i, value); return true;
        case F::Organisation: setOnce(record_.organisation, i, value); return true;
        case F::Department: setOnce(record_.department, i, value); return true;
        case F::JobTitle: setOnce(record_.jobTitle, i, value); return true;
        default: return false;
        }
    }

    bool applyContact(const ColumnTarget& target, const std::string& value) {
        switch (target.field) {
        case F::Email: addValues(record_.emails, emailLabels_, target, value); return true;
        case F::Phone: addValues(record_.phones, phoneLabels_, target, value); return true;
        case F::WebPage: addValues(record_.urls, urlLabels_, target, value); return true;
        case F::Messenger: addValues(record_.messengers, messengerLabels_, target, value); return true;
        case F::EmailLabel: case F::PhoneLabel: case F::WebPageLabel: case F::MessengerLabel: case F::AddressLabel:
        case F::Ignore: return true;
        default: return false;
        }
    }

    bool applyAddress(const ColumnTarget& target, const std::string& value) {
        switch (target.field) {
        case F::Street: appendLine(address(target).street, value); return true;
        case F::Extended: appendLine(address(target).extended, value); return true;
        case F::City: appendLine(address(target).city, value); return true;
        case F::Region: appendLine(address(target).region, value); return true;
        case F::Postcode: appendLine(address(target).postcode, value); return true;
        case F::Country: appendLine(address(target).country, value); return true;
        case F::AddressFormatted: address(target); formatted_[target.slot] = value; return true;
        default: return false;
        }
    }

    void applyOther(const ColumnTarget& target, std::size_t i, const std::string& value) {
        switch (target.field) {
        case F::Birthday: readDate(record_.birthday, i, value); break;
        case F::Anniversary: readDate(record_.anniversary, i, value); break;
        case F::BirthYear: case F::BirthMonth: case F::BirthDay: birthParts_[target.field] = {i, value}; break;
        case F::Gender: readGender(i, value); break;
        case F::Language: setOnce(record_.language, i, value); break;
        case F::Note: appendLine(record_.note, value); break;
        case F::Categories: readCategories(value); break;
        default: keepExtra(i, value); break;
        }
    }

    void readDate(ContactDate& date, std::size_t i, const std::string& value) {
        if (parseContactDate(value, mapping_.dateOrder, date) != DateRead::Bad) return;
        date = {};
        problem(ProblemCode::BadDate, columnName(i), value);
        keepExtra(i, value);
    }

    void readGender(std::size_t i, const std::string& value) {
        bool known = false;
        const std::string gender = genderOf(value, known);
        if (known) record_.gender = gender;
        else keepExtra(i, value);
    }

    void readCategories(const std::string& value) {
        for (const auto& group : splitValues(value, ":::"))
            for (auto name : splitValues(group, ";")) {
                if (name.rfind("* ", 0) == 0) name.erase(0, 2);
                if (name == "My Contacts") continue;  // Google puts every contact in it
                if (std::find(record_.categories.begin(), record_.categories.end(), name) == record_.categories.end())
                    record_.categories.push_back(name);
            }
    }

    void finishAddresses() {
        for (auto& [slot, address] : addresses_) {
            const bool hasParts = !address.street.empty() || !address.extended.empty() || !address.city.empty() ||
                                  !address.region.empty() || !address.postcode.empty() || !address.country.empty();
            const auto text = formatted_.find(slot);
            if (!hasParts && text != formatted_.end()) address.street = text->second;
            if (hasParts || text != formatted_.end()) record_.addresses.push_back(std::move(address));
        }
    }

    // Thunderbird's Birth Year / Birth Month / Birth Day columns.
    void finishBirthParts() {
        if (birthParts_.empty()) return;
        const auto year = birthPart(F::BirthYear), month = birthPart(F::BirthMonth), day = birthPart(F::BirthDay);
        if (year && month && day && *month == 0 && *day == 0) return;
        ContactDate date;
        if (year && month && day && *year >= 0 && *year <= 9999 &&
            parseContactDate(isoDate(*year, *month, *day), DateOrder::DayFirst, date) == DateRead::Date) {
            record_.birthday = date;
            return;
        }
        std::string detail;
        for (const auto& entry : birthParts_) detail += (detail.empty() ? "" : "/") + entry.second.second;
        problem(ProblemCode::BadDate, columnName(birthParts_.begin()->second.first), detail);
        for (const auto& entry : birthParts_) keepExtra(entry.second.first, entry.second.second);
    }

    std::optional<int> birthPart(F field) const {
        const auto it = birthParts_.find(field);
        return it == birthParts_.end() ? std::optional<int>(0) : numberOf(it->second.second);
    }

    static std::string isoDate(int year, int month, int day) {
        auto padded = [](int value, std::size_t width) {
            std::string text = std::to_string(value);
            return std::string(text.size() < width ? width - text.size() : 0, '0') + text;
        };
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2);
    }

    const std::vector<Column>& columns_;
    const ColumnMapping& mapping_;
    ContactRecord record_;
    std::map<int, std::string> emailLabels_, phoneLabels_, urlLabels_, messengerLabels_, addressLabels_, formatted_;
    std::map<int, ContactAddress> addresses_;
    std::map<F, std::pair<std::size_t, std::string>> birthParts_;
};

bool allEmpty(const std::vector<std::string>& fields) {
    return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return trimmed(f).empty(); });
}

std::vector<std::string> headerNames(const CsvRecord& header) {
    std::vector<std::string> names;
    for (const auto& name : header.fields) names.push_back(replaceInvalidUtf8(trimmed(name)));
    return names;
}

std::vector<Column> columnsOf(const std::vector<std::string>& names, const ColumnMapping& mapping,
                              std::size_t headerLine, std::vector<ExchangeProblem>& problems) {
    std::vector<Column> columns;
    for (const auto& name : names) {
        const ColumnTarget* target = mapping.find(name);
        columns.push_back({name, target ? std::optional<ColumnTarget>(*target) : std::nullopt});
        if (!target) problems.push_back({ProblemCode::UnknownColumn, headerLine, name, ""});
    }
    return columns;
}

void keepFileProblems(const CsvTable& table, std::vector<ExchangeProblem>& problems) {
    for (const auto& p : table.problems)
        if (p.code != ProblemCode::RaggedRow) problems.push_back(p);
}

}  // namespace

std::vector<std::string> csvHeader(std::string_view utf8Text, char separator) {
    CsvTableOptions options;
    options.separator = separator;
    const CsvTable table = readCsvTable(utf8Text, options);
    return table.records.empty() ? std::vector<std::string>{} : headerNames(table.records.front());
}

ContactFile readContactCsv(std::string_view utf8Text, const CsvReadOptions& options) {
    ContactFile file;
    file.encoding = "UTF-8";
    const CsvTable table = readCsvTable(utf8Text, {options.separator, options.limits});
    keepFileProblems(table, file.problems);
    if (table.records.empty()) {
        if (file.problems.empty()) file.problems.push_back({ProblemCode::UnknownFormat, 0, "", "empty"});
        return file;
    }
    const auto& header = table.records.front();
    const auto names = headerNames(header);
    const ColumnMapping mapping = options.mapping ? *options.mapping : detectMapping(names);
    if (mapping.rules.empty()) file.problems.push_back({ProblemCode::UnknownFormat, header.line, "", "header"});
    const auto columns = columnsOf(names, mapping, header.line, file.problems);
    for (std::size_t r = 1; r < table.records.size(); ++r) {
        const auto& row = table.records[r];
        if (allEmpty(row.fields)) continue;
        file.records.push_back(RowReader(columns, mapping, row.line).read(row.fields));
    }
    return file;
}

ContactFile readContactCsvBytes(std::string_view bytes, const CsvReadOptions& options) {
    DecodedText decoded = decodeFile(bytes, options.encoding);
    ContactFile file = readContactCsv(decoded.text, options);
    file.encoding = std::move(decoded.encoding);
    file.problems.insert(file.problems.begin(), decoded.problems.begin(), decoded.problems.end());
    return file;
}

}  // namespace conduit::crm::exchange
