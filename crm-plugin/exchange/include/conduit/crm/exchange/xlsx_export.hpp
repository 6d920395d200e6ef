// The catalogue as an Excel workbook: libxlsxwriter in its constant-memory mode (each row goes to
// disk as it is written), a header row in the reader's language, dates as dates.
#pragma once

#include <conduit/crm/exchange/atomic_file.hpp>
#include <conduit/crm/exchange/export_rows.hpp>

#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/foundation/time_zone.hpp>

#include <memory>

namespace conduit::crm::exchange {

class XlsxCatalogueWriter {
public:
    // Writes the workbook into `out`'s temporary file, keeping libxlsxwriter's own temporary
    // files in the target's folder too (a full disk or a missing right fails alike).
    XlsxCatalogueWriter(AtomicFile& out, const Locale& reader, const TimeZone& zone);
    ~XlsxCatalogueWriter();
    XlsxCatalogueWriter(const XlsxCatalogueWriter&) = delete;
    XlsxCatalogueWriter& operator=(const XlsxCatalogueWriter&) = delete;

    void write(const parties::ExportedParty& party);
    // Closes the workbook (the zip is written now); the caller then commits `out`.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace conduit::crm::exchange
