// The catalogue's store: parties, their people and relations, certifications, duplicates and
// merges on the CRM database; every change commits with its event on the party's timeline.
//
// Thread-safety: every member may be called from any thread (each call is its own transaction).
// Rights: every call takes the acting user; what they may not see is not found, what they may
// not do is refused with CatalogueError (NotAllowed), checked here, not in the forms.
#pragma once

#include <conduit/crm/parties/catalogue_error.hpp>
#include <conduit/crm/parties/catalogue_filter.hpp>
#include <conduit/crm/parties/catalogue_load.hpp>
#include <conduit/crm/parties/catalogue_rights.hpp>
#include <conduit/crm/parties/certification.hpp>
#include <conduit/crm/parties/custom_field.hpp>
#include <conduit/crm/parties/duplicates.hpp>
#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/field_problem.hpp>
#include <conduit/crm/parties/party.hpp>
#include <conduit/crm/parties/party_relation.hpp>

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/subject.hpp>

#include <optional>
#include <string>
#include <vector>

namespace conduit::crm {
class EventWriter;
}

namespace conduit::crm::parties {

struct CatalogueOptions {
    std::string installationLanguage = "pl";  // the stored text of its events
    std::string defaultCountry = "PL";        // a phone typed without "+" belongs here
    Clock clock = systemClock();
};

enum class HostOutcome { Created, Changed, Unchanged };
struct HostApplied {
    Party party;
    HostOutcome outcome = HostOutcome::Unchanged;
};

// The subject a party's events are linked to: company or person.
SubjectRef subjectOf(const Party& party);
SubjectRef partySubject(PartyKind kind, std::int64_t id);

// An export's view of the catalogue: every party a reader may see, page by page in id order.
struct ExportedPlace {
    Employment employment;
    std::string companyName;  // as the list shows it
};
struct ExportedParty {
    Party party;                       // as the reader may read it (visibleCopy)
    std::vector<ExportedPlace> places; // a person's, in companies the reader may see
};
struct ExportPageRequest {
    std::int64_t after = 0;  // the last id of the page before; 0: from the start
    std::size_t limit = 500;
    bool withPhotos = false; // a vCard wants them; a table does not
};
struct ExportPage {
    std::vector<ExportedParty> parties;
    std::int64_t next = 0;   // `after` of the next page; 0: this was the last
};

class Catalogue {
public:
    // `writer` stores the events (insertWithin: each change and its event in one transaction);
    // `viewerOf` says what a user may (the plugin passes one built on AccessControl).
    Catalogue(Database& db, EventWriter& writer, ViewerOf viewerOf, CatalogueOptions options = {});

    // Parties. create() returns the stored party (id, version 1); update() takes the party as
    // read (its version) and refuses a stale one (CatalogueError Stale) and a change of a field
    // the host owns (HostOwned). Field problems throw FieldError (field named as the editor's).
    // `requestKey` (a host action's request id): the same key twice creates the party once and
    // returns it the second time.
    Party create(sdk::Id actor, Party draft, const std::string& requestKey = {});
    Party update(sdk::Id actor, const Party& changed);
    // The party as `actor` may read it; a merged id resolves to its survivor. nullopt: none.
    std::optional<Party> get(sdk::Id actor, std::int64_t id);
    std::optional<Party> byHostCounterparty(sdk::Id actor, sdk::Id hostId);
    // The party create() made for `requestKey` (a host names what it created by its request).
    std::optional<Party> byRequest(sdk::Id actor, const std::string& requestKey);
    // Every problem of a draft, field by field, without storing anything (the editor's check).
    std::vector<FieldError> check(const Party& draft);
    // Many parties and their people's places at once (an import): each row checked, stored and
    // keyed as create() does, rows.rowsPerTransaction to a transaction, one event for the whole
    // load on its subject (partyLoadSubject) and one audit row. A row with a problem is refused
    // with its index, the others load. Rights are the call's: NotAllowed, before anything is
    // written, when `actor` may not create every row.
    LoadReport createMany(sdk::Id actor, const PartyLoad& load, const LoadOptions& options = {});
    // Takes a load back (LoadUndone says how far), in one transaction, with one event on the
    // load's subject and each restored party's change on its own. Whoever loaded it, or a
    // colleague who may merge. A load undone already: CatalogueError(NotUndoable).
    LoadUndone undoLoad(sdk::Id actor, std::int64_t loadId);
    // The load made for a request key (PartyLoad::requestKey), if any.
    std::optional<std::int64_t> loadOfRequest(const std::string& requestKey);

