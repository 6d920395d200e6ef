#include "party_document.hpp"

#include <conduit/crm/foundation/search_fold.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/parties/match_key.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

namespace conduit::crm::parties::detail {
namespace {

using Json = nlohmann::json;

std::string isoDate(const MemorableDate& d) {
    return (d.year ? std::to_string(*d.year) : std::string("--")) + "-" + (d.month < 10 ? "0" : "") + std::to_string(d.month) +
           "-" + (d.day < 10 ? "0" : "") + std::to_string(d.day);
}

Json moneyJson(const std::optional<sdk::Money>& m) {
    if (!m) return nullptr;
    return Json{{"minor", m->minor}, {"currency", m->currency}};
}

std::optional<sdk::Money> moneyFrom(const Json& j) {
    if (!j.is_object()) return std::nullopt;
    return sdk::Money{j.value("minor", std::int64_t{0}), j.value("currency", std::string("PLN"))};
}

template <typename T>
std::optional<T> optionalFrom(const Json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<T>();
}

Json termsJson(const CommercialTerms& t) {
    return Json{{"turnover_last_year", moneyJson(t.turnoverLastYear)},
                {"turnover_this_year", moneyJson(t.turnoverThisYear)},
                {"credit_limit", moneyJson(t.creditLimit)},
                {"discount_bp", t.discountBasisPoints ? Json(*t.discountBasisPoints) : Json(nullptr)},
                {"payment_days", t.paymentTermDays ? Json(*t.paymentTermDays) : Json(nullptr)}};
}

CommercialTerms termsFrom(const Json& j) {
    CommercialTerms t;
    t.turnoverLastYear = moneyFrom(j.value("turnover_last_year", Json()));
    t.turnoverThisYear = moneyFrom(j.value("turnover_this_year", Json()));
    t.creditLimit = moneyFrom(j.value("credit_limit", Json()));
    t.discountBasisPoints = optionalFrom<int>(j.value("discount_bp", Json()));
    t.paymentTermDays = optionalFrom<int>(j.value("payment_days", Json()));
    return t;
}

Json addressJson(const Address& a) {
    return Json{{"purpose", toString(a.purpose)}, {"country", a.country},   {"postcode", a.postcode}, {"city", a.city},
                {"street", a.street},             {"building", a.building}, {"flat", a.flat},         {"region", a.region}};
}

Address addressFrom(const Json& j) {
    Address a;
    a.purpose = addressPurposeFromString(j.value("purpose", "")).value_or(AddressPurpose::Legal);
    a.country = j.value("country", "PL");
    a.postcode = j.value("postcode", "");
    a.city = j.value("city", "");
    a.street = j.value("street", "");
    a.building = j.value("building", "");
    a.flat = j.value("flat", "");
    a.region = j.value("region", "");
    return a;
}

Json dateJson(const MemorableDate& d) {
    return Json{{"kind", toString(d.kind)}, {"month", d.month}, {"day", d.day}, {"year", d.year ? Json(*d.year) : Json(nullptr)},
                {"label", d.label}};
}

MemorableDate dateFrom(const Json& j) {
    MemorableDate d;
    d.kind = memorableDateKindFromString(j.value("kind", "")).value_or(MemorableDateKind::Other);
    d.month = j.value("month", 1u);
    d.day = j.value("day", 1u);
    d.year = optionalFrom<int>(j.value("year", Json()));
    d.label = j.value("label", "");
    return d;
}

void addWords(std::vector<PartyKey>& keys, std::string_view text) {
    for (auto& w : words(text)) keys.push_back({"word", utf8Shorten(w, kMaxKeyChars)});
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

std::vector<std::string> listOf(const Party& p, std::string_view field) {
    std::vector<std::string> out;
    if (field == "phones")
        for (const auto& x : p.phones) out.push_back(x.number.e164);
    else if (field == "emails")
        for (const auto& x : p.emails) out.push_back(x.address.address);
    else if (field == "tax_ids")
        for (const auto& x : p.taxIds) out.push_back(std::string(toString(x.kind)) + " " + displayText(x));
    else if (field == "addresses")
        for (const auto& a : p.addresses)
            out.push_back(std::string(toString(a.purpose)) + ": " + a.postcode + " " + a.city + ", " + a.street + " " + a.building);
    else if (field == "tags")
        out.assign(p.tags.begin(), p.tags.end());
    else if (field == "dates")
        for (const auto& d : p.dates) out.push_back(std::string(toString(d.kind)) + " " + isoDate(d));
    else if (field == "messengers")
        for (const auto& m : p.messengers) out.push_back(m.network + " " + m.handle);
    else if (field == "roles")
        for (auto r : allPartyRoles())
            if (p.has(r)) out.emplace_back(toString(r));
    return out;
}

}  // namespace

Json toDocument(const Party& p) {
    Json j;
    j["kind"] = toString(p.kind);
    j["full_name"] = p.fullName;
    j["short_name"] = p.shortName;
    j["given_name"] = p.givenName;
    j["patronymic"] = p.patronymic;
    j["family_name"] = p.familyName;
    j["roles"] = listOf(p, "roles");
    j["tax_ids"] = Json::array();
    for (const auto& t : p.taxIds) j["tax_ids"].push_back({{"kind", toString(t.kind)}, {"value", t.value}});
    j["addresses"] = Json::array();
    for (const auto& a : p.addresses) j["addresses"].push_back(addressJson(a));
    for (const auto* f : {"region", "industry", "category", "source", "website", "notes", "language"}) j[f] = "";
    j["region"] = p.region;
    j["industry"] = p.industry;
    j["category"] = p.category;
    j["source"] = p.source;
    j["website"] = p.website;
    j["notes"] = p.notes;
    j["language"] = p.language;
    j["tags"] = p.tags;
    j["phones"] = Json::array();
    for (const auto& ph : p.phones) j["phones"].push_back({{"e164", ph.number.e164}, {"label", ph.label}});
    j["emails"] = Json::array();
    for (const auto& e : p.emails) j["emails"].push_back({{"address", e.address.address}, {"label", e.label}});
    j["messengers"] = Json::array();
    for (const auto& m : p.messengers) j["messengers"].push_back({{"network", m.network}, {"handle", m.handle}});
    j["owner"] = p.ownerId;
    j["private"] = p.isPrivate;
    j["parent"] = p.parentId;
    j["gender"] = toString(p.gender);
    j["grammatical_gender"] = toString(p.grammaticalGender);
    j["dates"] = Json::array();
    for (const auto& d : p.dates) j["dates"].push_back(dateJson(d));
    j["do_not_contact"] = p.doNotContact;
    j["custom"] = p.custom;
    j["host_id"] = p.hostId;
    j["removed_in_host"] = p.removedInHost;
    j["terms"] = p.terms ? termsJson(*p.terms) : Json(nullptr);
    return j;
}

void fromDocument(const Json& j, Party& p) {
    p.kind = partyKindFromString(j.value("kind", "")).value_or(PartyKind::Company);
    p.fullName = j.value("full_name", "");
    p.shortName = j.value("short_name", "");
    p.givenName = j.value("given_name", "");
    p.patronymic = j.value("patronymic", "");
    p.familyName = j.value("family_name", "");
    p.roles = 0;
    for (const auto& r : j.value("roles", Json::array()))
        if (r.is_string())
            if (auto role = partyRoleFromString(r.get<std::string>())) p.roles |= roleBit(*role);
    p.taxIds.clear();
    for (const auto& t : j.value("tax_ids", Json::array()))
        if (auto kind = taxIdKindFromString(t.value("kind", ""))) p.taxIds.push_back({*kind, t.value("value", "")});
    p.addresses.clear();
    for (const auto& a : j.value("addresses", Json::array())) p.addresses.push_back(addressFrom(a));
    p.region = j.value("region", "");
    p.industry = j.value("industry", "");
    p.category = j.value("category", "");
    p.source = j.value("source", "");
    p.website = j.value("website", "");
    p.notes = j.value("notes", "");
    p.language = j.value("language", "");
    p.tags = j.value("tags", std::set<std::string>{});
    p.phones.clear();
    for (const auto& ph : j.value("phones", Json::array())) {
        Phone phone;
        phone.number.e164 = ph.value("e164", "");
        phone.label = ph.value("label", "");
        p.phones.push_back(std::move(phone));
    }
    p.emails.clear();
    for (const auto& e : j.value("emails", Json::array())) p.emails.push_back({{e.value("address", "")}, e.value("label", "")});
    p.messengers.clear();
    for (const auto& m : j.value("messengers", Json::array())) p.messengers.push_back({m.value("network", ""), m.value("handle", "")});
    p.ownerId = j.value("owner", sdk::Id{0});
    p.isPrivate = j.value("private", false);
    p.parentId = j.value("parent", std::int64_t{0});
    p.gender = genderFromString(j.value("gender", "")).value_or(Gender::Unknown);
    p.grammaticalGender = grammaticalGenderFromString(j.value("grammatical_gender", "")).value_or(GrammaticalGender::Neuter);
    p.dates.clear();
    for (const auto& d : j.value("dates", Json::array())) p.dates.push_back(dateFrom(d));
    p.doNotContact = j.value("do_not_contact", false);
    p.custom = j.value("custom", std::map<std::string, std::string>{});
    p.hostId = j.value("host_id", sdk::Id{0});
    p.removedInHost = j.value("removed_in_host", false);
    const auto terms = j.value("terms", Json());
    p.terms = terms.is_object() ? std::optional(termsFrom(terms)) : std::nullopt;
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    const auto folded = searchFold(text);
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(folded[i]);
        // Letters and digits of any script are words; ASCII punctuation and spaces separate them.
        const bool separator = c < 0x80 && !std::isalnum(c);
        if (separator) {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(folded[i]);
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    // «», „”, –: common non-ASCII punctuation in names.
    for (auto& w : out)
        for (const char* mark : {"«", "»", "„", "”", "“", "–", "—"}) {
            for (auto pos = w.find(mark); pos != std::string::npos; pos = w.find(mark)) w.erase(pos, std::string_view(mark).size());
        }
    std::erase_if(out, [](const std::string& w) { return w.empty(); });
    return out;
}

std::string phoneDigits(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
        else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '+' && c != '.' && c != '/') return {};
    }
    return digits;
}

std::vector<PartyKey> keysOf(const Party& p) {
    std::vector<PartyKey> keys;
    addWords(keys, p.fullName);
    addWords(keys, p.shortName);
    const std::string prefix = p.kind == PartyKind::Company ? "c:" : "p:";
    const auto name = p.kind == PartyKind::Company ? companyNameKey(p.displayName()) : personNameKey(p.fullName);
    if (!name.empty()) {
        keys.push_back({"name", utf8Shorten(prefix + name, kMaxKeyChars)});
        keys.push_back({"loose", utf8Shorten(prefix + looseKey(name), kMaxKeyChars)});
    }
    if (p.kind == PartyKind::Company && !p.fullName.empty() && p.fullName != p.shortName) {
        const auto full = companyNameKey(p.fullName);
        if (!full.empty() && full != name) keys.push_back({"name", utf8Shorten(prefix + full, kMaxKeyChars)});
    }
    for (const auto& ph : p.phones) {
        if (ph.number.e164.size() < 2) continue;
        const auto digits = ph.number.e164.substr(1);
        keys.push_back({"phone", digits});
        // The national number, as people type it without the country code (+48 22... → 22...).
        for (const char* cc : {"48", "7", "49", "380", "375", "420"})
            if (digits.rfind(cc, 0) == 0 && digits.size() > std::string_view(cc).size() + 6) {
                keys.push_back({"phone", digits.substr(std::string_view(cc).size())});
                break;
            }
    }
    for (const auto& e : p.emails) keys.push_back({"email", utf8Shorten(e.address.address, kMaxKeyChars)});
    for (const auto& t : p.taxIds) keys.push_back({"tax", t.value});
    for (const auto& tag : p.tags) keys.push_back({"tag", utf8Shorten(searchFold(tag), kMaxKeyChars)});
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

Party withStoredValues(Party p, const std::string& country) {
    const auto region = p.addresses.empty() ? country : p.addresses.front().country;
    for (auto& t : p.taxIds)
        if (!taxIdProblem(t.kind, t.value)) t = parseTaxId(t.kind, t.value);
    for (auto& ph : p.phones)
        if (!phoneProblem(ph.number.e164, region)) ph.number = parsePhone(ph.number.e164, region);
    for (auto& e : p.emails)
        if (!emailProblem(e.address.address)) e.address = parseEmail(e.address.address);
    return p;
}

std::string kindCode(PartyKind kind) { return kind == PartyKind::Company ? "C" : "P"; }

std::string nameFold(const Party& p) { return utf8Shorten(searchFold(p.displayName()), 200); }

std::vector<FieldChange> changesBetween(const Party& a, const Party& b) {
    std::vector<FieldChange> out;
    auto scalar = [&](const char* field, const std::string& x, const std::string& y) {
        if (x != y) out.push_back({field, x, y});
    };
    scalar("name", a.fullName, b.fullName);
    scalar("short_name", a.shortName, b.shortName);
    scalar("given_name", a.givenName, b.givenName);
    scalar("patronymic", a.patronymic, b.patronymic);
    scalar("family_name", a.familyName, b.familyName);
    for (const char* list : {"roles", "tax_ids", "addresses", "phones", "emails", "messengers", "tags", "dates"}) {
        const auto x = listOf(a, list), y = listOf(b, list);
        if (x != y) out.push_back({list, joined(x), joined(y)});
    }
    scalar("region", a.region, b.region);
    scalar("industry", a.industry, b.industry);
    scalar("category", a.category, b.category);
    scalar("source", a.source, b.source);
    scalar("website", a.website, b.website);
    scalar("notes", a.notes, b.notes);
    scalar("language", a.language, b.language);
    scalar("owner", a.ownerId ? std::to_string(a.ownerId) : "", b.ownerId ? std::to_string(b.ownerId) : "");
    scalar("private", a.isPrivate ? "1" : "0", b.isPrivate ? "1" : "0");
    scalar("gender", std::string(toString(a.gender)), std::string(toString(b.gender)));
    scalar("grammatical_gender", std::string(toString(a.grammaticalGender)), std::string(toString(b.grammaticalGender)));
    scalar("do_not_contact", a.doNotContact ? "1" : "0", b.doNotContact ? "1" : "0");
    if (a.photo != b.photo) out.push_back({"photo", a.photo.empty() ? "" : "1", b.photo.empty() ? "" : "1"});
    if (a.custom != b.custom) {
        std::vector<std::string> x, y;
        for (const auto& [k, v] : a.custom) x.push_back(k + "=" + v);
        for (const auto& [k, v] : b.custom) y.push_back(k + "=" + v);
        out.push_back({"custom", joined(x), joined(y)});
    }
    if (a.terms != b.terms) out.push_back({"terms", a.terms ? "1" : "", b.terms ? "1" : ""});
    if (a.parentId != b.parentId) out.push_back({"parent", std::to_string(a.parentId), std::to_string(b.parentId)});
    return out;
}

std::vector<std::string> hostFieldsChanged(const Party& a, const Party& b) {
    std::vector<std::string> out;
    if (a.fullName != b.fullName || a.shortName != b.shortName) out.emplace_back(host_fields::kName);
    if (a.taxIds != b.taxIds) out.emplace_back(host_fields::kTaxIds);
    if (a.addresses != b.addresses) out.emplace_back(host_fields::kAddresses);
    if (a.phones != b.phones) out.emplace_back(host_fields::kPhones);
    if (a.emails != b.emails) out.emplace_back(host_fields::kEmails);
    if (a.language != b.language) out.emplace_back(host_fields::kLanguage);
    if (a.terms != b.terms) out.emplace_back("terms");
    return out;
}

}  // namespace conduit::crm::parties::detail
