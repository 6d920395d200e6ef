#include <conduit/crm/exchange/contact_import.hpp>

#include <conduit/crm/exchange/contact_to_party.hpp>

#include <conduit/crm/foundation/search_fold.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace conduit::crm::exchange {
namespace {

using parties::DuplicateReason;
using parties::Party;
using parties::PartyKind;

// Matches are asked for this many drafts at a time: one transaction each, never the whole file.
constexpr std::size_t kMatchBatch = 2000;

// The keys by which two records of one file are the same contact.
std::vector<std::string> fileKeys(const Party& p) {
    std::vector<std::string> keys;
    for (const auto& e : p.emails) keys.push_back("e:" + e.address.address);
    for (const auto& ph : p.phones)
        if (p.kind == PartyKind::Person) keys.push_back("p:" + ph.number.e164);
    if (p.kind == PartyKind::Company || keys.empty()) keys.push_back("n:" + searchFold(p.fullName));
    return keys;
}

template <typename T>
void addMissing(std::vector<T>& into, const std::vector<T>& from) {
    for (const auto& v : from)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

void fill(std::string& into, const std::string& from) {
    if (into.empty()) into = from;
}

// `existing` completed with what `incoming` adds; the host's fields left to the host.
Party completed(Party existing, const Party& incoming) {
    const bool host = existing.isHostOwned();
    if (!host) {
        for (const auto& ph : incoming.phones) {
            bool known = false;
            for (const auto& have : existing.phones) known = known || have.number.e164 == ph.number.e164;
            if (!known) existing.phones.push_back(ph);
        }
        for (const auto& e : incoming.emails) {
            bool known = false;
            for (const auto& have : existing.emails) known = known || have.address == e.address;
            if (!known) existing.emails.push_back(e);
        }
        if (existing.addresses.empty()) existing.addresses = incoming.addresses;
        fill(existing.language, incoming.language);
        fill(existing.givenName, incoming.givenName);
        fill(existing.familyName, incoming.familyName);
        fill(existing.patronymic, incoming.patronymic);
    }
    fill(existing.website, incoming.website);
    if (!incoming.notes.empty() && existing.notes.find(incoming.notes) == std::string::npos)
        existing.notes = existing.notes.empty() ? incoming.notes : existing.notes + "\n" + incoming.notes;
    existing.tags.insert(incoming.tags.begin(), incoming.tags.end());
    addMissing(existing.messengers, incoming.messengers);
    for (const auto& d : incoming.dates) {
        bool known = false;
        for (const auto& have : existing.dates) known = known || have.kind == d.kind;
        if (!known) existing.dates.push_back(d);
    }
    if (existing.gender == parties::Gender::Unknown) {
        existing.gender = incoming.gender;
        existing.grammaticalGender = incoming.grammaticalGender;
    }
    if (existing.photo.empty()) existing.photo = incoming.photo;
    return existing;
}

// A row being planned: what it will load, besides what the report says of it.
struct Planned {
    std::optional<Party> draft;       // Update: the party as completed
    std::optional<std::size_t> loadRow;      // Create: its row of the load
    std::optional<std::size_t> companyRow;   // the row of the load that creates its company
    std::int64_t companyId = 0;       // an existing company the person is placed in
    parties::Employment job;
};

struct CompanyPlace {
    std::optional<std::size_t> row;  // of the load
    std::int64_t id = 0;             // a company the catalogue has
};

class Planner {
public:
    Planner(parties::Catalogue& catalogue, sdk::Id actor, const ImportOptions& options)
        : catalogue_(catalogue), actor_(actor), options_(options) {
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        mapping_.defaultCountry = options.defaultCountry;
        mapping_.today = std::chrono::year_month_day{today};
    }

    void plan(const ContactFile& file) {
        report.fileProblems = file.problems;
        std::vector<std::optional<PartyOfContact>> mapped;
        std::vector<std::vector<ExchangeProblem>> problems(file.records.size());
        for (std::size_t i = 0; i < file.records.size(); ++i) {
            problems[i] = file.records[i].problems;
            mapped.push_back(partyOfContact(file.records[i], mapping_, problems[i]));
            if (mapped.back()) mapped.back()->party.tags.insert(options_.tags.begin(), options_.tags.end());
        }
        matchAll(mapped);
        for (std::size_t i = 0; i < file.records.size(); ++i) planRecord(i, file.records[i], mapped[i], std::move(problems[i]));
    }

    ImportReport report;
    std::vector<Planned> planned;      // one per report row
    std::vector<Party> loadParties;    // what the import creates: the rows' and their companies
    std::vector<bool> isPlaceOnly;     // per load row: a company only named as someone's employer

private:
    // The catalogue's likely party of every record and of every organisation named, in batches.
    void matchAll(const std::vector<std::optional<PartyOfContact>>& mapped) {
        std::vector<Party> drafts;
        std::vector<std::size_t> owners;
        std::map<std::string, Party> organisations;
        for (std::size_t i = 0; i < mapped.size(); ++i) {
            if (!mapped[i]) continue;
            drafts.push_back(mapped[i]->party);
            owners.push_back(i);
            if (mapped[i]->company) organisations.emplace(searchFold(mapped[i]->company->fullName), *mapped[i]->company);
        }
        const auto matches = likelySame(drafts);
        recordMatches_.assign(mapped.size(), std::nullopt);
        for (std::size_t k = 0; k < owners.size(); ++k) recordMatches_[owners[k]] = matches[k];
        std::vector<Party> companies;
        std::vector<std::string> names;
        for (auto& [name, company] : organisations) {
            names.push_back(name);
            companies.push_back(std::move(company));
        }
        const auto known = likelySame(companies);
        for (std::size_t k = 0; k < names.size(); ++k)
            if (known[k]) knownCompanies_.emplace(names[k], known[k]->partyId);
    }

    std::vector<std::optional<parties::DuplicateMatch>> likelySame(const std::vector<Party>& drafts) {
        std::vector<std::optional<parties::DuplicateMatch>> out;
        for (std::size_t from = 0; from < drafts.size(); from += kMatchBatch) {
            const std::vector<Party> batch(drafts.begin() + from, drafts.begin() + std::min(drafts.size(), from + kMatchBatch));
            auto found = catalogue_.likelySame(actor_, batch);
            out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        }
        return out;
    }

    void planRecord(std::size_t index, const ContactRecord& record, std::optional<PartyOfContact>& mapped,
                    std::vector<ExchangeProblem> problems) {
        currentLine_ = record.line;
        ImportRow row;
        row.record = index;
        row.line = record.line;
        row.problems = std::move(problems);
        Planned p;
        if (!mapped) {
            row.action = RowAction::Refuse;
            row.refusal = parties::FieldError(parties::FieldProblem::Empty, "name");
            push(std::move(row), std::move(p));
            return;
        }
        row.name = mapped->party.displayName();
        if (const auto earlier = seenBefore(mapped->party)) {
            row.action = RowAction::Skip;
            row.skip = SkipReason::SameAsEarlier;
            row.sameAs = *earlier;
            push(std::move(row), std::move(p));
            return;
        }
        decide(row, p, mapped->party, recordMatches_[index]);
        if (row.action == RowAction::Create || row.action == RowAction::Update) placeInCompany(row, p, *mapped);
        push(std::move(row), std::move(p));
    }

    void decide(ImportRow& row, Planned& p, const Party& incoming, const std::optional<parties::DuplicateMatch>& match) {
        if (!match) {
            if (options_.mode == ImportMode::UpdateOnly) return skip(row, SkipReason::NotKnown);
            if (const auto problems = catalogue_.check(incoming); !problems.empty()) {
                row.action = RowAction::Refuse;
                row.refusal = problems.front();
                return;
            }
            row.action = RowAction::Create;
            p.loadRow = addToLoad(incoming, false);
            if (incoming.kind == PartyKind::Company) companies_.emplace(searchFold(incoming.fullName), CompanyPlace{p.loadRow, 0});
            return;
        }
        row.partyId = match->partyId;
        row.matchedBy = match->reasons;
        if (options_.mode == ImportMode::CreateOnly) return skip(row, SkipReason::Known);
        const auto existing = catalogue_.get(actor_, match->partyId);
        if (!existing) return skip(row, SkipReason::NotKnown);
        auto next = completed(*existing, incoming);
        if (next == *existing) return skip(row, SkipReason::NothingNew);
        row.action = RowAction::Update;
        p.draft = std::move(next);
    }

    // A person's company: one the catalogue has, or one the import creates once per name.
    void placeInCompany(ImportRow& row, Planned& p, const PartyOfContact& mapped) {
        if (!mapped.company) return;
        row.company = mapped.company->displayName();
        p.job = mapped.job;
        const auto key = searchFold(mapped.company->fullName);
        if (const auto it = companies_.find(key); it != companies_.end()) {
            p.companyRow = it->second.row;
            p.companyId = it->second.id;
            row.newCompany = it->second.row.has_value();
            return;
        }
        CompanyPlace place;
        if (const auto known = knownCompanies_.find(key); known != knownCompanies_.end()) {
            place.id = known->second;
        } else if (options_.mode != ImportMode::UpdateOnly) {
            auto company = *mapped.company;
            company.tags.insert(options_.tags.begin(), options_.tags.end());
            place.row = addToLoad(std::move(company), true);
        }
        companies_.emplace(key, place);
        p.companyRow = place.row;
        p.companyId = place.id;
        row.newCompany = place.row.has_value();
        if (row.action == RowAction::Update && place.id) keepOnlyNewPlace(row, p);
    }

    // An update of a person already placed in that company adds no second place.
    void keepOnlyNewPlace(const ImportRow& row, Planned& p) {
        for (const auto& e : catalogue_.employmentsOfPerson(actor_, row.partyId))
            if (e.companyId == p.companyId && !e.until) p.companyId = 0;
    }

    std::optional<std::size_t> seenBefore(const Party& party) {
        std::optional<std::size_t> earlier;
        const auto keys = fileKeys(party);
        for (const auto& key : keys)
            if (const auto it = seen_.find(key); it != seen_.end() && !earlier) earlier = it->second;
        if (!earlier)
            for (const auto& key : keys) seen_.emplace(key, currentLine_);
        return earlier;
    }

    // What an import creates is the importing colleague's to look after.
    std::size_t addToLoad(Party party, bool placeOnly) {
        if (!party.ownerId) party.ownerId = actor_;
        loadParties.push_back(std::move(party));
        isPlaceOnly.push_back(placeOnly);
        return loadParties.size() - 1;
    }

    void skip(ImportRow& row, SkipReason reason) {
        row.action = RowAction::Skip;
        row.skip = reason;
    }

    void push(ImportRow row, Planned p) {
        report.rows.push_back(std::move(row));
        planned.push_back(std::move(p));
    }

    parties::Catalogue& catalogue_;
    sdk::Id actor_;
    const ImportOptions& options_;
    ContactMapping mapping_;
    std::map<std::string, std::size_t> seen_;  // file key -> line of the record that had it
    std::map<std::string, CompanyPlace> companies_;
    std::vector<std::optional<parties::DuplicateMatch>> recordMatches_;  // per record
    std::map<std::string, std::int64_t> knownCompanies_;                // folded organisation -> catalogue company
    std::size_t currentLine_ = 0;
};

}  // namespace

namespace {

ImportSummary summaryOf(const std::vector<ImportRow>& rows, std::size_t companiesCreated) {
    ImportSummary s;
    s.companiesCreated = companiesCreated;
    for (const auto& row : rows) {
        switch (row.action) {
        case RowAction::Create: ++s.created; break;
        case RowAction::Update: ++s.updated; break;
        case RowAction::Skip: ++s.skipped; break;
        case RowAction::Refuse: ++s.refused; break;
        }
    }
    return s;
}

std::size_t placesPlanned(const Planner& planner) {
    return static_cast<std::size_t>(std::count(planner.isPlaceOnly.begin(), planner.isPlaceOnly.end(), true));
}

parties::PartyLoad loadOf(const Planner& planner, const ImportOptions& options, std::vector<std::size_t>& changeRows) {
    parties::PartyLoad load;
    load.source = options.source;
    load.parties = planner.loadParties;
    for (std::size_t i = 0; i < planner.report.rows.size(); ++i) {
        const auto& row = planner.report.rows[i];
        const auto& p = planner.planned[i];
        if (row.action == RowAction::Update) {
            load.changes.push_back(*p.draft);
            changeRows.push_back(i);
        }
        if (row.action != RowAction::Create && row.action != RowAction::Update) continue;
        if (!p.companyRow && !p.companyId) continue;
        parties::LoadEmployment job;
        job.person = p.loadRow ? parties::LoadRef::toRow(*p.loadRow) : parties::LoadRef::existing(row.partyId);
        job.company = p.companyRow ? parties::LoadRef::toRow(*p.companyRow) : parties::LoadRef::existing(p.companyId);
        job.employment = p.job;
        load.employments.push_back(job);
    }
    return load;
}

void refuse(ImportRow& row, const parties::FieldError& error) {
    row.action = RowAction::Refuse;
    row.refusal = error;
}

// The load's outcome written back into the rows: new ids, and rows the load refused after all.
void settle(Planner& planner, const parties::LoadReport& loaded, const std::vector<std::size_t>& changeRows) {
    std::map<std::size_t, const parties::FieldError*> refusedRows;
    for (const auto& r : loaded.refused) refusedRows.emplace(r.index, &r.error);
    std::size_t companies = 0;
    for (std::size_t row = 0; row < planner.isPlaceOnly.size(); ++row)
        if (planner.isPlaceOnly[row] && loaded.ids[row]) ++companies;
    for (std::size_t i = 0; i < planner.report.rows.size(); ++i) {
        auto& row = planner.report.rows[i];
        const auto& p = planner.planned[i];
        if (!p.loadRow || row.action != RowAction::Create) continue;
        row.partyId = loaded.ids[*p.loadRow];
        if (const auto it = refusedRows.find(*p.loadRow); it != refusedRows.end()) refuse(row, *it->second);
    }
    for (const auto& r : loaded.refusedChanges) refuse(planner.report.rows[changeRows[r.index]], r.error);
    planner.report.summary = summaryOf(planner.report.rows, companies);
}

}  // namespace

ImportReport planImport(parties::Catalogue& catalogue, sdk::Id actor, const ContactFile& file, const ImportOptions& options) {
    Planner planner(catalogue, actor, options);
    planner.plan(file);
    planner.report.summary = summaryOf(planner.report.rows, placesPlanned(planner));
    return std::move(planner.report);
}

ImportReport runImport(parties::Catalogue& catalogue, sdk::Id actor, const ContactFile& file, const ImportOptions& options) {
    if (const auto earlier = catalogue.loadOfRequest(options.requestKey)) {
        ImportReport repeated;
        repeated.dryRun = false;
        repeated.repeated = true;
        repeated.loadId = *earlier;
        return repeated;
    }
    Planner planner(catalogue, actor, options);
    planner.plan(file);
    planner.report.dryRun = false;
    std::vector<std::size_t> changeRows;
    auto load = loadOf(planner, options, changeRows);
    load.requestKey = options.requestKey;
    parties::LoadOptions loadOptions;
    loadOptions.rowsPerTransaction = options.rowsPerTransaction;
    loadOptions.progress = [&options](const parties::LoadProgress& p) {
        return !options.progress || options.progress(p.rowsDone, p.rowsTotal);
    };
    const auto loaded = catalogue.createMany(actor, load, loadOptions);
    planner.report.loadId = loaded.loadId;
    if (loaded.cancelled) {
        catalogue.undoLoad(actor, loaded.loadId);
        planner.report.cancelled = true;
        planner.report.summary = {};
        return std::move(planner.report);
    }
    settle(planner, loaded, changeRows);
    return std::move(planner.report);
}

namespace {

const LocalizedText kSummary{"Создано: {}, обновлено: {}, пропущено: {}, отклонено: {}; новых компаний: {}",
                             "Utworzono: {}, zaktualizowano: {}, pominięto: {}, odrzucono: {}; nowe firmy: {}",
                             "Created: {}, updated: {}, skipped: {}, refused: {}; new companies: {}"};
const LocalizedText kLine{"Строка {}", "Wiersz {}", "Line {}"};
const LocalizedText kCreate{"будет создан", "zostanie utworzony", "to be created"};
const LocalizedText kUpdate{"будет дополнен", "zostanie uzupełniony", "to be completed"};
const LocalizedText kCreated{"создан", "utworzono", "created"};
const LocalizedText kUpdated{"дополнен", "uzupełniono", "completed"};
const LocalizedText kSkip{"пропущено", "pominięto", "skipped"};
const LocalizedText kRefuse{"отклонено", "odrzucono", "refused"};
const LocalizedText kNothingNew{"в каталоге уже всё есть", "katalog ma już wszystkie dane", "the catalogue has it all already"};
const LocalizedText kSameAs{"тот же контакт, что в строке {}", "ten sam kontakt co w wierszu {}", "the same contact as line {}"};
const LocalizedText kNotKnown{"нет в каталоге (только обновление)", "brak w katalogu (tylko aktualizacja)",
                              "not in the catalogue (update only)"};
const LocalizedText kKnown{"уже есть в каталоге", "już jest w katalogu", "already in the catalogue"};
const LocalizedText kNoName{"нет имени", "brak nazwy", "no name"};
const LocalizedText kIn{"в компании «{}»", "w firmie „{}”", "at “{}”"};
const LocalizedText kNewCompany{"новая", "nowa", "new"};
const LocalizedText kReason[] = {
    {"то же название", "ta sama nazwa", "same name"},       {"похожее название", "podobna nazwa", "similar name"},
    {"тот же телефон", "ten sam telefon", "same phone"},    {"тот же e-mail", "ten sam e-mail", "same e-mail"},
    {"тот же налоговый номер", "ten sam numer podatkowy", "same tax id"},
};

std::string say(const Locale& reader, const LocalizedText& text, auto&&... args) {
    return fmt::format(fmt::runtime(reader.pick(text)), std::forward<decltype(args)>(args)...);
}

std::string skipText(const ImportRow& row, const Locale& reader) {
    switch (row.skip) {
    case SkipReason::NothingNew: return reader.pick(kNothingNew);
    case SkipReason::SameAsEarlier: return say(reader, kSameAs, row.sameAs);
    case SkipReason::NotKnown: return reader.pick(kNotKnown);
    case SkipReason::Known: return reader.pick(kKnown);
    case SkipReason::None: break;
    }
    return {};
}

std::string actionText(const ImportRow& row, const Locale& reader, bool dryRun) {
    switch (row.action) {
    case RowAction::Create: return reader.pick(dryRun ? kCreate : kCreated);
    case RowAction::Update: {
        std::string out = reader.pick(dryRun ? kUpdate : kUpdated);
        if (!row.matchedBy.empty()) out += std::string(" (") + reader.pick(kReason[static_cast<int>(row.matchedBy.front())]) + ")";
        return out;
    }
    case RowAction::Skip: return std::string(reader.pick(kSkip)) + ": " + skipText(row, reader);
    case RowAction::Refuse:
        return std::string(reader.pick(kRefuse)) + ": " +
               (row.refusal && row.refusal->field != "name" ? parties::describe(*row.refusal, reader) : reader.pick(kNoName));
    }
    return {};
}

}  // namespace

std::string summaryText(const ImportSummary& s, const Locale& reader) {
    return say(reader, kSummary, s.created, s.updated, s.skipped, s.refused, s.companiesCreated);
}

std::string rowText(const ImportRow& row, const Locale& reader, bool dryRun) {
    std::string out = say(reader, kLine, row.line) + ": ";
    if (!row.name.empty()) out += row.name + " — ";
    out += actionText(row, reader, dryRun);
    if (!row.company.empty() && (row.action == RowAction::Create || row.action == RowAction::Update)) {
        out += ", " + say(reader, kIn, row.company);
        if (row.newCompany) out += std::string(" (") + reader.pick(kNewCompany) + ")";
    }
    for (const auto& problem : row.problems) out += "\n  " + describe(problem, reader);
    return out;
}

}  // namespace conduit::crm::exchange
