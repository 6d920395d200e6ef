// The one call that exports the catalogue (the `conduit export` command and the forms use it):
// what the user may see, as XML, CSV or XLSX, into a file that is replaced only when complete.
#pragma once

#include <conduit/crm/exchange/csv_export.hpp>
#include <conduit/crm/exchange/exchange_problem.hpp>
#include <conduit/crm/exchange/export_rows.hpp>
#include <conduit/crm/exchange/vcard_writer.hpp>

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/foundation/time_zone.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace conduit::crm::exchange {

enum class ExportFormat { Xml, Csv, Xlsx, VCard };
std::string_view toString(ExportFormat format);                          // "xml", "csv", "xlsx", "vcf"
std::optional<ExportFormat> exportFormatFromString(std::string_view code);  // also ".XLSX", "Csv", "vcard"

struct ExportRequest {
    ExportFormat format = ExportFormat::Xlsx;
    std::filesystem::path out;
    Locale reader;                                   // headers, kinds, roles, dates a person reads
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // the installation's (installationZone)
    CsvEncoding csvEncoding = CsvEncoding::Utf8Bom;
    char csvSeparator = 0;                           // 0: the reader's (csvSeparatorFor)
    std::size_t pageSize = 1000;                     // parties read per catalogue call
    VCardVersion vcardVersion = VCardVersion::V3_0;  // 3.0 with explicit charsets: what Outlook reads
};

struct ExportReport {
    std::size_t companies = 0, people = 0, places = 0;  // places: the people's employments written
    std::uintmax_t bytes = 0;
    std::filesystem::path file;
    // CSV in a code page: characters it lacks, written as '?', and the first rows with one.
    std::size_t charactersReplaced = 0;
    std::vector<ExchangeProblem> problems;
};

// Every party `actor` may see, with that user's rights applied by the catalogue. Throws
// ExchangeError{WriteFailed} when the file cannot be written and ExchangeError{Cancelled} when
// `progress` returned false; the catalogue's own errors pass through. In each case the previous
// file at `request.out` is left as it was and nothing half-written remains beside it.
ExportReport exportCatalogue(parties::Catalogue& catalogue, sdk::Id actor, const ExportRequest& request,
                             const ExportProgressFn& progress = {});

}  // namespace conduit::crm::exchange
