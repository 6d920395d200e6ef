#include "seed_data.hpp"

#include <cctype>
#include <map>
#include <string_view>

namespace refhost {
namespace {

constexpr std::uint64_t kSeedDataSeed = 20260105;  // the seed data is the same in every database

struct Person {
    const char* first;
    const char* last;
};

// Polish and Russian surnames come in gendered pairs; the lists below keep them consistent.
constexpr Person kPolishMen[] = {{"Jan", "Kowalski"},      {"Piotr", "Wiśniewski"}, {"Krzysztof", "Wójcik"},
                                 {"Andrzej", "Kamiński"},  {"Tomasz", "Lewandowski"}, {"Paweł", "Zieliński"},
                                 {"Michał", "Szymański"},  {"Marcin", "Woźniak"},   {"Grzegorz", "Dąbrowski"},
                                 {"Łukasz", "Kozłowski"},  {"Jerzy", "Jankowski"},  {"Wojciech", "Mazur"},
                                 {"Zbigniew", "Kwiatkowski"}, {"Stanisław", "Krawczyk"}, {"Rafał", "Piotrowski"}};
constexpr Person kPolishWomen[] = {{"Anna", "Nowak"},        {"Maria", "Wójcik"},       {"Katarzyna", "Kowalczyk"},
                                   {"Małgorzata", "Kamińska"}, {"Agnieszka", "Lewandowska"}, {"Barbara", "Zielińska"},
                                   {"Ewa", "Szymańska"},     {"Elżbieta", "Dąbrowska"}, {"Zofia", "Kozłowska"},
                                   {"Joanna", "Jankowska"},  {"Magdalena", "Wojciechowska"}, {"Jadwiga", "Grabowska"},
                                   {"Dorota", "Pawłowska"},  {"Urszula", "Michalska"}, {"Bożena", "Król"}};
constexpr Person kRussianMen[] = {{"Фёдор", "Щербаков"},  {"Иван", "Петров"},     {"Сергей", "Смирнов"},
                                  {"Алексей", "Кузнецов"}, {"Дмитрий", "Попов"},   {"Андрей", "Соколов"},
                                  {"Михаил", "Лебедев"},   {"Николай", "Козлов"},  {"Юрий", "Новиков"},
                                  {"Владимир", "Морозов"}, {"Пётр", "Волков"},     {"Артём", "Жуков"}};
constexpr Person kRussianWomen[] = {{"Ольга", "Щербакова"},  {"Елена", "Петрова"},   {"Татьяна", "Смирнова"},
                                    {"Наталья", "Кузнецова"}, {"Ирина", "Попова"},   {"Светлана", "Соколова"},
                                    {"Юлия", "Лебедева"},     {"Анастасия", "Козлова"}, {"Мария", "Новикова"},
                                    {"Ксения", "Морозова"}};
constexpr Person kEnglish[] = {{"John", "Smith"},     {"Emily", "Johnson"}, {"Oliver", "Brown"}, {"Sophie", "Taylor"},
                               {"James", "Wilson"},   {"Grace", "Evans"},   {"Harry", "Clarke"}, {"Lucy", "Walker"}};

struct City {
    const char* name;
    const char* lang;
    const char* streets[4];
};
constexpr City kCities[] = {
    {"Łódź", "pl", {"ul. Piotrkowska", "ul. Zgierska", "al. Kościuszki", "ul. Żeromskiego"}},
    {"Warszawa", "pl", {"ul. Marszałkowska", "al. Jerozolimskie", "ul. Puławska", "ul. Świętokrzyska"}},
    {"Kraków", "pl", {"ul. Floriańska", "ul. Długa", "ul. Grodzka", "al. Mickiewicza"}},
    {"Gdańsk", "pl", {"ul. Długa", "ul. Grunwaldzka", "ul. Świętojańska", "ul. Ogarna"}},
    {"Wrocław", "pl", {"ul. Świdnicka", "ul. Oławska", "pl. Grunwaldzki", "ul. Legnicka"}},
    {"Poznań", "pl", {"ul. Półwiejska", "ul. Głogowska", "ul. Święty Marcin", "ul. Dąbrowskiego"}},
    {"Białystok", "pl", {"ul. Lipowa", "ul. Sienkiewicza", "ul. Żelazna", "ul. Mickiewicza"}},
    {"Москва", "ru", {"ул. Тверская", "ул. Арбат", "Ленинский проспект", "ул. Щербаковская"}},
    {"Санкт-Петербург", "ru", {"Невский проспект", "ул. Садовая", "ул. Марата", "Литейный проспект"}},
    {"Калининград", "ru", {"Ленинский проспект", "ул. Фрунзе", "ул. Горького", "ул. Пражская"}},
    {"Минск", "ru", {"пр. Независимости", "ул. Немига", "ул. Ленина", "ул. Сурганова"}},
    {"London", "en", {"Baker Street", "Oxford Street", "King's Road", "Fleet Street"}},
};

constexpr const char* kPolishCompanyStems[] = {"Okna-Bud", "Drzwi Mazowsze", "Stolarka Łódzka", "Żaluzja-Pol",
                                               "Dom i Ogród", "Budmax", "Fasady Śląskie", "Meble Gęś",
                                               "Szkło-Tech", "Przytulny Dom", "Ekobud", "Dębowy Dwór"};
constexpr const char* kPolishForms[] = {"Sp. z o.o.", "S.A.", "Sp.j.", "s.c."};
constexpr const char* kRussianCompanyStems[] = {"СтройОкно", "ДомСервис", "Северный Двор", "ОкнаПлюс",
                                                "Лесная Мебель", "ТеплоДом", "ФасадСтрой", "Щербаков и партнёры"};
constexpr const char* kRussianForms[] = {"ООО", "АО", "ИП"};
constexpr const char* kEnglishCompanyStems[] = {"Northwind Homes", "Oak & Glass", "Bright Windows", "Harbour Builders"};

constexpr const char* kPolishNotes[] = {
    "Zażółć gęślą jaźń — klient prosi o kontakt po 16:00.",
    "Preferuje płatność przelewem; faktura na firmę.",
    "Dom jednorodzinny, dojazd od ul. bocznej, brama na kod.",
    "Wymaga wniesienia na 3. piętro bez windy.",
    "Stały klient, rabat 5% na stolarkę.",
    "",
};
constexpr const char* kRussianNotes[] = {
    "Просит звонить только после 18:00.",
    "Оплата частями, договор на юрлицо.",
    "Въезд во двор со стороны улицы, шлагбаум.",
    "Постоянный клиент, скидка 5%.",
    "",
};
constexpr const char* kEnglishNotes[] = {"Prefers e-mail to phone calls.", "Invoice to the company address.", ""};

struct DepartmentSeed {
    long long id;
    const char* code;
    const char* name;
};
constexpr DepartmentSeed kDepartments[] = {
    {1, "dispatch", "Dział dyspozytorski"}, {2, "finance", "Dział finansowy"},   {3, "orders", "Dział zamówień"},
    {4, "measurement", "Dział pomiarów"},  {5, "production", "Produkcja"},      {6, "sales", "Dział sprzedaży"},
    {7, "management", "Zarząd"},           {8, "admin", "Administracja IT"},
};

struct UserSeed {
    long long id;
    const char* login;
    const char* fullName;
    long long department;
    const char* lang;
};
// User 1 is the workstation's dispatcher (ReferenceSuite::currentUser).
constexpr UserSeed kUsers[] = {
    {1, "a.nowak", "Anna Nowak", 1, "pl"},
    {2, "f.shcherbakov", "Фёдор Щербаков", 1, "ru"},
    {3, "m.kaminska", "Małgorzata Kamińska", 2, "pl"},
    {4, "j.kowalski", "Jan Kowalski", 2, "pl"},
    {5, "z.kozlowska", "Zofia Kozłowska", 3, "pl"},
    {6, "e.petrova", "Елена Петрова", 3, "ru"},
    {7, "l.wozniak", "Łukasz Woźniak", 4, "pl"},
    {8, "g.dabrowski", "Grzegorz Dąbrowski", 4, "pl"},
    {9, "i.smirnov", "Иван Смирнов", 4, "ru"},
    {10, "p.wisniewski", "Piotr Wiśniewski", 5, "pl"},
    {11, "d.popov", "Дмитрий Попов", 5, "ru"},
    {12, "k.kowalczyk", "Katarzyna Kowalczyk", 6, "pl"},
    {13, "j.smith", "John Smith", 6, "en"},
    {14, "s.krawczyk", "Stanisław Krawczyk", 7, "pl"},
    {15, "admin", "Administrator systemu", 8, "en"},
};

struct CrewSeed {
    long long id;
    const char* name;
    const char* leader;
    const char* phone;
};
constexpr CrewSeed kCrews[] = {
    {1, "Ekipa montażowa 1 — Łódź", "Rafał Piotrowski", "+48 601 100 201"},
    {2, "Ekipa montażowa 2 — Warszawa", "Marcin Woźniak", "+48 601 100 202"},
    {3, "Ekipa montażowa 3 — Kraków", "Wojciech Mazur", "+48 601 100 203"},
    {4, "Бригада 4 — Калининград", "Пётр Волков", "+7 911 100 20 04"},
    {5, "Ekipa serwisowa 5", "Tomasz Lewandowski", "+48 601 100 205"},
    {6, "Ekipa pomiarowo-montażowa 6", "Paweł Zieliński", "+48 601 100 206"},
};

struct WarehouseSeed {
    long long id;
    const char* code;
    const char* name;
    const char* kind;  // "finished_goods" or "materials"
    const char* city;
};
constexpr WarehouseSeed kWarehouses[] = {
    {1, "WG-LDZ", "Magazyn wyrobów gotowych Łódź", "finished_goods", "Łódź"},
    {2, "MAT-WAW", "Magazyn materiałów Warszawa", "materials", "Warszawa"},
    {3, "MAT-KGD", "Склад материалов Калининград", "materials", "Калининград"},
};

std::string digits(SimRandom& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += char('0' + rng.between(0, 9));
    return s;
}

}  // namespace

std::string asciiSlug(const std::string& utf8) {
    static const std::map<char32_t, const char*> table = {
        {U'ą', "a"}, {U'ć', "c"}, {U'ę', "e"}, {U'ł', "l"}, {U'ń', "n"}, {U'ó', "o"}, {U'ś', "s"}, {U'ź', "z"},
        {U'ż', "z"}, {U'Ą', "a"}, {U'Ć', "c"}, {U'Ę', "e"}, {U'Ł', "l"}, {U'Ń', "n"}, {U'Ó', "o"}, {U'Ś', "s"},
        {U'Ź', "z"}, {U'Ż', "z"}, {U'а', "a"}, {U'б', "b"}, {U'в', "v"}, {U'г', "g"}, {U'д', "d"}, {U'е', "e"},
        {U'ё', "e"}, {U'ж', "zh"}, {U'з', "z"}, {U'и', "i"}, {U'й', "y"}, {U'к', "k"}, {U'л', "l"}, {U'м', "m"},
        {U'н', "n"}, {U'о', "o"}, {U'п', "p"}, {U'р', "r"}, {U'с', "s"}, {U'т', "t"}, {U'у', "u"}, {U'ф', "f"},
        {U'х', "kh"}, {U'ц', "ts"}, {U'ч', "ch"}, {U'ш', "sh"}, {U'щ', "shch"}, {U'ъ', ""}, {U'ы', "y"}, {U'ь', ""},
        {U'э', "e"}, {U'ю', "yu"}, {U'я', "ya"},
    };
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        char32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xE0 && i + 2 < utf8.size()) {
            cp = char32_t((c & 0x0F) << 12 | (utf8[i + 1] & 0x3F) << 6 | (utf8[i + 2] & 0x3F));
            len = 3;
        } else if (c >= 0xC0 && i + 1 < utf8.size()) {
            cp = char32_t((c & 0x1F) << 6 | (utf8[i + 1] & 0x3F));
            len = 2;
        }
        i += len;
        if (cp >= U'А' && cp <= U'Я') cp += 0x20;  // Cyrillic capitals to lower case
        if (cp == U'Ё') cp = U'ё';
        if (cp < 0x80) {
            if (std::isalnum(static_cast<int>(cp))) out += char(std::tolower(static_cast<int>(cp)));
            else if ((cp == ' ' || cp == '-' || cp == '.') && !out.empty() && out.back() != '.') out += '.';
        } else if (auto it = table.find(cp); it != table.end()) {
            out += it->second;
        }
    }
    while (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

NewCounterparty makeCounterparty(SimRandom& rng, long long id) {
    NewCounterparty c;
    const int langRoll = static_cast<int>(rng.between(0, 99));
    c.language = langRoll < 60 ? "pl" : langRoll < 90 ? "ru" : "en";
    // A city of the customer's language.
    std::vector<const City*> cities;
    for (const auto& city : kCities)
        if (c.language == city.lang) cities.push_back(&city);
    const City& city = *cities[rng.index(cities.size())];
    c.city = city.name;
    c.address = std::string(city.streets[rng.index(4)]) + " " + std::to_string(rng.between(1, 180));
    if (c.language == "pl") c.address += ", " + digits(rng, 2) + "-" + digits(rng, 3) + " " + c.city;
    else c.address += ", " + c.city;

    Person contact;
    if (c.language == "pl") contact = rng.percent(50) ? rng.pick(kPolishMen) : rng.pick(kPolishWomen);
    else if (c.language == "ru") contact = rng.percent(50) ? rng.pick(kRussianMen) : rng.pick(kRussianWomen);
    else contact = rng.pick(kEnglish);
    c.contactName = std::string(contact.first) + " " + contact.last;

    const bool person = rng.percent(60);
    const char* domain = c.language == "pl" ? "example.pl" : c.language == "ru" ? "example.ru" : "example.com";
    if (person) {
        c.kind = "person";
        c.name = c.contactName;
        c.taxId = "";
        c.contactEmail = asciiSlug(c.contactName) + "." + std::to_string(id) + "@" + domain;
    } else {
        c.kind = "company";
        if (c.language == "pl") {
            c.name = std::string(rng.pick(kPolishCompanyStems)) + " " + rng.pick(kPolishForms);
            c.taxId = "PL" + digits(rng, 10);
        } else if (c.language == "ru") {
            c.name = std::string(rng.pick(kRussianForms)) + " «" + rng.pick(kRussianCompanyStems) + "»";
            c.taxId = digits(rng, 10);
        } else {
            c.name = std::string(rng.pick(kEnglishCompanyStems)) + " Ltd";
            c.taxId = "GB" + digits(rng, 9);
        }
        c.name += " #" + std::to_string(id);  // companies of one stem stay distinguishable
        c.contactEmail = "biuro." + std::to_string(id) + "@" + domain;
        if (c.language != "pl") c.contactEmail = "office." + std::to_string(id) + "@" + domain;
    }
    c.contactPhone = c.language == "pl"   ? "+48 " + digits(rng, 3) + " " + digits(rng, 3) + " " + digits(rng, 3)
                     : c.language == "ru" ? "+7 9" + digits(rng, 2) + " " + digits(rng, 3) + "-" + digits(rng, 2) + "-" +
                                                digits(rng, 2)
                                          : "+44 20 " + digits(rng, 4) + " " + digits(rng, 4);
    const int habit = static_cast<int>(rng.between(0, 99));
    c.paymentHabit = habit < 85 ? "prompt" : habit < 95 ? "late" : "never";
    c.notes = c.language == "pl" ? rng.pick(kPolishNotes) : c.language == "ru" ? rng.pick(kRussianNotes)
                                                                               : rng.pick(kEnglishNotes);
    return c;
}

void insertCounterparty(soci::session& sql, long long id, const NewCounterparty& c) {
    sql << "INSERT INTO HOST_COUNTERPARTIES (ID, KIND, NAME, TAX_ID, CITY, ADDRESS, CONTACT_NAME, CONTACT_EMAIL, "
           "CONTACT_PHONE, LANG, PAYMENT_HABIT, NOTES) VALUES (:id, :k, :n, :t, :c, :a, :cn, :ce, :cp, :l, :h, :no)",
        soci::use(id), soci::use(c.kind), soci::use(c.name), soci::use(c.taxId), soci::use(c.city),
        soci::use(c.address), soci::use(c.contactName), soci::use(c.contactEmail), soci::use(c.contactPhone),
        soci::use(c.language), soci::use(c.paymentHabit), soci::use(c.notes);
}

void seedHostData(soci::session& sql) {
    for (const auto& d : kDepartments) {
        std::string code = d.code, name = d.name;
        long long id = d.id;
        sql << "INSERT INTO HOST_DEPARTMENTS (ID, CODE, NAME) VALUES (:id, :c, :n)", soci::use(id), soci::use(code),
            soci::use(name);
    }
    for (const auto& u : kUsers) {
        std::string login = u.login, name = u.fullName, lang = u.lang;
        std::string email = login + "@conduit-suite.example.pl";
        long long id = u.id, dept = u.department;
        sql << "INSERT INTO HOST_USERS (ID, LOGIN, FULL_NAME, EMAIL, DEPARTMENT_ID, LANG) "
               "VALUES (:id, :l, :n, :e, :d, :lang)",
            soci::use(id), soci::use(login), soci::use(name), soci::use(email), soci::use(dept), soci::use(lang);
    }
    for (const auto& c : kCrews) {
        std::string name = c.name, leader = c.leader, phone = c.phone;
        long long id = c.id;
        sql << "INSERT INTO HOST_CREWS (ID, NAME, LEADER, PHONE) VALUES (:id, :n, :l, :p)", soci::use(id),
            soci::use(name), soci::use(leader), soci::use(phone);
    }
    for (const auto& w : kWarehouses) {
        std::string code = w.code, name = w.name, kind = w.kind, city = w.city;
        long long id = w.id;
        sql << "INSERT INTO HOST_WAREHOUSES (ID, CODE, NAME, KIND, CITY) VALUES (:id, :c, :n, :k, :city)",
            soci::use(id), soci::use(code), soci::use(name), soci::use(kind), soci::use(city);
    }
    SimRandom rng(kSeedDataSeed);
    for (long long id = 1; id <= 300; ++id) insertCounterparty(sql, id, makeCounterparty(rng, id));
}

}  // namespace refhost
