#include <conduit/crm/exchange/xml_export.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <chrono>
#include <cstdio>

namespace conduit::crm::exchange {
namespace {

using parties::ExportedParty;
using parties::ExportedPlace;
using parties::Party;

// The code point starting at `i` of valid UTF-8 and its length.
std::pair<char32_t, std::size_t> codePointAt(std::string_view s, std::size_t i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) return {b, 1};
    const std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    char32_t c = b & (0x7F >> n);
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return {c, n};
}

bool allowedInXml(char32_t c) {
    if (c < 0x20) return c == 0x09 || c == 0x0A || c == 0x0D;
    return c != 0xFFFE && c != 0xFFFF && (c < 0xD800 || c > 0xDFFF);
}

void escapeInto(std::string& out, std::string_view text, bool attribute) {
    const auto safe = xmlSafeText(text);
    for (const char ch : safe) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += attribute ? "&quot;" : "\""; break;
            // An attribute's line breaks and tabs would become spaces when read back.
            case '\n': out += attribute ? "&#10;" : "\n"; break;
            case '\r': out += "&#13;"; break;
            case '\t': out += attribute ? "&#9;" : "\t"; break;
            default: out += ch;
        }
    }
}

class Tag {
public:
    Tag(std::string& out, std::string_view indent, const char* name) : out_(out), name_(name) {
        out_ += indent;
        out_ += '<';
        out_ += name;
    }
    Tag& attr(const char* name, std::string_view value) {
        if (value.empty()) return *this;
        out_ += ' ';
        out_ += name;
        out_ += "=\"";
        escapeInto(out_, value, true);
        out_ += '"';
        return *this;
    }
    Tag& attr(const char* name, long long value) { return attr(name, std::to_string(value)); }
    Tag& flag(const char* name, bool on) { return on ? attr(name, std::string_view("true")) : *this; }
    void text(std::string_view value) {
        out_ += '>';
        escapeInto(out_, value, false);
        close();
    }
    void empty() { out_ += "/>\n"; }
    void open() { out_ += ">\n"; }
    void close() {
        out_ += "</";
        out_ += name_;
        out_ += ">\n";
    }

private:
    std::string& out_;
    const char* name_;
};

constexpr std::string_view kIn1 = "  ", kIn2 = "    ", kIn3 = "      ";

void textElement(std::string& out, const char* name, std::string_view value, std::string_view indent = kIn2) {
    if (!value.empty()) Tag(out, indent, name).text(value);
}

std::string memorableOn(const parties::MemorableDate& d) {
    char text[16];
    if (d.year) std::snprintf(text, sizeof text, "%04d-%02u-%02u", *d.year % 10000, d.month % 100, d.day % 100);
    else std::snprintf(text, sizeof text, "--%02u-%02u", d.month % 100, d.day % 100);
    return text;
}

void money(std::string& out, const char* name, const std::optional<sdk::Money>& m) {
    if (m) Tag(out, kIn3, name).attr("currency", m->currency).attr("minor", static_cast<long long>(m->minor)).empty();
}

void terms(std::string& out, const std::optional<parties::CommercialTerms>& t) {
    if (!t) return;
    Tag tag(out, kIn2, "terms");
    tag.open();
    money(out, "turnoverLastYear", t->turnoverLastYear);
    money(out, "turnoverThisYear", t->turnoverThisYear);
    money(out, "creditLimit", t->creditLimit);
    if (t->discountBasisPoints) textElement(out, "discountBasisPoints", std::to_string(*t->discountBasisPoints), kIn3);
    if (t->paymentTermDays) textElement(out, "paymentTermDays", std::to_string(*t->paymentTermDays), kIn3);
    out += kIn2;
    tag.close();
}

void address(std::string& out, const parties::Address& a) {
    Tag tag(out, kIn2, "address");
    tag.attr("purpose", toString(a.purpose)).attr("country", a.country).open();
    textElement(out, "street", a.street, kIn3);
    textElement(out, "building", a.building, kIn3);
    textElement(out, "flat", a.flat, kIn3);
    textElement(out, "postcode", a.postcode, kIn3);
    textElement(out, "city", a.city, kIn3);
    textElement(out, "region", a.region, kIn3);
    out += kIn2;
    tag.close();
}

void place(std::string& out, const ExportedPlace& place) {
    const auto& e = place.employment;
    Tag tag(out, kIn2, "place");
    tag.attr("id", static_cast<long long>(e.id)).attr("company", static_cast<long long>(e.companyId));
    if (e.since) tag.attr("since", isoDate(*e.since));
    if (e.until) tag.attr("until", isoDate(*e.until));
    if (e.reportsTo) tag.attr("reportsTo", static_cast<long long>(e.reportsTo));
    tag.attr("level", e.levelCode);
    if (e.decisionRole != parties::DecisionRole::None) tag.attr("decisionRole", toString(e.decisionRole));
    tag.attr("influence", e.influence).flag("hostOwned", e.hostOwned).open();
    textElement(out, "companyName", place.companyName, kIn3);
    textElement(out, "jobTitle", e.jobTitle, kIn3);
    textElement(out, "department", e.department, kIn3);
    out += kIn2;
    tag.close();
}

