// How an Event maps to CRM_EVENT rows: SOCI type_conversion<> both ways, plus the UTC time and
// date conversions. The one place that knows the column list.
#pragma once

#include <conduit/crm/timeline/event.hpp>

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

// Bind buffers for the hot INSERT: bound once to one prepared statement, refilled per row.
// (type_conversion<Event> goes through soci::values, a map lookup per column per row.)
class EventInsert {
public:
    explicit EventInsert(soci::session& s);
    void execute(const Event& e);  // throws what the database throws (unique violation, ...)

private:
    long long id_ = 0, author_ = 0, project_ = 0, counterparty_ = 0, amount_ = 0, crewId_ = 0;
    int importance_ = 0, attachments_ = 0, subjects_ = 0;
    std::string key_, kind_, source_, title_, body_, currency_, crewName_, stage_, invoice_, extra_;
    std::tm occurred_{}, recorded_{}, start_{}, end_{}, due_{};
    soci::indicator iSource_ = soci::i_ok, iAuthor_ = soci::i_ok, iProject_ = soci::i_ok, iCounterparty_ = soci::i_ok,
                    iBody_ = soci::i_ok, iAmount_ = soci::i_ok, iCurrency_ = soci::i_ok, iCrewId_ = soci::i_ok,
                    iCrewName_ = soci::i_ok, iStage_ = soci::i_ok, iStart_ = soci::i_ok, iEnd_ = soci::i_ok,
                    iInvoice_ = soci::i_ok, iDue_ = soci::i_ok, iExtra_ = soci::i_ok;
    soci::statement st_;
};

}  // namespace conduit::crm::rows

namespace soci {

template <>
struct type_conversion<conduit::crm::Event> {
    using base_type = values;
    static void from_base(const values& v, indicator ind, conduit::crm::Event& e);
    static void to_base(const conduit::crm::Event& e, values& v, indicator& ind);
};

}  // namespace soci
