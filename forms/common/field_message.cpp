#include "common/field_message.hpp"

#include <QLabel>
#include <QVBoxLayout>
#include <QWidget>

namespace conduit::forms {

QLabel* newFieldMessage(QWidget* parent) {
    auto* message = new QLabel(parent);
    message->setStyleSheet(QStringLiteral("color: #b00020;"));
    message->setTextFormat(Qt::PlainText);
    message->setWordWrap(true);
    message->hide();
    return message;
}

FieldWithMessage fieldWithMessage(QWidget* field, QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(1);
    field->setParent(box);
    v->addWidget(field);
    auto* message = newFieldMessage(box);
    v->addWidget(message);
    return {box, message};
}

}  // namespace conduit::forms
