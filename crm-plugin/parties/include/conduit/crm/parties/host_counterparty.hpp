// A host directory's counterparty as the catalogue keeps it: its name, tax id, address and
// contact's phone and e-mail become the party's host fields (a converter beside the model).
#pragma once

#include <conduit/crm/parties/party.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/directory_changes.hpp>

#include <string>
#include <vector>

namespace conduit::crm::parties {

struct HostConversion {
    Party party;
    // What the host holds that the catalogue cannot take as it is ("tax id 123: wrong check
    // digit"), in English for the log; the rest of the counterparty is taken.
    std::vector<std::string> skipped;
};

// `country`: the installation's, for a phone or tax id written without one.
HostConversion fromHostCounterparty(const sdk::Counterparty& counterparty, const std::string& country);

// The host's commercial terms as the card shows them.
CommercialTerms fromHostTerms(const sdk::CommercialTerms& terms);

}  // namespace conduit::crm::parties
