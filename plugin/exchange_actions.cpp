#include "exchange_actions.hpp"

#include "action_fields.hpp"

#include <conduit/crm/exchange/contact_file.hpp>
#include <conduit/crm/exchange/contact_import.hpp>
#include <conduit/crm/exchange/export_catalogue.hpp>
#include <conduit/crm/exchange/ldap_source.hpp>

#include <fmt/format.h>

#include <charconv>
#include <sstream>

namespace conduit::crm {
namespace {

using namespace exchange;

constexpr std::size_t kRowsShown = 200;

constexpr LocalizedText kNoSource{"Нужен файл контактов или адрес ldap://", "Potrzebny plik kontaktów albo adres ldap://",
                                  "A contact file or an ldap:// address is needed"};
constexpr LocalizedText kDryRun{"Пробный прогон, ничего не записано.", "Próba, nic nie zapisano.", "Dry run, nothing written."};
constexpr LocalizedText kLoaded{"Загрузка №{} (её можно отменить).", "Wczytanie nr {} (można je cofnąć).", "Load no. {} (it can be undone)."};
constexpr LocalizedText kCancelled{"Импорт прерван, ничего не осталось.", "Import przerwany, nic nie zostało.",
                                   "Import stopped, nothing of it kept."};
constexpr LocalizedText kRepeated{"Этот запрос уже выполнен: загрузка №{}", "To żądanie już wykonano: wczytanie nr {}",
                                  "This request was done before: load no. {}"};
constexpr LocalizedText kMoreRows{"… и ещё строк: {}", "… i jeszcze wierszy: {}", "… and {} more rows"};
constexpr LocalizedText kRead{"Прочитано записей: {} (формат {}, кодировка {})", "Odczytano rekordów: {} (format {}, kodowanie {})",
                              "Records read: {} (format {}, encoding {})"};
constexpr LocalizedText kUndone{"Загрузка №{} отменена: удалено {}, восстановлено {}, оставлено {}",
                                "Cofnięto wczytanie nr {}: usunięto {}, przywrócono {}, pozostawiono {}",
                                "Load no. {} undone: {} removed, {} restored, {} kept"};

constexpr LocalizedText kExported{"Выгружено в {}: компаний {}, людей {} ({} КБ)", "Wyeksportowano do {}: firm {}, osób {} ({} KB)",
                                  "Exported to {}: {} companies, {} people ({} KB)"};
constexpr LocalizedText kReplaced{"Символов, которых нет в кодировке (записаны как «?»): {}",
                                  "Znaków, których nie ma w kodowaniu (zapisane jako „?”): {}",
                                  "Characters the encoding lacks (written as '?'): {}"};
constexpr LocalizedText kOnlyCatalogue{"Пока выгружается только каталог (what=catalogue)",
                                       "Na razie eksportuje się tylko katalog (what=catalogue)",
                                       "Only the catalogue can be exported so far (what=catalogue)"};

using Refusal = ActionRefusal;

ImportMode modeOf(const sdk::ActionRequest& r, const Locale& reader) {
    const auto mode = actionText(r, "mode");
    if (mode.empty() || mode == "create-and-update") return ImportMode::CreateAndUpdate;
    if (mode == "update-only") return ImportMode::UpdateOnly;
    if (mode == "create-only") return ImportMode::CreateOnly;
    throw valueNotAllowed(reader, "mode");
}

struct Source {
    ContactFile file;
    std::string name, format;
};

Source fromDirectory(const sdk::ActionRequest& r) {
    auto query = ldapQueryFromUrl(actionText(r, "ldap"));
    if (const auto filter = actionText(r, "filter"); !filter.empty()) query.filter = filter;
    query.bindDn = actionText(r, "bind");
    query.password = actionText(r, "password");
    auto read = LdapSource(query).read();
    return {std::move(read.contacts), actionText(r, "ldap"), "ldap"};
}

Source fromFile(const sdk::ActionRequest& r) {
    const auto& file = r.files.front();
    ContactFileOptions options;
    options.encoding = actionText(r, "encoding");
    options.format = detectContactFormat(file.content, options.encoding);
    return {readContactFile(file.content, options), file.fileName, std::string(toString(options.format))};
}

std::string reportText(const Source& source, const ImportReport& report, const Locale& reader) {
    std::string out = fmt::format(fmt::runtime(reader.pick(kRead)), source.file.records.size(), source.format,
                                  source.file.encoding.empty() ? "-" : source.file.encoding);
    out += "\n" + summaryText(report.summary, reader) + "\n";
    if (report.repeated) return fmt::format(fmt::runtime(reader.pick(kRepeated)), report.loadId);
    if (report.cancelled) out += std::string(reader.pick(kCancelled)) + "\n";
    else if (report.dryRun) out += std::string(reader.pick(kDryRun)) + "\n";
    else out += fmt::format(fmt::runtime(reader.pick(kLoaded)), report.loadId) + "\n";
    for (const auto& problem : report.fileProblems) out += describe(problem, reader) + "\n";
    std::size_t shown = 0, worth = 0;
    for (const auto& row : report.rows) {
        if (row.action == RowAction::Create && row.problems.empty()) continue;
        if (++worth > kRowsShown) continue;
        out += rowText(row, reader, report.dryRun) + "\n";
        ++shown;
    }
    if (worth > shown) out += fmt::format(fmt::runtime(reader.pick(kMoreRows)), worth - shown) + "\n";
    return out;
}

sdk::ActionResult importContacts(const sdk::ActionRequest& r, parties::Catalogue& catalogue, const Locale& reader,
                                 const ExchangeLog& log) {
    if (r.files.empty() && actionText(r, "ldap").empty()) throw Refusal{"file", reader.pick(kNoSource)};
    const auto source = r.files.empty() ? fromDirectory(r) : fromFile(r);
    ImportOptions options;
    options.mode = modeOf(r, reader);
    options.source = source.name;
    options.requestKey = "import:" + r.requestId;
    options.defaultCountry = catalogue.options().defaultCountry;
    std::istringstream tags(actionText(r, "tags"));
    for (std::string tag; std::getline(tags, tag, ',');)
        if (!tag.empty()) options.tags.insert(tag);
    const bool dryRun = actionText(r, "dry_run") == "1";
    const auto report = dryRun ? planImport(catalogue, r.userId, source.file, options) : runImport(catalogue, r.userId, source.file, options);
    if (log && !report.dryRun && !report.repeated)
        log("import of " + source.name + " by user " + std::to_string(r.userId) + " (" + source.format + ", " +
            source.file.encoding + "): " + std::to_string(report.summary.created) + " created, " +
            std::to_string(report.summary.updated) + " completed, " + std::to_string(report.summary.skipped) + " skipped, " +
            std::to_string(report.summary.refused) + " not taken, " + std::to_string(report.summary.companiesCreated) +
            " new companies; load " + std::to_string(report.loadId) + (report.cancelled ? ", stopped and taken back" : ""));
    return {true, reportText(source, report, reader), {}, report.loadId ? std::to_string(report.loadId) : std::string{}};
}

CsvEncoding csvEncodingOf(const std::string& name, const Locale& reader) {
    if (name.empty() || name == "UTF-8" || name == "utf-8") return CsvEncoding::Utf8Bom;
    if (name == "windows-1250" || name == "cp1250") return CsvEncoding::Cp1250;
    if (name == "windows-1251" || name == "cp1251") return CsvEncoding::Cp1251;
    throw valueNotAllowed(reader, "encoding");
}

sdk::ActionResult exportCatalogue(const sdk::ActionRequest& r, parties::Catalogue& catalogue, const Locale& reader,
                                  const TimeZone& zone, const ExchangeLog& log) {
    const auto what = actionText(r, "what");
    if (!what.empty() && what != "catalogue") throw Refusal{"what", reader.pick(kOnlyCatalogue)};
    const auto format = exportFormatFromString(actionText(r, "format"));
    if (!format) throw valueNotAllowed(reader, "format");
    const auto out = actionText(r, "out");
    if (out.empty()) throw valueNotAllowed(reader, "out");
    ExportRequest request;
    request.format = *format;
    request.out = out;
    request.reader = reader;
    request.zone = zone;
    request.csvEncoding = csvEncodingOf(actionText(r, "encoding"), reader);
    if (actionText(r, "vcard") == "4.0") request.vcardVersion = VCardVersion::V4_0;
    const auto report = exchange::exportCatalogue(catalogue, r.userId, request);
    std::string message = fmt::format(fmt::runtime(reader.pick(kExported)), out, report.companies, report.people, (report.bytes + 1023) / 1024);
    if (report.charactersReplaced) message += "\n" + fmt::format(fmt::runtime(reader.pick(kReplaced)), report.charactersReplaced);
    if (log)
        log("export of the catalogue by user " + std::to_string(r.userId) + " to " + out + " (" + std::string(toString(*format)) +
            "): " + std::to_string(report.companies) + " companies, " + std::to_string(report.people) + " people, " +
            std::to_string(report.bytes) + " bytes");
    return {true, message, {}, out};
}

sdk::ActionResult undoImport(const sdk::ActionRequest& r, parties::Catalogue& catalogue, const Locale& reader,
                             const ExchangeLog& log) {
    const auto text = actionText(r, "load");
    long long load = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), load);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw valueNotAllowed(reader, "load");
    const auto undone = catalogue.undoLoad(r.userId, load);
    if (log)
        log("load " + text + " undone by user " + std::to_string(r.userId) + ": " + std::to_string(undone.removed) + " removed, " +
            std::to_string(undone.restored) + " restored, " + std::to_string(undone.kept.size()) + " kept");
    return {true, fmt::format(fmt::runtime(reader.pick(kUndone)), load, undone.removed, undone.restored, undone.kept.size()), {},
            text};
}

}  // namespace

