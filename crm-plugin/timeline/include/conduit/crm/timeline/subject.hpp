// What an event concerns: a project, a counterparty, a company, a person, a task, a tender, ...
// as a stable lowercase type code and the subject's id. Areas that add entities add their types.
#pragma once

#include <conduit/sdk/values.hpp>

#include <compare>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

struct Event;

// A subject type's code, as the database stores it: lowercase letters, digits and '_', at most
// 32 bytes, stable forever. The built-in types are the named constants below; a later area
// defines its own the same way (`inline const SubjectType deal{"deal"};`), no migration needed.
class SubjectType {
public:
    explicit SubjectType(std::string code);  // throws std::invalid_argument for a malformed code
    const std::string& code() const { return code_; }
    static bool isValidCode(std::string_view code);

    friend bool operator==(const SubjectType&, const SubjectType&) = default;
    friend std::strong_ordering operator<=>(const SubjectType& a, const SubjectType& b) { return a.code_ <=> b.code_; }

private:
    std::string code_;
};

namespace subject_types {
// These two are CRM_EVENT's own columns (Event::projectId, Event::counterpartyId).
inline const SubjectType project{"project"};
inline const SubjectType counterparty{"counterparty"};
inline const SubjectType company{"company"};
inline const SubjectType person{"person"};
inline const SubjectType task{"task"};
inline const SubjectType tender{"tender"};
inline const SubjectType request{"request"};
inline const SubjectType mailing{"mailing"};
}  // namespace subject_types

struct SubjectRef {
    SubjectType type;
    sdk::Id id = 0;

    // Project and counterparty live in CRM_EVENT's columns; every other type in CRM_EVENT_SUBJECT.
    bool isEventColumn() const { return type == subject_types::project || type == subject_types::counterparty; }
    friend bool operator==(const SubjectRef&, const SubjectRef&) = default;
    friend std::strong_ordering operator<=>(const SubjectRef& a, const SubjectRef& b) {
        if (auto c = a.type <=> b.type; c != 0) return c;
        return a.id <=> b.id;
    }
};

inline SubjectRef projectSubject(sdk::Id id) { return {subject_types::project, id}; }
inline SubjectRef counterpartySubject(sdk::Id id) { return {subject_types::counterparty, id}; }

// Every subject of an event: its project and counterparty (when set), then Event::subjects.
std::vector<SubjectRef> subjectsOf(const Event& event);

// Brings Event::subjects to the form the store keeps: a project or counterparty there moves to
// its column when that is empty, duplicates and zero ids go, the rest is sorted. Returns why the
// event cannot be stored as it is (a second project or counterparty), or "" when it can.
std::string normalizeSubjects(Event& event);

}  // namespace conduit::crm
