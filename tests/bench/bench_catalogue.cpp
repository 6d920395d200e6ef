// bench_catalogue: the catalogue's list as one types, the card's people, the duplicate check while
// typing and the nightly sweep, on embedded Firebird filled through the catalogue's bulk load.
//
//   bench_catalogue [--companies N (default 5000)] [--people P per company (default 5)] [--samples S]
//                   [--dir DIR | --reuse DIR]
//
// Shape: companies with a NIP, a phone, an e-mail, one of 16 regions and 4 categories; P people
// per company with a phone and an e-mail, employed there, and 50 in every 1000th company (the
// card's case); 1% of the companies typed twice. --reuse keeps the filled database in DIR and
// measures on it again next time (a fill of 600,000 parties takes minutes).
#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/timeline/event_store.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace conduit;
using namespace conduit::crm;
using namespace conduit::crm::parties;
using SteadyClock = std::chrono::steady_clock;

namespace {

const char* kStems[] = {"Okna", "Drzwi", "Bramy", "Rolety", "Fasady", "Parapety", "Szyby", "Profile"};
const char* kCities[] = {"Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Lublin"};
const char* kRegions[] = {"mazowieckie", "małopolskie", "łódzkie", "dolnośląskie", "wielkopolskie", "pomorskie",
                          "zachodniopomorskie", "lubelskie", "podkarpackie", "śląskie", "opolskie", "świętokrzyskie",
                          "podlaskie", "lubuskie", "kujawsko-pomorskie", "warmińsko-mazurskie"};
const char* kGiven[] = {"Anna", "Piotr", "Katarzyna", "Tomasz", "Joanna", "Marek", "Ewa", "Paweł"};
const char* kFamily[] = {"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"};

std::string validNip(std::uint64_t seed) {
    static constexpr int kWeights[] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    for (std::uint64_t k = seed;; k += 7919) {
        std::string nip = std::to_string(100000000 + k % 900000000);
        int sum = 0;
        for (int i = 0; i < 9; ++i) sum += (nip[i] - '0') * kWeights[i];
        if (sum % 11 != 10) return nip + char('0' + sum % 11);
    }
}

std::string phoneOf(std::uint64_t n) { return "+48 22 " + std::to_string(1000000 + n % 8999999); }

Party company(int i) {
    Party p;
    p.fullName = std::string(kStems[i % 8]) + " " + kCities[(i / 8) % 8] + " " + std::to_string(i) + " Sp. z o.o.";
    p.roles = roleBit(i % 5 == 0 ? PartyRole::Partner : PartyRole::Customer);
    p.taxIds.push_back({TaxIdKind::PlNip, validNip(static_cast<std::uint64_t>(i) * 104729)});
    p.phones.push_back({parsePhone(phoneOf(static_cast<std::uint64_t>(i) * 2), "PL"), "office"});
    p.emails.push_back({parseEmail("biuro" + std::to_string(i) + "@firma" + std::to_string(i) + ".pl"), ""});
    p.region = kRegions[i % 16];
    p.category = std::string(1, char('A' + i % 4));
    return p;
}

Party person(int company, int k) {
    Party p;
    p.kind = PartyKind::Person;
    p.givenName = kGiven[(company + k) % 8];
    p.familyName = kFamily[(company * 3 + k) % 8];
    p.fullName = p.givenName + " " + p.familyName;
    p.phones.push_back({parsePhone("+48 6" + std::to_string(10000000 + (company * 7 + k) % 89999999), "PL"), ""});
    p.emails.push_back({parseEmail("osoba" + std::to_string(company) + "." + std::to_string(k) + "@firma.pl"), ""});
    return p;
}

constexpr int kBigCompanyEvery = 1000, kBigCompanyPeople = 50;

// The whole catalogue in one load; the ids of the companies with 50 people.
std::vector<std::int64_t> fill(Catalogue& catalogue, int companies, int peoplePer) {
    const auto t0 = SteadyClock::now();
    PartyLoad load;
    load.source = "bench_catalogue";
    std::vector<std::size_t> bigRows;
    for (int i = 0; i < companies; ++i) {
        const auto companyRow = load.parties.size();
        load.parties.push_back(company(i));
        const bool big = i % kBigCompanyEvery == 0;
        if (big) bigRows.push_back(companyRow);
        for (int k = 0; k < (big ? kBigCompanyPeople : peoplePer); ++k) {
            LoadEmployment job;
            job.person = LoadRef::toRow(load.parties.size());
            job.company = LoadRef::toRow(companyRow);
            job.employment.jobTitle = "Specjalista";
            load.parties.push_back(person(i, k));
            load.employments.push_back(job);
        }
        if (i % 100 == 0) load.parties.push_back(company(i));  // typed twice
    }
    const double drafts = std::chrono::duration<double>(SteadyClock::now() - t0).count();
    LoadOptions options;
    options.rowsPerTransaction = 20000;
    options.progress = [t0](const LoadProgress& p) {
        if (p.rowsDone % 100000 < 20000)
            std::printf("  %zu of %zu rows, %.0f s\n", p.rowsDone, p.rowsTotal, std::chrono::duration<double>(SteadyClock::now() - t0).count());
        std::fflush(stdout);
        return true;
    };
    const auto report = catalogue.createMany(0, load, options);
    const double total = std::chrono::duration<double>(SteadyClock::now() - t0).count();
    std::printf("filled through Catalogue::createMany: %zu companies, %zu people, %zu employments, %zu refused in %.1f s"
                " (drafts %.1f s; %.0f parties/s)\n",
                report.companies, report.people, report.employments, report.refused.size(), total, drafts,
                static_cast<double>(report.companies + report.people) / (total - drafts));
    std::vector<std::int64_t> out;
    for (auto row : bigRows) out.push_back(report.ids[row]);
    return out;
}

double ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void report(const char* what, std::vector<double> t) {
    std::sort(t.begin(), t.end());
    const auto at = [&](double q) { return t[std::min(t.size() - 1, static_cast<std::size_t>(q * static_cast<double>(t.size())))]; };
    std::printf("  %-44s median %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, at(0.5), at(0.99), t.back());
    std::fflush(stdout);
}

// Times `query(i)` for i in [0, samples), the samples interleaved with the other queries' so a
// noisy moment hits all of them alike.
struct Timed {
    const char* name;
    std::function<void(int)> query;
    std::vector<double> times;
};

}  // namespace

int main(int argc, char** argv) {
    int companies = 5000, peoplePer = 5, samples = 200;
    bool reuse = false;
    std::filesystem::path dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::cerr << a << " needs a value\n"; std::exit(2); }
            return argv[++i];
        };
        if (a == "--companies") companies = std::stoi(next());
        else if (a == "--people") peoplePer = std::stoi(next());
        else if (a == "--samples") samples = std::stoi(next());
        else if (a == "--dir") dir = next();
        else if (a == "--reuse") {
            dir = next();
            reuse = true;
        }
        else if (a == "--help" || a == "-h") {
            std::cout << "bench_catalogue [--companies N (default 5000)] [--people P per company (default 5)] [--samples S (default 200)] [--dir DIR | --reuse DIR]\n";
            return 0;
        } else { std::cerr << "unknown option " << a << "\n"; return 2; }
    }
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / ("conduit-bench-catalogue-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    sdk::DatabaseLocation where;
    where.file = dir / "catalogue.fdb";
    auto store = EventStore::open(where);
    Catalogue catalogue(store->database(), store->writer(), {});  // the system: every right
    std::printf("bench_catalogue: %d companies, %d people each, in %s\n", companies, peoplePer, where.file.string().c_str());

    const auto shapeFile = dir / "bench-shape.txt";
    std::vector<std::int64_t> bigCompanies;
    if (reuse && std::filesystem::exists(shapeFile)) {
        std::ifstream in(shapeFile);
        int storedCompanies = 0, storedPeople = 0;
        in >> storedCompanies >> storedPeople;
        if (storedCompanies != companies || storedPeople != peoplePer) {
            std::cerr << "--reuse " << dir << " holds " << storedCompanies << " companies with " << storedPeople << " people each\n";
            return 2;
        }
        for (std::int64_t id = 0; in >> id;) bigCompanies.push_back(id);
        std::printf("reusing the filled database\n");
    } else {
        bigCompanies = fill(catalogue, companies, peoplePer);
        std::ofstream out(shapeFile);
        out << companies << " " << peoplePer << "\n";
        for (auto id : bigCompanies) out << id << "\n";
    }
    const auto counts = catalogue.counts();
    std::printf("catalogue: %zu companies, %zu people\n\n", counts.companies, counts.people);

    std::vector<Timed> queries;
    const auto list = [&](CatalogueFilter f) { (void)catalogue.find(0, f); };
    queries.push_back({"name prefix (\"okna kra\")", [&](int i) { CatalogueFilter f; f.text = std::string(i % 2 ? "okna kra" : "drzwi war"); list(f); }, {}});
    queries.push_back({"a word inside the name (a firm's number)", [&](int i) { CatalogueFilter f; f.text = std::to_string((i * 37) % companies); list(f); }, {}});
    queries.push_back({"tax id prefix (8 digits)", [&](int i) { CatalogueFilter f; f.text = validNip(static_cast<std::uint64_t>((i * 37) % companies) * 104729).substr(0, 8); list(f); }, {}});
    queries.push_back({"phone as typed (\"22 1…\")", [&](int i) { CatalogueFilter f; f.text = phoneOf(static_cast<std::uint64_t>((i * 37) % companies) * 2).substr(4, 8); list(f); }, {}});
    queries.push_back({"e-mail prefix", [&](int i) { CatalogueFilter f; f.text = "biuro" + std::to_string((i * 37) % companies) + "@"; list(f); }, {}});
    queries.push_back({"region + category, no text", [&](int i) { CatalogueFilter f; f.region = kRegions[i % 16]; f.category = std::string(1, char('A' + i % 4)); list(f); }, {}});
    queries.push_back({"card: a company's 50 people", [&](int i) { (void)catalogue.employmentsOfCompany(0, bigCompanies[static_cast<std::size_t>(i) % bigCompanies.size()]); }, {}});
    queries.push_back({"duplicate check of a draft", [&](int i) { (void)catalogue.possibleDuplicates(0, company((i * 37) % companies)); }, {}});
    for (int s = 0; s < samples; ++s)
        for (auto& q : queries) {
            const auto start = SteadyClock::now();
            q.query(s);
            q.times.push_back(ms(SteadyClock::now() - start));
            // A sample far off the rest names itself, so its case can be looked at.
            if (q.times.back() > 1000) std::printf("  slow: %s, sample %d: %.0f ms\n", q.name, s, q.times.back());
        }
    std::printf("first page (50 rows) and the other reads, %d samples each, interleaved:\n", samples);
    for (auto& q : queries) report(q.name, q.times);

    const auto s0 = SteadyClock::now();
    const auto sweep = catalogue.sweepDuplicates();
    std::printf("\nsweep: %.1f s, %zu shared keys, %zu pairs (%zu new)\n", std::chrono::duration<double>(SteadyClock::now() - s0).count(),
                sweep.keysCompared, sweep.pairsFound, sweep.pairsNew);
    store.reset();
    if (!reuse) std::filesystem::remove_all(dir);
    return 0;
}