sdk::ActionResult handleExchangeAction(const sdk::ActionRequest& request, parties::Catalogue& catalogue, const std::string& locale,
                                       const TimeZone& zone, const ExchangeLog& log) {
    const auto reader = Locale::of(locale);
    try {
        if (request.action == kActionUndoImport) return undoImport(request, catalogue, reader, log);
        if (request.action == kActionExport) return exportCatalogue(request, catalogue, reader, zone, log);
        return importContacts(request, catalogue, reader, log);
    } catch (const Refusal& refusal) {
        return {false, refusal.message, refusal.field, {}};
    } catch (const ExchangeError& e) {
        return {false, describe(e.problem, reader), e.problem.field, {}};
    } catch (const parties::FieldError& e) {
        return {false, describe(e, reader), e.field, {}};
    } catch (const parties::CatalogueError& e) {
        return {false, describe(e, reader), {}, {}};
    } catch (const std::exception& e) {
        return {false, e.what(), {}, {}};
    }
}

void provideExchangeActions(sdk::IActionRegistry& registry, parties::Catalogue& catalogue, const std::string& locale,
                            const TimeZone& zone, ExchangeLog log) {
    for (const char* name : {kActionImport, kActionUndoImport, kActionExport})
        registry.provide(name, [&catalogue, locale, zone, log](const sdk::ActionRequest& r) {
            return handleExchangeAction(r, catalogue, locale, zone, log);
        });
}

void withdrawExchangeActions(sdk::IActionRegistry& registry) {
    for (const char* name : {kActionImport, kActionUndoImport, kActionExport}) registry.withdraw(name);
}

}  // namespace conduit::crm
