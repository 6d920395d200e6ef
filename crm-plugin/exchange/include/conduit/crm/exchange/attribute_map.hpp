// Which directory attribute (LDAP, LDIF) fills which part of a ContactRecord, with presets for
// OpenLDAP's inetOrgPerson, Active Directory and Thunderbird, kept as JSON a user can edit.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conduit::crm::exchange {

enum class AttributeField {
    Ignore,          // secrets and the server's bookkeeping (userPassword, entryCSN): never kept
    Extra,           // kept in ContactRecord::extra under the attribute's name
    FormattedName,   // cn: the first value names the contact
    DisplayName,     // displayName: names the contact before cn does
    Prefix, GivenName, AdditionalNames, FamilyName, Suffix, Nickname,
    Organisation, Department, JobTitle,
    Email, Phone, Url, Messenger,          // label from the mapping ("work", "cell", "skype")
    Street, Extended, City, Region, Postcode, Country,  // one address per label
    PostalAddress,   // a whole address, lines split by "$" (RFC 4517), into the label's address
    Photo,           // binary image
    Note, Language, Categories,
    Guid,            // a 16-byte binary id (objectGUID), kept in extra as its usual text
};

struct AttributeTarget {
    AttributeField field = AttributeField::Extra;
    std::string label;  // the value's or the address's kind: "work", "home", "cell", "fax"
    friend bool operator==(const AttributeTarget&, const AttributeTarget&) = default;
};

// One entry as a directory gives it: its DN and its attributes with all their values (bytes).
struct DirectoryAttribute {
    std::string name;  // as written, options included ("cn;lang-pl", "userCertificate;binary")
    std::vector<std::string> values;
};

struct DirectoryEntry {
    std::string dn;
    std::size_t line = 0;  // where it starts in its file; 0 for a directory's entry
    std::vector<DirectoryAttribute> attributes;
};

class AttributeMap {
public:
    static AttributeMap openLdap();         // inetOrgPerson (RFC 2798, 4519) and OpenLDAP's own
    static AttributeMap activeDirectory();  // company, department, streetAddress, objectGUID, ...
    static AttributeMap thunderbird();      // mozillaHomeStreet, mozillaWorkUrl, ...
    static AttributeMap standard();         // all three: what an unknown directory most likely uses

    // Names compare without case and without options: "CN;lang-pl" finds "cn".
    void set(std::string attribute, AttributeTarget target);
    void erase(std::string_view attribute);
    const AttributeTarget& targetOf(std::string_view attribute) const;  // Extra when unmapped

    // An entry of one of these object classes is an organisation's own card.
    std::vector<std::string> companyClasses;
    // An LDIF entry is a contact when it has one of these classes (or none at all); a directory
    // says the same with the query's filter.
    std::vector<std::string> contactClasses;

    const std::vector<std::pair<std::string, AttributeTarget>>& entries() const { return entries_; }

    // {"attributes": {"mail": {"field": "email", "label": "work"}, ...}, "companyClasses": [...],
    //  "contactClasses": [...]}. Reading throws ExchangeError(MalformedLine) on broken JSON; an
    // attribute with an unknown field is left out and reported in `problems`, the rest is read.
    std::string toJson() const;
    static AttributeMap fromJson(std::string_view json, std::vector<ExchangeProblem>& problems);

    friend bool operator==(const AttributeMap&, const AttributeMap&) = default;

private:
    std::vector<std::pair<std::string, AttributeTarget>> entries_;  // lower-case names, in order
};

std::string_view toString(AttributeField field);  // "given_name", ... as the JSON writes it

bool isContactEntry(const DirectoryEntry& entry, const AttributeMap& map);

// The entry as a contact: DN as sourceId, mapped values in their fields, the rest in extra;
// a text value that is not UTF-8 is kept with U+FFFD and reported.
ContactRecord toContact(const DirectoryEntry& entry, const AttributeMap& map);

}  // namespace conduit::crm::exchange
