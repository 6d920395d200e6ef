#include <conduit/crm/parties/email_address.hpp>

#include <conduit/crm/foundation/text.hpp>

#include <unicode/idna.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>

namespace conduit::crm::parties {
namespace {

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string lowered(std::string_view s) {
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size()))).toLower(icu::Locale::getRoot()).toUTF8String(out);
    return out;
}

// The local part's characters RFC 5322 allows unquoted (atext) and the dot between them.
bool localPartFits(std::string_view local) {
    static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return false;
    if (local.find("..") != std::string_view::npos) return false;
    for (unsigned char c : local) {
        const bool ascii = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
        if (!ascii && c < 0x80) return false;  // UTF-8 local parts (RFC 6531) pass as they are
    }
    return true;
}

// The domain through UTS #46 to its ASCII form: what a mail server will be asked for.
bool domainFits(std::string_view domain) {
    if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
    if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) return false;
    UErrorCode status = U_ZERO_ERROR;
    static const std::unique_ptr<icu::IDNA> idna(
        icu::IDNA::createUTS46Instance(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI, status));
    if (!idna) return false;
    icu::IDNAInfo info;
    std::string ascii;
    icu::StringByteSink<std::string> sink(&ascii);
    status = U_ZERO_ERROR;
    idna->nameToASCII_UTF8(icu::StringPiece(domain.data(), static_cast<int32_t>(domain.size())), sink, info, status);
    if (U_FAILURE(status) || info.hasErrors()) return false;
    const auto tld = domain.substr(domain.rfind('.') + 1);
    return tld.size() >= 2;
}

std::optional<FieldProblem> problemOfNormalised(std::string_view s) {
    if (s.empty()) return FieldProblem::Empty;
    if (s.size() > 254) return FieldProblem::TooLong;
    if (s.find_first_of(" \t\r\n\"<>(),;:[]\\") != std::string_view::npos) return FieldProblem::EmailMalformed;
    const auto at = s.find('@');
    if (at == std::string_view::npos || at + 1 == s.size() || s.find('@', at + 1) != std::string_view::npos)
        return FieldProblem::EmailMalformed;
    if (!localPartFits(s.substr(0, at))) return FieldProblem::EmailMalformed;
    if (!domainFits(s.substr(at + 1))) return FieldProblem::EmailDomainInvalid;
    return std::nullopt;
}

struct Checked {
    std::string address;
    std::optional<FieldProblem> problem;
};

// Checked before lower-casing: ICU would quietly turn broken UTF-8 into replacement characters.
Checked check(std::string_view text) {
    if (!isValidUtf8(text)) return {{}, FieldProblem::EmailMalformed};
    Checked c{lowered(trimmed(text)), std::nullopt};
    c.problem = problemOfNormalised(c.address);
    return c;
}

}  // namespace

std::optional<FieldProblem> emailProblem(std::string_view text) { return check(text).problem; }

EmailAddress parseEmail(std::string_view text) {
    Checked c = check(text);
    if (c.problem) throw FieldError(*c.problem, "email");
    return {std::move(c.address)};
}

}  // namespace conduit::crm::parties
