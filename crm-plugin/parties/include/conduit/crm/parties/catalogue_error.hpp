// A catalogue operation refused as a whole (not one field): no such party, no right, a stale
// version, a merge that cannot be; worded for the person who asked in their language.
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <stdexcept>
#include <string>

namespace conduit::crm::parties {

enum class CatalogueProblem {
    NotFound,          // no such party (or not one the reader may see)
    NotAllowed,        // the rights do not let this person do it
    Stale,             // someone else changed it meanwhile: reload and repeat
    HostOwned,         // a field the host owns (change it in the host)
    MergeIntoItself,
    MergeIntoAlias,    // the survivor was itself merged away
    MergeAcrossKinds,  // a company with a person
    MergeBothHost,     // two host counterparties: merged in the host, the CRM follows
    AlreadyMerged,
    NotUndoable,       // a merge already undone, or one a later merge builds on
    InfluenceRange,    // outside -5..+5
    SelfRelation,      // a company related to itself
    UnknownLevel,      // a hierarchy level the installation has not configured
    UnknownCustomField,
    CustomFieldValue,  // a custom field's value not of its type (a number, a date, a choice)
    NotACompany,       // a person where a company belongs (an employer, a relation's side)
    NotAPerson,
    PhotoTooLarge,
};

struct CatalogueError : std::runtime_error {
    CatalogueError(CatalogueProblem problem, std::string detail);
    CatalogueProblem problem;
    std::string detail;  // ids and values, for the log
};

std::string describe(const CatalogueError& error, const Locale& reader);

}  // namespace conduit::crm::parties
