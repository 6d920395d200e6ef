// Reading a host's action request: its text fields by name, the one way every action of the
// plugin takes them (a missing field and an empty one differ only where the caller asks).
#pragma once

#include <conduit/crm/foundation/locale.hpp>

#include <conduit/sdk/actions.hpp>

#include <optional>
#include <string>

namespace conduit::crm {

inline std::optional<std::string> actionField(const sdk::ActionRequest& r, const std::string& name) {
    const auto it = r.fields.find(name);
    if (it == r.fields.end()) return std::nullopt;
    return it->second;
}

// The field's text, empty when the request has none.
inline std::string actionText(const sdk::ActionRequest& r, const std::string& name) { return actionField(r, name).value_or(""); }

// A request refused at one field, with what the host shows its user.
struct ActionRefusal {
    std::string field, message;
};

inline constexpr LocalizedText kValueNotAllowed{"Недопустимое значение поля", "Niedozwolona wartość pola",
                                                "Value not allowed in the field"};

// "Niedozwolona wartość pola: mode"; `shown` names the value instead of the field when given.
inline ActionRefusal valueNotAllowed(const Locale& reader, const std::string& field, const std::string& shown = {}) {
    return {field, std::string(reader.pick(kValueNotAllowed)) + ": " + (shown.empty() ? field : shown)};
}

}  // namespace conduit::crm
