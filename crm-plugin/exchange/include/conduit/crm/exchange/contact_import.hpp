// Contacts of a file or a directory into the catalogue: each matched by the catalogue's duplicate
// keys and created, updated or skipped; a dry run reports row by row, a run is one undoable load.
#pragma once

#include <conduit/crm/exchange/contact_record.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace conduit::crm::exchange {

enum class ImportMode {
    CreateAndUpdate,  // new contacts created, known ones completed
    UpdateOnly,       // only contacts the catalogue knows, completed; the rest skipped
    CreateOnly,       // only new contacts; known ones skipped
};

enum class RowAction { Create, Update, Skip, Refuse };

enum class SkipReason {
    None,
    NothingNew,     // the catalogue already has everything the contact says
    SameAsEarlier,  // an earlier record of the same file is the same contact
    NotKnown,       // update only, and the catalogue does not know it
    Known,          // create only, and the catalogue knows it
};

struct ImportRow {
    std::size_t record = 0;      // index into ContactFile::records
    std::size_t line = 0;        // where the record starts in its file
    std::string name;            // as the report shows it
    RowAction action = RowAction::Create;
    SkipReason skip = SkipReason::None;
    std::size_t sameAs = 0;      // SameAsEarlier: that record's line
    std::int64_t partyId = 0;    // Update: the party matched; Create: its id once loaded
    std::vector<parties::DuplicateReason> matchedBy;  // why it is taken for that party
    std::string company;         // the company a person is placed in
    bool newCompany = false;     // that company is created by the import
    std::optional<parties::FieldError> refusal;  // Refuse: the first problem of its fields
    std::vector<ExchangeProblem> problems;       // what of the record was not kept as it was
};

struct ImportSummary {
    std::size_t created = 0, updated = 0, skipped = 0, refused = 0, companiesCreated = 0;
};

struct ImportReport {
    std::vector<ImportRow> rows;
    std::vector<ExchangeProblem> fileProblems;
    ImportSummary summary;
    std::int64_t loadId = 0;   // 0 for a dry run; undo it with Catalogue::undoLoad
    bool dryRun = true;
    bool cancelled = false;    // stopped by its caller: nothing of it stays
    bool repeated = false;     // its request was imported before, as loadId: nothing done now
};

struct ImportOptions {
    ImportMode mode = ImportMode::CreateAndUpdate;
    std::string source;                    // "kontakty.vcf", "ldap://ldap.example.com/ou=people"
    std::string requestKey;                // a host request: the same one twice imports once
    std::string defaultCountry = "PL";
    std::set<std::string> tags;            // given to every contact it creates or updates
    std::size_t rowsPerTransaction = 2000;
    // Called as the load goes (rows done of rows in all); false stops it, and what it wrote is
    // taken back. Called on the importing thread.
    std::function<bool(std::size_t done, std::size_t total)> progress;
};

// What the import would do, touching nothing.
ImportReport planImport(parties::Catalogue& catalogue, sdk::Id actor, const ContactFile& file, const ImportOptions& options);
// The same, done: one load (one event on its subject, changes on their parties' timelines).
// Rights are the catalogue's: CatalogueError(NotAllowed) before anything is written.
ImportReport runImport(parties::Catalogue& catalogue, sdk::Id actor, const ContactFile& file, const ImportOptions& options);

// "Создано 120, обновлено 3, пропущено 4, отклонено 1", in the reader's language.
std::string summaryText(const ImportSummary& summary, const Locale& reader);
// One row of the report: "Wiersz 12: Anna Nowak — zostanie uzupełniony (ten sam e-mail)", then
// each problem of the record on a line of its own. `dryRun`: said as what would happen.
std::string rowText(const ImportRow& row, const Locale& reader, bool dryRun);

}  // namespace conduit::crm::exchange
