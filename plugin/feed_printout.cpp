#include "feed_printout.hpp"

#include <conduit/crm/timeline/event_text.hpp>

#include <map>

namespace conduit::crm {

std::vector<std::string> feedPrintout(EventStore& store, const sdk::IDirectory& directory, const Formatter& reader,
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
        const auto kind = store.kinds().find(e.kind);
        std::string line = reader.dateTime(e.occurredAt) + "  " + (kind ? kind->name(reader.locale().code()) : e.kind);
        if (e.projectId) line += "  " + projectCode(e.projectId);
        if (e.counterpartyId) line += "  " + counterpartyName(e.counterpartyId);
        line += "  " + eventText(e, reader).title;
        if (!e.attachments.empty()) line += "  [" + std::to_string(e.attachments.size()) + " att.]";
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace conduit::crm
