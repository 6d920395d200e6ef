#include <conduit/crm/exchange/xlsx_export.hpp>

#include <conduit/crm/exchange/exchange_problem.hpp>
#include <conduit/crm/exchange/xml_export.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include <sys/resource.h>
#include <sys/statvfs.h>

namespace conduit::crm::exchange {
namespace {

constexpr LocalizedText kSheet{"Каталог", "Katalog", "Catalogue"};
constexpr std::size_t kMaxCellChars = 32000;  // Excel holds 32,767 characters in a cell
constexpr lxw_row_t kRowsPerSheet = LXW_ROW_MAX;
constexpr lxw_row_t kRowsBetweenChecks = 1024;
// What the sheet's XML adds to its rows when the workbook is assembled: its head, the last row.
constexpr std::uintmax_t kAssemblyMargin = 256 * 1024;
constexpr double kWidths[] = {9, 10, 32, 40, 14, 14, 16, 18, 20, 18, 28, 28, 10, 18, 8, 16, 16, 12, 24, 16, 30, 22, 18, 12, 40, 17, 17};

[[noreturn]] void failed(const std::filesystem::path& target, const char* what, lxw_error error) {
    const int err = errno;
    std::string detail = target.string() + ": " + what + ": " + lxw_strerror(error);
    if (err != 0) detail += std::string(" (") + std::strerror(err) + ")";
    throw ExchangeError({ProblemCode::WriteFailed, 0, {}, detail});
}

lxw_datetime excelDate(sdk::Date day, std::chrono::seconds timeOfDay = {}) {
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{timeOfDay};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
            static_cast<int>(hms.minutes().count()), static_cast<double>(hms.seconds().count())};
}

// The instant on the reader's wall clock.
lxw_datetime excelDateTime(sdk::TimePoint at, const TimeZone& zone) {
    const auto local = at + zone.offsetAt(at);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    return excelDate(day, local - day);
}

// A workbook not closed (cancelled, or a row failed) is freed without being written.
struct Workbook {
    lxw_workbook* p = nullptr;
    Workbook() = default;
    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;
    ~Workbook() {
        if (p) lxw_workbook_free(p);
    }
};

}  // namespace

struct XlsxCatalogueWriter::Impl {
    AtomicFile& out;
    Locale reader;
    TimeZone zone;
    std::string tmpdir;
    Workbook book;
    lxw_worksheet* sheet = nullptr;
    std::vector<lxw_worksheet*> all;
    lxw_format *header = nullptr, *date = nullptr, *dateTime = nullptr, *wrapped = nullptr;
    lxw_row_t row = 0;
    int sheets = 0;

    Impl(AtomicFile& file, const Locale& r, const TimeZone& z) : out(file), reader(r), zone(z) {
        tmpdir = out.temporaryPath().parent_path().string();
        if (tmpdir.empty()) tmpdir = ".";
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = tmpdir.data();
        options.use_zip64 = LXW_TRUE;
        errno = 0;
        book.p = workbook_new_opt(out.temporaryPath().c_str(), &options);
        if (!book.p) failed(out.target(), "workbook", LXW_ERROR_MEMORY_MALLOC_FAILED);
        formats();
        newSheet();
    }

    void formats() {
        const bool en = reader.language() == Language::En;
        header = workbook_add_format(book.p);
        format_set_bold(header);
        date = workbook_add_format(book.p);
        format_set_num_format(date, en ? "dd/mm/yyyy" : "dd.mm.yyyy");
        dateTime = workbook_add_format(book.p);
        format_set_num_format(dateTime, en ? "dd/mm/yyyy hh:mm" : "dd.mm.yyyy hh:mm");
        wrapped = workbook_add_format(book.p);
        format_set_text_wrap(wrapped);
    }