    // Every party `actor` may see (merged ones left out, private ones of others too), keyset-paged
    // by id, each as visibleCopy gives it, a person with their places; each page its own read.
    ExportPage exportPage(sdk::Id actor, const ExportPageRequest& request);
    // How many parties exportPage() walks for `actor` (a progress bar's total).
    std::size_t exportCount(sdk::Id actor);

    // Custom fields (administrators define them; values are checked against them on save).
    std::vector<CustomField> customFields();
    void defineCustomField(sdk::Id actor, const CustomField& field);

    // The list, as someone types; only what `actor` may see.
    CataloguePage find(sdk::Id actor, const CatalogueFilter& filter);
    CatalogueCounts counts();

    // People in companies.
    Employment addEmployment(sdk::Id actor, Employment employment);
    Employment updateEmployment(sdk::Id actor, const Employment& employment, const std::string& influenceNote = {});
    std::vector<Employment> employmentsOfCompany(sdk::Id actor, std::int64_t companyId);
    std::vector<Employment> employmentsOfPerson(sdk::Id actor, std::int64_t personId);
    std::vector<InfluenceChange> influenceHistory(sdk::Id actor, std::int64_t employmentId);
    std::vector<HierarchyLevel> hierarchyLevels();
    void setHierarchyLevel(sdk::Id actor, const HierarchyLevel& level);

    // Relations between companies (both cards list them).
    PartyRelation addRelation(sdk::Id actor, PartyRelation relation);
    void endRelation(sdk::Id actor, std::int64_t relationId, sdk::Date until);
    std::vector<PartyRelation> relationsOf(sdk::Id actor, std::int64_t partyId);

    // Trainings and certifications; the document becomes an attachment of the event.
    Certification addCertification(sdk::Id actor, Certification certification);
    std::vector<Certification> certificationsOf(sdk::Id actor, std::int64_t partyId);
    // A firm's own and its people's.
    PartnerStatus partnerStatusOf(sdk::Id actor, std::int64_t companyId, sdk::Date today);
    // Certifications whose validity ends in [from, to] (the alarms' and dynamic groups' query).
    std::vector<Certification> certificationsExpiring(sdk::Date from, sdk::Date to);

    // Duplicates: as someone types (the draft's keys against the catalogue), and the sweep that
    // fills the review list; dismiss() marks a pair as not duplicates.
    std::vector<DuplicateMatch> possibleDuplicates(sdk::Id actor, const Party& draft, std::size_t limit = 5);
    // For each draft, the party it most likely is by what an import may trust without a person's
    // eye: a shared e-mail, phone or tax id, and a company's own name (namesakes are people);
    // nullopt when none. Of the same kind, one `actor` may see, not merged. One transaction, one
    // statement prepared for all keys: thousands of drafts at a time.
    std::vector<std::optional<DuplicateMatch>> likelySame(sdk::Id actor, const std::vector<Party>& drafts);
    SweepReport sweepDuplicates();
    std::vector<DuplicatePair> reviewList(sdk::Id actor, std::size_t limit = 100);
    void dismissDuplicate(sdk::Id actor, std::int64_t a, std::int64_t b);

    // Merge `absorbed` into `survivor`: fields as chosen, every reference moved, the absorbed id
    // kept as an alias; audited, an event on both timelines; undo() puts everything back.
    MergeResult merge(sdk::Id actor, std::int64_t survivor, std::int64_t absorbed, const MergeChoices& choices = {});
    void undoMerge(sdk::Id actor, std::int64_t mergeId);
    // The party an id now stands for (itself, or the survivor it was merged into).
    std::int64_t resolve(std::int64_t id);

    // The host side (HostCatalogueSync): written as the system (author 0), host fields only.
    HostApplied applyHostCounterparty(const Party& fromHost);
    // False when there was nothing to mark (no such party, or already marked).
    bool markRemovedInHost(sdk::Id hostId);
    // The host counterparties the catalogue holds (not those marked removed).
    std::vector<sdk::Id> hostLinked();
    std::optional<std::int64_t> syncStamp(const std::string& name);
    void setSyncStamp(const std::string& name, std::int64_t stamp);

    Database& database() { return db_; }
    const CatalogueOptions& options() const { return options_; }

private:
    struct Impl;
    CatalogueViewer viewer(sdk::Id actor) const;
    // check() against custom fields read once (a load checks thousands of drafts).
    std::vector<FieldError> checkAgainst(const Party& draft, const std::vector<CustomField>& fields) const;

    Database& db_;
    EventWriter& writer_;
    ViewerOf viewerOf_;
    CatalogueOptions options_;
};

}  // namespace conduit::crm::parties
