// bench_catalogue: the catalogue's list as one types, the card's people, the duplicate check while
// typing and the nightly sweep, on embedded Firebird filled through the catalogue's own API.
//
//   bench_catalogue [--companies N (default 5000)] [--people P per company (default 5)] [--samples S] [--dir DIR]
//
// Shape: companies with a NIP, a phone, an e-mail, one of 16 regions and 4 categories; P people
// per company with a phone and an e-mail, employed there; 1% of the companies typed twice.
#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/timeline/event_store.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
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
        else if (a == "--help" || a == "-h") {
            std::cout << "bench_catalogue [--companies N (default 5000)] [--people P per company (default 5)] [--samples S (default 200)] [--dir DIR]\n";
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

    const auto t0 = SteadyClock::now();
    std::vector<std::int64_t> companyIds;
    for (int i = 0; i < companies; ++i) {
        const auto c = catalogue.create(0, company(i));
        companyIds.push_back(c.id);
        for (int k = 0; k < peoplePer; ++k) {
            const auto p = catalogue.create(0, person(i, k));
            Employment job;
            job.personId = p.id;
            job.companyId = c.id;
            job.jobTitle = "Specjalista";
            catalogue.addEmployment(0, job);
        }
        if (i % 100 == 0) catalogue.create(0, company(i));  // typed twice
    }
    const double fill = std::chrono::duration<double>(SteadyClock::now() - t0).count();
    const auto counts = catalogue.counts();
    std::printf("filled through Catalogue::create/addEmployment: %.1f s (%.0f parties/s)\n\n", fill,
                static_cast<double>(counts.companies + counts.people) / fill);

    std::vector<Timed> queries;
    const auto list = [&](CatalogueFilter f) { (void)catalogue.find(0, f); };
    queries.push_back({"name prefix (\"okna kra\")", [&](int i) { CatalogueFilter f; f.text = std::string(i % 2 ? "okna kra" : "drzwi war"); list(f); }, {}});
    queries.push_back({"a word inside the name (a firm's number)", [&](int i) { CatalogueFilter f; f.text = std::to_string((i * 37) % companies); list(f); }, {}});
    queries.push_back({"tax id prefix (8 digits)", [&](int i) { CatalogueFilter f; f.text = validNip(static_cast<std::uint64_t>((i * 37) % companies) * 104729).substr(0, 8); list(f); }, {}});
    queries.push_back({"phone as typed (\"22 1…\")", [&](int i) { CatalogueFilter f; f.text = phoneOf(static_cast<std::uint64_t>((i * 37) % companies) * 2).substr(4, 8); list(f); }, {}});
    queries.push_back({"e-mail prefix", [&](int i) { CatalogueFilter f; f.text = "biuro" + std::to_string((i * 37) % companies) + "@"; list(f); }, {}});
    queries.push_back({"region + category, no text", [&](int i) { CatalogueFilter f; f.region = kRegions[i % 16]; f.category = std::string(1, char('A' + i % 4)); list(f); }, {}});
    queries.push_back({"card: a company's people", [&](int i) { (void)catalogue.employmentsOfCompany(0, companyIds[(i * 37) % companies]); }, {}});
    queries.push_back({"duplicate check of a draft", [&](int i) { (void)catalogue.possibleDuplicates(0, company((i * 37) % companies)); }, {}});
    for (int s = 0; s < samples; ++s)
        for (auto& q : queries) {
            const auto start = SteadyClock::now();
            q.query(s);
            q.times.push_back(ms(SteadyClock::now() - start));
        }
    std::printf("first page (50 rows) and the other reads, %d samples each, interleaved:\n", samples);
    for (auto& q : queries) report(q.name, q.times);

    const auto s0 = SteadyClock::now();
    const auto sweep = catalogue.sweepDuplicates();
    std::printf("\nsweep: %.1f s, %zu shared keys, %zu pairs (%zu new)\n", std::chrono::duration<double>(SteadyClock::now() - s0).count(),
                sweep.keysCompared, sweep.pairsFound, sweep.pairsNew);
    store.reset();
    std::filesystem::remove_all(dir);
    return 0;
}
