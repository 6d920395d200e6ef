// A company (or one of its branches) or a person in the CRM's catalogue, as one plain value:
// the fields people keep about a customer, partner, installer, supplier or competitor.
#pragma once

#include <conduit/crm/parties/memorable_date.hpp>
#include <conduit/crm/parties/phone_number.hpp>
#include <conduit/crm/parties/tax_id.hpp>
#include <conduit/crm/parties/email_address.hpp>

#include <conduit/sdk/values.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::parties {

enum class PartyKind { Company, Person };

// A company may hold several at once; stored as a bit each (PartyRoles).
enum class PartyRole { Customer = 0, Prospect, Partner, Installer, Supplier, Competitor };
const std::vector<PartyRole>& allPartyRoles();
std::string_view toString(PartyRole role);  // "customer", "prospect", "partner", ...
std::optional<PartyRole> partyRoleFromString(std::string_view code);
using PartyRoles = std::uint32_t;
constexpr PartyRoles roleBit(PartyRole role) { return PartyRoles{1} << static_cast<int>(role); }

enum class AddressPurpose { Legal, Postal, Delivery };
std::string_view toString(AddressPurpose purpose);
std::optional<AddressPurpose> addressPurposeFromString(std::string_view code);

// An address as its country writes it: Polish "ul. Długa 5/3, 00-950 Warszawa", Russian
// "123456, г. Москва, ул. Тверская, д. 7" (formatAddress in catalogue_text.hpp).
struct Address {
    AddressPurpose purpose = AddressPurpose::Legal;
    std::string country = "PL";  // ISO 3166
    std::string postcode, city, street, building, flat, region;
    friend bool operator==(const Address&, const Address&) = default;
};

enum class Gender { Unknown, Female, Male };
// The form a salutation takes ("Szanowna Pani", "Уважаемый"): usually the gender, but kept
// apart because people choose it (a company's shared mailbox, a name of either form).
enum class GrammaticalGender { Neuter, Feminine, Masculine };
std::string_view toString(Gender gender);
std::string_view toString(GrammaticalGender gender);
std::optional<Gender> genderFromString(std::string_view code);
std::optional<GrammaticalGender> grammaticalGenderFromString(std::string_view code);

struct Phone {
    PhoneNumber number;
    std::string label;  // "office", "mobile", as the user typed
    friend bool operator==(const Phone&, const Phone&) = default;
};

struct Email {
    EmailAddress address;
    std::string label;
    friend bool operator==(const Email&, const Email&) = default;
};

struct Messenger {
    std::string network;  // "telegram", "whatsapp", "signal", "viber", "teams"
    std::string handle;
    friend bool operator==(const Messenger&, const Messenger&) = default;
};

// The host's commercial terms of a counterparty, shown on the card (read-only in the CRM).
struct CommercialTerms {
    std::optional<sdk::Money> turnoverLastYear, turnoverThisYear, creditLimit;
    std::optional<int> discountBasisPoints;  // 250 = 2.5 %
    std::optional<int> paymentTermDays;
    friend bool operator==(const CommercialTerms&, const CommercialTerms&) = default;
};

// The fields of a party the host owns when it is a host counterparty: shown, never edited here.
namespace host_fields {
inline constexpr const char* kName = "name";
inline constexpr const char* kTaxIds = "tax_ids";
inline constexpr const char* kAddresses = "addresses";
inline constexpr const char* kPhones = "phones";
inline constexpr const char* kEmails = "emails";
inline constexpr const char* kLanguage = "language";
}  // namespace host_fields

struct Party {
    std::int64_t id = 0;  // 0 until stored
    PartyKind kind = PartyKind::Company;
    std::string fullName;   // "Okna Nowak Spółka z ograniczoną odpowiedzialnością"; a person: "Anna Nowak"
    std::string shortName;  // "Okna Nowak"; empty: the full name
    // A person's name parts, for salutations ("Иван Петрович", "Pani Anno").
    std::string givenName, patronymic, familyName;
    PartyRoles roles = 0;
    std::vector<TaxId> taxIds;
    std::vector<Address> addresses;
    std::string region, industry, category, source, website, notes;
    std::set<std::string> tags;
    std::vector<Phone> phones;
    std::vector<Email> emails;
    std::vector<Messenger> messengers;
    sdk::Id ownerId = 0;           // the responsible salesperson (a host user)
    bool isPrivate = false;        // only the owner (and management) see it
    std::int64_t parentId = 0;     // a branch: its company
    // A person.
    Gender gender = Gender::Unknown;
    GrammaticalGender grammaticalGender = GrammaticalGender::Neuter;
    std::vector<MemorableDate> dates;  // birthday, name day, a firm's anniversary
    std::string language;              // "ru", "pl", "en"; empty: the installation's
    bool doNotContact = false;
    std::string photo;                 // JPEG/PNG bytes, at most 512 KiB; logo for a company
    std::map<std::string, std::string> custom;  // custom field code -> value as text
    // The host.
    sdk::Id hostId = 0;              // the host counterparty it is; 0: CRM-only
    bool removedInHost = false;      // the host dropped it; kept, read-only
    std::optional<CommercialTerms> terms;
    // Kept by the store.
    std::int64_t mergedInto = 0;
    int version = 0;                 // optimistic lock: update() refuses a stale version
    sdk::TimePoint createdAt{}, changedAt{};
    bool restrictedHidden = false;   // a reader's copy whose tax ids and terms the rights removed

    bool has(PartyRole role) const { return (roles & roleBit(role)) != 0; }
    const std::string& displayName() const { return shortName.empty() ? fullName : shortName; }
    bool isHostOwned() const { return hostId != 0; }
    friend bool operator==(const Party&, const Party&) = default;
};

std::string_view toString(PartyKind kind);  // "company", "person"
std::optional<PartyKind> partyKindFromString(std::string_view code);

}  // namespace conduit::crm::parties
