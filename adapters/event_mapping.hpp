// Turns a host module's change into a CRM event a dispatcher understands: kind, title and body in
// the workstation's language, project and counterparty resolved, importance, due dates carried.
#pragma once

#include "host_change.hpp"

#include <conduit/crm/timeline/event.hpp>

#include <conduit/sdk/directory.hpp>

#include <string>

namespace conduit::adapters {

struct MappingContext {
    const sdk::IDirectory& directory;
    std::string locale = "pl";  // "ru", "pl", "en"
};

crm::Event toEvent(const HostChange& change, const MappingContext& context);

// "1 250,00 PLN" (ru, pl) or "1,250.00 PLN" (en).
std::string formatMoney(const sdk::Money& money, const std::string& locale);
// "2026-03-14"
std::string formatDate(sdk::Date date);

}  // namespace conduit::adapters
