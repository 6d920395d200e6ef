#include "mapping_support.hpp"

#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/timeline/stage.hpp>

#include <chrono>

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

std::string stageName(const std::string& stage, const MappingContext& c) { return crm::stageName(stage, c.locale); }

}  // namespace detail

crm::Event toEvent(const HostChange& change, const MappingContext& context) {
    return std::visit([&](const auto& payload) { return detail::mapChange(payload, context); }, change);
}

std::string formatMoney(const sdk::Money& money, const std::string& locale) {
    const bool negative = money.minor < 0;
    const auto abs = negative ? -money.minor : money.minor;
    std::string units = std::to_string(abs / 100);
    const std::string group = locale == "en" ? "," : "\u00a0";  // no-break space between thousands
    for (int i = static_cast<int>(units.size()) - 3; i > 0; i -= 3) units.insert(static_cast<std::size_t>(i), group);
    const std::string cents = fmt::format("{:02}", abs % 100);
    return (negative ? "-" : "") + units + (locale == "en" ? "." : ",") + cents + " " + money.currency;
}

std::string formatDate(sdk::Date date) {
    const std::chrono::year_month_day ymd{date};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

}  // namespace conduit::adapters
