// How an Event maps to CRM_EVENT rows: SOCI type_conversion<> both ways, plus the UTC time and
// date conversions. The one place that knows the column list.
#pragma once

#include "domain/event.hpp"

#include <soci/soci.h>

#include <ctime>
#include <string>

namespace conduit::crm::rows {

std::tm toTm(sdk::TimePoint t);
sdk::TimePoint toTimePoint(const std::tm& tm);
std::tm toTm(sdk::Date d);
sdk::Date toDate(const std::tm& tm);

// Columns of a feed row, in CRM_EVENT column order, prefixed by alias "E.". No blobs.
extern const char* const kEventColumns;
// INSERT with one named parameter per column (names as in type_conversion<Event>).
extern const char* const kInsertEvent;

}  // namespace conduit::crm::rows

namespace soci {

template <>
struct type_conversion<conduit::crm::Event> {
    using base_type = values;
    static void from_base(const values& v, indicator ind, conduit::crm::Event& e);
    static void to_base(const conduit::crm::Event& e, values& v, indicator& ind);
};

}  // namespace soci
