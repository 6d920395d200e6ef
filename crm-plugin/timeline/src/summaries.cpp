#include <conduit/crm/timeline/summaries.hpp>

#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/feed_query.hpp>

#include <soci/soci.h>

namespace conduit::crm {

Summary SummaryQuery::run(soci::session& s) const {
    // Fixed column names chosen by scope, never from input; the id and every access value are bound.
    const std::string column = scope_ == Scope::Counterparty ? "E.COUNTERPARTY_ID" : "E.PROJECT_ID";
    const std::string index = scope_ == Scope::Counterparty ? "CRM_EVENT_COUNTERPARTY" : "CRM_EVENT_PROJECT";
    const std::string walk = " PLAN (E ORDER " + index + ")";
    const AccessScope* access = access_ ? &*access_ : nullptr;

    // Every query: this entity, plus what the viewer may see; `extra` conditions after those.
    struct Query {
        std::string sql;
        BoundParams params;
    };
    auto make = [&](const std::string& head, const std::string& extra, const std::string& tail, bool withNow) {
        Query q;
        std::vector<std::string> where{column + " = " + q.params.add(static_cast<long long>(id_))};
        appendAccessConditions(access, q.params, where);
        std::string sql = head + " WHERE ";
        for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : "") + where[i];
        std::string cond = extra;
        if (withNow) {
            // ":now" in `extra` stands for the bound time (bound once per use).
            for (auto pos = cond.find(":now"); pos != std::string::npos; pos = cond.find(":now"))
                cond.replace(pos, 4, q.params.add(now_));
        }
        if (!cond.empty()) sql += " AND " + cond;
        q.sql = sql + tail;
        return q;
    };

    Summary sum;
    {
        auto q = make("SELECT E.KIND, COUNT(*) FROM CRM_EVENT E", "", " GROUP BY E.KIND", false);
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
        auto q = make("SELECT FIRST 1 E.OCCURRED_AT FROM CRM_EVENT E", "",
                      walk + " ORDER BY " + column + " DESC, E.OCCURRED_AT DESC, E.ID DESC", false);
        std::tm last{};
        soci::indicator ind = soci::i_null;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(last, ind);
        soci::statement st(prep);
        st.execute(true);
        if (st.got_data() && ind == soci::i_ok) sum.lastEventAt = rows::toTimePoint(last);
    }
    auto one = [&](const std::string& conditions, const std::string& order, std::optional<Event>& out) {
        auto q = make(std::string("SELECT FIRST 1 ") + rows::kEventColumns + " FROM CRM_EVENT E", conditions, " " + order, true);
        Event e;
        auto prep = (s.prepare << q.sql);
        q.params.bind(prep);
        prep, soci::into(e);
        soci::statement st(prep);
        st.execute(true);
        if (st.got_data()) out = e;
    };
    one("E.KIND STARTING WITH 'payment.' AND E.KIND <> 'payment.overdue' AND E.AMOUNT_MINOR IS NOT NULL"
        " AND E.OCCURRED_AT <= :now",
        walk + " ORDER BY " + column + " DESC, E.OCCURRED_AT DESC, E.ID DESC", sum.lastPayment);
    // The entity's own index range (a few thousand rows at most), sorted: no due-date index.
    one("E.DUE_AT >= :now", " PLAN SORT (E INDEX (" + index + ")) ORDER BY E.DUE_AT, E.ID", sum.nextDue);
    {
        auto q = make("SELECT COUNT(*) FROM CRM_EVENT E", "E.IMPORTANCE >= 2 AND E.DUE_AT >= :now", "", true);
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
        *e = std::move(one.front());
        if (access) redactDetails(*access, **e);
    }
    return sum;
}

}  // namespace conduit::crm
