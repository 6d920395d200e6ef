// Messages next to what they are about, in the entry dialogs and the rules editor: errors in red,
// plain text (a user's own input may be quoted back: never markup), wrapped, hidden until needed;
// and the short "Saved: …" notice a closed dialog leaves on its window.
#pragma once

class QLabel;
class QString;
class QWidget;

namespace conduit::forms {

QLabel* newFieldMessage(QWidget* parent);

// `field` in a box with its message right under it (a form row's widget).
struct FieldWithMessage {
    QWidget* box;
    QLabel* message;
};
FieldWithMessage fieldWithMessage(QWidget* field, QWidget* parent);

// A notice at the bottom of `window` that goes away by itself after a few seconds (or on a
// click): what a dialog that closed on success did. Replaces an earlier notice. Null or empty:
// nothing shown. The label is named "savedNotice".
QLabel* showSavedNotice(QWidget* window, const QString& text);

}  // namespace conduit::forms
