#include <conduit/crm/exchange/export_contact.hpp>

#include <conduit/crm/exchange/export_rows.hpp>

#include <conduit/crm/foundation/search_fold.hpp>

#include <algorithm>
#include <initializer_list>

namespace conduit::crm::exchange {
namespace {

using parties::Party;

bool mentions(const std::string& label, std::initializer_list<const char*> words) {
    const auto folded = searchFold(label);
    return std::any_of(words.begin(), words.end(), [&folded](const char* w) { return folded.find(w) != std::string::npos; });
}

bool isHome(const std::string& label) { return mentions(label, {"home", "prywat", "domow", "домашн", "личн"}); }

std::string phoneLabel(const parties::Phone& phone) {
    if (mentions(phone.label, {"fax", "факс", "faks"})) return "fax";
    if (phone.number.kind == parties::PhoneKind::Mobile || mentions(phone.label, {"mobile", "cell", "komork", "моб", "сот"}))
        return "cell";
    return isHome(phone.label) ? "home" : "work";
}

std::string addressLabel(parties::AddressPurpose purpose) {
    switch (purpose) {
        case parties::AddressPurpose::Postal: return "postal";
        case parties::AddressPurpose::Delivery: return "parcel";
        case parties::AddressPurpose::Legal: return "work";
    }
    return "work";
}

ContactAddress addressOf(const parties::Address& a) {
    ContactAddress out;
    out.label = addressLabel(a.purpose);
    out.street = a.street;
    if (!a.building.empty()) out.street += (out.street.empty() ? "" : " ") + a.building;
    if (!a.flat.empty()) out.street += "/" + a.flat;
    out.city = a.city;
    out.region = a.region;
    out.postcode = a.postcode;
    out.country = a.country;
    return out;
}

ContactDate dateOf(const parties::MemorableDate& d) {
    return {d.year.value_or(0), static_cast<int>(d.month), static_cast<int>(d.day)};
}

std::string imageType(const std::string& bytes) {
    if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
    if (bytes.rfind("\x89PNG", 0) == 0) return "image/png";
    return bytes.empty() ? "" : "application/octet-stream";
}

void names(ContactRecord& c, const Party& p) {
    c.formattedName = p.displayName();
    if (p.kind == parties::PartyKind::Company) {
        c.isCompany = true;
        c.organisation = p.displayName();
        return;
    }
    c.givenName = p.givenName;
    c.additionalNames = p.patronymic;
    c.familyName = p.familyName;
}

void place(ContactRecord& c, const std::vector<parties::ExportedPlace>& places) {
    const auto it = std::find_if(places.begin(), places.end(), [](const parties::ExportedPlace& pl) { return isCurrent(pl); });
    if (it == places.end()) return;
    c.organisation = it->companyName;
    c.department = it->employment.department;
    c.jobTitle = it->employment.jobTitle;
}

void reachedBy(ContactRecord& c, const Party& p) {
    for (const auto& e : p.emails) c.emails.push_back({e.address.address, isHome(e.label) ? "home" : "work"});
    for (const auto& ph : p.phones) c.phones.push_back({ph.number.e164, phoneLabel(ph)});
    if (!p.website.empty()) c.urls.push_back({p.website, "work"});
    for (const auto& m : p.messengers) c.messengers.push_back({m.handle, m.network});
    for (const auto& a : p.addresses) c.addresses.push_back(addressOf(a));
}

void personal(ContactRecord& c, const Party& p) {
    for (const auto& d : p.dates) {
        if (d.kind == parties::MemorableDateKind::Birthday && c.birthday.empty()) c.birthday = dateOf(d);
        if (d.kind == parties::MemorableDateKind::Anniversary && c.anniversary.empty()) c.anniversary = dateOf(d);
    }
    c.gender = p.gender == parties::Gender::Female ? "F" : p.gender == parties::Gender::Male ? "M" : "";
    c.language = p.language;
    c.note = p.notes;
    c.categories.assign(p.tags.begin(), p.tags.end());
    c.photo = p.photo;
    c.photoType = imageType(p.photo);
    for (const auto& t : p.taxIds) c.extra.emplace_back("X-CONDUIT-TAX-" + std::string(toString(t.kind)), t.value);
}

}  // namespace

ContactRecord contactOf(const Party& party, const std::vector<parties::ExportedPlace>& places) {
    ContactRecord c;
    c.sourceId = "urn:conduit:party:" + std::to_string(party.id);
    names(c, party);
    if (party.kind == parties::PartyKind::Person) place(c, places);
    reachedBy(c, party);
    personal(c, party);
    return c;
}

}  // namespace conduit::crm::exchange