void startParty(Tag& tag, const Party& p) {
    tag.attr("id", static_cast<long long>(p.id)).attr("version", p.version);
    tag.attr("createdAt", isoDateTime(p.createdAt)).attr("changedAt", isoDateTime(p.changedAt));
    if (p.ownerId) tag.attr("ownerId", static_cast<long long>(p.ownerId));
    if (p.parentId) tag.attr("parentId", static_cast<long long>(p.parentId));
    if (p.hostId) tag.attr("hostId", static_cast<long long>(p.hostId));
    tag.flag("private", p.isPrivate).flag("removedInHost", p.removedInHost).flag("restrictedHidden", p.restrictedHidden);
    if (p.kind == parties::PartyKind::Person) {
        if (p.gender != parties::Gender::Unknown) tag.attr("gender", toString(p.gender));
        if (p.grammaticalGender != parties::GrammaticalGender::Neuter) tag.attr("grammaticalGender", toString(p.grammaticalGender));
    }
    tag.flag("doNotContact", p.doNotContact).open();
}

void names(std::string& out, const Party& p) {
    textElement(out, "name", p.displayName());
    if (p.fullName != p.displayName()) textElement(out, "fullName", p.fullName);
    textElement(out, "givenName", p.givenName);
    textElement(out, "patronymic", p.patronymic);
    textElement(out, "familyName", p.familyName);
}

void contacts(std::string& out, const Party& p) {
    for (auto role : parties::allPartyRoles())
        if (p.has(role)) textElement(out, "role", toString(role));
    for (const auto& t : p.taxIds) Tag(out, kIn2, "taxId").attr("kind", toString(t.kind)).text(t.value);
    for (const auto& a : p.addresses) address(out, a);
    for (const auto& ph : p.phones) Tag(out, kIn2, "phone").attr("label", ph.label).text(ph.number.e164);
    for (const auto& e : p.emails) Tag(out, kIn2, "email").attr("label", e.label).text(e.address.address);
    for (const auto& m : p.messengers) Tag(out, kIn2, "messenger").attr("network", m.network).text(m.handle);
}

void details(std::string& out, const Party& p) {
    textElement(out, "region", p.region);
    textElement(out, "industry", p.industry);
    textElement(out, "category", p.category);
    textElement(out, "source", p.source);
    textElement(out, "website", p.website);
    textElement(out, "notes", p.notes);
    for (const auto& t : p.tags) textElement(out, "tag", t);
    for (const auto& d : p.dates)
        Tag(out, kIn2, "date").attr("kind", toString(d.kind)).attr("on", memorableOn(d)).attr("label", d.label).empty();
    textElement(out, "language", p.language);
    for (const auto& [code, value] : p.custom) Tag(out, kIn2, "custom").attr("code", code).text(value);
    terms(out, p.terms);
}

}  // namespace

bool isXmlSafe(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) return false;
        if (c == 0xEF && text.substr(i + 1, 1) == "\xBF" && (text.substr(i + 2, 1) == "\xBE" || text.substr(i + 2, 1) == "\xBF"))
            return false;
    }
    return isValidUtf8(text);
}

std::string xmlSafeText(std::string_view text) {
    if (isXmlSafe(text)) return std::string(text);
    const auto valid = replaceInvalidUtf8(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t i = 0; i < valid.size();) {
        const auto [c, n] = codePointAt(valid, i);
        if (allowedInXml(c)) out.append(valid, i, n);
        i += n;
    }
    return out;
}

std::string xmlEscaped(std::string_view text) {
    std::string out;
    escapeInto(out, text, true);
    return out;
}

std::string isoDateTime(sdk::TimePoint at) {
    const auto day = std::chrono::floor<std::chrono::days>(at);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{at - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return text;
}

std::string isoDate(sdk::Date day) {
    const std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

XmlCatalogueWriter::XmlCatalogueWriter(AtomicFile& out, sdk::TimePoint exportedAt) : out_(out) {
    buffer_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    Tag(buffer_, "", "catalogue").attr("xmlns", kCatalogueNamespace).attr("exportedAt", isoDateTime(exportedAt)).open();
    out_.write(buffer_);
}

void XmlCatalogueWriter::write(const ExportedParty& party) {
    const auto& p = party.party;
    buffer_.clear();
    Tag tag(buffer_, kIn1, p.kind == parties::PartyKind::Company ? "company" : "person");
    startParty(tag, p);
    names(buffer_, p);
    contacts(buffer_, p);
    details(buffer_, p);
    for (const auto& pl : party.places) place(buffer_, pl);
    buffer_ += kIn1;
    tag.close();
    out_.write(buffer_);
}

void XmlCatalogueWriter::finish() { out_.write("</catalogue>\n"); }

}  // namespace conduit::crm::exchange
