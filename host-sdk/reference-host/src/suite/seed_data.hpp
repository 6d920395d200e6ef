// The suite's seed data: departments, users, crews, warehouses and 300 counterparties with
// Polish, Russian and English names and addresses. Fixed (one built-in seed), so every database is alike.
#pragma once

#include "sim_random.hpp"

#include <soci/soci.h>

#include <string>

namespace refhost {

// Inserts the seed rows into empty HOST_ tables, inside the caller's transaction.
void seedHostData(soci::session& sql);

// A new private customer or company, as the simulator's enquiries bring them in.
struct NewCounterparty {
    std::string kind;  // "company" or "person"
    std::string name, taxId, city, address, contactName, contactEmail, contactPhone, language, paymentHabit, notes;
};
NewCounterparty makeCounterparty(SimRandom& rng, long long id);
void insertCounterparty(soci::session& sql, long long id, const NewCounterparty& c);

// Lower-case ASCII for e-mail local parts: strips Polish diacritics, transliterates Cyrillic.
std::string asciiSlug(const std::string& utf8);

}  // namespace refhost
