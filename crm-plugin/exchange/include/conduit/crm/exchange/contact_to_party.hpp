// A contact as the catalogue keeps it: the person (or the company of a company's own card), the
// company a person works in and their place there, and what of the contact could not be kept.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/party.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::exchange {

struct PartyOfContact {
    parties::Party party;                    // a person, or a company for a company's own card
    std::optional<parties::Party> company;   // the organisation a person works in
    parties::Employment job;                 // job title and department there
};

struct ContactMapping {
    std::string defaultCountry = "PL";       // a phone or an address without a country
    std::chrono::year_month_day today{};     // a birthday after it is refused
};

// nullopt (with NoName in `problems`) when the record names nobody: no name, organisation or
// e-mail. A value the catalogue refuses (a phone no numbering plan knows, a malformed e-mail) is
// kept in the party's notes as read and reported as ValueNotKept; an impossible date as BadDate.
std::optional<PartyOfContact> partyOfContact(const ContactRecord& record, const ContactMapping& mapping,
                                             std::vector<ExchangeProblem>& problems);

// ISO 3166 code of a country as people write it ("Polska", "Poland", "PL", "Россия", "RU");
// empty when not known.
std::string countryCode(std::string_view written);

}  // namespace conduit::crm::exchange
