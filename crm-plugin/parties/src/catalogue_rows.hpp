// The catalogue's rows on the CRM database: a party's row with its document and photo, its
// search keys, and the small statements the store's operations are made of. Inside a caller's
// transaction; every value bound from a named variable.
#pragma once

#include "party_document.hpp"

#include <conduit/crm/parties/certification.hpp>
#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/party.hpp>
#include <conduit/crm/parties/party_relation.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <soci/blob.h>
#include <soci/soci-backend.h>

namespace soci {
class session;
}

namespace conduit::crm::parties::detail {

std::optional<Party> loadParty(soci::session& s, std::int64_t id);
// A blob's bytes; empty when NULL.
std::string blobText(soci::blob& blob, soci::indicator ind);
std::optional<std::int64_t> partyOfHost(soci::session& s, sdk::Id hostId);
// Inserts with a new id (set in `p`), version 1, and its keys.
void insertParty(soci::session& s, Party& p);
// Writes `p` (version already raised) when the stored version is still `expected`; false when
// someone else changed it first. Rewrites its keys.
bool updateParty(soci::session& s, const Party& p, int expected);
void writeKeys(soci::session& s, const Party& p);
std::int64_t nextId(soci::session& s, const char* sequence);
// The first of `count` consecutive new ids of `sequence`, taken at once.
std::int64_t reserveIds(soci::session& s, const char* sequence, std::size_t count);

// New rows through statements prepared once per writer and reused (a load writes thousands in
// one transaction); ids already set. Lives inside its caller's transaction.
class RowWriter {
public:
    explicit RowWriter(soci::session& s);
    ~RowWriter();
    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;

    // The party's row (`loadId` 0: not part of a load) and its keys, or with `keysLater` its
    // keys kept for sortedKeys().
    void party(const Party& p, std::int64_t loadId, bool keysLater = false);
    void keys(const Party& p);
    // The kept keys of many parties in key order: a prefix's key rows then share pages, so a
    // search reads a few pages for thousands of them instead of one page each.
    void sortedKeys();
    void employment(const Employment& e);
    void influence(std::int64_t employmentId, sdk::TimePoint at, int influence, sdk::Id by, const std::string& note);

private:
    void key(const PartyKey& k, std::int64_t partyId);
    struct PartyInsert;
    struct KeyInsert;
    struct EmploymentInsert;
    struct InfluenceInsert;
    soci::session& s_;
    std::unique_ptr<PartyInsert> party_;
    std::unique_ptr<KeyInsert> key_;
    std::unique_ptr<EmploymentInsert> employment_;
    std::unique_ptr<InfluenceInsert> influence_;
    std::vector<std::pair<PartyKey, std::int64_t>> keptKeys_;
};

std::optional<Employment> loadEmployment(soci::session& s, std::int64_t id);
std::vector<Employment> employments(soci::session& s, const char* column, std::int64_t partyId);
void insertEmployment(soci::session& s, Employment& e);
void updateEmployment(soci::session& s, const Employment& e);
void recordInfluence(soci::session& s, std::int64_t employmentId, sdk::TimePoint at, int influence, sdk::Id by,
                     const std::string& note);

std::optional<PartyRelation> loadRelation(soci::session& s, std::int64_t id);
std::vector<PartyRelation> relations(soci::session& s, std::int64_t partyId);
void insertRelation(soci::session& s, PartyRelation& r);

// `condition` holds :a then :b, once each, in that order.
std::vector<Certification> certifications(soci::session& s, const std::string& condition, std::int64_t a, std::int64_t b);
void insertCertification(soci::session& s, Certification& c);

}  // namespace conduit::crm::parties::detail
