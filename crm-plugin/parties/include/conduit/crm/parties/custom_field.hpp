// A field an administrator adds to the catalogue's companies or people (text, number, date or a
// choice of values), with its name in the suite's three languages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::parties {

enum class CustomFieldType { Text, Number, Date, Choice };
std::string_view toString(CustomFieldType type);  // "text", "number", "date", "choice"
std::optional<CustomFieldType> customFieldTypeFromString(std::string_view code);

struct CustomField {
    std::string code;  // lowercase ASCII letters, digits and '_', at most 32
    CustomFieldType type = CustomFieldType::Text;
    bool forCompanies = true, forPeople = true;
    std::string nameRu, namePl, nameEn;
    std::vector<std::string> choices;  // CustomFieldType::Choice
    friend bool operator==(const CustomField&, const CustomField&) = default;
};

// Whether `value` (as text: "12.5", "2026-02-28", one of the choices) fits the field.
bool fits(const CustomField& field, std::string_view value);

}  // namespace conduit::crm::parties
