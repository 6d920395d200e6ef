// bench_export: the catalogue to XLSX (or XML, CSV): the writer alone on generated rows, and the
// whole path (catalogue pages with rights, the writer, the safe file) on embedded Firebird.
//
//   bench_export [--rows R writer-only rows (default 500000)] [--companies N (default 100000)]
//                [--people P per company (default 5)] [--format xlsx|xml|csv] [--samples S (default 3)]
//                [--dir DIR | --reuse DIR] [--writer-only]
//
// Time is wall time; memory is the growth of the peak resident set (VmHWM) over the resident set
// before the run, the peak reset first through /proc/self/clear_refs (so the fill's peak does not
// hide the export's). Each sample writes a new file over the previous one, as a user exporting again.
#include <conduit/crm/exchange/atomic_file.hpp>
#include <conduit/crm/exchange/export_catalogue.hpp>
#include <conduit/crm/exchange/xlsx_export.hpp>
#include <conduit/crm/exchange/xml_export.hpp>

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
using namespace conduit::crm::exchange;
using namespace conduit::crm::parties;
using SteadyClock = std::chrono::steady_clock;

namespace {

const char* kStems[] = {"Okna", "Drzwi", "Bramy", "Rolety", "Fasady", "Parapety", "Szyby", "Profile"};
const char* kCities[] = {"Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Lublin"};
const char* kGiven[] = {"Anna", "Piotr", "Katarzyna", "Tomasz", "Joanna", "Marek", "Ewa", "Paweł"};
const char* kFamily[] = {"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański"};

Party company(int i) {
    Party p;
    p.fullName = std::string(kStems[i % 8]) + " " + kCities[(i / 8) % 8] + " " + std::to_string(i) + " Sp. z o.o.";
    p.roles = roleBit(i % 5 == 0 ? PartyRole::Partner : PartyRole::Customer);
    p.phones.push_back({parsePhone("+48 22 " + std::to_string(1000000 + (i * 2) % 8999999), "PL"), "biuro"});
    p.emails.push_back({parseEmail("biuro" + std::to_string(i) + "@firma" + std::to_string(i) + ".pl"), ""});
    p.addresses.push_back({AddressPurpose::Legal, "PL", "00-950", kCities[(i / 8) % 8], "ul. Długa", std::to_string(i % 200 + 1), "", ""});
    p.region = "mazowieckie";
    p.category = std::string(1, char('A' + i % 4));
    return p;
}

Party person(int company, int k) {
    Party p;
    p.kind = PartyKind::Person;
    p.givenName = kGiven[(company + k) % 8];
    p.familyName = kFamily[(company * 3 + k) % 8];
    p.fullName = p.givenName + " " + p.familyName;
    p.phones.push_back({parsePhone("+48 6" + std::to_string(10000000 + (company * 7 + k) % 89999999), "PL"), "komórka"});
    p.emails.push_back({parseEmail("osoba" + std::to_string(company) + "." + std::to_string(k) + "@firma.pl"), ""});
    p.dates.push_back({MemorableDateKind::Birthday, static_cast<unsigned>(1 + k % 12), static_cast<unsigned>(1 + company % 28), 1970 + company % 30, ""});
    return p;
}

double seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// A line of /proc/self/status in KiB.
long statusKiB(const char* field) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    return -1;
}

void resetPeak() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

struct Sample {
    double seconds = 0;
    long peakGrowthKiB = 0, hwmBeforeKiB = 0, hwmAfterKiB = 0;
    std::uintmax_t bytes = 0;
};

Sample measure(const std::function<std::uintmax_t()>& run) {
    Sample s;
    s.hwmBeforeKiB = statusKiB("VmHWM:");
    resetPeak();
    const long rssBefore = statusKiB("VmRSS:");
    const auto t0 = SteadyClock::now();
    s.bytes = run();
    s.seconds = seconds(SteadyClock::now() - t0);
    s.hwmAfterKiB = statusKiB("VmHWM:");
    s.peakGrowthKiB = s.hwmAfterKiB - rssBefore;
    return s;
}

