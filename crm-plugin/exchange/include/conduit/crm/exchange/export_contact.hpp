// A catalogue party as one contact (ContactRecord) for the formats that write contacts (vCard):
// names, the person's company and job, phones and e-mails labelled as contact files label them.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <vector>

namespace conduit::crm::exchange {

// `party` as its reader may see it (an export's row): what the rights removed stays out. A
// person's organisation, department and job title are those of their first current place; the
// photo is given when the party was read with it (ExportStreamOptions::withPhotos).
ContactRecord contactOf(const parties::Party& party, const std::vector<parties::ExportedPlace>& places);
inline ContactRecord contactOf(const parties::ExportedParty& exported) { return contactOf(exported.party, exported.places); }

}  // namespace conduit::crm::exchange
