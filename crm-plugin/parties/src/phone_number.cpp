#include <conduit/crm/parties/phone_number.hpp>

#include <phonenumbers/phonenumberutil.h>

namespace conduit::crm::parties {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;
using Parsed = i18n::phonenumbers::PhoneNumber;

// libphonenumber's singleton is thread-safe once created; its own logging goes nowhere.
const PhoneNumberUtil& util() { return *PhoneNumberUtil::GetInstance(); }

struct Reading {
    std::optional<Parsed> number;
    std::optional<FieldProblem> problem;
};

FieldProblem problemOf(PhoneNumberUtil::ErrorType error) {
    switch (error) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return FieldProblem::UnknownCountryCode;
        case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        case PhoneNumberUtil::TOO_SHORT_NSN: return FieldProblem::PhoneTooShort;
        case PhoneNumberUtil::TOO_LONG_NSN: return FieldProblem::PhoneTooLong;
        default: return FieldProblem::NotAPhone;
    }
}

// A number that parses but is no number in use: too short or long for its plan says more than "not in use".
FieldProblem invalidReason(const Parsed& number) {
    switch (util().IsPossibleNumberWithReason(number)) {
        case PhoneNumberUtil::TOO_SHORT: return FieldProblem::PhoneTooShort;
        case PhoneNumberUtil::TOO_LONG: return FieldProblem::PhoneTooLong;
        case PhoneNumberUtil::INVALID_COUNTRY_CODE: return FieldProblem::UnknownCountryCode;
        default: return FieldProblem::PhoneNotInUse;
    }
}

Reading read(std::string_view text, std::string_view region) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) return {std::nullopt, FieldProblem::Empty};
    if (text.size() > 64) return {std::nullopt, FieldProblem::TooLong};
    Parsed number;
    const auto error = util().Parse(std::string(text), std::string(region), &number);
    if (error != PhoneNumberUtil::NO_PARSING_ERROR) return {std::nullopt, problemOf(error)};
    if (!util().IsValidNumber(number)) return {std::nullopt, invalidReason(number)};
    return {number, std::nullopt};
}

PhoneKind kindOf(const Parsed& number) {
    switch (util().GetNumberType(number)) {
        case PhoneNumberUtil::FIXED_LINE: return PhoneKind::Fixed;
        case PhoneNumberUtil::MOBILE: return PhoneKind::Mobile;
        case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return PhoneKind::FixedOrMobile;
        case PhoneNumberUtil::TOLL_FREE: return PhoneKind::TollFree;
        case PhoneNumberUtil::UNKNOWN: return PhoneKind::Unknown;
        default: return PhoneKind::Other;
    }
}

}  // namespace

std::optional<FieldProblem> phoneProblem(std::string_view text, std::string_view region) {
    return read(text, region).problem;
}

PhoneNumber parsePhone(std::string_view text, std::string_view region) {
    const Reading r = read(text, region);
    if (r.problem) throw FieldError(*r.problem, "phone");
    PhoneNumber phone;
    util().Format(*r.number, PhoneNumberUtil::E164, &phone.e164);
    phone.kind = kindOf(*r.number);
    return phone;
}

std::string countryOfNumber(std::string_view text) {
    const Reading r = read(text, "ZZ");
    if (!r.number) return {};
    std::string region;
    util().GetRegionCodeForNumber(*r.number, &region);
    return region == "ZZ" || region == "001" ? std::string{} : region;
}

std::string displayText(const PhoneNumber& phone, std::string_view region) {
    Parsed number;
    if (util().Parse(phone.e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return phone.e164;
    std::string regionOfNumber;
    util().GetRegionCodeForNumber(number, &regionOfNumber);
    std::string out;
    const bool home = regionOfNumber == region;
    util().Format(number, home ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL, &out);
    return out;
}

}  // namespace conduit::crm::parties
