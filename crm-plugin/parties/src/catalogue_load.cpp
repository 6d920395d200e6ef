// Catalogue::createMany: many parties and their people's places in large transactions through
// statements prepared once, each row checked and keyed as create() does, one event per load.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "catalogue_tx.hpp"
#include "load_changes.hpp"
#include "party_events.hpp"

#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>

namespace conduit::crm::parties {
namespace {

std::int64_t startLoad(soci::session& s, sdk::Id actor, sdk::TimePoint at, const PartyLoad& load) {
    long long id = detail::nextId(s, "CRM_PARTY_SEQ"), by = actor;
    std::tm when = rows::toTm(at);
    std::string text = load.source.substr(0, 200), key = load.requestKey.substr(0, 120);
    soci::indicator iText = text.empty() ? soci::i_null : soci::i_ok, iKey = key.empty() ? soci::i_null : soci::i_ok;
    s << "INSERT INTO CRM_PARTY_LOAD (ID, LOADED_BY, STARTED_AT, SOURCE, COMPANIES, PEOPLE, EMPLOYMENTS, REFUSED, STATE,"
         " REQUEST_KEY) VALUES (:id, :by, :at, :source, 0, 0, 0, 0, 0, :k)",
        soci::use(id), soci::use(by), soci::use(when), soci::use(text, iText), soci::use(key, iKey);
    return id;
}

void recordFigures(soci::session& s, const detail::LoadFigures& f, int state) {
    long long id = f.id;
    int companies = static_cast<int>(f.companies), people = static_cast<int>(f.people),
        employments = static_cast<int>(f.employments), refused = static_cast<int>(f.refused), changed = static_cast<int>(f.changed);
    s << "UPDATE CRM_PARTY_LOAD SET COMPANIES = :c, PEOPLE = :p, EMPLOYMENTS = :e, REFUSED = :r, CHANGED = :ch, STATE = :s"
         " WHERE ID = :id",
        soci::use(companies), soci::use(people), soci::use(employments), soci::use(refused), soci::use(changed), soci::use(state),
        soci::use(id);
}

// The transaction an employment is written in: the one of the later of its rows, so both of
// its parties exist by then.
std::size_t chunkOf(const LoadEmployment& e, std::size_t rowsPerTransaction) {
    std::size_t last = 0;
    for (const auto* ref : {&e.person, &e.company})
        if (ref->row) last = std::max(last, *ref->row);
    return last / rowsPerTransaction;
}

// Why an employment of a load cannot be stored, as the field to name; nullptr when it can.
const char* employmentProblem(const CatalogueViewer& v, const std::optional<Party>& person, const std::optional<Party>& company,
                              const Employment& e, const std::set<std::string>& levels) {
    if (!person || person->kind != PartyKind::Person) return "person";
    if (!company || company->kind != PartyKind::Company) return "company";
    if (e.influence < kMinInfluence || e.influence > kMaxInfluence) return "influence";
    if (!e.levelCode.empty() && !levels.count(e.levelCode)) return "level";
    if (!mayEdit(v, *person) && !mayEdit(v, *company)) return "company";
    return nullptr;
}

// One load's work: the rows of each transaction, then the event. What a transaction wrote
// reaches the report only once it committed.
class Loader {
public:
    Loader(const PartyLoad& load, const CatalogueViewer& v, const LoadOptions& options)
        : load_(load), v_(v), perTransaction_(std::max<std::size_t>(1, options.rowsPerTransaction)) {
        report.ids.assign(load.parties.size(), 0);
    }

    std::size_t transactions() const { return (load_.parties.size() + perTransaction_ - 1) / perTransaction_; }
    std::pair<std::size_t, std::size_t> rowsOf(std::size_t chunk) const {
        return {chunk * perTransaction_, std::min(load_.parties.size(), (chunk + 1) * perTransaction_)};
    }

    // Employments by the transaction that writes them; those naming a row beyond the load are refused.
    void placeEmployments() {
        byChunk_.assign(std::max<std::size_t>(1, transactions()), {});
        for (std::size_t i = 0; i < load_.employments.size(); ++i) {
            const auto& e = load_.employments[i];
            if (outOfLoad(e.person)) refuseEmployment(i, "person");
            else if (outOfLoad(e.company)) refuseEmployment(i, "company");
            else byChunk_[std::min(chunkOf(e, perTransaction_), byChunk_.size() - 1)].push_back(i);
        }
    }

    std::vector<std::size_t> employmentsOf(std::size_t chunk) const { return byChunk_[chunk]; }

    void refuseRow(std::size_t row, const FieldError& error) { report.refused.push_back({row, error}); }
    void refuseEmployment(std::size_t index, const char* field) {
        report.refusedEmployments.push_back({index, FieldError(FieldProblem::WrongValue, field)});
    }

