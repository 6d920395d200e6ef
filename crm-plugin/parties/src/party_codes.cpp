#include <conduit/crm/parties/certification.hpp>
#include <conduit/crm/parties/duplicates.hpp>
#include <conduit/crm/parties/employment.hpp>
#include <conduit/crm/parties/party.hpp>
#include <conduit/crm/parties/party_relation.hpp>

#include <array>
#include <utility>

namespace conduit::crm::parties {
namespace {

template <typename E, std::size_t N>
std::string_view codeOf(const std::array<std::pair<E, const char*>, N>& table, E value) {
    for (const auto& [v, code] : table)
        if (v == value) return code;
    return table.front().second;
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char*>, N>& table, std::string_view code) {
    for (const auto& [v, c] : table)
        if (code == c) return v;
    return std::nullopt;
}

constexpr std::array<std::pair<PartyRole, const char*>, 6> kRoles{{{PartyRole::Customer, "customer"},
                                                                    {PartyRole::Prospect, "prospect"},
                                                                    {PartyRole::Partner, "partner"},
                                                                    {PartyRole::Installer, "installer"},
                                                                    {PartyRole::Supplier, "supplier"},
                                                                    {PartyRole::Competitor, "competitor"}}};
constexpr std::array<std::pair<PartyKind, const char*>, 2> kKinds{{{PartyKind::Company, "company"}, {PartyKind::Person, "person"}}};
constexpr std::array<std::pair<AddressPurpose, const char*>, 3> kPurposes{
    {{AddressPurpose::Legal, "legal"}, {AddressPurpose::Postal, "postal"}, {AddressPurpose::Delivery, "delivery"}}};
constexpr std::array<std::pair<Gender, const char*>, 3> kGenders{
    {{Gender::Unknown, "unknown"}, {Gender::Female, "female"}, {Gender::Male, "male"}}};
constexpr std::array<std::pair<GrammaticalGender, const char*>, 3> kGrammatical{
    {{GrammaticalGender::Neuter, "neuter"}, {GrammaticalGender::Feminine, "feminine"}, {GrammaticalGender::Masculine, "masculine"}}};
constexpr std::array<std::pair<DecisionRole, const char*>, 6> kDecision{{{DecisionRole::None, "none"},
                                                                         {DecisionRole::DecisionMaker, "decision_maker"},
                                                                         {DecisionRole::Influencer, "influencer"},
                                                                         {DecisionRole::Approver, "approver"},
                                                                         {DecisionRole::User, "user"},
                                                                         {DecisionRole::Gatekeeper, "gatekeeper"}}};
constexpr std::array<std::pair<RelationKind, const char*>, 5> kRelations{{{RelationKind::DealerOf, "dealer_of"},
                                                                          {RelationKind::KeyClientOf, "key_client_of"},
                                                                          {RelationKind::SubsidiaryOf, "subsidiary_of"},
                                                                          {RelationKind::InstallerFor, "installer_for"},
                                                                          {RelationKind::CompetitorOf, "competitor_of"}}};
constexpr std::array<std::pair<DuplicateReason, const char*>, 5> kReasons{{{DuplicateReason::SameName, "name"},
                                                                           {DuplicateReason::SimilarName, "loose"},
                                                                           {DuplicateReason::SamePhone, "phone"},
                                                                           {DuplicateReason::SameEmail, "email"},
                                                                           {DuplicateReason::SameTaxId, "tax"}}};

// From the `from` side, then from the `to` side.
const LocalizedText kRelationNames[5][2] = {
    {{"дилер компании", "dealer firmy", "dealer of"}, {"дилеры", "dealerzy", "dealers"}},
    {{"ключевой клиент компании", "kluczowy klient firmy", "key client of"}, {"ключевые клиенты", "kluczowi klienci", "key clients"}},
    {{"дочерняя компания", "spółka zależna od", "subsidiary of"}, {"дочерние компании", "spółki zależne", "subsidiaries"}},
    {{"монтажник для", "montażysta dla", "installer for"}, {"монтажники", "montażyści", "installers"}},
    {{"конкурент компании", "konkurent firmy", "competitor of"}, {"конкуренты", "konkurenci", "competitors"}},
};

}  // namespace

const std::vector<PartyRole>& allPartyRoles() {
    static const std::vector<PartyRole> all{PartyRole::Customer,  PartyRole::Prospect, PartyRole::Partner,
                                            PartyRole::Installer, PartyRole::Supplier, PartyRole::Competitor};
    return all;
}

std::string_view toString(PartyRole role) { return codeOf(kRoles, role); }
std::optional<PartyRole> partyRoleFromString(std::string_view code) { return valueOf(kRoles, code); }
std::string_view toString(PartyKind kind) { return codeOf(kKinds, kind); }
std::optional<PartyKind> partyKindFromString(std::string_view code) { return valueOf(kKinds, code); }
std::string_view toString(AddressPurpose purpose) { return codeOf(kPurposes, purpose); }
std::optional<AddressPurpose> addressPurposeFromString(std::string_view code) { return valueOf(kPurposes, code); }
std::string_view toString(Gender gender) { return codeOf(kGenders, gender); }
std::string_view toString(GrammaticalGender gender) { return codeOf(kGrammatical, gender); }
std::optional<Gender> genderFromString(std::string_view code) { return valueOf(kGenders, code); }
std::optional<GrammaticalGender> grammaticalGenderFromString(std::string_view code) { return valueOf(kGrammatical, code); }
std::string_view toString(DecisionRole role) { return codeOf(kDecision, role); }
std::optional<DecisionRole> decisionRoleFromString(std::string_view code) { return valueOf(kDecision, code); }
std::string_view toString(RelationKind kind) { return codeOf(kRelations, kind); }
std::optional<RelationKind> relationKindFromString(std::string_view code) { return valueOf(kRelations, code); }
std::string_view toString(DuplicateReason reason) { return codeOf(kReasons, reason); }

std::string relationName(RelationKind kind, bool fromSide, const Locale& reader) {
    return reader.pick(kRelationNames[static_cast<int>(kind)][fromSide ? 0 : 1]);
}

CertificationState certificationState(const Certification& c, sdk::Date today, int soonDays) {
    if (!c.validUntil) return CertificationState::Valid;
    if (*c.validUntil < today) return CertificationState::Expired;
    if (*c.validUntil <= today + std::chrono::days(soonDays)) return CertificationState::ExpiresSoon;
    return CertificationState::Valid;
}

std::string stateName(CertificationState state, const Locale& reader) {
    static const LocalizedText names[] = {{"действует", "ważny", "valid"},
                                          {"скоро истекает", "wkrótce wygasa", "expires soon"},
                                          {"истёк", "wygasł", "expired"}};
    return reader.pick(names[static_cast<int>(state)]);
}

PartnerStatus partnerStatus(const std::vector<Certification>& firmAndPeople, sdk::Date today) {
    if (firmAndPeople.empty()) return PartnerStatus::None;
    for (const auto& c : firmAndPeople)
        if (certificationState(c, today) != CertificationState::Expired) return PartnerStatus::Certified;
    return PartnerStatus::Lapsed;
}

std::string statusName(PartnerStatus status, const Locale& reader) {
    static const LocalizedText names[] = {{"без сертификации", "bez certyfikacji", "not certified"},
                                          {"сертифицированный партнёр", "certyfikowany partner", "certified partner"},
                                          {"сертификация истекла", "certyfikacja wygasła", "certification lapsed"}};
    return reader.pick(names[static_cast<int>(status)]);
}

}  // namespace conduit::crm::parties