void report(const char* what, std::vector<Sample> samples) {
    std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.seconds < b.seconds; });
    const auto& median = samples[samples.size() / 2];
    long memory = 0;
    for (const auto& s : samples) memory = std::max(memory, s.peakGrowthKiB);
    std::printf("  %-40s median %7.2f s (min %.2f, max %.2f)  peak RSS growth max %6.1f MB  file %.1f MB\n", what, median.seconds,
                samples.front().seconds, samples.back().seconds, static_cast<double>(memory) / 1024.0,
                static_cast<double>(median.bytes) / 1e6);
    for (const auto& s : samples)
        std::printf("    sample: %.2f s, VmHWM %ld -> %ld KiB, peak growth %ld KiB\n", s.seconds, s.hwmBeforeKiB, s.hwmAfterKiB, s.peakGrowthKiB);
    std::fflush(stdout);
}

// Generated rows, one at a time: a person with a place, as a catalogue page gives them.
ExportedParty generatedRow(int i) {
    ExportedParty row{person(i / 5, i % 5), {}};
    row.party.id = i + 1;
    row.party.version = 1;
    row.party.createdAt = row.party.changedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    ExportedPlace place;
    place.employment.id = 1000000 + i;
    place.employment.personId = i + 1;
    place.employment.companyId = i / 5;
    place.employment.jobTitle = "Specjalista ds. zakupów";
    place.employment.department = "Zaopatrzenie";
    place.companyName = company(i / 5).fullName;
    row.places.push_back(place);
    return row;
}

// Rows made once (making one parses its phone and e-mail, which costs more than writing it), then
// written over and over with ids of their own.
const std::vector<ExportedParty>& rowPool() {
    static const auto pool = [] {
        std::vector<ExportedParty> out;
        for (int i = 0; i < 1000; ++i) out.push_back(generatedRow(i));
        return out;
    }();
    return pool;
}

std::uintmax_t writeGenerated(const std::filesystem::path& out, ExportFormat format, int rows) {
    const auto& pool = rowPool();
    AtomicFile file(out);
    const auto zone = TimeZone::named("Europe/Warsaw");
    const Locale reader(Language::Pl);
    const auto all = [&](auto& writer) {
        ExportedParty row;
        for (int i = 0; i < rows; ++i) {
            row = pool[static_cast<std::size_t>(i) % pool.size()];
            row.party.id = i + 1;
            row.places.front().employment.personId = i + 1;
            writer.write(row);
        }
        writer.finish();
    };
    if (format == ExportFormat::Xlsx) {
        XlsxCatalogueWriter writer(file, reader, zone);
        all(writer);
    } else if (format == ExportFormat::Xml) {
        XmlCatalogueWriter writer(file, sdk::TimePoint{});
        all(writer);
    } else {
        CsvCatalogueWriter writer(file, reader, zone, {CsvEncoding::Utf8Bom, ';'});
        all(writer);
    }
    return file.commit();
}

void fill(Catalogue& catalogue, int companies, int peoplePer) {
    const auto t0 = SteadyClock::now();
    constexpr int kCompaniesPerLoad = 10000;  // a load's drafts in memory at a time
    std::size_t parties = 0;
    for (int first = 0; first < companies; first += kCompaniesPerLoad) {
        PartyLoad load;
        load.source = "bench_export";
        for (int i = first; i < std::min(companies, first + kCompaniesPerLoad); ++i) {
            const auto companyRow = load.parties.size();
            load.parties.push_back(company(i));
            for (int k = 0; k < peoplePer; ++k) {
                LoadEmployment job;
                job.person = LoadRef::toRow(load.parties.size());
                job.company = LoadRef::toRow(companyRow);
                job.employment.jobTitle = "Specjalista ds. zakupów";
                job.employment.department = "Zaopatrzenie";
                load.parties.push_back(person(i, k));
                load.employments.push_back(job);
            }
        }
        LoadOptions options;
        options.rowsPerTransaction = 20000;
        const auto report = catalogue.createMany(0, load, options);
        parties += report.companies + report.people;
        std::printf("  filled %zu parties, %.0f s\n", parties, seconds(SteadyClock::now() - t0));
        std::fflush(stdout);
    }
    std::printf("filled through Catalogue::createMany: %zu parties in %.1f s\n", parties, seconds(SteadyClock::now() - t0));
}

}  // namespace

