#include <conduit/crm/exchange/contact_to_party.hpp>

#include <conduit/crm/foundation/search_fold.hpp>
#include <conduit/crm/parties/email_address.hpp>
#include <conduit/crm/parties/field_problem.hpp>
#include <conduit/crm/parties/memorable_date.hpp>
#include <conduit/crm/parties/phone_number.hpp>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <map>

namespace conduit::crm::exchange {
namespace {

using parties::Party;
using parties::PartyKind;

constexpr std::size_t kMaxPhoto = 512 * 1024;

std::string trimmed(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::string joined(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto part : parts) {
        const auto t = trimmed(part);
        if (t.empty()) continue;
        if (!out.empty()) out += ' ';
        out += t;
    }
    return out;
}

// Every country ICU knows, by its name in the languages our users and their files write.
const std::map<std::string, std::string>& countryNames() {
    static const std::map<std::string, std::string> names = [] {
        std::map<std::string, std::string> out;
        const icu::Locale languages[] = {icu::Locale("en"), icu::Locale("pl"), icu::Locale("ru"), icu::Locale("de")};
        for (const char* const* code = icu::Locale::getISOCountries(); *code; ++code) {
            out[searchFold(*code)] = *code;
            for (const auto& language : languages) {
                icu::UnicodeString name;
                icu::Locale("", *code).getDisplayCountry(language, name);
                std::string utf8;
                name.toUTF8String(utf8);
                out.emplace(searchFold(utf8), *code);
            }
        }
        return out;
    }();
    return names;
}

void keepInNotes(Party& p, std::string_view field, std::string_view value) {
    if (!p.notes.empty()) p.notes += '\n';
    p.notes += std::string(field) + ": " + std::string(value);
}

void addPhones(const ContactRecord& r, Party& p, const ContactMapping& m, std::vector<ExchangeProblem>& problems) {
    for (const auto& phone : r.phones) {
        try {
            p.phones.push_back({parties::parsePhone(phone.value, m.defaultCountry), phone.label});
        } catch (const parties::FieldError&) {
            problems.push_back({ProblemCode::ValueNotKept, r.line, "TEL", phone.value});
            keepInNotes(p, "TEL", phone.value);
        }
    }
}

void addEmails(const ContactRecord& r, Party& p, std::vector<ExchangeProblem>& problems) {
    for (const auto& email : r.emails) {
        try {
            const auto address = parties::parseEmail(trimmed(email.value));
            bool known = false;
            for (const auto& e : p.emails) known = known || e.address == address;
            if (!known) p.emails.push_back({address, email.label});
        } catch (const parties::FieldError&) {
            problems.push_back({ProblemCode::ValueNotKept, r.line, "EMAIL", email.value});
            keepInNotes(p, "EMAIL", email.value);
        }
    }
}

void addDate(const ContactRecord& r, const ContactDate& d, parties::MemorableDateKind kind, const char* field, Party& p,
             const ContactMapping& m, std::vector<ExchangeProblem>& problems) {
    if (d.empty()) return;
    const std::optional<int> year = d.year ? std::optional<int>(d.year) : std::nullopt;
    const auto day = static_cast<unsigned>(d.day), month = static_cast<unsigned>(d.month);
    if (d.day <= 0 || d.month <= 0 || parties::memorableDateProblem(kind, day, month, year, m.today)) {
        const auto text = std::to_string(d.year) + "-" + std::to_string(d.month) + "-" + std::to_string(d.day);
        problems.push_back({ProblemCode::BadDate, r.line, field, text});
        return;
    }
    parties::MemorableDate date;
    date.kind = kind;
    date.day = day;
    date.month = month;
    date.year = year;
    p.dates.push_back(date);
}

void addAddresses(const ContactRecord& r, Party& p, const ContactMapping& m) {
    for (const auto& a : r.addresses) {
        parties::Address address;
        address.purpose = p.kind == PartyKind::Company && a.label != "postal" ? parties::AddressPurpose::Legal
                                                                              : parties::AddressPurpose::Postal;
        address.country = countryCode(a.country);
        if (address.country.empty()) address.country = m.defaultCountry;
        address.street = joined({a.street, a.extended});
        address.city = trimmed(a.city);
        address.postcode = trimmed(a.postcode);
        address.region = trimmed(a.region);
        if (!address.street.empty() || !address.city.empty() || !address.postcode.empty()) p.addresses.push_back(address);
    }
}

void addMessengers(const ContactRecord& r, Party& p) {
    for (const auto& m : r.messengers)
        if (!trimmed(m.value).empty()) p.messengers.push_back({m.label, trimmed(m.value)});
}

// Names: a person's parts, or the whole as written; Russian files keep the patronymic as the
// middle name ("Иван Петрович Сидоров").
void setPersonName(const ContactRecord& r, Party& p) {
    p.kind = PartyKind::Person;
    p.givenName = trimmed(r.givenName);
    p.familyName = trimmed(r.familyName);
    p.patronymic = trimmed(r.additionalNames);
    p.fullName = trimmed(r.formattedName);
    if (p.fullName.empty()) p.fullName = joined({r.givenName, r.additionalNames, r.familyName});
    if (p.fullName.empty()) p.fullName = trimmed(r.nickname);
    if (p.fullName.empty() && !r.emails.empty()) p.fullName = trimmed(r.emails.front().value);
}

void setPhoto(const ContactRecord& r, Party& p, std::vector<ExchangeProblem>& problems) {
    if (r.photo.empty()) return;
    if (r.photo.size() > kMaxPhoto) {
        problems.push_back({ProblemCode::TooLarge, r.line, "PHOTO", std::to_string(r.photo.size() / 1024) + " KiB"});
        return;
    }
    p.photo = r.photo;
}

void setCommon(const ContactRecord& r, Party& p, const ContactMapping& m, std::vector<ExchangeProblem>& problems) {
    addPhones(r, p, m, problems);
    addEmails(r, p, problems);
    addAddresses(r, p, m);
    addMessengers(r, p);
    for (const auto& tag : r.categories)
        if (!trimmed(tag).empty()) p.tags.insert(trimmed(tag));
    if (!r.urls.empty()) p.website = trimmed(r.urls.front().value);
    if (!trimmed(r.note).empty()) {
        const auto kept = p.notes;
        p.notes = trimmed(r.note);
        if (!kept.empty()) p.notes += "\n" + kept;
    }
    setPhoto(r, p, problems);
}

void setGender(const ContactRecord& r, Party& p) {
    if (r.gender == "F" || r.gender == "f") {
        p.gender = parties::Gender::Female;
        p.grammaticalGender = parties::GrammaticalGender::Feminine;
    } else if (r.gender == "M" || r.gender == "m") {
        p.gender = parties::Gender::Male;
        p.grammaticalGender = parties::GrammaticalGender::Masculine;
    }
}

std::string languageCode(std::string_view written) {
    const auto code = searchFold(written.substr(0, 2));
    return code == "pl" || code == "ru" || code == "en" ? code : std::string{};
}

Party companyNamed(const std::string& name) {
    Party c;
    c.kind = PartyKind::Company;
    c.fullName = name;
    c.roles = parties::roleBit(parties::PartyRole::Customer);
    return c;
}

}  // namespace

std::string countryCode(std::string_view written) {
    const auto key = searchFold(trimmed(written));
    if (key.empty()) return {};
    const auto& names = countryNames();
    const auto it = names.find(key);
    return it == names.end() ? std::string{} : it->second;
}

std::optional<PartyOfContact> partyOfContact(const ContactRecord& r, const ContactMapping& m,
                                             std::vector<ExchangeProblem>& problems) {
    PartyOfContact out;
    const auto organisation = trimmed(r.organisation);
    if (r.isCompany) {
        out.party = companyNamed(organisation.empty() ? trimmed(r.formattedName) : organisation);
    } else {
        setPersonName(r, out.party);
        setGender(r, out.party);
        out.party.language = languageCode(r.language);
        addDate(r, r.birthday, parties::MemorableDateKind::Birthday, "BDAY", out.party, m, problems);
        addDate(r, r.anniversary, parties::MemorableDateKind::Anniversary, "ANNIVERSARY", out.party, m, problems);
        if (out.party.fullName.empty() && !organisation.empty()) out.party = companyNamed(organisation);
    }
    if (out.party.fullName.empty()) {
        problems.push_back({ProblemCode::NoName, r.line, "", ""});
        return std::nullopt;
    }
    setCommon(r, out.party, m, problems);
    if (out.party.kind == PartyKind::Person && !organisation.empty()) {
        out.company = companyNamed(organisation);
        out.job.jobTitle = trimmed(r.jobTitle);
        out.job.department = trimmed(r.department);
    }
    return out;
}

}  // namespace conduit::crm::exchange
