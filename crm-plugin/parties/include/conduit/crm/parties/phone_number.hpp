// A phone number as the catalogue keeps it: E.164 ("+48226543210"), read from whatever people
// type ("22 654 32 10", "8 (495) 123-45-67", "+7 495 1234567") with Debian's libphonenumber.
#pragma once

#include <conduit/crm/parties/field_problem.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace conduit::crm::parties {

enum class PhoneKind { Unknown, Fixed, Mobile, FixedOrMobile, TollFree, Other };

struct PhoneNumber {
    std::string e164;  // "+48226543210": the key duplicates and incoming calls are matched by
    PhoneKind kind = PhoneKind::Unknown;

    friend bool operator==(const PhoneNumber&, const PhoneNumber&) = default;
};

// `region` is the ISO 3166 country a number without a "+" prefix belongs to ("PL", "RU"): the
// party's country, or the installation's. The problem with `text`, none when it is a number in use.
std::optional<FieldProblem> phoneProblem(std::string_view text, std::string_view region);

// The number in E.164; throws FieldError (field "phone") when `text` is none.
PhoneNumber parsePhone(std::string_view text, std::string_view region);

// The ISO 3166 country of a number written internationally ("+44 20 7946 0000" -> "GB"); empty
// for a number without its country code or none in use.
std::string countryOfNumber(std::string_view text);

// As people of `region` write it: a number of that country in its national format
// ("22 654 32 10", "8 (495) 123-45-67"), any other internationally ("+49 30 123456").
std::string displayText(const PhoneNumber& phone, std::string_view region);

}  // namespace conduit::crm::parties
