// Which column of a contact CSV holds which field of a ContactRecord: the mappings Outlook
// (English, Polish, Russian, German), Google Contacts and Thunderbird write, found from the header,
// and a user's own mapping saved as JSON for the import wizard.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>
#include <conduit/crm/foundation/locale.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

enum class ContactField {
    Ignore,         // known and deliberately not read (Outlook's "E-mail Type", "Priority", "Initials")
    Extra,          // known, kept in ContactRecord::extra under its column name
    FormattedName, Prefix, GivenName, MiddleName, FamilyName, Suffix, Nickname,
    Organisation, Department, JobTitle,
    Email, EmailLabel,              // slot pairs a label column with its value column (Google)
    Phone, PhoneLabel,
    Street, Extended, City, Region, Postcode, Country,  // slot: which address
    AddressLabel, AddressFormatted,  // the formatted text is used when no part is given
    Birthday, BirthYear, BirthMonth, BirthDay, Anniversary,
    Gender, Language, Note, Categories,
    WebPage, WebPageLabel,
    Messenger, MessengerLabel,      // the label is the service ("skype", "telegram")
};

// Where one column's value goes. `label` is the kind a value gets when no label column says it
// ("work", "home,fax", "cell"); `slot` ties values, labels and address parts of one item together.
struct ColumnTarget {
    ContactField field = ContactField::Extra;
    int slot = 0;
    std::string label;
    friend bool operator==(const ColumnTarget&, const ColumnTarget&) = default;
};

struct ColumnRule {
    std::string column;  // the header as the file writes it
    ColumnTarget target;
    friend bool operator==(const ColumnRule&, const ColumnRule&) = default;
};

// How a date column is read when its form allows two readings ("3/4/1980").
enum class DateOrder { MonthFirst, DayFirst };

struct ColumnMapping {
    std::string preset;  // "outlook-en", "outlook-pl", "outlook-ru", "outlook-de", "google", "thunderbird"; "" when a user made it
    std::vector<ColumnRule> rules;
    DateOrder dateOrder = DateOrder::DayFirst;  // English Outlook writes month first
    // The rule for a header, compared without case, BOM and surrounding or doubled spaces.
    const ColumnTarget* find(std::string_view header) const;
    friend bool operator==(const ColumnMapping&, const ColumnMapping&) = default;
};

// A header the way columns are compared: BOM and outer spaces gone, inner runs of spaces one
// space, case folded (Unicode, so "ИМЯ" is "имя").
std::string normalizeHeader(std::string_view header);

// Ids of the presets a file is matched against, in the order ties are decided.
std::vector<std::string> presetIds();
// The program a preset is for, as the import wizard names it ("Outlook (polski)"); a user's own
// mapping ("") is named as such.
const LocalizedText& presetName(std::string_view presetId);
// What a preset makes of these header columns (only the columns it knows get a rule).
ColumnMapping presetMapping(std::string_view presetId, const std::vector<std::string>& header);
// The preset that knows most of the header's columns; its mapping for them. A header no preset
// knows a column of gives an empty mapping with an empty preset.
ColumnMapping detectMapping(const std::vector<std::string>& header);

// The field's name in the saved JSON ("given_name", "phone", ...) and back.
std::string_view toString(ContactField field);
std::optional<ContactField> contactFieldOf(std::string_view name);
// The field as the import wizard shows it, in ru/pl/en.
const LocalizedText& displayName(ContactField field);

// {"preset": "...", "columns": [{"column": "Imię", "field": "given_name", "slot": 0, "label": ""}, ...]}
std::string toJson(const ColumnMapping& mapping);
// Throws ExchangeError (UnknownFormat, detail says what) for text that is not such a mapping.
ColumnMapping mappingFromJson(std::string_view json);

enum class DateRead { Date, Empty, Bad };
// "3/14/1980", "14.03.1980", "1980-03-14", "--03-14", "14/3/80"; "", "0/0/00" and "0.0.00" are
// Empty (Outlook's "no date"). A day over 12 decides the order; otherwise `order` does.
DateRead parseContactDate(std::string_view text, DateOrder order, ContactDate& date);

}  // namespace conduit::crm::exchange
