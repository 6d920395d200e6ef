#include "store/summaries.hpp"

#include "store/event_rows.hpp"
#include "store/feed_query.hpp"

#include <soci/soci.h>

namespace conduit::crm {

Summary SummaryQuery::run(soci::session& s) const {
    // Fixed column names chosen by scope, never from input; the id is bound.
    const std::string column = scope_ == Scope::Counterparty ? "E.COUNTERPARTY_ID" : "E.PROJECT_ID";
    const std::string walk = std::string(" PLAN (E ORDER ") + (scope_ == Scope::Counterparty ? "CRM_EVENT_COUNTERPARTY" : "CRM_EVENT_PROJECT") + ")";
    const long long id = id_;
    std::tm now = rows::toTm(now_);
    Summary sum;
    try {
        {
            std::string kind;
            long long n = 0;
            soci::statement st = (s.prepare << "SELECT E.KIND, COUNT(*) FROM CRM_EVENT E WHERE " + column +
                                                   " = :id GROUP BY E.KIND",
                                  soci::use(id), soci::into(kind), soci::into(n));
            st.execute(false);
            while (st.fetch()) {
                sum.countsByKind[kind] = n;
                sum.total += n;
            }
        }
        {
            std::tm last{};
            soci::indicator ind = soci::i_null;
            s << "SELECT FIRST 1 E.OCCURRED_AT FROM CRM_EVENT E WHERE " + column + " = :id" + walk + " ORDER BY " + column +
                     " DESC, E.OCCURRED_AT DESC, E.ID DESC",
                soci::use(id), soci::into(last, ind);
            if (s.got_data() && ind == soci::i_ok) sum.lastEventAt = rows::toTimePoint(last);
        }
        auto one = [&](const std::string& conditions, const std::string& order, std::optional<Event>& out) {
            Event e;
            s << std::string("SELECT FIRST 1 ") + rows::kEventColumns + " FROM CRM_EVENT E WHERE " + column +
                     " = :id AND " + conditions + " " + order,
                soci::use(id, "id"), soci::use(now, "now"), soci::into(e);
            if (s.got_data()) out = e;
        };
        one("E.KIND STARTING WITH 'payment.' AND E.KIND <> 'payment.overdue' AND E.AMOUNT_MINOR IS NOT NULL"
            " AND E.OCCURRED_AT <= :now",
            walk + " ORDER BY " + column + " DESC, E.OCCURRED_AT DESC, E.ID DESC", sum.lastPayment);
        // The entity's own index range (a few thousand rows at most), sorted: no due-date index.
        one("E.DUE_AT >= :now", std::string(" PLAN SORT (E INDEX (") +
            (scope_ == Scope::Counterparty ? "CRM_EVENT_COUNTERPARTY" : "CRM_EVENT_PROJECT") + ")) ORDER BY E.DUE_AT, E.ID",
            sum.nextDue);
        long long open = 0;
        s << "SELECT COUNT(*) FROM CRM_EVENT E WHERE " + column + " = :id AND E.IMPORTANCE >= 2 AND E.DUE_AT >= :now",
            soci::use(id, "id"), soci::use(now, "now"), soci::into(open);
        sum.openIssues = open;
        for (auto* e : {&sum.lastPayment, &sum.nextDue}) {
            if (!*e) continue;
            std::vector<Event> one{std::move(**e)};
            loadAttachmentMetadata(s, one);
            *e = std::move(one.front());
        }
        s.commit();
    } catch (...) {
        try { s.rollback(); } catch (const std::exception&) {}
        throw;
    }
    return sum;
}

}  // namespace conduit::crm