int main(int argc, char** argv) {
    int rows = 500000, companies = 100000, peoplePer = 5, samples = 3;
    bool reuse = false, writerOnly = false;
    ExportFormat format = ExportFormat::Xlsx;
    std::filesystem::path dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::cerr << a << " needs a value\n"; std::exit(2); }
            return argv[++i];
        };
        if (a == "--rows") rows = std::stoi(next());
        else if (a == "--companies") companies = std::stoi(next());
        else if (a == "--people") peoplePer = std::stoi(next());
        else if (a == "--samples") samples = std::max(1, std::stoi(next()));
        else if (a == "--format") {
            const auto f = exportFormatFromString(next());
            if (!f) { std::cerr << "--format is xlsx, xml or csv\n"; return 2; }
            format = *f;
        } else if (a == "--dir") dir = next();
        else if (a == "--reuse") {
            dir = next();
            reuse = true;
        } else if (a == "--writer-only") writerOnly = true;
        else if (a == "--help" || a == "-h") {
            std::cout << "bench_export [--rows R (500000)] [--companies N (100000)] [--people P (5)] [--format xlsx|xml|csv]"
                         " [--samples S (3)] [--dir DIR | --reuse DIR] [--writer-only]\n";
            return 0;
        } else { std::cerr << "unknown option " << a << "\n"; return 2; }
    }
    if (dir.empty()) dir = std::filesystem::temp_directory_path() / ("conduit-bench-export-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto out = dir / ("catalogue." + std::string(toString(format)));
    std::printf("bench_export: %s, %u cores, load average %s\n", std::string(toString(format)).c_str(),
                static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)), loadAverage().c_str());

    rowPool();
    std::vector<Sample> writer;
    for (int s = 0; s < samples; ++s) writer.push_back(measure([&] { return writeGenerated(out, format, rows); }));
    std::printf("writer alone, %d generated rows (a person with a place each), %d samples:\n", rows, samples);
    report("writer", writer);
    if (writerOnly) {
        if (!reuse) std::filesystem::remove_all(dir);
        return 0;
    }

    sdk::DatabaseLocation where;
    where.file = dir / "catalogue.fdb";
    auto store = EventStore::open(where);
    {
        Catalogue catalogue(store->database(), store->writer(), {});  // the system: every right
        const auto shapeFile = dir / "bench-shape.txt";
        int storedCompanies = 0, storedPeople = 0;
        if (reuse && std::filesystem::exists(shapeFile)) std::ifstream(shapeFile) >> storedCompanies >> storedPeople;
        if (storedCompanies == companies && storedPeople == peoplePer) std::printf("reusing the filled database\n");
        else {
            fill(catalogue, companies, peoplePer);
            std::ofstream(shapeFile) << companies << " " << peoplePer << "\n";
        }
        const auto counts = catalogue.counts();
        std::printf("catalogue: %zu companies, %zu people; load average %s\n", counts.companies, counts.people, loadAverage().c_str());

        ExportRequest request;
        request.format = format;
        request.out = out;
        request.reader = Locale(Language::Pl);
        request.zone = TimeZone::named("Europe/Warsaw");
        std::vector<Sample> pages;
        std::size_t read = 0;
        for (int s = 0; s < samples; ++s)
            pages.push_back(measure([&] {
                read = 0;
                forEachExported(catalogue, 0, [&read](const ExportedParty&) { ++read; }, {}, {request.pageSize, false});
                return std::uintmax_t{0};
            }));
        std::printf("catalogue pages alone (forEachExported, no writer), %zu parties, %d samples:\n", read, samples);
        report("pages", pages);
        std::vector<Sample> whole;
        ExportReport last;
        for (int s = 0; s < samples; ++s)
            whole.push_back(measure([&] {
                last = exportCatalogue(catalogue, 0, request);
                return last.bytes;
            }));
        std::printf("whole path (exportCatalogue: pages of %zu, rights, writer, safe file), %zu companies + %zu people,"
                    " %zu places, %d samples:\n",
                    request.pageSize, last.companies, last.people, last.places, samples);
        report("exportCatalogue", whole);
    }
    std::printf("load average after: %s\n", loadAverage().c_str());
    store.reset();
    if (!reuse) std::filesystem::remove_all(dir);
    return 0;
}
