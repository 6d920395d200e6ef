// Error messages next to what they are about, in the entry dialogs and the rules editor: red,
// plain text (a user's own input may be quoted back: never markup), wrapped, hidden until needed.
#pragma once

class QLabel;
class QWidget;

namespace conduit::forms {

QLabel* newFieldMessage(QWidget* parent);

// `field` in a box with its message right under it (a form row's widget).
struct FieldWithMessage {
    QWidget* box;
    QLabel* message;
};
FieldWithMessage fieldWithMessage(QWidget* field, QWidget* parent);

}  // namespace conduit::forms
