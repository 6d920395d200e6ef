#include <conduit/crm/notify/recipients.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace conduit::crm::notify {

std::string addressKey(std::string_view address) {
    std::string key;
    key.reserve(address.size());
    // Trim blanks around; lowercase ASCII (non-ASCII bytes of an internationalised address stay).
    const auto first = address.find_first_not_of(" \t");
    const auto last = address.find_last_not_of(" \t");
    if (first == std::string_view::npos) return key;
    for (char c : address.substr(first, last - first + 1)) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return key;
}

RecipientResolver::RecipientResolver(const sdk::IDirectory& directory, const EventKindRegistry& kinds)
    : directory_(directory), kinds_(kinds) {}

void RecipientResolver::addUser(const sdk::User& user, bool personal, std::vector<Recipient>& out) const {
    Recipient r;
    r.personal = personal;
    r.address = user.email;
    r.name = user.fullName.empty() ? user.login : user.fullName;
    r.language = user.language;
    r.userId = user.id;
    out.push_back(std::move(r));
}

std::vector<Recipient> RecipientResolver::resolve(const Rule& rule, const Event& event) const {
    const bool externalAllowed = audienceOf(event, kinds_) == Audience::External;
    std::optional<sdk::Project> project;
    if (event.projectId) project = directory_.project(event.projectId);
    std::vector<sdk::User> users;  // loaded once, only when a department is asked for
    bool usersLoaded = false;
    auto department = [&](const std::string& code, std::vector<Recipient>& out) {
        if (!usersLoaded) {
            users = directory_.users();
            usersLoaded = true;
        }
        for (const auto& d : directory_.departments()) {
            if (d.code != code) continue;
            for (const auto& u : users)
                if (u.departmentId == d.id) addUser(u, false, out);
        }
    };
    auto oneUser = [&](sdk::Id id, bool personal, std::vector<Recipient>& out) {
        if (!id) return;
        if (auto u = directory_.user(id)) addUser(*u, personal, out);
    };

    std::vector<Recipient> all;
    for (const auto& spec : rule.recipients) {
        switch (spec.role) {
            case RecipientRole::ProjectManager:
                if (project) oneUser(project->managerUserId, true, all);
                break;
            case RecipientRole::Measurer:
                if (project) oneUser(project->measurerUserId, true, all);
                break;
            case RecipientRole::Department:
                department(spec.department, all);
                break;
            case RecipientRole::CrewLead:
                if (crewLead_ && event.crewId) {
                    if (auto lead = crewLead_(event.crewId)) addUser(*lead, true, all);
                } else {
                    department("production", all);
                }
                break;
            case RecipientRole::User:
                oneUser(spec.userId, true, all);
                break;
            case RecipientRole::Followers:
                if (followers_)
                    for (auto id : followers_(event)) oneUser(id, false, all);
                break;
            case RecipientRole::CounterpartyContact: {
                if (!externalAllowed) break;  // an internal event never leaves the company
                sdk::Id cpId = event.counterpartyId;
                if (!cpId && project) cpId = project->counterpartyId;
                if (!cpId) break;
                if (auto cp = directory_.counterparty(cpId)) {
                    Recipient r;
                    r.address = cp->contactEmail;
                    r.name = cp->contactName.empty() ? cp->name : cp->contactName;
                    r.language = cp->language;
                    r.external = true;
                    r.counterpartyId = cp->id;
                    all.push_back(std::move(r));
                }
                break;
            }
        }
    }

    std::vector<Recipient> out;
    std::unordered_map<std::string, std::size_t> seen;
    for (auto& r : all) {
        auto key = addressKey(r.address);
        // No address, or one too long for any mail system (RFC 5321: 254): nobody to send to.
        if (key.empty() || key.size() > 254 || key.find('@') == std::string::npos) continue;
        if (auto it = seen.find(key); it != seen.end()) {
            out[it->second].personal = out[it->second].personal || r.personal;
            continue;
        }
        seen.emplace(key, out.size());
        if (r.language != "ru" && r.language != "pl") r.language = "en";
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<PlannedNotification> RecipientResolver::preview(const std::vector<Rule>& rules, const Event& event) const {
    std::vector<PlannedNotification> out;
    for (const auto& rule : rules) {
        if (!applies(rule, event)) continue;
        if (rule.timing == Timing::Reminder && !event.dueAt) continue;
        for (auto& r : resolve(rule, event)) out.push_back({rule.id, rule.name, rule.timing, std::move(r)});
    }
    return out;
}

std::vector<PersonReach> RecipientResolver::reach(const Rule& rule, const std::vector<Event>& events, const TimeZone& zone) const {
    Rule asEnabled = rule;
    asEnabled.enabled = true;  // "what would it send": a disabled rule being edited too
    std::map<std::string, PersonReach> byAddress;
    std::set<std::pair<std::string, sdk::Date>> digestDays;
    for (const auto& e : events) {
        if (!applies(asEnabled, e)) continue;
        std::size_t perEvent = 1;
        if (rule.timing == Timing::Reminder) {
            if (!e.dueAt) continue;
            perEvent = rule.offsets.size();
        }
        for (auto& r : resolve(asEnabled, e)) {
            const auto key = addressKey(r.address);
            auto& p = byAddress[key];
            if (p.events == 0) p.recipient = r;
            ++p.events;
            if (rule.timing != Timing::Digest) p.mails += perEvent;
            else if (digestDays.insert({key, zone.localDate(e.occurredAt)}).second) ++p.mails;
        }
    }
    std::vector<PersonReach> out;
    for (auto& [key, p] : byAddress) out.push_back(std::move(p));
    std::stable_sort(out.begin(), out.end(), [](const PersonReach& a, const PersonReach& b) { return a.mails > b.mails; });
    return out;
}

}  // namespace conduit::crm::notify
