// Turns a FeedFilter into one prepared, bound, ROWS-limited keyset query over CRM_EVENT and runs
// it. Picks the DESCENDING index that drives the page and keeps the optimizer off the others.
#pragma once

#include <conduit/crm/timeline/feed.hpp>

#include <soci/soci.h>

#include <cstddef>
#include <ctime>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm {

class FeedQuery {
public:
    static constexpr std::size_t kMaxLimit = 1000;

    FeedQuery(const FeedFilter& filter, std::optional<FeedCursor> after, std::size_t limit);

    // The SQL text (fixed fragments only: user values are always bound parameters).
    const std::string& sql() const { return sql_; }
    // Runs in the caller's unit of work (which ends the read transaction, so the next page sees
    // newly committed events).
    FeedPage run(soci::session& s) const;

private:
    FeedFilter filter_;
    std::optional<FeedCursor> after_;
    std::size_t limit_;
    std::string sql_;
};

// Parameter values kept alive (and at stable addresses) for the statement that binds them; each
// add() returns the ":pN" placeholder to put in the SQL, so text and parameters cannot drift.
struct BoundParams {
    struct Ref { std::string name; char type; std::size_t index; };
    std::deque<long long> ints;
    std::deque<std::string> texts;
    std::deque<std::tm> times;
    std::vector<Ref> refs;

    std::string add(long long v);
    std::string add(std::string v);
    std::string add(sdk::TimePoint t);
    void bind(soci::details::prepare_temp_type& p);

private:
    std::string ref(char type, std::size_t index);
};

// SQL conditions (alias E) that keep a viewer to what they may see: deleted events never, hidden
// kinds, restricted projects they take no part in, another counterparty's events for a client.
// Fixed fragments only; every value is bound through `params`.
void appendAccessConditions(const AccessScope* scope, BoundParams& params, std::vector<std::string>& where);
// "(CASE WHEN E.KIND = :p THEN 1 ... ELSE x END) = 1", or "" when the decisions allow every kind.
std::string kindDecisionSql(const KindDecisions& d, BoundParams& params);
// Where one subject's events are, for queries that walk or count them (alias E for CRM_EVENT, S for
// CRM_EVENT_SUBJECT). A project or counterparty is a range of its CRM_EVENT index, any other
// subject a range of CRM_EVENT_SUBJECT_FEED joined to its events. Fixed fragments; values bound.
struct SubjectRange {
    std::string from;                  // FROM clause body
    std::string condition;             // selects the subject's rows
    std::string occurredAt, eventId;   // the keyset columns of the walked index
    std::string walkPlan;              // " PLAN ..." walking the index newest first
    std::string walkOrder;             // the ORDER BY body matching walkPlan
    std::string streams;               // the plan's streams reading the range unordered (for PLAN / PLAN SORT)
};
SubjectRange subjectRange(const SubjectRef& subject, BoundParams& params);
// The same as one condition on E alone, for queries driven by another table (read marks).
std::string subjectCondition(const SubjectRef& subject, BoundParams& params);

// Removes what the viewer may not see of events they may see: amount, invoice number, body and
// attachments of kinds whose details are not theirs.
void redactDetails(const AccessScope& scope, Event& e);

// Attachment metadata (no content) of events in `page`, filled in place.
void loadAttachmentMetadata(soci::session& s, std::vector<Event>& events);
// Event::subjects of `events` from CRM_EVENT_SUBJECT, for the events whose row says they have some.
void loadSubjects(soci::session& s, std::vector<Event>& events);
// The writer's transaction participant that stores the new events' Event::subjects with them.
void writeSubjects(soci::session& s, const std::vector<const Event*>& newEvents);

}  // namespace conduit::crm
