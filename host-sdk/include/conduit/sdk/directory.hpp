// The host's directory: counterparties, projects, users and departments, read-only for plugins.
// Used to resolve ids in module payloads into names, managers and contact addresses.
#pragma once

#include <conduit/sdk/values.hpp>

#include <optional>
#include <string>
#include <vector>

namespace conduit::sdk {

enum class CounterpartyKind { Company, Person };

struct Counterparty {
    Id id = 0;
    CounterpartyKind kind = CounterpartyKind::Company;
    std::string name, taxId, city, address;
    std::string contactName, contactEmail, contactPhone;
    std::string language = "pl";  // "ru", "pl", "en": the language the customer is written to in
};

struct Project {
    Id id = 0;
    std::string code;   // "P-2026-0042"
    std::string name;
    Id counterpartyId = 0;
    Id managerUserId = 0;
    Id measurerUserId = 0;
    std::string status;  // "enquiry", "measured", "in_production", "installed", "closed"
    std::string address;
};

struct Department {
    Id id = 0;
    std::string code;  // "dispatch", "finance", "orders", "measurement", "production", "sales", "management", "admin"
    std::string name;
};

struct User {
    Id id = 0;
    std::string login, fullName, email;
    Id departmentId = 0;
    std::string language = "pl";
};

class IDirectory {
public:
    virtual ~IDirectory() = default;
    virtual std::optional<Counterparty> counterparty(Id id) const = 0;
    virtual std::optional<Project> project(Id id) const = 0;
    virtual std::optional<User> user(Id id) const = 0;
    virtual std::optional<Department> department(Id id) const = 0;
    virtual std::vector<Counterparty> counterparties() const = 0;
    virtual std::vector<Project> projects() const = 0;
    virtual std::vector<User> users() const = 0;
    virtual std::vector<Department> departments() const = 0;
};

}  // namespace conduit::sdk
