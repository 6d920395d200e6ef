#include <conduit/crm/timeline/card_data.hpp>

#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <map>

#include <algorithm>
#include <string>

namespace conduit::crm {

namespace {

constexpr std::size_t kCardPage = 200;

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool hasFiles(const Event& e) {
    return std::any_of(e.attachments.begin(), e.attachments.end(), [](const auto& a) { return a.fileName != "body.txt"; });
}

bool hasAudio(const Event& e) {
    return std::any_of(e.attachments.begin(), e.attachments.end(), [](const auto& a) { return startsWith(a.mediaType, "audio/"); });
}

void keep(std::vector<Event>& list, const Event& e) {
    if (list.size() < kCardListMax) list.push_back(e);
}

Summary projectSummary(EventStore& store, sdk::Id project, sdk::TimePoint now, const std::optional<AccessScope>& access) {
    return access ? store.projectSummary(project, *access, now) : store.projectSummary(project, now);
}

Summary subjectSummary(EventStore& store, CardSubject subject, sdk::Id id, sdk::TimePoint now,
                       const std::optional<AccessScope>& access) {
    if (subject == CardSubject::Project) return projectSummary(store, id, now, access);
    return access ? store.counterpartySummary(id, *access, now) : store.counterpartySummary(id, now);
}

void sortIntoLists(CardData& d, CardSubject subject, const Event& e, sdk::TimePoint now,
                   std::map<sdk::Id, sdk::TimePoint>& lastPrepayment) {
    ++d.scanned;
    if (e.kind == kinds::kPrepaymentReceived && e.projectId) {
        auto& last = lastPrepayment[e.projectId];
        last = std::max(last, e.occurredAt);
    }
    keep(d.recent, e);
    if (startsWith(e.kind, "payment.")) keep(d.payments, e);
    if (startsWith(e.kind, "note.")) keep(d.notes, e);
    if (subject == CardSubject::Counterparty && e.projectId == 0) keep(d.withoutProject, e);
    if (dueFrom(e, now)) d.upcoming.push_back(e);
    if (hasFiles(e)) keep(d.withFiles, e);
    if (hasAudio(e)) keep(d.calls, e);
}

void scanNewestEvents(EventStore& store, CardData& d, CardSubject subject, sdk::Id id, sdk::TimePoint now,
                      const std::optional<AccessScope>& access) {
    FeedFilter filter;
    filter.access = access;
    if (subject == CardSubject::Counterparty) filter.counterparty = id;
    else filter.project = id;
    std::optional<FeedCursor> after;
    std::map<sdk::Id, sdk::TimePoint> lastPrepayment;
    while (d.scanned < kCardScan) {
        auto page = store.feed(filter, after, kCardPage);
        for (const auto& e : page.events) sortIntoLists(d, subject, e, now, lastPrepayment);
        if (!page.next) break;
        after = page.next;
    }
    // As the summary's kSettledSql: a demand a later prepayment of its project answered.
    for (const auto& e : d.upcoming) {
        const auto paid = lastPrepayment.find(e.projectId);
        if (e.kind == kinds::kOrderPrepaymentRequired && paid != lastPrepayment.end() && paid->second >= e.occurredAt)
            d.settled.push_back(e.id);
    }
}

void orderUpcoming(CardData& d) {
    std::sort(d.upcoming.begin(), d.upcoming.end(), [](const auto& a, const auto& b) { return *a.dueAt < *b.dueAt; });
    if (d.upcoming.size() > kCardListMax) d.upcoming.resize(kCardListMax);
    // The summary's next due date may be older than the scanned window: keep it on the list.
    const auto& next = d.summary.nextDue;
    if (next && std::none_of(d.upcoming.begin(), d.upcoming.end(), [&](const auto& e) { return e.id == next->id; }))
        d.upcoming.insert(d.upcoming.begin(), *next);
}

}  // namespace

bool CardData::isSettled(std::int64_t eventId) const {
    return std::find(settled.begin(), settled.end(), eventId) != settled.end();
}

CardData loadCardData(EventStore& store, CardSubject subject, sdk::Id id, const std::vector<sdk::Id>& projects,
                      sdk::TimePoint now, const std::optional<AccessScope>& access) {
    CardData d;
    d.summary = subjectSummary(store, subject, id, now, access);
    scanNewestEvents(store, d, subject, id, now, access);
    orderUpcoming(d);
    for (std::size_t i = 0; i < projects.size() && i < kCardProjectsMax; ++i)
        d.projectSummaries.emplace_back(projects[i], projectSummary(store, projects[i], now, access));
    return d;
}

}  // namespace conduit::crm