    // A sheet holds 1,048,576 rows: a larger catalogue goes on in the next one, headed the same.
    void newSheet() {
        ++sheets;
        const std::string name = std::string(reader.pick(kSheet)) + (sheets > 1 ? " " + std::to_string(sheets) : "");
        sheet = workbook_add_worksheet(book.p, name.c_str());
        if (!sheet) failed(out.target(), "worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
        all.push_back(sheet);
        for (lxw_col_t c = 0; c < std::size(kWidths); ++c) worksheet_set_column(sheet, c, c, kWidths[c], nullptr);
        worksheet_freeze_panes(sheet, 1, 0);
        row = 0;
        const auto headers = tableHeaders(reader);
        for (lxw_col_t c = 0; c < headers.size(); ++c) text(c, headers[c], header);
        ++row;
    }

    // libxlsxwriter does not check the writes of its own temporary files: a full disk would give
    // a workbook with its rows cut off. Their errors are read here instead.
    void checkSpilled(lxw_worksheet* ws) {
        FILE* rows = ws->optimize_tmpfile;
        if (rows && (std::fflush(rows) != 0 || std::ferror(rows))) throwWriteFailed(out.target(), errno ? errno : EIO);
    }

    // Assembling copies each sheet's rows into one more temporary file, then zips them: room for
    // both is asked for before, since those writes are not checked either.
    void checkRoomToAssemble() {
        std::uintmax_t rows = 0;
        for (auto* ws : all) {
            checkSpilled(ws);
            if (ws->optimize_tmpfile) rows += static_cast<std::uintmax_t>(std::max(0L, std::ftell(ws->optimize_tmpfile)));
        }
        const auto largest = rows + kAssemblyMargin;
        rlimit limit{};
        if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < largest)
            throwWriteFailed(out.target(), EFBIG);
        struct statvfs disk {};
        if (::statvfs(tmpdir.c_str(), &disk) == 0 && static_cast<std::uintmax_t>(disk.f_bavail) * disk.f_frsize < 2 * largest)
            throwWriteFailed(out.target(), ENOSPC);
    }

    void check(lxw_error error) {
        if (error != LXW_NO_ERROR) failed(out.target(), "row", error);
    }

    void text(lxw_col_t col, const std::string& value, lxw_format* format = nullptr) {
        if (value.empty()) return;
        const bool asIs = value.size() <= kMaxCellChars && isXmlSafe(value);
        const std::string cleaned = asIs ? std::string{} : xmlSafeText(utf8Prefix(value, kMaxCellChars));
        const std::string& safe = asIs ? value : cleaned;
        const bool multiline = safe.find('\n') != std::string::npos;
        check(worksheet_write_string(sheet, row, col, safe.c_str(), multiline ? wrapped : format));
    }

    void cell(lxw_col_t col, const TableCell& value) {
        if (const auto* t = std::get_if<std::string>(&value)) return text(col, *t);
        if (const auto* n = std::get_if<std::int64_t>(&value))
            return check(worksheet_write_number(sheet, row, col, static_cast<double>(*n), nullptr));
        if (const auto* d = std::get_if<sdk::Date>(&value)) {
            auto when = excelDate(*d);
            return check(worksheet_write_datetime(sheet, row, col, &when, date));
        }
        auto when = excelDateTime(std::get<sdk::TimePoint>(value), zone);
        check(worksheet_write_datetime(sheet, row, col, &when, dateTime));
    }

    void write(const parties::ExportedParty& party) {
        if (row >= kRowsPerSheet) newSheet();
        const auto cells = tableRow(party, reader);
        for (lxw_col_t c = 0; c < cells.size(); ++c) cell(c, cells[c]);
        if (++row % kRowsBetweenChecks == 0) checkSpilled(sheet);
    }

    void finish() {
        checkRoomToAssemble();
        errno = 0;
        const auto error = workbook_close(std::exchange(book.p, nullptr));  // frees it, written or not
        if (error != LXW_NO_ERROR) failed(out.target(), "workbook", error);
    }
};

XlsxCatalogueWriter::XlsxCatalogueWriter(AtomicFile& out, const Locale& reader, const TimeZone& zone)
    : impl_(std::make_unique<Impl>(out, reader, zone)) {}

XlsxCatalogueWriter::~XlsxCatalogueWriter() = default;

void XlsxCatalogueWriter::write(const parties::ExportedParty& party) { impl_->write(party); }

void XlsxCatalogueWriter::finish() { impl_->finish(); }

}  // namespace conduit::crm::exchange