    // The party an employment names, as stored: a row loaded before, or an existing party.
    std::optional<Party> side(soci::session& s, const LoadRef& ref, const std::map<std::size_t, Party>& thisChunk) {
        if (ref.row) {
            if (auto it = thisChunk.find(*ref.row); it != thisChunk.end()) return it->second;
            if (const auto id = report.ids[*ref.row]) return earlier(s, id);
            return std::nullopt;
        }
        return earlier(s, ref.id);
    }

    const PartyLoad& load_;
    const CatalogueViewer& v_;
    LoadReport report;

private:
    bool outOfLoad(const LoadRef& ref) const { return ref.row && *ref.row >= load_.parties.size(); }

    std::optional<Party> earlier(soci::session& s, std::int64_t id) {
        auto it = stored_.find(id);
        if (it == stored_.end()) {
            auto p = detail::loadParty(s, id);
            if (p && (!maySee(v_, *p) || p->mergedInto)) p.reset();
            it = stored_.emplace(id, std::move(p)).first;
        }
        return it->second;
    }

    std::size_t perTransaction_;
    std::vector<std::vector<std::size_t>> byChunk_;
    std::map<std::int64_t, std::optional<Party>> stored_;  // parties named by id, read once per load
};

}  // namespace

LoadReport Catalogue::createMany(sdk::Id actor, const PartyLoad& load, const LoadOptions& options) {
    const auto v = viewer(actor);
    if (!v.internal) throw CatalogueError(CatalogueProblem::NotAllowed, "load");
    for (const auto& draft : load.parties)
        if (!mayCreate(v, draft)) throw CatalogueError(CatalogueProblem::NotAllowed, "load");
    const auto fields = customFields();
    std::set<std::string> levels;
    for (const auto& level : hierarchyLevels()) levels.insert(level.code);
    const auto at = options_.clock();

    Loader loader(load, v, options);
    loader.placeEmployments();
    detail::LoadFigures figures;
    figures.source = load.source;
    figures.id = inTransaction(db_, "catalogue load", [&](soci::session& s) { return startLoad(s, actor, at, load); });
    loader.report.loadId = figures.id;

    // The rows of one transaction, checked and normalised before it starts.
    const auto records = [&](std::size_t from, std::size_t to) {
        std::vector<std::pair<std::size_t, Party>> out;
        for (std::size_t row = from; row < to; ++row) {
            const auto& draft = load.parties[row];
            if (draft.hostId) loader.refuseRow(row, FieldError(FieldProblem::WrongValue, "host_id"));
            else if (const auto problems = checkAgainst(draft, fields); !problems.empty()) loader.refuseRow(row, problems.front());
            else out.emplace_back(row, detail::newRecord(draft, options_.defaultCountry, at));
        }
        return out;
    };

    const auto writeChunk = [&](soci::session& s, std::vector<std::pair<std::size_t, Party>>& rows, std::size_t chunk) {
        const auto jobs = loader.employmentsOf(chunk);
        auto next = detail::reserveIds(s, "CRM_PARTY_SEQ", rows.size() + jobs.size());
        detail::RowWriter writer(s);
        std::map<std::size_t, Party> written;
        auto chunkFigures = figures;
        for (auto& entry : rows) {
            auto& p = entry.second;
            if (p.parentId) {
                const auto parent = loader.side(s, LoadRef::existing(p.parentId), written);
                if (!parent || parent->kind != PartyKind::Company) {
                    loader.refuseRow(entry.first, FieldError(FieldProblem::WrongValue, "parent"));
                    continue;
                }
            }
            p.id = next++;
            p.version = 1;
            writer.party(p, figures.id, true);
            ++(p.kind == PartyKind::Company ? chunkFigures.companies : chunkFigures.people);
            written.emplace(entry.first, p);
        }
        writer.sortedKeys();
        for (const auto index : jobs) {
            const auto& job = load.employments[index];
            const auto person = loader.side(s, job.person, written), company = loader.side(s, job.company, written);
            const char* wrong = employmentProblem(v, person, company, job.employment, levels);
            if (wrong) {
                loader.refuseEmployment(index, wrong);
                continue;
            }
            auto e = job.employment;
            e.id = next++;
            e.personId = person->id;
            e.companyId = company->id;
            e.hostOwned = false;
            writer.employment(e);
            writer.influence(e.id, at, e.influence, actor, {});
            ++chunkFigures.employments;
        }
        chunkFigures.refused = loader.report.refused.size() + loader.report.refusedEmployments.size();
        recordFigures(s, chunkFigures, 0);
        return std::make_pair(std::move(written), chunkFigures);
    };

    const auto finish = [&](int state) {
        detail::EventBatch batch(writer_, options_.installationLanguage);
        inTransaction(db_, "catalogue load", [&](soci::session& s) {
            recordFigures(s, figures, state);
            batch.begin();
            auto e = detail::loadedEvent(figures, actor, at);
            batch.insert(s, e);
            AuditLog::recordAt(s, at, actor, "party_load", std::to_string(figures.id), "load", nullptr,
                               nlohmann::json{{"companies", figures.companies}, {"people", figures.people},
                                              {"employments", figures.employments}, {"refused", figures.refused},
                                              {"changed", figures.changed},
                                              {"source", load.source}});
        });
    };

    const auto total = load.parties.size() + load.changes.size();
    // The changes of stored parties, after the new ones (a change may name a party just loaded).
    const auto writeChanges = [&] {
        const auto per = std::max<std::size_t>(1, options.rowsPerTransaction);
        auto& report = loader.report;
        for (std::size_t from = 0; from < load.changes.size(); from += per) {
            const auto to = std::min(load.changes.size(), from + per);
            std::vector<std::size_t> rows;
            for (std::size_t row = from; row < to; ++row) {
                if (const auto problems = checkAgainst(load.changes[row], fields); !problems.empty())
                    report.refusedChanges.push_back({row, problems.front()});
                else rows.push_back(row);
            }
            detail::EventBatch batch(writer_, options_.installationLanguage);
            auto done = inTransaction(db_, "catalogue load", [&](soci::session& s) {
                batch.begin();
                auto written = detail::writeLoadChanges(s, batch, v, load.changes, rows, figures.id, options_.defaultCountry, at);
                auto next = figures;
                next.changed += written.written.size();
                next.refused = report.refused.size() + report.refusedEmployments.size() + report.refusedChanges.size() +
                               written.refused.size();
                recordFigures(s, next, 0);
                return std::make_pair(std::move(written), next);
            });
            report.changed.insert(report.changed.end(), done.first.written.begin(), done.first.written.end());
            report.refusedChanges.insert(report.refusedChanges.end(), done.first.refused.begin(), done.first.refused.end());
            figures = done.second;
            LoadProgress progress{load.parties.size() + to, total, figures.companies + figures.people + figures.changed,
                                  figures.refused};
            if (options.progress && !options.progress(progress) && to < load.changes.size()) {
                report.cancelled = true;
                return;
            }
        }
    };

    try {
        const auto chunks = std::max<std::size_t>(1, loader.transactions());
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
            const auto [from, to] = loader.rowsOf(chunk);
            auto rows = records(from, to);
            auto done = inTransaction(db_, "catalogue load", [&](soci::session& s) { return writeChunk(s, rows, chunk); });
            for (const auto& [row, p] : done.first) loader.report.ids[row] = p.id;
            figures = done.second;
            LoadProgress progress{to, total, figures.companies + figures.people, figures.refused};
            if (options.progress && !options.progress(progress) && (chunk + 1 < chunks || !load.changes.empty())) {
                loader.report.cancelled = true;
                break;
            }
        }
        if (!loader.report.cancelled) writeChanges();
        std::sort(loader.report.refused.begin(), loader.report.refused.end(),
                  [](const LoadRefusal& a, const LoadRefusal& b) { return a.index < b.index; });
        std::sort(loader.report.refusedEmployments.begin(), loader.report.refusedEmployments.end(),
                  [](const LoadRefusal& a, const LoadRefusal& b) { return a.index < b.index; });
        std::sort(loader.report.refusedChanges.begin(), loader.report.refusedChanges.end(),
                  [](const LoadRefusal& a, const LoadRefusal& b) { return a.index < b.index; });
        finish(loader.report.cancelled ? 2 : 1);
    } catch (...) {
        // What committed before the failure still gets its event.
        try {
            finish(2);
        } catch (...) {
        }
        throw;
    }
    loader.report.companies = figures.companies;
    loader.report.people = figures.people;
    loader.report.employments = figures.employments;
    return loader.report;
}

std::optional<std::int64_t> Catalogue::loadOfRequest(const std::string& requestKey) {
    if (requestKey.empty()) return std::nullopt;
    return inTransaction(db_, "catalogue load", [&](soci::session& s) -> std::optional<std::int64_t> {
        const std::string key = requestKey.substr(0, 120);
        long long id = 0;
        s << "SELECT ID FROM CRM_PARTY_LOAD WHERE REQUEST_KEY = :k", soci::use(key), soci::into(id);
        if (!s.got_data()) return std::nullopt;
        return id;
    });
}

}  // namespace conduit::crm::parties
