// What an export holds: every party the exporting user may see, read from the catalogue page by
// page with that user's rights, and the one table of columns the CSV and XLSX exports share.
#pragma once

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/locale.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace conduit::crm::exchange {

struct ExportProgress {
    std::size_t rowsDone = 0, rowsTotal = 0;
};
// Called after each page on the exporting thread; false cancels the export.
using ExportProgressFn = std::function<bool(const ExportProgress&)>;

struct ExportStreamOptions {
    std::size_t pageSize = 1000;
    bool withPhotos = false;
};

// Hands `row` every party `actor` may see, in id order, on the calling thread; the next page is
// read meanwhile on another, so never more than two pages are in memory. False when `progress`
// cancelled (what was handed stays handed).
bool forEachExported(parties::Catalogue& catalogue, sdk::Id actor,
                     const std::function<void(const parties::ExportedParty&)>& row, const ExportProgressFn& progress,
                     const ExportStreamOptions& options = {});

// A cell of the shared table: text, a whole number, a calendar date or an instant (shown on the
// reader's wall clock).
using TableCell = std::variant<std::string, std::int64_t, sdk::Date, sdk::TimePoint>;

// The column headers in the reader's language, in the order tableRow() gives the cells.
std::vector<std::string> tableHeaders(const Locale& reader);
// One party as a row of the table. A person's current places fill the company, job title and
// department columns one line per place; `reader` words the kind, roles and year-less dates.
std::vector<TableCell> tableRow(const parties::ExportedParty& party, const Locale& reader);

// A place the person holds today (no end date recorded).
bool isCurrent(const parties::ExportedPlace& place);

}  // namespace conduit::crm::exchange
