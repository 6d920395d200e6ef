#include "mapping_support.hpp"

#include <conduit/crm/timeline/event_kind.hpp>


namespace conduit::adapters {
namespace detail {

crm::Event baseEvent(const sdk::ChangeStamp& stamp, const std::string& kind, sdk::Id projectId,
                     sdk::Id counterpartyId, const MappingContext& c) {
    crm::Event e;
    e.idempotencyKey = crm::idempotencyKey(stamp);
    e.occurredAt = stamp.at;
    e.kind = kind;
    e.sourceModule = stamp.module;
    e.authorId = stamp.userId;
    e.projectId = projectId;
    e.counterpartyId = counterpartyId;
    if (projectId && !counterpartyId)
        if (auto p = c.directory.project(projectId)) e.counterpartyId = p->counterpartyId;
    for (const auto& k : crm::builtinKinds())
        if (k.code == kind) e.importance = k.defaultImportance;
    return e;
}

std::string projectLabel(sdk::Id projectId, const MappingContext& c) {
    if (!projectId) return {};
    if (auto p = c.directory.project(projectId)) return p->code + " «" + p->name + "»";
    return "#" + std::to_string(projectId);
}

std::string counterpartyLabel(sdk::Id counterpartyId, const MappingContext& c) {
    if (!counterpartyId) return {};
    if (auto cp = c.directory.counterparty(counterpartyId)) return cp->name;
    return "#" + std::to_string(counterpartyId);
}

crm::EventFacts partyFacts(const crm::Event& e, const MappingContext& c) {
    crm::EventFacts f;
    if (e.projectId) f.set(facts::kProject, projectLabel(e.projectId, c));
    if (e.counterpartyId) f.set(facts::kCounterparty, counterpartyLabel(e.counterpartyId, c));
    return f;
}

crm::Event withText(crm::Event e, const crm::EventFacts& f, const MappingContext& c) {
    crm::storeWithText(e, f, c.formatter);
    return e;
}

}  // namespace detail

MappingContext::MappingContext(const sdk::IDirectory& d, std::string l)
    : directory(d), locale(std::move(l)), formatter(crm::Locale::of(locale), crm::TimeZone::defaultFor(crm::Locale::of(locale).language())) {}

crm::Event toEvent(const HostChange& change, const MappingContext& context) {
    return std::visit([&](const auto& payload) { return detail::mapChange(payload, context); }, change);
}

}  // namespace conduit::adapters
