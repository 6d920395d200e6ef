#include "simulator.hpp"

#include "directory_changes.hpp"

#include "host_database.hpp"
#include "measurement_sheet.hpp"
#include "orders_module.hpp"
#include "payments_module.hpp"
#include "scheduling_module.hpp"
#include "seed_data.hpp"
#include "sim_random.hpp"
#include "warehouse_modules.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

namespace refhost {
namespace {

using namespace std::chrono;
using std::chrono::days;

constexpr sdk::Date kDayOne = sdk::Date{year{2026} / January / 5};  // a Monday
constexpr int kWorkdayStartMinutes = 8 * 60;
constexpr int kWorkdayMinutes = 9 * 60;

// Users of the seed data by department (see seed_data.cpp).
constexpr sdk::Id kFinanceUsers[] = {3, 4};
constexpr sdk::Id kOrdersUsers[] = {5, 6};
constexpr sdk::Id kPlannerUsers[] = {10, 11};
constexpr sdk::Id kManagerUsers[] = {5, 6, 12, 13};
constexpr sdk::Id kMeasurerUsers[] = {7, 8, 9};
constexpr sdk::Id kSalesUsers[] = {12, 13};
constexpr sdk::Id kCrewCount = 6;
constexpr sdk::Id kFinishedGoodsWarehouse = 1;
constexpr sdk::Id kMaterialsWarehouses[] = {2, 3};

constexpr const char* kProductsPl[] = {"Okna PCV", "Drzwi wejściowe", "Rolety zewnętrzne", "Okna drewniane",
                                       "Fasada aluminiowa", "Brama garażowa", "Ogród zimowy"};
constexpr const char* kProductsRu[] = {"Окна ПВХ", "Входные двери", "Рольставни", "Деревянные окна",
                                       "Алюминиевый фасад", "Гаражные ворота"};
constexpr const char* kProductsEn[] = {"PVC windows", "Front door", "External blinds", "Timber windows"};
constexpr const char* kMaterials[] = {"Profil PCV 70 mm", "Szyba zespolona 4/16/4", "Okucia Roto NT",
                                      "Uszczelka EPDM", "Listwa przyszybowa", "Parapet zewnętrzny",
                                      "Kątownik aluminiowy", "Pianka montażowa"};
constexpr const char* kMaterialUnits[] = {"mb", "m²", "kpl.", "mb", "mb", "szt.", "szt.", "op."};

struct SimState {
    bool exists = false;
    std::uint64_t seed = 0;
    int dayDone = 0, stepInDay = 0;
    std::int64_t steps = 0;
};

SimState readState(soci::session& sql) {
    SimState st;
    long long seed = 0, steps = 0;
    int day = 0, step = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT SEED, DAY_DONE, STEP_IN_DAY, STEPS FROM HOST_SIM_STATE WHERE ID = 1", soci::into(seed, ind),
        soci::into(day), soci::into(step), soci::into(steps);
    if (ind != soci::i_ok) return st;
    st.exists = true;
    st.seed = static_cast<std::uint64_t>(seed);
    st.dayDone = day;
    st.stepInDay = step;
    st.steps = steps;
    return st;
}


std::string isoDate(sdk::Date day) {
    const year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

// What staff type into the CRM during one step, as plugin action requests. Its own random stream,
// so the host's history is the same with or without a plugin taking the entries.
class UserEntries {
public:
    UserEntries(std::uint64_t seed, std::int64_t step, sdk::TimePoint at)
        : seed_(seed),
          rng_(SimRandom::forStep(seed ^ 0xE17E5000ull, static_cast<std::uint64_t>(step))),
          prefix_("sim-" + std::to_string(seed) + "-" + std::to_string(step) + "-"),
          at_(at) {}

    // The order department writes down how to work with the customer (about a third of orders).
    void customerNote(long long counterparty, long long project, sdk::Id author, const std::string& language) {
        if (!rng_.percent(35)) return;
        static const std::vector<std::string> pl = {
            "Klient prosi o kontakt po 17:00; faktura na firmę, NIP w umowie.",
            "Pani Zofia woli SMS niż telefon. Zaliczka przelewem, nie gotówką.",
            "Dojazd od ul. Żeglarskiej, brama na pilota — dzwonić 15 min wcześniej.",
            "Klient porównuje z ofertą konkurencji; zależy mu na terminie przed świętami."};
        static const std::vector<std::string> ru = {
            "Клиент просит звонить после 17:00; счёт выставлять на юрлицо.",
            "Предпочитает переписку по почте, звонки только в экстренных случаях.",
            "Въезд со двора, шлагбаум — предупредить охрану за день.",
            "Важен срок: монтаж до начала отопительного сезона."};
        static const std::vector<std::string> en = {
            "Customer asks to be called after 5 pm; invoice to the company.",
            "Prefers e-mail to phone calls; pays the prepayment by bank transfer.",
            "Access from the back yard; call 15 minutes before arrival."};
        const auto& texts = language == "ru" ? ru : language == "en" ? en : pl;
        add("crm.note.customer", author,
            {{"counterparty", std::to_string(counterparty)}, {"project", std::to_string(project)},
             {"text", rng_.pick(texts)}},
            {});
    }

    // After a measurement visit the measurer records installation specifics with the sheet (PDF).
    void measurementNote(long long project, const std::string& code, sdk::Id author, const std::string& language,
                         sdk::Date day) {
        if (!rng_.percent(70)) return;
        const int windows = static_cast<int>(rng_.between(1, 6));
        std::vector<SheetOpening> openings;
        for (int i = 0; i < windows; ++i)
            openings.push_back({static_cast<int>(rng_.between(60, 240)) * 10, static_cast<int>(rng_.between(60, 220)) * 10,
                                rng_.percent(20) ? "balcony door" : "window"});
        const auto& first = openings.front();
        const std::string size = std::to_string(first.widthMm) + "×" + std::to_string(first.heightMm) + " mm";
        std::string text =
            language == "ru"   ? "Замер выполнен: проёмов " + std::to_string(windows) + ", первый " + size +
                                   ". Подоконники заменить, откосы штукатурить; подъём на 4 этаж без лифта."
            : language == "en" ? "Measured " + std::to_string(windows) + " openings, first " + size +
                                     ". Sills to be replaced; 4th floor, no lift."
                               : "Pomiar wykonany: otworów " + std::to_string(windows) + ", pierwszy " + size +
                                     ". Parapety do wymiany, ościeża do tynkowania; 4. piętro bez windy.";
        add("crm.note.measurement", author, {{"project", std::to_string(project)}, {"text", std::move(text)}},
            {{"pomiar-" + code + ".pdf", measurementSheetPdf(code, isoDate(day), openings)}});
    }

    // ---- the CRM's catalogue ------------------------------------------------------------------

    // The first morning: sales registers the partner network the firm sells through (dealers and
    // installer firms, which the host does not keep), their installers and their certificates.
    void partnerNetwork(sdk::Date today) {
        struct Firm {
            const char* name;
            const char* roles;
            const char* city;
            const char* phone;
        };
        static const Firm firms[] = {
            {"Salon Okien Lux Sp. z o.o.", "partner", "Kraków", "+48 12 411 20 30"},
            {"Okna-Serwis Wiśniewski", "partner,installer", "Łódź", "+48 42 630 11 22"},
            {"Montaż Plus s.c.", "installer", "Warszawa", "+48 22 810 44 55"},
            {"ООО «Оконный Мир»", "partner", "Москва", "+7 495 212-33-44"},
            {"ИП Кузнецов А. В.", "installer", "Санкт-Петербург", "+7 812 300-10-20"},
            {"Hurtownia Budmat S.A.", "supplier", "Poznań", "+48 61 850 00 10"},
            {"Okna Konkurent Sp. z o.o.", "competitor", "Wrocław", "+48 71 330 20 10"},
        };
        for (std::size_t i = 0; i < std::size(firms); ++i) {
            const auto& f = firms[i];
            const bool russian = std::string_view(f.phone).rfind("+7", 0) == 0;
            std::map<std::string, std::string> fields{{"name", f.name}, {"roles", f.roles}, {"city", f.city},
                                                      {"phone", f.phone}, {"language", russian ? "ru" : "pl"},
                                                      {"category", rng_.percent(50) ? "A" : "B"}, {"source", "targi"}};
            if (russian) fields["country"] = "RU";
            else fields["nip"] = validNip();
            add("crm.catalogue.company", 12, fields, {}, firmKey(i));
        }
        // Dealers sell our windows; the installer firms install for the dealers.
        relation(firmKey(0), "dealer_of", firmKey(5), today);
        relation(firmKey(3), "dealer_of", firmKey(5), today);
        relation(firmKey(2), "installer_for", firmKey(0), today);
        relation(firmKey(4), "installer_for", firmKey(3), today);
        struct Installer {
            const char* given;
            const char* family;
            const char* gender;
            std::size_t firm;
        };
        static const Installer installers[] = {{"Marek", "Zieliński", "male", 1},   {"Tomasz", "Wójcik", "male", 2},
                                               {"Paweł", "Kamiński", "male", 2},    {"Agnieszka", "Lewandowska", "female", 1},
                                               {"Сергей", "Кузнецов", "male", 4},   {"Дмитрий", "Волков", "male", 4}};
        for (std::size_t i = 0; i < std::size(installers); ++i) {
            const auto& who = installers[i];
            const bool russian = who.firm == 4;
            add("crm.catalogue.person", 12,
                {{"given_name", who.given}, {"family_name", who.family}, {"gender", who.gender},
                 {"language", russian ? "ru" : "pl"}, {"company_request", firmKey(who.firm)},
                 {"job", russian ? "Монтажник" : "Monter"}, {"level", "staff"}, {"influence", "1"}},
                {}, installerKey(i));
            // Certificates run two years; a few end within the first weeks, so the renewals show.
            const auto issued = today - days(rng_.between(30, 700));
            const auto until = i % 3 == 0 ? today + days(rng_.between(10, 50)) : issued + days(730);
            add("crm.catalogue.certify", 12,
                {{"party_request", installerKey(i)}, {"programme", russian ? "Монтаж по ГОСТ 30971" : "Montaż okien PVC"},
                 {"level", i % 2 ? "advanced" : "basic"}, {"issued", isoDate(issued)}, {"valid_until", isoDate(until)},
                 {"issuer", "Conduit Academy"}},
                {});
        }
        add("crm.catalogue.certify", 12,
            {{"party_request", firmKey(1)}, {"programme", "Autoryzowany partner"}, {"level", "gold"},
             {"issued", isoDate(today - days(200))}, {"valid_until", isoDate(today + days(165))}, {"issuer", "Conduit"}},
            {});
    }

    // After the trade fair the sales head imports the business cards scanned at the stand: a
    // vCard file with people of partner firms already in the catalogue (placed there), new
    // prospects, one card twice and one phone number mistyped.
    void fairContacts() {
        std::string cards;
        const auto card = [&cards](const std::string& given, const std::string& family, const std::string& org,
                                   const std::string& title, const std::string& email, const std::string& phone) {
            cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:" + family + ";" + given + ";;;\r\nFN:" + given + " " + family +
                     "\r\nORG:" + org + "\r\nTITLE:" + title + "\r\nEMAIL;TYPE=INTERNET,WORK:" + email +
                     "\r\nTEL;TYPE=WORK,VOICE:" + phone + "\r\nCATEGORIES:Targi Budma 2026\r\nEND:VCARD\r\n";
        };
        card("Beata", "Wiśniewska", "Okna-Serwis Wiśniewski", "Współwłaścicielka", "beata@okna-serwis.example.pl", "+48 42 630 11 23");
        card("Grzegorz", "Lis", "Salon Okien Lux Sp. z o.o.", "Doradca klienta", "g.lis@salon-lux.example.pl", "+48 12 411 20 31");
        card("Michał", "Sobczak", "Sobczak Budownictwo", "Kierownik budowy", "m.sobczak@sobczak-bud.example.pl", "+48 601 200 300");
        card("Elżbieta", "Kaczmarek", "Dom i Ogród Kaczmarek", "Właścicielka", "ela@dom-ogrod.example.pl", "12 34");
        card("Андрей", "Белов", "ООО «Оконный Мир»", "Коммерческий директор", "belov@okonny-mir.example.ru", "+7 495 212-33-45");
        card("Michał", "Sobczak", "Sobczak Budownictwo", "Kierownik budowy", "m.sobczak@sobczak-bud.example.pl", "+48 601 200 300");
        add("crm.catalogue.import", kSalesUsers[0], {{"tags", "targi-2026"}}, {{"targi-budma-2026.vcf", cards}},
            "sim-" + std::to_string(seed_) + "-fair-import");
    }

    // Each month's first working day the management takes the catalogue to Excel for its review.
    void catalogueExport(const std::filesystem::path& folder, int day) {
        std::filesystem::create_directories(folder);
        const auto file = folder / ("katalog-dzien-" + std::to_string(day) + ".xlsx");
        add("crm.catalogue.export", kManagerUsers[2], {{"format", "xlsx"}, {"what", "catalogue"}, {"out", file.string()}}, {});
    }

    // After an order the salesperson records the people met at a company customer: the buyer's
    // colleague, their place and their influence on the decision.
    void customerPeople(long long counterparty, bool company, const std::string& language, sdk::Id author) {
        if (!company || !rng_.percent(45)) return;
        static const std::vector<std::array<const char*, 3>> pl = {
            {"Katarzyna", "Mazur", "female"}, {"Piotr", "Krawczyk", "male"}, {"Joanna", "Dąbrowska", "female"},
            {"Krzysztof", "Nowicki", "male"}, {"Ewa", "Pawlak", "female"}};
        static const std::vector<std::array<const char*, 3>> ru = {
            {"Ольга", "Смирнова", "female"}, {"Алексей", "Попов", "male"}, {"Наталья", "Морозова", "female"},
            {"Игорь", "Соколов", "male"}};
        static const std::vector<std::array<const char*, 4>> jobs = {{"Kierownik budowy", "Главный инженер", "specialists", "influencer"},
                                                                     {"Prezes zarządu", "Генеральный директор", "board", "decision_maker"},
                                                                     {"Specjalista ds. zakupów", "Менеджер по закупкам", "specialists", "user"},
                                                                     {"Dyrektor techniczny", "Технический директор", "management", "approver"}};
        const bool russian = language == "ru";
        const auto& who = rng_.pick(russian ? ru : pl);
        const auto& job = rng_.pick(jobs);
        std::map<std::string, std::string> fields{{"given_name", who[0]}, {"family_name", who[1]}, {"gender", who[2]},
                                                  {"language", russian ? "ru" : "pl"}, {"company_host", std::to_string(counterparty)},
                                                  {"job", russian ? job[1] : job[0]}, {"level", job[2]}, {"decision", job[3]},
                                                  {"influence", std::to_string(rng_.between(-2, 5))}};
        if (rng_.percent(60))
            fields["birthday"] = std::to_string(rng_.between(1960, 1998)) + "-" + twoDigits(rng_.between(1, 12)) + "-" +
                                 twoDigits(rng_.between(1, 28));
        if (rng_.percent(50)) fields["phone"] = russian ? "+7 9" + digitsOf(2) + " " + digitsOf(3) + "-" + digitsOf(2) + "-" + digitsOf(2)
                                                        : "+48 6" + digitsOf(2) + " " + digitsOf(3) + " " + digitsOf(3);
        add("crm.catalogue.person", author, fields, {});
    }

    // Now and then a salesperson types a customer in again from a business card: the same e-mail,
    // another spelling. The catalogue's sweep finds the pair; a colleague merges it later.
    void retypedCustomer(long long project, const std::string& name, const std::string& email, sdk::Id author) {
        if (project % 7 != 0 || email.empty()) return;
        add("crm.catalogue.company", author, {{"name", name + " (wizytówka)"}, {"email", email}, {"roles", "customer"}}, {},
            duplicateKey(project));
    }

    void mergeRetyped(long long counterparty, bool company, long long project, sdk::Id author) {
        if (project % 14 != 0 || !company) return;
        add("crm.catalogue.merge", author, {{"survivor_host", std::to_string(counterparty)}, {"absorbed_request", duplicateKey(project)}},
            {});
    }

    // The night's duplicate check, run with the first step of a day.
    void sweep() { add("crm.catalogue.sweep", 0, {}, {}); }

    // ---- each person's mail -------------------------------------------------------------------

    // The first morning: a bookkeeper takes colleagues' notes in the digest, a planner wants no
    // warehouse mail at all.
    void mailChoices() {
        add("crm.mail.delivery", kFinanceUsers[0], {{"family", "notes"}, {"delivery", "digest"}}, {});
        add("crm.mail.delivery", kPlannerUsers[0], {{"family", "warehouse"}, {"delivery", "never"}}, {});
    }

    // The sales head keeps an eye on every fifth order from its start and lets go once it is paid.
    void followOrder(long long project, bool following) {
        if (project % 5 != 0) return;
        add("crm.mail.follow", kSalesUsers[0], {{"project", std::to_string(project)}, {"following", following ? "yes" : "no"}}, {});
    }

    std::vector<sdk::ActionRequest> requests;

private:
    std::string firmKey(std::size_t i) const { return "sim-" + std::to_string(seed_) + "-firm-" + std::to_string(i); }
    std::string installerKey(std::size_t i) const { return "sim-" + std::to_string(seed_) + "-installer-" + std::to_string(i); }
    std::string duplicateKey(long long project) const { return "sim-" + std::to_string(seed_) + "-retyped-" + std::to_string(project); }
    void relation(const std::string& from, const char* kind, const std::string& to, sdk::Date since) {
        add("crm.catalogue.relation", 12, {{"from_request", from}, {"kind", kind}, {"to_request", to}, {"since", isoDate(since)}}, {});
    }
    std::string digitsOf(int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += char('0' + rng_.between(0, 9));
        return out;
    }
    static std::string twoDigits(long long v) { return (v < 10 ? "0" : "") + std::to_string(v); }
    // A NIP whose check digit is right (weights 6 5 7 2 3 4 5 6 7, mod 11; 10 is no NIP).
    std::string validNip() {
        static constexpr int kWeights[] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
        for (;;) {
            std::string nip = std::to_string(rng_.between(1, 9)) + digitsOf(8);
            int sum = 0;
            for (int i = 0; i < 9; ++i) sum += (nip[i] - '0') * kWeights[i];
            if (sum % 11 != 10) return nip + char('0' + sum % 11);
        }
    }

    void add(std::string action, sdk::Id author, std::map<std::string, std::string> fields,
             std::vector<sdk::ActionFile> files, std::string requestId = {}) {
        fields["at"] = std::to_string(duration_cast<seconds>(at_.time_since_epoch()).count());
        if (requestId.empty()) requestId = prefix_ + std::to_string(requests.size());
        requests.push_back({std::move(action), author, std::move(requestId), std::move(fields), std::move(files)});
    }

    std::uint64_t seed_;
    SimRandom rng_;
    std::string prefix_;
    sdk::TimePoint at_;
};

// One simulator step: what the company does at one moment of a working day, through the modules.
class Step {
public:
    Step(ReferenceSuite& suite, HostTransaction& tx, SimRandom& rng, sdk::Date today, sdk::TimePoint at,
         UserEntries& entries)
        : suite_(suite), tx_(tx), sql_(tx.sql()), rng_(rng), today_(today), at_(at), entries_(entries) {}

    // Plays one action: a weighted random choice; when it has nothing to act on, the work in
    // progress furthest down the pipeline moves on instead, and an enquiry (always possible) last.
    std::string play() {
        struct Action {
            const char* name;
            int weight;
            bool (Step::*run)();
        };
        static constexpr Action kActions[] = {
            {"enquiry", 8, &Step::enquiry},
            {"measurement", 10, &Step::measurement},
            {"order", 9, &Step::order},
            {"prepayment", 9, &Step::prepayment},
            {"materials", 8, &Step::materials},
            {"launch_production", 8, &Step::launchProduction},
            {"production_start", 7, &Step::productionStart},
            {"production_finish", 8, &Step::productionFinish},
            {"installation_plan", 8, &Step::installationPlan},
            {"installation", 8, &Step::installation},
            {"final_payment", 9, &Step::finalPayment},
            {"reschedule", 4, &Step::reschedule},  // only when rolled, never as a fallback
        };
        constexpr std::size_t n = std::size(kActions);
        int total = 0;
        for (const auto& a : kActions) total += a.weight;
        int roll = static_cast<int>(rng_.between(0, total - 1));
        std::size_t chosen = 0;
        while (roll >= kActions[chosen].weight) roll -= kActions[chosen++].weight;
        if ((this->*kActions[chosen].run)()) return kActions[chosen].name;
        for (std::size_t i = n - 1; i-- > 0;) {  // from final payment back to the enquiry
            if (i == chosen) continue;
            if ((this->*kActions[i].run)()) return kActions[i].name;
        }
        return "idle";  // unreachable: an enquiry always plays
    }

private:
    Actor by(sdk::Id user) const { return Actor{user, at_}; }
    template <std::size_t N>
    Actor byOneOf(const sdk::Id (&users)[N]) { return by(rng_.pick(users)); }
    sdk::Date inDays(int n) const { return today_ + days{n}; }

    // Up to 20 oldest candidates of a query; one of them at random (0 when none).
    long long pickId(std::vector<long long>& candidates) {
        if (candidates.empty()) return 0;
        return candidates[rng_.index(candidates.size())];
    }
    long long projectInStatus(const char* status) {
        std::string s = status;
        std::vector<long long> c(20);
        sql_ << "SELECT ID FROM HOST_PROJECTS WHERE STATUS = :s ORDER BY ID ROWS 20", soci::use(s), soci::into(c);
        return pickId(c);
    }
    void setStatus(long long projectId, const char* status) {
        std::string s = status;
        std::tm day = toTm(today_);
        sql_ << "UPDATE HOST_PROJECTS SET STATUS = :s, STATUS_DATE = :d WHERE ID = :id", soci::use(s), soci::use(day),
            soci::use(projectId);
    }
    bool hasStage(long long projectId, const char* stage) {
        std::string s = stage;
        int n = 0;
        sql_ << "SELECT COUNT(*) FROM HOST_STAGES WHERE PROJECT_ID = :p AND STAGE = :s", soci::use(projectId),
            soci::use(s), soci::into(n);
        return n > 0;
    }
    long long orderOf(long long projectId) {
        long long order = 0;
        sql_ << "SELECT COALESCE(MAX(ID), 0) FROM HOST_ORDERS WHERE PROJECT_ID = :p", soci::use(projectId),
            soci::into(order);
        return order;
    }
    struct ProjectFacts {
        long long counterparty = 0, manager = 0, measurer = 0, value = 0;
        std::string currency, language;
    };
    ProjectFacts facts(long long projectId) {
        ProjectFacts f;
        sql_ << "SELECT P.COUNTERPARTY_ID, P.MANAGER_ID, P.MEASURER_ID, P.VALUE_MINOR, P.CURRENCY, C.LANG "
                "FROM HOST_PROJECTS P JOIN HOST_COUNTERPARTIES C ON C.ID = P.COUNTERPARTY_ID WHERE P.ID = :id",
            soci::use(projectId), soci::into(f.counterparty), soci::into(f.manager), soci::into(f.measurer),
            soci::into(f.value), soci::into(f.currency), soci::into(f.language);
        return f;
    }
    std::string projectCode(long long projectId) {
        std::string code;
        sql_ << "SELECT CODE FROM HOST_PROJECTS WHERE ID = :id", soci::use(projectId), soci::into(code);
        return code;
    }
    std::string materialsList() {
        std::string out;
        const int lines = static_cast<int>(rng_.between(2, 3));
        std::size_t i = rng_.index(std::size(kMaterials));
        for (int k = 0; k < lines; ++k, i = (i + 3) % std::size(kMaterials)) {
            if (!out.empty()) out += "; ";
            out += std::string(kMaterials[i]) + " — " + std::to_string(rng_.between(2, 60)) + " " + kMaterialUnits[i];
        }
        return out;
    }

    // ---- actions ------------------------------------------------------------------------------
    bool enquiry() {
        long long counterparty = 0;
        if (rng_.percent(25)) {  // a new customer
            counterparty = nextId(sql_, HostTable::Counterparties);
            insertCounterparty(sql_, counterparty, makeCounterparty(rng_, counterparty));
            suite_.directoryChanges().recordCounterparty(tx_, sdk::DirectoryChangeKind::Added, counterparty, by(kSalesUsers[0]));
        } else {
            long long maxId = 0;
            sql_ << "SELECT COALESCE(MAX(ID), 0) FROM HOST_COUNTERPARTIES", soci::into(maxId);
            counterparty = rng_.between(1, maxId);
        }
        std::string language, address;
        sql_ << "SELECT LANG, ADDRESS FROM HOST_COUNTERPARTIES WHERE ID = :id", soci::use(counterparty),
            soci::into(language), soci::into(address);
        long long id = nextId(sql_, HostTable::Projects);
        char code[32];
        std::snprintf(code, sizeof code, "P-%d-%04lld", int(year_month_day{today_}.year()), id);
        std::string codeText = code;
        std::string name = language == "ru"   ? rng_.pick(kProductsRu)
                           : language == "en" ? rng_.pick(kProductsEn)
                                              : rng_.pick(kProductsPl);
        name += " — " + address;
        long long manager = rng_.pick(kManagerUsers), measurer = rng_.pick(kMeasurerUsers);
        long long value = rng_.between(30, 600) * 10000;  // 3,000.00 .. 60,000.00
        std::string status = "enquiry", currency = language == "ru" ? "EUR" : "PLN";
        std::tm created = toTm(at_), statusDate = toTm(today_);
        sql_ << "INSERT INTO HOST_PROJECTS (ID, CODE, NAME, COUNTERPARTY_ID, MANAGER_ID, MEASURER_ID, STATUS, ADDRESS, "
                "VALUE_MINOR, CURRENCY, CREATED_AT, STATUS_DATE) "
                "VALUES (:id, :code, :name, :c, :m, :me, :s, :a, :v, :cur, :at, :sd)",
            soci::use(id), soci::use(codeText), soci::use(name), soci::use(counterparty), soci::use(manager),
            soci::use(measurer), soci::use(status), soci::use(address), soci::use(value), soci::use(currency),
            soci::use(created), soci::use(statusDate);
        if (auto* scheduling = suite_.scheduling()) {
            const sdk::Date visit = inDays(static_cast<int>(rng_.between(1, 5)));
            scheduling->planStage(tx_, id, "measurement", visit, visit, byOneOf(kSalesUsers));
        }
        return true;
    }

    bool measurement() {
        std::tm day = toTm(today_);
        std::vector<long long> c(20);
        sql_ << "SELECT P.ID FROM HOST_PROJECTS P LEFT JOIN HOST_STAGES S ON S.PROJECT_ID = P.ID "
                "AND S.STAGE = 'measurement' WHERE P.STATUS = 'enquiry' AND "
                "(S.PLANNED_START IS NULL OR S.PLANNED_START <= :today) ORDER BY P.ID ROWS 20",
            soci::use(day), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        const auto f = facts(project);
        auto* scheduling = suite_.scheduling();
        if (scheduling && hasStage(project, "measurement")) {
            scheduling->startStage(tx_, project, "measurement", by(f.measurer));
            scheduling->finishStage(tx_, project, "measurement", by(f.measurer));
        }
        setStatus(project, "measured");
        entries_.measurementNote(project, projectCode(project), f.measurer, f.language, today_);
        return true;
    }

    bool order() {
        auto* orders = suite_.orders();
        if (!orders) return false;
        const long long project = projectInStatus("measured");
        if (!project) return false;
        const auto f = facts(project);
        const sdk::Money total{f.value, f.currency};
        const auto orderId = orders->createOrder(tx_, project, total, by(f.manager));
        const sdk::Money prepayment{f.value * 3 / 10 / 100 * 100, f.currency};  // 30%, whole units
        orders->requirePrepayment(tx_, orderId, prepayment, inDays(7), by(f.manager));
        setStatus(project, "awaiting_prepayment");
        entries_.customerNote(f.counterparty, project, f.manager, f.language);
        entries_.followOrder(project, true);
        std::string kind, name, email;
        sql_ << "SELECT KIND, NAME, CONTACT_EMAIL FROM HOST_COUNTERPARTIES WHERE ID = :id", soci::use(f.counterparty),
            soci::into(kind), soci::into(name), soci::into(email);
        entries_.customerPeople(f.counterparty, kind == "company", f.language, f.manager);
        if (kind == "company") entries_.retypedCustomer(project, name, email, f.manager);
        return true;
    }

    bool prepayment() {
        auto* payments = suite_.payments();
        if (!payments) return false;
        // Prompt payers pay any time; late payers only after the due date has passed by a few
        // days; those who never pay stay "awaiting_prepayment" (the CRM's overdue alarms).
        std::tm lateLine = toTm(inDays(-3));
        std::vector<long long> c(20);
        sql_ << "SELECT P.ID FROM HOST_PROJECTS P JOIN HOST_COUNTERPARTIES C ON C.ID = P.COUNTERPARTY_ID "
                "JOIN HOST_ORDERS O ON O.PROJECT_ID = P.ID WHERE P.STATUS = 'awaiting_prepayment' AND "
                "(C.PAYMENT_HABIT = 'prompt' OR (C.PAYMENT_HABIT = 'late' AND O.PREPAYMENT_DUE <= :late)) "
                "ORDER BY P.ID ROWS 20",
            soci::use(lateLine), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        const auto f = facts(project);
        long long amount = 0;
        const long long order = orderOf(project);
        sql_ << "SELECT PREPAYMENT_MINOR FROM HOST_ORDERS WHERE ID = :id", soci::use(order), soci::into(amount);
        payments->registerPayment(tx_, f.counterparty, project, sdk::Money{amount, f.currency},
                                  sdk::PaymentKind::Prepayment, "", byOneOf(kFinanceUsers));
        setStatus(project, "prepaid");
        return true;
    }

    bool materials() {
        auto* orders = suite_.orders();
        auto* warehouses = suite_.multiWarehouse();
        if (!orders || !warehouses) return false;
        const long long project = projectInStatus("prepaid");
        if (!project) return false;
        const auto who = byOneOf(kOrdersUsers);
        const std::string list = materialsList();
        const sdk::Id warehouse = rng_.pick(kMaterialsWarehouses);
        orders->reserveMaterials(tx_, orderOf(project), list, who);
        warehouses->reserveMaterials(tx_, project, warehouse, list, who);
        warehouses->postInvoice(tx_, project, warehouse, "invoice", who);
        setStatus(project, "materials_reserved");
        return true;
    }

    bool launchProduction() {
        auto* orders = suite_.orders();
        if (!orders) return false;
        const long long project = projectInStatus("materials_reserved");
        if (!project) return false;
        const auto who = byOneOf(kPlannerUsers);
        const sdk::Date finish = inDays(static_cast<int>(rng_.between(5, 15)));
        orders->launchProduction(tx_, orderOf(project), finish, who);
        if (auto* scheduling = suite_.scheduling()) scheduling->planStage(tx_, project, "production", inDays(1), finish, who);
        setStatus(project, "in_production");
        return true;
    }

    bool productionStart() {
        auto* scheduling = suite_.scheduling();
        if (!scheduling) return false;
        std::tm day = toTm(today_);
        std::vector<long long> c(20);
        sql_ << "SELECT S.PROJECT_ID FROM HOST_STAGES S JOIN HOST_PROJECTS P ON P.ID = S.PROJECT_ID "
                "WHERE S.STAGE = 'production' AND S.STATUS = 'planned' AND S.PLANNED_START <= :today "
                "AND P.STATUS = 'in_production' ORDER BY S.PROJECT_ID ROWS 20",
            soci::use(day), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        scheduling->startStage(tx_, project, "production", byOneOf(kPlannerUsers));
        return true;
    }

    bool productionFinish() {
        auto* scheduling = suite_.scheduling();
        if (!scheduling) return false;
        std::tm soon = toTm(inDays(2));
        std::vector<long long> c(20);
        sql_ << "SELECT S.PROJECT_ID FROM HOST_STAGES S JOIN HOST_PROJECTS P ON P.ID = S.PROJECT_ID "
                "WHERE S.STAGE = 'production' AND S.STATUS = 'started' AND S.PLANNED_FINISH <= :soon "
                "AND P.STATUS = 'in_production' ORDER BY S.PROJECT_ID ROWS 20",
            soci::use(soon), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        const auto who = byOneOf(kPlannerUsers);
        scheduling->finishStage(tx_, project, "production", who);
        if (auto* fg = suite_.fgWarehouse()) {
            const auto f = facts(project);
            std::string product;
            sql_ << "SELECT NAME FROM HOST_PROJECTS WHERE ID = :id", soci::use(project), soci::into(product);
            const auto cut = product.find(" — ");
            const int quantity = static_cast<int>(rng_.between(1, 14));
            const char* unit = f.language == "ru" ? " шт." : f.language == "en" ? " pcs" : " szt.";
            fg->receiveItems(tx_, project, kFinishedGoodsWarehouse,
                             product.substr(0, cut) + " — " + std::to_string(quantity) + unit, quantity, who);
        }
        setStatus(project, "produced");
        return true;
    }

    bool installationPlan() {
        auto* scheduling = suite_.scheduling();
        if (!scheduling) return false;
        const long long project = projectInStatus("produced");
        if (!project) return false;
        const auto who = byOneOf(kPlannerUsers);
        const sdk::Id crew = rng_.between(1, kCrewCount);
        const sdk::Date date = inDays(static_cast<int>(rng_.between(2, 8)));
        scheduling->assignCrew(tx_, project, crew, "installation", date, who);
        scheduling->planInstallation(tx_, project, crew, date, who);
        scheduling->planStage(tx_, project, "installation", date, date, who);
        if (auto* warehouses = suite_.multiWarehouse())
            warehouses->postInvoice(tx_, project, kFinishedGoodsWarehouse, "waybill", byOneOf(kOrdersUsers));
        setStatus(project, "installation_planned");
        return true;
    }

    bool reschedule() {
        auto* scheduling = suite_.scheduling();
        if (!scheduling) return false;
        std::tm day = toTm(today_);
        std::vector<long long> projects(20);
        std::vector<std::string> stages(20);
        sql_ << "SELECT PROJECT_ID, STAGE FROM HOST_STAGES WHERE STATUS = 'planned' AND PLANNED_START > :today "
                "ORDER BY PROJECT_ID, STAGE ROWS 20",
            soci::use(day), soci::into(projects), soci::into(stages);
        if (projects.empty()) return false;
        const std::size_t i = rng_.index(projects.size());
        const long long project = projects[i];
        const std::string stage = stages[i];
        std::tm start{}, finish{};
        sql_ << "SELECT PLANNED_START, PLANNED_FINISH FROM HOST_STAGES WHERE PROJECT_ID = :p AND STAGE = :s",
            soci::use(project), soci::use(stage), soci::into(start), soci::into(finish);
        const days shift{rng_.between(1, 6)};
        const auto who = byOneOf(kPlannerUsers);
        scheduling->rescheduleStage(tx_, project, stage, dateFromTm(start) + shift, dateFromTm(finish) + shift, who);
        if (stage == "installation") {
            long long crew = 0;
            soci::indicator ind = soci::i_null;
            sql_ << "SELECT CREW_ID FROM HOST_INSTALLATIONS WHERE PROJECT_ID = :p", soci::use(project),
                soci::into(crew, ind);
            if (ind == soci::i_ok) scheduling->planInstallation(tx_, project, crew, dateFromTm(start) + shift, who);
        }
        return true;
    }

    bool installation() {
        auto* scheduling = suite_.scheduling();
        if (!scheduling) return false;
        std::tm day = toTm(today_);
        std::vector<long long> c(20);
        sql_ << "SELECT S.PROJECT_ID FROM HOST_STAGES S JOIN HOST_PROJECTS P ON P.ID = S.PROJECT_ID "
                "WHERE S.STAGE = 'installation' AND S.STATUS = 'planned' AND S.PLANNED_START <= :today "
                "AND P.STATUS = 'installation_planned' ORDER BY S.PROJECT_ID ROWS 20",
            soci::use(day), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        const auto who = byOneOf(kPlannerUsers);
        scheduling->startStage(tx_, project, "installation", who);
        scheduling->finishStage(tx_, project, "installation", who);
        setStatus(project, "installed");
        return true;
    }

    bool finalPayment() {
        auto* payments = suite_.payments();
        if (!payments) return false;
        std::tm lateLine = toTm(inDays(-10));
        std::vector<long long> c(20);
        sql_ << "SELECT P.ID FROM HOST_PROJECTS P JOIN HOST_COUNTERPARTIES C ON C.ID = P.COUNTERPARTY_ID "
                "WHERE P.STATUS = 'installed' AND "
                "(C.PAYMENT_HABIT = 'prompt' OR (C.PAYMENT_HABIT = 'late' AND P.STATUS_DATE <= :late)) "
                "ORDER BY P.ID ROWS 20",
            soci::use(lateLine), soci::into(c);
        const long long project = pickId(c);
        if (!project) return false;
        const auto f = facts(project);
        long long total = 0, prepaid = 0;
        const long long order = orderOf(project);
        sql_ << "SELECT AMOUNT_MINOR, PREPAYMENT_MINOR FROM HOST_ORDERS WHERE ID = :id", soci::use(order),
            soci::into(total), soci::into(prepaid);
        payments->registerPayment(tx_, f.counterparty, project, sdk::Money{total - prepaid, f.currency},
                                  sdk::PaymentKind::Final, "", byOneOf(kFinanceUsers));
        setStatus(project, "closed");
        std::string kind;
        sql_ << "SELECT KIND FROM HOST_COUNTERPARTIES WHERE ID = :id", soci::use(f.counterparty), soci::into(kind);
        entries_.mergeRetyped(f.counterparty, kind == "company", project, 12);
        entries_.followOrder(project, false);
        customerChanges(f.counterparty, project);
        return true;
    }

    // Now and then a customer paid up moves, or its firm takes a new legal form: the directory's
    // change log and signal carry it to plugins that keep their own copy.
    void customerChanges(long long counterparty, long long project) {
        std::string kind, name, language;
        sql_ << "SELECT KIND, NAME, LANG FROM HOST_COUNTERPARTIES WHERE ID = :id", soci::use(counterparty), soci::into(kind),
            soci::into(name), soci::into(language);
        if (project % 9 == 0) {
            static const char* pl[] = {"Gdańsk", "Poznań", "Wrocław", "Kraków"};
            static const char* ru[] = {"Казань", "Тверь", "Калуга", "Самара"};
            const auto i = static_cast<std::size_t>(project / 9 % 4);
            const bool russian = language == "ru";
            moveCounterparty(tx_, suite_.directoryChanges(), counterparty, russian ? ru[i] : pl[i],
                             russian ? "ул. Новая, д. " + std::to_string(project % 90 + 1) : "ul. Nowa " + std::to_string(project % 90 + 1),
                             by(kOrdersUsers[0]));
        }
        if (project % 13 == 0 && kind == "company") renameCounterparty(tx_, suite_.directoryChanges(), counterparty, newLegalForm(name), by(kOrdersUsers[0]));
    }
    static std::string newLegalForm(const std::string& name) {
        for (const auto& [from, to] : {std::pair<std::string, std::string>{"Sp. z o.o.", "S.A."}, {"ООО", "АО"}, {"s.c.", "Sp. j."}})
            if (const auto at = name.find(from); at != std::string::npos) return name.substr(0, at) + to + name.substr(at + from.size());
        return name + " Group";
    }

    ReferenceSuite& suite_;
    HostTransaction& tx_;
    soci::session& sql_;
    SimRandom& rng_;
    sdk::Date today_;
    sdk::TimePoint at_;
    UserEntries& entries_;
};

}  // namespace

Simulator::Simulator(ReferenceSuite& suite, std::uint64_t seed) : suite_(suite), seed_(seed) {}

sdk::Date Simulator::dateOfDay(int day) {
    const int n = day - 1;
    return kDayOne + days{(n / 5) * 7 + n % 5};
}

int Simulator::stepsInDay(int day) const {
    auto rng = SimRandom::forStep(seed_ ^ 0x5EED0000DA7ull, static_cast<std::uint64_t>(day));
    return static_cast<int>(rng.between(20, 60));
}

sdk::TimePoint Simulator::now() const {
    if (const auto s = nowSeconds_.load()) return sdk::TimePoint{std::chrono::seconds{s}};
    const auto st = suite_.database().read([](soci::session& sql) { return readState(sql); });
    return sdk::TimePoint{dateOfDay(st.dayDone + 1)} + minutes{kWorkdayStartMinutes};
}

SimulationProgress Simulator::progress() const {
    const auto st = suite_.database().read([](soci::session& sql) { return readState(sql); });
    return SimulationProgress{st.dayDone, st.steps};
}

SimulationSummary Simulator::runUntilDay(int lastDay, const std::function<void(const SimulationProgress&)>& onDay,
                                         const std::atomic<bool>* stop) {
    auto& db = suite_.database();
    SimState st;
    {
        HostTransaction tx(db);
        st = readState(tx.sql());
        if (!st.exists) {
            long long seed = static_cast<long long>(seed_);
            tx.sql() << "INSERT INTO HOST_SIM_STATE (ID, SEED, DAY_DONE, STEP_IN_DAY, STEPS) VALUES (1, :s, 0, 0, 0)",
                soci::use(seed);
            tx.commit();
            st = SimState{true, seed_, 0, 0, 0};
        } else if (st.seed != seed_) {
            throw std::runtime_error("the host data in " + db.file().string() + " was simulated with seed " +
                                     std::to_string(st.seed) + ", not " + std::to_string(seed_) +
                                     ": use that seed or a fresh data folder");
        }
    }

    SimulationSummary summary;
    summary.fromDay = summary.toDay = st.dayDone;
    while (st.dayDone < lastDay && !(stop && stop->load())) {
        const int day = st.dayDone + 1;
        const int steps = stepsInDay(day);
        // Spread the steps over the working hours, each in its own slot.
        auto rng = SimRandom::forStep(seed_, static_cast<std::uint64_t>(st.steps));
        const int slot = kWorkdayMinutes / steps;
        const int minute = kWorkdayStartMinutes + st.stepInDay * slot + static_cast<int>(rng.between(0, slot - 1));
        const sdk::TimePoint at = sdk::TimePoint{dateOfDay(day)} + minutes{minute} + seconds{rng.between(0, 59)};

        SimState next = st;
        next.steps += 1;
        next.stepInDay += 1;
        if (next.stepInDay >= steps) {
            next.dayDone = day;
            next.stepInDay = 0;
        }

        HostTransaction tx(db);
        UserEntries entries(seed_, st.steps, at);
        if (st.steps == 0) entries.partnerNetwork(dateOfDay(day));
        if (st.steps == 0) entries.mailChoices();
        if (day == 2 && st.stepInDay == 0) entries.fairContacts();
        if (day % 20 == 10 && st.stepInDay == 0 && !exportFolder_.empty()) entries.catalogueExport(exportFolder_, day);
        if (st.stepInDay == 0) entries.sweep();
        const std::string action = Step(suite_, tx, rng, dateOfDay(day), at, entries).play();
        // Before the commit: if the process dies after this, the step and its entries are replayed
        // with the same request ids, and the plugin does each once.
        for (const auto& request : entries.requests) {
            if (!actions_) break;
            const auto result = actions_->invoke(request);
            if (!result) summary.entries[request.action + " (no plugin)"] += 1;
            else if (result->ok) summary.entries[request.action] += 1;
            else {
                summary.entries[request.action + " refused"] += 1;
                summary.lastRefusal = result->message;
            }
        }
        long long stepsDone = next.steps;
        tx.sql() << "UPDATE HOST_SIM_STATE SET DAY_DONE = :d, STEP_IN_DAY = :s, STEPS = :n WHERE ID = 1",
            soci::use(next.dayDone), soci::use(next.stepInDay), soci::use(stepsDone);
        tx.commit();  // the step's signals are emitted here, after the data is durable

        st = next;
        nowSeconds_ = duration_cast<seconds>(at.time_since_epoch()).count();
        summary.stepsPlayed += 1;
        summary.actions[action] += 1;
        summary.toDay = st.dayDone;
        if (st.stepInDay == 0 && onDay) onDay(SimulationProgress{st.dayDone, st.steps});
    }
    return summary;
}

}  // namespace refhost
