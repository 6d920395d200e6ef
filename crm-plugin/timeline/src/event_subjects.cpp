// SQL over an event's subjects: the link rows the writer adds, their reading, and the ranges that
// the feed, summaries and unread counters walk for one subject.
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <unordered_map>

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
    // Firebird caps an IN list at 1500 values; a feed page is at most 1000 events.
    constexpr std::size_t kChunk = 500;
    std::unordered_map<long long, Event*> byId;
    for (std::size_t start = 0; start < events.size(); start += kChunk) {
        BoundParams params;
        byId.clear();
        std::string in;
        for (std::size_t i = start; i < std::min(start + kChunk, events.size()); ++i) {
            events[i].subjects.clear();
            byId[events[i].id] = &events[i];
            in += (in.empty() ? "" : ", ") + params.add(static_cast<long long>(events[i].id));
        }
        // One primary-key probe per id. No ORDER BY: the optimizer would serve it by walking the
        // whole primary key in order (every link row of the store) to return a page's few.
        const std::string sql = "SELECT L.EVENT_ID, L.SUBJECT_TYPE, L.SUBJECT_ID FROM CRM_EVENT_SUBJECT L WHERE L.EVENT_ID IN (" +
                                in + ") PLAN (L INDEX (PK_CRM_EVENT_SUBJECT))";
        long long eventId = 0, subjectId = 0;
        std::string type;
        auto prep = (s.prepare << sql);
        params.bind(prep);
        prep, soci::into(eventId), soci::into(type), soci::into(subjectId);
        soci::statement st(prep);
        st.execute(false);
        while (st.fetch()) {
            // A type this build does not know (a newer area's) is kept only when well-formed.
            const auto owner = byId.find(eventId);
            if (owner == byId.end() || !SubjectType::isValidCode(type)) continue;
            owner->second->subjects.push_back({SubjectType(type), static_cast<sdk::Id>(subjectId)});
        }
    }
    for (auto& e : events) std::sort(e.subjects.begin(), e.subjects.end());  // as the writer keeps them
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
