#include "exchange_actions.hpp"

#include "action_fields.hpp"

#include <conduit/crm/exchange/contact_file.hpp>
#include <conduit/crm/exchange/contact_import.hpp>
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
constexpr LocalizedText kBadValue{"Недопустимое значение поля", "Niedozwolona wartość pola", "Value not allowed in the field"};
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

struct Refusal {
    std::string field, message;
};

ImportMode modeOf(const sdk::ActionRequest& r, const Locale& reader) {
    const auto mode = actionText(r, "mode");
    if (mode.empty() || mode == "create-and-update") return ImportMode::CreateAndUpdate;
    if (mode == "update-only") return ImportMode::UpdateOnly;
    if (mode == "create-only") return ImportMode::CreateOnly;
    throw Refusal{"mode", std::string(reader.pick(kBadValue)) + ": mode"};
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
    const auto format = detectContactFormat(file.content, options.encoding);
    return {readContactFile(file.content, options), file.fileName, std::string(toString(format))};
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

sdk::ActionResult undoImport(const sdk::ActionRequest& r, parties::Catalogue& catalogue, const Locale& reader,
                             const ExchangeLog& log) {
    const auto text = actionText(r, "load");
    long long load = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), load);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw Refusal{"load", std::string(reader.pick(kBadValue)) + ": load"};
    const auto undone = catalogue.undoLoad(r.userId, load);
    if (log)
        log("load " + text + " undone by user " + std::to_string(r.userId) + ": " + std::to_string(undone.removed) + " removed, " +
            std::to_string(undone.restored) + " restored, " + std::to_string(undone.kept.size()) + " kept");
    return {true, fmt::format(fmt::runtime(reader.pick(kUndone)), load, undone.removed, undone.restored, undone.kept.size()), {},
            text};
}

}  // namespace

sdk::ActionResult handleExchangeAction(const sdk::ActionRequest& request, parties::Catalogue& catalogue, const std::string& locale,
                                       const ExchangeLog& log) {
    const auto reader = Locale::of(locale);
    try {
        if (request.action == kActionUndoImport) return undoImport(request, catalogue, reader, log);
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
                            ExchangeLog log) {
    for (const char* name : {kActionImport, kActionUndoImport})
        registry.provide(name, [&catalogue, locale, log](const sdk::ActionRequest& r) {
            return handleExchangeAction(r, catalogue, locale, log);
        });
}

void withdrawExchangeActions(sdk::IActionRegistry& registry) {
    for (const char* name : {kActionImport, kActionUndoImport}) registry.withdraw(name);
}

}  // namespace conduit::crm
