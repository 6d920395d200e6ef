// bench_import: a contact import as an administrator runs it: a vCard file of N cards read,
// matched against a catalogue that already holds companies and people, and loaded as one load.
//
//   bench_import [--cards N (default 50000)] [--companies M already there (default 5000, 5 people
//                each)] [--runs R (default 3)] [--dir DIR] [--with-dry-run]
//
// Shape of the file: vCard 3.0, Polish and Russian names, an organisation on every card out of
// N/5 names (one in five of them already a company of the catalogue), one card in ten a person
// the catalogue has (same e-mail: completed), one in a hundred the same card twice, a photo on
// none. Each run starts from the same filled catalogue (a copy of its file), so runs compare.
#include <conduit/crm/exchange/contact_file.hpp>
#include <conduit/crm/exchange/contact_import.hpp>

#include <conduit/crm/timeline/event_store.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace conduit;
using namespace conduit::crm;
using namespace conduit::crm::parties;
using SteadyClock = std::chrono::steady_clock;

namespace {

const char* kGivenPl[] = {"Anna", "Piotr", "Katarzyna", "Tomasz", "Joanna", "Marek", "Ewa", "Paweł", "Łucja", "Zbigniew"};
const char* kFamilyPl[] = {"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"};
const char* kGivenRu[] = {"Иван", "Ольга", "Сергей", "Наталья", "Дмитрий", "Елена"};
const char* kFamilyRu[] = {"Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Морозова"};

std::string companyName(int i) { return "Stolarka " + std::to_string(i) + " Sp. z o.o."; }

// The catalogue before the import: M companies (the first N/25 of the file's organisations among
// them) with 5 people each, whose e-mails some cards carry.
void fill(Catalogue& catalogue, int companies) {
    PartyLoad load;
    load.source = "bench fill";
    for (int c = 0; c < companies; ++c) {
        Party firm;
        firm.fullName = companyName(c);
        firm.roles = roleBit(PartyRole::Customer);
        const auto row = load.parties.size();
        load.parties.push_back(firm);
        for (int k = 0; k < 5; ++k) {
            Party p;
            p.kind = PartyKind::Person;
            p.givenName = kGivenPl[(c + k) % 10];
            p.familyName = kFamilyPl[(c * 3 + k) % 8];
            p.fullName = p.givenName + " " + p.familyName;
            p.emails.push_back({parseEmail("osoba" + std::to_string(c) + "." + std::to_string(k) + "@stolarka.pl"), ""});
            LoadEmployment job;
            job.person = LoadRef::toRow(load.parties.size());
            job.company = LoadRef::toRow(row);
            load.parties.push_back(p);
            load.employments.push_back(job);
        }
    }
    catalogue.createMany(0, load);
}

std::string card(int i, int organisations, int known) {
    const bool russian = i % 5 == 4;
    const std::string given = russian ? kGivenRu[i % 6] : kGivenPl[i % 10];
    const std::string family = russian ? kFamilyRu[(i / 6) % 6] : kFamilyPl[(i / 10) % 8];
    // One in ten a known person; one in a hundred the card before it again.
    const int who = i % 100 == 99 ? i - 1 : i;
    const std::string email = who % 10 == 0 && who / 10 < known ? "osoba" + std::to_string(who / 10 / 5) + "." +
                                                                      std::to_string(who / 10 % 5) + "@stolarka.pl"
                                                                : "kontakt" + std::to_string(who) + "@import.example.pl";
    std::string c = "BEGIN:VCARD\r\nVERSION:3.0\r\n";
    c += "N:" + family + ";" + given + ";;;\r\nFN:" + given + " " + family + "\r\n";
    c += "ORG:" + companyName((who * 7) % organisations) + "\r\nTITLE:" + (russian ? "Менеджер" : "Kierownik zakupów") + "\r\n";
    c += "EMAIL;TYPE=INTERNET,WORK:" + email + "\r\n";
    c += "TEL;TYPE=CELL:+48 6" + std::to_string(10000000 + who) + "\r\n";
    c += "ADR;TYPE=WORK:;;ul. Długa " + std::to_string(who % 200 + 1) + ";Warszawa;;00-" + std::to_string(100 + who % 900) +
         ";Polska\r\n";
    c += "CATEGORIES:Import\r\nEND:VCARD\r\n";
    return c;
}

std::string vcards(int n, int companies) {
    std::string out;
    out.reserve(static_cast<std::size_t>(n) * 330);
    const int organisations = std::max(1, n / 5);
    for (int i = 0; i < n; ++i) out += card(i, organisations, companies * 5);
    return out;
}

long peakRssKb() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

double seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int cards = 50000, companies = 5000, runs = 3;
    bool withDryRun = false;
    std::filesystem::path dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--cards") cards = std::stoi(next());
        else if (a == "--companies") companies = std::stoi(next());
        else if (a == "--runs") runs = std::max(1, std::stoi(next()));
        else if (a == "--dir") dir = next();
        else if (a == "--with-dry-run") withDryRun = true;
        else if (a == "--help") {
            std::cout << "bench_import [--cards N (default 50000)] [--companies M (default 5000)] [--runs R (default 3)] [--dir DIR]"
                         " [--with-dry-run]\n";
            return 0;
        } else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / ("conduit-bench-import-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto filled = dir / "filled.fdb";
    {
        sdk::DatabaseLocation where;
        where.file = filled;
        auto store = EventStore::open(where);
        Catalogue catalogue(store->database(), store->writer(), {});
        const auto t = SteadyClock::now();
        fill(catalogue, companies);
        std::printf("bench_import: catalogue of %d companies, %d people filled in %.1f s\n", companies, companies * 5,
                    seconds(SteadyClock::now() - t));
    }
    const auto file = vcards(cards, companies);
    std::printf("bench_import: %d vCards, %.1f MB\n", cards, file.size() / 1e6);

    std::vector<double> reads, imports, totals;
    const long rssBefore = peakRssKb();
    for (int run = 0; run < runs; ++run) {
        const auto copy = dir / ("run" + std::to_string(run) + ".fdb");
        std::filesystem::copy_file(filled, copy, std::filesystem::copy_options::overwrite_existing);
        sdk::DatabaseLocation where;
        where.file = copy;
        auto store = EventStore::open(where);
        Catalogue catalogue(store->database(), store->writer(), {});
        const auto t0 = SteadyClock::now();
        const auto contacts = exchange::readContactFile(file);
        const auto t1 = SteadyClock::now();
        exchange::ImportOptions options;
        options.source = "bench.vcf";
        if (withDryRun) {
            const auto tp = SteadyClock::now();
            const auto plan = exchange::planImport(catalogue, 0, contacts, options);
            std::printf("run %d: dry run alone (read not counted) %.2f s, %zu rows\n", run + 1, seconds(SteadyClock::now() - tp),
                        plan.rows.size());
        }
        const auto report = exchange::runImport(catalogue, 0, contacts, options);
        const auto t2 = SteadyClock::now();
        reads.push_back(seconds(t1 - t0));
        imports.push_back(seconds(t2 - t1));
        totals.push_back(seconds(t2 - t0));
        std::printf("run %d: read %.2f s, match and load %.2f s, total %.2f s; %s\n", run + 1, reads.back(), imports.back(),
                    totals.back(), exchange::summaryText(report.summary, Locale(Language::En)).c_str());
        store.reset();
        std::filesystem::remove(copy);
    }
    std::printf("median of %d runs: read %.2f s, match and load %.2f s, total %.2f s (target 60 s); peak RSS %+ld MB over the fill\n",
                runs, median(reads), median(imports), median(totals), (peakRssKb() - rssBefore) / 1024);
    std::filesystem::remove_all(dir);
    return 0;
}
