#include <conduit/crm/timeline/summaries.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

namespace conduit::crm {

// A prepayment demand is settled once a prepayment of its project arrived after it: it no longer
// needs attention (alias E is the demand). Fixed fragment.
const char* const kSettledSql =
    "(E.KIND = 'order.prepayment_required' AND E.PROJECT_ID > 0 AND EXISTS (SELECT 1 FROM CRM_EVENT P"
    " WHERE P.PROJECT_ID = E.PROJECT_ID AND P.KIND = 'payment.prepayment_received' AND P.DELETED_AT IS NULL"
    " AND P.OCCURRED_AT >= E.OCCURRED_AT))";

Summary SummaryQuery::run(soci::session& s) const {
    // Fixed fragments chosen by the subject's type, never from input; every value is bound.
    const AccessScope* access = access_ ? &*access_ : nullptr;

    // Every query: this subject, plus what the viewer may see; `extra` conditions after those.
    struct Query {
        std::string sql;
        BoundParams params;
    };
    auto make = [&](const std::string& select, const std::string& extra, bool withNow, auto&& tail) {
        Query q;
        SubjectRange range = subjectRange(subject_, q.params);
        std::vector<std::string> where{range.condition};
        appendAccessConditions(access, q.params, where);
        std::string sql = select + " FROM " + range.from + " WHERE ";
        for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
        // "{occurredAt}" in `extra` is the walked index's time column: a bound on it starts the
        // walk at that time instead of filtering every newer event of the subject.
        std::string cond = extra;
        for (auto pos = cond.find("{occurredAt}"); pos != std::string::npos; pos = cond.find("{occurredAt}"))
            cond.replace(pos, 12, range.occurredAt);
        if (withNow) {
            // ":today" in `extra` is the first instant of today's date as due dates carry it,
            // ":tomorrow" the first of the next: dates are compared as dates (bound once per use).
            const auto today = startOfDueDay(now_);
            for (auto pos = cond.find(":today"); pos != std::string::npos; pos = cond.find(":today"))
                cond.replace(pos, 6, q.params.add(today));
            for (auto pos = cond.find(":tomorrow"); pos != std::string::npos; pos = cond.find(":tomorrow"))
                cond.replace(pos, 9, q.params.add(today + std::chrono::days(1)));
        }
        if (!cond.empty()) sql += " AND " + cond;
        q.sql = sql + tail(range);
        return q;
    };
    auto newestFirst = [](const SubjectRange& r) { return r.walkPlan + " ORDER BY " + r.walkOrder; };

    Summary sum;
    {
        auto q = make("SELECT E.KIND, COUNT(*)", "", false, [](const SubjectRange&) { return std::string(" GROUP BY E.KIND"); });
        std::string kind;
        long long n = 0;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(kind), soci::into(n);
        soci::statement st(prep);
        st.execute(false);
        while (st.fetch()) {
            sum.countsByKind[kind] = n;
            sum.total += n;
        }
    }
    {
        auto q = make("SELECT FIRST 1 E.OCCURRED_AT", "", false, newestFirst);
        std::tm last{};
        soci::indicator ind = soci::i_null;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(last, ind);
        soci::statement st(prep);
        st.execute(true);
        if (st.got_data() && ind == soci::i_ok) sum.lastEventAt = rows::toTimePoint(last);
    }
    auto one = [&](const std::string& conditions, auto&& order, std::optional<Event>& out) {
        auto q = make(std::string("SELECT FIRST 1 ") + rows::kEventColumns, conditions, true, order);
        Event e;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(e);
        soci::statement st(prep);
        st.execute(true);
        if (st.got_data()) out = e;
    };
    // Any payment dated today counts, whatever hour it carries; a payment dated ahead does not yet.
    one("E.KIND STARTING WITH 'payment.' AND E.KIND <> 'payment.overdue' AND E.AMOUNT_MINOR IS NOT NULL"
        " AND {occurredAt} < :tomorrow",
        newestFirst, sum.lastPayment);
    // The subject's own index range (a few thousand rows at most), sorted: no due-date index.
    one("E.DUE_AT >= :today", [](const SubjectRange& r) { return " PLAN SORT (" + r.streams + ") ORDER BY E.DUE_AT, E.ID"; },
        sum.nextDue);
    {
        // Named: left to itself the optimizer walks CRM_EVENT_DUE, every event due from now on.
        auto q = make("SELECT COUNT(*)", std::string("E.IMPORTANCE >= 2 AND E.DUE_AT >= :today AND NOT ") + kSettledSql, true,
                      [](const SubjectRange& r) { return " PLAN (" + r.streams + ")"; });
        long long open = 0;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(open);
        soci::statement st(prep);
        st.execute(true);
        sum.openIssues = open;
    }
    for (auto* e : {&sum.lastPayment, &sum.nextDue}) {
        if (!*e) continue;
        std::vector<Event> one{std::move(**e)};
        loadAttachmentMetadata(s, one);
        loadSubjects(s, one);
        *e = std::move(one.front());
        if (access) redactDetails(*access, **e);
    }
    return sum;
}

}  // namespace conduit::crm
