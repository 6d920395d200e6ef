#include "feed_printout.hpp"

#include <chrono>
#include <cstdio>
#include <map>

namespace conduit::crm {

std::vector<std::string> feedPrintout(EventStore& store, const sdk::IDirectory& directory, const std::string& locale,
                                      std::size_t limit) {
    std::vector<std::string> lines;
    const auto page = store.feed(FeedFilter{}, std::nullopt, limit);
    std::map<sdk::Id, std::string> projects, counterparties;  // a page names few of them, many times
    auto projectCode = [&](sdk::Id id) -> const std::string& {
        auto [it, fresh] = projects.try_emplace(id);
        if (fresh && id)
            if (auto p = directory.project(id)) it->second = p->code;
        return it->second;
    };
    auto counterpartyName = [&](sdk::Id id) -> const std::string& {
        auto [it, fresh] = counterparties.try_emplace(id);
        if (fresh && id)
            if (auto c = directory.counterparty(id)) it->second = c->name;
        return it->second;
    };
    for (const auto& e : page.events) {
        const auto t = std::chrono::floor<std::chrono::minutes>(e.occurredAt);
        const auto day = std::chrono::floor<std::chrono::days>(t);
        const std::chrono::year_month_day ymd{day};
        const auto hm = std::chrono::hh_mm_ss{t - day};
        char when[64];
        std::snprintf(when, sizeof when, "%04d-%02u-%02u %02ld:%02ld", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<long>(hm.hours().count()), static_cast<long>(hm.minutes().count()));
        const auto kind = store.kinds().find(e.kind);
        std::string line = std::string(when) + "  " + (kind ? kind->name(locale) : e.kind);
        if (e.projectId) line += "  " + projectCode(e.projectId);
        if (e.counterpartyId) line += "  " + counterpartyName(e.counterpartyId);
        line += "  " + e.title;
        if (!e.attachments.empty()) line += "  [" + std::to_string(e.attachments.size()) + " att.]";
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace conduit::crm
