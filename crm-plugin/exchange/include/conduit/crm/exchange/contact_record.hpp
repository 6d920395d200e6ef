// One contact as a file or a directory gives it (a vCard, a CSV row, an LDAP entry): a person or
// a company alone, with the organisation a person works in, before it meets the catalogue.
#pragma once

#include <conduit/crm/exchange/exchange_problem.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace conduit::crm::exchange {

// A value with the kind the source gave it ("work", "home", "cell", "fax", "pref"), lower case.
struct LabelledValue {
    std::string value;
    std::string label;
    friend bool operator==(const LabelledValue&, const LabelledValue&) = default;
};

// An address as the source splits it (vCard ADR, Outlook's Business Street/City/...).
struct ContactAddress {
    std::string label;  // "work", "home", "postal"
    std::string street, extended, city, region, postcode, country;  // country as written, or ISO
    friend bool operator==(const ContactAddress&, const ContactAddress&) = default;
};

// A date a source may give without its year (vCard 4's --0314, Outlook's 0/3/14 becomes year 0).
struct ContactDate {
    int year = 0;  // 0: unknown
    int month = 0, day = 0;
    bool empty() const { return month == 0; }
    friend bool operator==(const ContactDate&, const ContactDate&) = default;
};

struct ContactRecord {
    std::size_t line = 0;        // where it starts in its file (1-based); 0 for a directory entry
    std::string sourceId;        // the source's own id: vCard UID, LDAP DN; empty when none
    bool isCompany = false;      // an organisation's own card (vCard 4 KIND:org, Apple's company card)
    std::string formattedName;   // vCard FN, Outlook's display name
    std::string prefix, givenName, additionalNames, familyName, suffix, nickname;
    std::string organisation, department, jobTitle;
    std::vector<LabelledValue> emails, phones, urls, messengers;  // messenger label: "telegram", "skype"
    std::vector<ContactAddress> addresses;
    ContactDate birthday, anniversary;
    std::string gender;          // "F", "M" or empty
    std::string language;        // "pl", "ru", ... as the source gives it
    std::string note;
    std::vector<std::string> categories;
    std::string photo;           // the image's bytes (decoded), empty when none
    std::string photoType;       // "image/jpeg", "image/png"
    // What the source has that the catalogue has no field for (X- properties, extra columns),
    // kept in order as name -> value so nothing read is silently dropped.
    std::vector<std::pair<std::string, std::string>> extra;
    // What could not be read of this record; the record is still given with what could.
    std::vector<ExchangeProblem> problems;
    friend bool operator==(const ContactRecord&, const ContactRecord&) = default;
};

// What a reader gives for a whole file: every record, in order, and the problems that belong
// to no record (a broken header, an encoding that could not be decoded).
struct ContactFile {
    std::vector<ContactRecord> records;
    std::vector<ExchangeProblem> problems;
    std::string encoding;        // what the text was read as: "UTF-8", "UTF-16LE", "windows-1250", ...
};

}  // namespace conduit::crm::exchange
