// A training or certification of an installer or a partner firm, and the firm's partner status
// derived from what is valid today: an expired certificate reads as expired everywhere.
#pragma once

#include <conduit/crm/foundation/locale.hpp>
#include <conduit/sdk/values.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::parties {

struct Certification {
    std::int64_t id = 0;
    std::int64_t partyId = 0;        // the person or the firm certified
    std::string programme;           // "Montaż okien PVC", "Монтаж по ГОСТ 30971"
    std::string level;               // "basic", "advanced", "trainer", as the programme names them
    sdk::Date issued{};
    std::optional<sdk::Date> validUntil;  // none: does not expire
    std::string issuer;
    std::string documentName;        // the certificate, attached to the event that recorded it
    std::string documentContent;     // bytes when adding; empty when read back
    std::int64_t documentEventId = 0;
    sdk::TimePoint createdAt{};
    sdk::Id createdBy = 0;
    friend bool operator==(const Certification&, const Certification&) = default;
};

enum class CertificationState { Valid, ExpiresSoon, Expired };
// ExpiresSoon: within `soonDays` of `today`.
CertificationState certificationState(const Certification& c, sdk::Date today, int soonDays = 60);
std::string stateName(CertificationState state, const Locale& reader);

// A partner firm's status: certified when it or one of its people holds a valid certification,
// lapsed when all it had expired, none when it never had one.
enum class PartnerStatus { None, Certified, Lapsed };
PartnerStatus partnerStatus(const std::vector<Certification>& firmAndPeople, sdk::Date today);
std::string statusName(PartnerStatus status, const Locale& reader);

}  // namespace conduit::crm::parties
