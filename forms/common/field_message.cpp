#include "common/field_message.hpp"

#include <QEvent>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

namespace conduit::forms {

namespace {

constexpr int kNoticeMs = 6000;

// Keeps the notice at the bottom centre of its window as the window is resized; a click on it
// hides it.
class NoticePlacer : public QObject {
public:
    NoticePlacer(QLabel* notice, QWidget* window) : QObject(notice), notice_(notice) { window->installEventFilter(this); place(window); }
    bool eventFilter(QObject* watched, QEvent* e) override {
        if (e->type() == QEvent::Resize) place(static_cast<QWidget*>(watched));
        return false;
    }
    static void place(QLabel* notice, QWidget* window) {
        notice->adjustSize();
        const int width = std::min(notice->width(), window->width() - 24);
        notice->resize(width, notice->heightForWidth(width) > 0 ? notice->heightForWidth(width) : notice->height());
        notice->move((window->width() - notice->width()) / 2, window->height() - notice->height() - 16);
    }

private:
    void place(QWidget* window) { place(notice_, window); }
    QLabel* notice_;
};

class Notice : public QLabel {
public:
    using QLabel::QLabel;

protected:
    void mousePressEvent(QMouseEvent*) override { deleteLater(); }
};

}  // namespace

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

QLabel* showSavedNotice(QWidget* window, const QString& text) {
    if (!window || text.isEmpty()) return nullptr;
    for (auto* old : window->findChildren<QLabel*>(QStringLiteral("savedNotice"), Qt::FindDirectChildrenOnly)) old->deleteLater();
    auto* notice = new Notice(text, window);
    notice->setObjectName(QStringLiteral("savedNotice"));
    notice->setTextFormat(Qt::PlainText);  // the text quotes what the user typed
    notice->setWordWrap(true);
    notice->setMargin(8);
    notice->setStyleSheet(QStringLiteral("background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7; border-radius: 4px;"));
    new NoticePlacer(notice, window);
    notice->show();
    notice->raise();
    QTimer::singleShot(kNoticeMs, notice, &QObject::deleteLater);
    return notice;
}

}  // namespace conduit::forms
