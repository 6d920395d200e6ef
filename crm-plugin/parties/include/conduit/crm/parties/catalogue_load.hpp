// Many companies and people at once (an import, a benchmark's fill): the drafts and the people's
// places in companies going in, and what was loaded and which rows were refused coming out.
#pragma once

#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/field_problem.hpp>
#include <conduit/crm/parties/party.hpp>

#include <conduit/crm/timeline/subject.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::parties {

// A load is a subject of its own: its one event is linked to it, and every party it created
// keeps its id (a load's event would not fit on hundreds of thousands of timelines).
inline const SubjectType partyLoadSubject{"party_load"};

// A party an employment of a load names: a row of the same load, or one the catalogue holds.
struct LoadRef {
    std::optional<std::size_t> row;  // index into PartyLoad::parties
    std::int64_t id = 0;             // when not a row: an existing party

    static LoadRef toRow(std::size_t index) { return {index, 0}; }
    static LoadRef existing(std::int64_t partyId) { return {std::nullopt, partyId}; }
};

struct LoadEmployment {
    LoadRef person, company;
    Employment employment;  // job, department, level, decision role, influence; ids set by the load
};

struct PartyLoad {
    std::vector<Party> parties;  // companies and people, as create() takes them
    std::vector<LoadEmployment> employments;
    // Stored parties as the load changes them, each with the version it was read at (as
    // update() takes them). The load keeps what each was before, so undoing it puts it back.
    std::vector<Party> changes;
    std::string source;          // what was loaded, for the event and the load's row ("kontakty.csv")
    // The host request it answers; a load of a key loaded before is refused (the caller asks
    // loadOfRequest first and answers with that load).
    std::string requestKey;
};

// A row left out with the first problem of its fields (as create() would have thrown it).
struct LoadRefusal {
    std::size_t index = 0;  // into PartyLoad::parties or PartyLoad::employments
    FieldError error;
};

struct LoadProgress {
    std::size_t rowsDone = 0, rowsTotal = 0;
    std::size_t created = 0, refused = 0;
};

struct LoadOptions {
    std::size_t rowsPerTransaction = 2000;
    // After each committed transaction; returning false stops the load there (what committed
    // stays, with its event). Called on the loading thread.
    std::function<bool(const LoadProgress&)> progress;
};

struct LoadReport {
    std::int64_t loadId = 0;
    std::size_t companies = 0, people = 0, employments = 0;
    std::vector<std::int64_t> ids;  // per row of PartyLoad::parties: the new id, 0 when refused or not reached
    std::vector<LoadRefusal> refused;             // rows of parties
    std::vector<LoadRefusal> refusedEmployments;  // rows of employments (a side refused, a wrong value)
    std::vector<std::int64_t> changed;            // ids of the changes written
    // Changes not written: a field problem as FieldError; a stale, merged, host-owned or
    // forbidden party as FieldError(WrongValue, "version" / "merged" / the host's field / "party").
    std::vector<LoadRefusal> refusedChanges;
    bool cancelled = false;
};

// What undoing a load did. A party the load created is removed unless something happened to
// it since (changed, linked to an event, a relation, a certification or a colleague's employment,
// merged); a party the load changed gets its earlier fields back unless changed again since.
// What is kept is listed, so a user can look at it.
struct LoadUndone {
    std::size_t removed = 0, restored = 0;
    std::vector<std::int64_t> kept;
};

}  // namespace conduit::crm::parties
