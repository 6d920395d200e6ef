// The picker under its former name, for forms not yet moved to PartyPicker (the cards): the same
// widget, keeping the chosen id and searching folded text.
#pragma once

#include "common/party_picker.hpp"

namespace conduit::forms {

class SearchPicker : public PartyPicker {
public:
    using PartyPicker::PartyPicker;
};

}  // namespace conduit::forms
