#include "host_directory.hpp"

namespace refhost {
namespace {

// Column lists and row mapping for each directory type; a single WHERE ID = :id or a full list.
sdk::Counterparty counterpartyFrom(const soci::row& r) {
    sdk::Counterparty c;
    c.id = r.get<long long>(0);
    c.kind = r.get<std::string>(1) == "person" ? sdk::CounterpartyKind::Person : sdk::CounterpartyKind::Company;
    c.name = r.get<std::string>(2);
    c.taxId = r.get<std::string>(3);
    c.city = r.get<std::string>(4);
    c.address = r.get<std::string>(5);
    c.contactName = r.get<std::string>(6);
    c.contactEmail = r.get<std::string>(7);
    c.contactPhone = r.get<std::string>(8);
    c.language = r.get<std::string>(9);
    return c;
}
sdk::Project projectFrom(const soci::row& r) {
    sdk::Project p;
    p.id = r.get<long long>(0);
    p.code = r.get<std::string>(1);
    p.name = r.get<std::string>(2);
    p.counterpartyId = r.get<long long>(3);
    p.managerUserId = r.get<long long>(4);
    p.measurerUserId = r.get<long long>(5);
    p.status = r.get<std::string>(6);
    p.address = r.get<std::string>(7);
    return p;
}
sdk::User userFrom(const soci::row& r) {
    sdk::User u;
    u.id = r.get<long long>(0);
    u.login = r.get<std::string>(1);
    u.fullName = r.get<std::string>(2);
    u.email = r.get<std::string>(3);
    u.departmentId = r.get<long long>(4);
    u.language = r.get<std::string>(5);
    return u;
}
sdk::Department departmentFrom(const soci::row& r) {
    sdk::Department d;
    d.id = r.get<long long>(0);
    d.code = r.get<std::string>(1);
    d.name = r.get<std::string>(2);
    return d;
}

template <class T, class Map>
std::optional<T> one(HostDatabase& db, const char* query, sdk::Id id, Map map) {
    return db.read([&](soci::session& sql) -> std::optional<T> {
        long long key = id;
        soci::rowset<soci::row> rs = (sql.prepare << query, soci::use(key));
        for (const auto& r : rs) return map(r);
        return std::nullopt;
    });
}

template <class T, class Map>
std::vector<T> all(HostDatabase& db, const char* query, Map map) {
    return db.read([&](soci::session& sql) {
        std::vector<T> out;
        soci::rowset<soci::row> rs = (sql.prepare << query);
        for (const auto& r : rs) out.push_back(map(r));
        return out;
    });
}

#define CP_COLUMNS "SELECT ID, KIND, NAME, TAX_ID, CITY, ADDRESS, CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE, LANG FROM HOST_COUNTERPARTIES"
#define PROJECT_COLUMNS "SELECT ID, CODE, NAME, COUNTERPARTY_ID, MANAGER_ID, MEASURER_ID, STATUS, ADDRESS FROM HOST_PROJECTS"
#define USER_COLUMNS "SELECT ID, LOGIN, FULL_NAME, EMAIL, DEPARTMENT_ID, LANG FROM HOST_USERS"
#define DEPARTMENT_COLUMNS "SELECT ID, CODE, NAME FROM HOST_DEPARTMENTS"

}  // namespace

std::optional<sdk::Counterparty> HostDirectory::counterparty(sdk::Id id) const {
    return one<sdk::Counterparty>(db_, CP_COLUMNS " WHERE ID = :id", id, counterpartyFrom);
}
std::optional<sdk::Project> HostDirectory::project(sdk::Id id) const {
    return one<sdk::Project>(db_, PROJECT_COLUMNS " WHERE ID = :id", id, projectFrom);
}
std::optional<sdk::User> HostDirectory::user(sdk::Id id) const {
    return one<sdk::User>(db_, USER_COLUMNS " WHERE ID = :id", id, userFrom);
}
std::optional<sdk::Department> HostDirectory::department(sdk::Id id) const {
    return one<sdk::Department>(db_, DEPARTMENT_COLUMNS " WHERE ID = :id", id, departmentFrom);
}
std::vector<sdk::Counterparty> HostDirectory::counterparties() const {
    return all<sdk::Counterparty>(db_, CP_COLUMNS " ORDER BY ID", counterpartyFrom);
}
std::vector<sdk::Project> HostDirectory::projects() const {
    return all<sdk::Project>(db_, PROJECT_COLUMNS " ORDER BY ID", projectFrom);
}
std::vector<sdk::User> HostDirectory::users() const { return all<sdk::User>(db_, USER_COLUMNS " ORDER BY ID", userFrom); }
std::vector<sdk::Department> HostDirectory::departments() const {
    return all<sdk::Department>(db_, DEPARTMENT_COLUMNS " ORDER BY ID", departmentFrom);
}

}  // namespace refhost
