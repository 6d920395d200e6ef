#include <conduit/crm/timeline/subject.hpp>

#include <conduit/crm/timeline/event.hpp>

#include <algorithm>
#include <stdexcept>

namespace conduit::crm {

SubjectType::SubjectType(std::string code) : code_(std::move(code)) {
    if (!isValidCode(code_)) throw std::invalid_argument("malformed subject type code: " + code_.substr(0, 40));
}

bool SubjectType::isValidCode(std::string_view code) {
    if (code.empty() || code.size() > 32) return false;
    return std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<SubjectRef> subjectsOf(const Event& event) {
    std::vector<SubjectRef> all;
    all.reserve(event.subjects.size() + 2);
    if (event.projectId) all.push_back(projectSubject(event.projectId));
    if (event.counterpartyId) all.push_back(counterpartySubject(event.counterpartyId));
    for (const auto& s : event.subjects)
        if (s.id != 0) all.push_back(s);  // 0: read without its links (see loadSubjects)
    return all;
}

namespace {

// The column a project or counterparty subject belongs in.
sdk::Id& columnOf(Event& e, const SubjectRef& s) {
    return s.type == subject_types::project ? e.projectId : e.counterpartyId;
}

}  // namespace

std::string normalizeSubjects(Event& event) {
    std::vector<SubjectRef> linked;
    linked.reserve(event.subjects.size());
    for (const auto& s : event.subjects) {
        if (s.id == 0) continue;
        if (!s.isEventColumn()) {
            linked.push_back(s);
            continue;
        }
        sdk::Id& column = columnOf(event, s);
        if (column == 0) column = s.id;
        // One project and one counterparty per event: that is what their pages and rights read.
        else if (column != s.id) return "event " + event.idempotencyKey + " names a second " + s.type.code();
    }
    std::sort(linked.begin(), linked.end());
    linked.erase(std::unique(linked.begin(), linked.end()), linked.end());
    event.subjects = std::move(linked);
    return {};
}

}  // namespace conduit::crm
