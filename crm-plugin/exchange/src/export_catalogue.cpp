#include <conduit/crm/exchange/export_catalogue.hpp>

#include <conduit/crm/exchange/atomic_file.hpp>
#include <conduit/crm/exchange/exchange_problem.hpp>
#include <conduit/crm/exchange/export_contact.hpp>
#include <conduit/crm/exchange/xlsx_export.hpp>
#include <conduit/crm/exchange/xml_export.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <type_traits>

namespace conduit::crm::exchange {
namespace {

void count(ExportReport& report, const parties::ExportedParty& party) {
    if (party.party.kind == parties::PartyKind::Company) ++report.companies;
    else ++report.people;
    report.places += party.places.size();
}

// Each party as its own card, photos with them (a vCard without the photo loses it for good).
class VCardCatalogueWriter {
public:
    VCardCatalogueWriter(AtomicFile& file, VCardVersion version) : file_(file) { options_.version = version; }
    void write(const parties::ExportedParty& party) { file_.write(writeVCards({contactOf(party)}, options_)); }
    void finish() {}

private:
    AtomicFile& file_;
    VCardWriteOptions options_;
};

template <typename Writer>
ExportReport run(parties::Catalogue& catalogue, sdk::Id actor, const ExportRequest& request, const ExportProgressFn& progress,
                 AtomicFile& file, Writer& writer) {
    ExportReport report;
    const auto row = [&](const parties::ExportedParty& party) {
        writer.write(party);
        count(report, party);
    };
    ExportStreamOptions options;
    options.pageSize = request.pageSize;
    options.withPhotos = request.format == ExportFormat::VCard;
    if (!forEachExported(catalogue, actor, row, progress, options)) throw ExchangeError({ProblemCode::Cancelled, 0, {}, {}});
    writer.finish();
    if constexpr (std::is_same_v<Writer, CsvCatalogueWriter>) {
        report.charactersReplaced = writer.charactersReplaced();
        report.problems = writer.problems();
    }
    report.bytes = file.commit();
    report.file = request.out;
    return report;
}

}  // namespace

std::string_view toString(ExportFormat format) {
    switch (format) {
        case ExportFormat::Xml: return "xml";
        case ExportFormat::Csv: return "csv";
        case ExportFormat::Xlsx: return "xlsx";
        case ExportFormat::VCard: return "vcf";
    }
    return "xlsx";
}

std::optional<ExportFormat> exportFormatFromString(std::string_view code) {
    std::string lower(code.substr(code.rfind('.') == std::string_view::npos ? 0 : code.rfind('.') + 1));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "vcard") return ExportFormat::VCard;
    for (auto format : {ExportFormat::Xml, ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::VCard})
        if (lower == toString(format)) return format;
    return std::nullopt;
}

ExportReport exportCatalogue(parties::Catalogue& catalogue, sdk::Id actor, const ExportRequest& request,
                             const ExportProgressFn& progress) {
    AtomicFile file(request.out);
    switch (request.format) {
        case ExportFormat::Xml: {
            XmlCatalogueWriter writer(file, catalogue.options().clock());
            return run(catalogue, actor, request, progress, file, writer);
        }
        case ExportFormat::Csv: {
            const char separator = request.csvSeparator ? request.csvSeparator : csvSeparatorFor(request.reader);
            CsvCatalogueWriter writer(file, request.reader, request.zone, {request.csvEncoding, separator});
            return run(catalogue, actor, request, progress, file, writer);
        }
        case ExportFormat::Xlsx: {
            XlsxCatalogueWriter writer(file, request.reader, request.zone);
            return run(catalogue, actor, request, progress, file, writer);
        }
        case ExportFormat::VCard: {
            VCardCatalogueWriter writer(file, request.vcardVersion);
            return run(catalogue, actor, request, progress, file, writer);
        }
    }
    throw ExchangeError({ProblemCode::UnknownFormat, 0, {}, std::string(toString(request.format))});
}

}  // namespace conduit::crm::exchange
