// What is wrong with one field of a party as an editor shows it beside the field: a code for
// tests and highlighting, the field's name, and the wording in the reader's language.
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <stdexcept>
#include <string>

namespace conduit::crm::parties {

enum class FieldProblem {
    Empty,
    NotDigits,         // a tax id with letters where digits belong
    WrongLength,       // a tax id of the wrong number of digits for its kind
    WrongChecksum,     // digits that fail the kind's check digit
    NotAPhone,         // nothing a phone number can be read from
    PhoneTooShort,
    PhoneTooLong,
    PhoneNotInUse,     // well-formed, but no such number exists in its country's plan
    UnknownCountryCode,
    EmailMalformed,
    EmailDomainInvalid,
    DateInvalid,       // 30 February, month 13, day 0
    DateInFuture,      // a birthday after today
    TooLong,
    WrongValue,        // a custom field's value not of its type or choices
};

// A field refused. `field` is the editor's name for it ("nip", "phone", "email", "birthday");
// what() is English, for logs; describe() words it for the person at the editor.
struct FieldError : std::invalid_argument {
    FieldError(FieldProblem problem, std::string field);
    FieldProblem problem;
    std::string field;
};

// "Nieprawidłowa suma kontrolna NIP", "Неверное контрольное число ИНН", "Wrong check digit in the NIP".
// `subject` names the field in the reader's language; empty: the message stands alone.
std::string describe(FieldProblem problem, const Locale& reader, std::string_view subject = {});
std::string describe(const FieldError& error, const Locale& reader);

}  // namespace conduit::crm::parties
