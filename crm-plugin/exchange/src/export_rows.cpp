#include <conduit/crm/exchange/export_rows.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <future>

namespace conduit::crm::exchange {
namespace {

using parties::ExportedParty;
using parties::ExportedPlace;
using parties::Party;

constexpr LocalizedText kHeaders[] = {
    {"ID", "ID", "ID"},
    {"Тип", "Rodzaj", "Kind"},
    {"Название", "Nazwa", "Name"},
    {"Полное название", "Pełna nazwa", "Full name"},
    {"Имя", "Imię", "Given name"},
    {"Отчество", "Patronimik", "Patronymic"},
    {"Фамилия", "Nazwisko", "Family name"},
    {"Роли", "Role", "Roles"},
    {"Налоговые номера", "Identyfikatory podatkowe", "Tax ids"},
    {"Телефоны", "Telefony", "Phones"},
    {"Эл. почта", "E-mail", "E-mail"},
    {"Улица, дом", "Ulica i numer", "Street"},
    {"Индекс", "Kod pocztowy", "Postcode"},
    {"Город", "Miejscowość", "City"},
    {"Страна", "Kraj", "Country"},
    {"Регион", "Region", "Region"},
    {"Отрасль", "Branża", "Industry"},
    {"Категория", "Kategoria", "Category"},
    {"Сайт", "Strona WWW", "Website"},
    {"Метки", "Tagi", "Tags"},
    {"Компания", "Firma", "Company"},
    {"Должность", "Stanowisko", "Job title"},
    {"Отдел", "Dział", "Department"},
    {"День рождения", "Urodziny", "Birthday"},
    {"Примечания", "Uwagi", "Notes"},
    {"Создано", "Utworzono", "Created"},
    {"Изменено", "Zmieniono", "Changed"},
};

constexpr LocalizedText kCompany{"Компания", "Firma", "Company"};
constexpr LocalizedText kPerson{"Лицо", "Osoba", "Person"};

constexpr LocalizedText kRoles[] = {
    {"клиент", "klient", "customer"},        {"потенциальный клиент", "potencjalny klient", "prospect"},
    {"партнёр", "partner", "partner"},       {"монтажник", "montażysta", "installer"},
    {"поставщик", "dostawca", "supplier"},   {"конкурент", "konkurent", "competitor"},
};

// Values of one field, one per line: a cell reads like the card's list.
template <typename Items, typename Text>
std::string lines(const Items& items, Text text) {
    std::string out;
    for (const auto& item : items) {
        const std::string value = text(item);
        if (value.empty()) continue;
        if (!out.empty()) out += '\n';
        out += value;
    }
    return out;
}

std::string upper(std::string_view code) {
    std::string out(code);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::string roleWords(parties::PartyRoles roles, const Locale& reader) {
    std::string out;
    for (auto role : parties::allPartyRoles()) {
        if ((roles & parties::roleBit(role)) == 0) continue;
        if (!out.empty()) out += ", ";
        out += reader.pick(kRoles[static_cast<int>(role)]);
    }
    return out;
}

std::string street(const parties::Address& a) {
    std::string out = a.street;
    if (!a.building.empty()) out += (out.empty() ? "" : " ") + a.building;
    if (!a.flat.empty()) out += "/" + a.flat;
    return out;
}

// A day and month without a year as the reader writes them ("14.03", en "14/03").
std::string dayMonth(unsigned day, unsigned month, const Locale& reader) {
    char text[8];
    std::snprintf(text, sizeof text, reader.language() == Language::En ? "%02u/%02u" : "%02u.%02u", day % 100, month % 100);
    return text;
}

TableCell birthday(const Party& p, const Locale& reader) {
    for (const auto& d : p.dates) {
        if (d.kind != parties::MemorableDateKind::Birthday) continue;
        if (!d.year) return dayMonth(d.day, d.month, reader);
        const std::chrono::year_month_day ymd{std::chrono::year(*d.year), std::chrono::month(d.month), std::chrono::day(d.day)};
        if (ymd.ok()) return sdk::Date(ymd);
    }
    return std::string{};
}

const parties::Address* firstAddress(const Party& p) { return p.addresses.empty() ? nullptr : &p.addresses.front(); }

std::vector<const ExportedPlace*> currentPlaces(const ExportedParty& party) {
    std::vector<const ExportedPlace*> out;
    for (const auto& place : party.places)
        if (isCurrent(place)) out.push_back(&place);
    return out;
}

// One line per current place, empty lines kept, so the company, job and department columns align.
template <typename Text>
std::string placeLines(const std::vector<const ExportedPlace*>& places, Text text) {
    std::string out;
    for (std::size_t i = 0; i < places.size(); ++i) out += (i ? "\n" : "") + text(*places[i]);
    return out.find_first_not_of('\n') == std::string::npos ? std::string{} : out;
}

// The next page is read on another thread while this one is written: reading and writing take
// about as long as each other, and at most two pages are in memory.
std::future<parties::ExportPage> readAhead(parties::Catalogue& catalogue, sdk::Id actor, parties::ExportPageRequest request) {
    return std::async(std::launch::async, [&catalogue, actor, request] { return catalogue.exportPage(actor, request); });
}

}  // namespace

bool isCurrent(const ExportedPlace& place) { return !place.employment.until.has_value(); }

bool forEachExported(parties::Catalogue& catalogue, sdk::Id actor, const std::function<void(const ExportedParty&)>& row,
                     const ExportProgressFn& progress, const ExportStreamOptions& options) {
    ExportProgress done{0, catalogue.exportCount(actor)};
    parties::ExportPageRequest request;
    request.limit = options.pageSize;
    request.withPhotos = options.withPhotos;
    auto next = readAhead(catalogue, actor, request);
    for (;;) {
        const auto page = next.get();
        if (page.next != 0) {
            request.after = page.next;
            next = readAhead(catalogue, actor, request);
        }
        for (const auto& party : page.parties) row(party);
        done.rowsDone += page.parties.size();
        done.rowsTotal = std::max(done.rowsTotal, done.rowsDone);  // parties added while exporting
        if (progress && !progress(done)) return false;
        if (page.next == 0) return true;
    }
}

std::vector<std::string> tableHeaders(const Locale& reader) {
    std::vector<std::string> out;
    for (const auto& header : kHeaders) out.emplace_back(reader.pick(header));
    return out;
}

std::vector<TableCell> tableRow(const ExportedParty& party, const Locale& reader) {
    const auto& p = party.party;
    const auto* address = firstAddress(p);
    const auto places = currentPlaces(party);
    const auto of = [address](std::string parties::Address::*field) { return address ? address->*field : std::string{}; };
    return {
        static_cast<std::int64_t>(p.id),
        std::string(reader.pick(p.kind == parties::PartyKind::Company ? kCompany : kPerson)),
        p.displayName(),
        p.fullName,
        p.givenName,
        p.patronymic,
        p.familyName,
        roleWords(p.roles, reader),
        lines(p.taxIds, [](const parties::TaxId& t) { return upper(toString(t.kind)) + " " + t.value; }),
        lines(p.phones, [](const parties::Phone& ph) { return ph.number.e164; }),
        lines(p.emails, [](const parties::Email& e) { return e.address.address; }),
        address ? street(*address) : std::string{},
        of(&parties::Address::postcode),
        of(&parties::Address::city),
        of(&parties::Address::country),
        p.region,
        p.industry,
        p.category,
        p.website,
        lines(p.tags, [](const std::string& t) { return t; }),
        placeLines(places, [](const ExportedPlace& place) { return place.companyName; }),
        placeLines(places, [](const ExportedPlace& place) { return place.employment.jobTitle; }),
        placeLines(places, [](const ExportedPlace& place) { return place.employment.department; }),
        birthday(p, reader),
        p.notes,
        p.createdAt,
        p.changedAt,
    };
}

}  // namespace conduit::crm::exchange
