// SQL over an event's subjects: the link rows the writer adds, their reading, and the ranges that
// the feed, summaries and unread counters walk for one subject.
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

#include <algorithm>

namespace conduit::crm {

SubjectRange subjectRange(const SubjectRef& subject, BoundParams& params) {
    const long long id = static_cast<long long>(subject.id);
    if (subject.isEventColumn()) {
        const bool project = subject.type == subject_types::project;
        const std::string column = project ? "E.PROJECT_ID" : "E.COUNTERPARTY_ID";
        const std::string index = project ? "CRM_EVENT_PROJECT" : "CRM_EVENT_COUNTERPARTY";
        return {"CRM_EVENT E", column + " = " + params.add(id), "E.OCCURRED_AT", "E.ID",
                " PLAN (E ORDER " + index + ")", column + " DESC, E.OCCURRED_AT DESC, E.ID DESC",
                "E INDEX (" + index + ")"};
    }
    // Driven by the link table: its DESCENDING index gives the order, each event by primary key.
    const std::string condition = "S.SUBJECT_TYPE = " + params.add(subject.type.code()) + " AND S.SUBJECT_ID = " + params.add(id);
    return {"CRM_EVENT_SUBJECT S JOIN CRM_EVENT E ON E.ID = S.EVENT_ID", condition, "S.OCCURRED_AT", "S.EVENT_ID",
            " PLAN JOIN (S ORDER CRM_EVENT_SUBJECT_FEED, E INDEX (PK_CRM_EVENT))",
            "S.SUBJECT_TYPE DESC, S.SUBJECT_ID DESC, S.OCCURRED_AT DESC, S.EVENT_ID DESC",
            "JOIN (S INDEX (CRM_EVENT_SUBJECT_FEED), E INDEX (PK_CRM_EVENT))"};
}

std::string subjectCondition(const SubjectRef& subject, BoundParams& params) {
    const long long id = static_cast<long long>(subject.id);
    if (subject.type == subject_types::project) return "E.PROJECT_ID = " + params.add(id);
    if (subject.type == subject_types::counterparty) return "E.COUNTERPARTY_ID = " + params.add(id);
    return "EXISTS (SELECT 1 FROM CRM_EVENT_SUBJECT L WHERE L.EVENT_ID = E.ID AND L.SUBJECT_TYPE = " +
           params.add(subject.type.code()) + " AND L.SUBJECT_ID = " + params.add(id) + ")";
}

void loadSubjects(soci::session& s, std::vector<Event>& events) {
    // One prepared probe of the primary key per event that has links (SUBJECT_COUNT sized them).
    // Not one IN list per page: Firebird 3 takes ~15 ms to prepare and run an IN of 100 ids.
    long long eventId = 0, subjectId = 0;
    std::string type;
    std::optional<soci::statement> st;
    for (auto& e : events) {
        if (e.subjects.empty()) continue;
        if (!st)
            st.emplace((s.prepare << "SELECT SUBJECT_TYPE, SUBJECT_ID FROM CRM_EVENT_SUBJECT WHERE EVENT_ID = :e",
                        soci::use(eventId), soci::into(type), soci::into(subjectId)));
        eventId = e.id;
        e.subjects.clear();
        st->execute(false);
        while (st->fetch()) {
            // A type this build does not know (a newer area's) is kept when well-formed.
            if (SubjectType::isValidCode(type)) e.subjects.push_back({SubjectType(type), static_cast<sdk::Id>(subjectId)});
        }
        std::sort(e.subjects.begin(), e.subjects.end());  // as the writer keeps them
    }
}

void writeSubjects(soci::session& s, const std::vector<const Event*>& newEvents) {
    long long eventId = 0, subjectId = 0;
    std::string type;
    std::tm occurred{};
    std::optional<soci::statement> insert;  // prepared once per batch, and only when needed
    for (const Event* e : newEvents) {
        for (const auto& subject : e->subjects) {
            if (!insert)
                insert.emplace((s.prepare << "INSERT INTO CRM_EVENT_SUBJECT (EVENT_ID, SUBJECT_TYPE, SUBJECT_ID, OCCURRED_AT)"
                                             " VALUES (:e, :t, :s, :o)",
                                soci::use(eventId), soci::use(type), soci::use(subjectId), soci::use(occurred)));
            eventId = e->id;
            type = subject.type.code();
            subjectId = static_cast<long long>(subject.id);
            occurred = rows::toTm(e->occurredAt);
            insert->execute(true);
        }
    }
}

}  // namespace conduit::crm
