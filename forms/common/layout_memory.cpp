#include "common/layout_memory.hpp"

#include "common/exception_barrier.hpp"

#include <QEvent>
#include <QHeaderView>
#include <QSplitter>
#include <QTimer>
#include <QWidget>

namespace conduit::forms {

struct LayoutMemory::Tracked {
    enum class Kind { Header, Splitter, Window } kind;
    std::string part;
    QPointer<QObject> object;
};

namespace {

// Quiet time after the last change before it is written: a drag or a resize writes once.
constexpr int kWriteDelayMs = 400;

QByteArray stateOf(QObject* object, int kind) {
    switch (kind) {
    case 0: return static_cast<QHeaderView*>(object)->saveState();
    case 1: return static_cast<QSplitter*>(object)->saveState();
    default: return static_cast<QWidget*>(object)->saveGeometry();
    }
}

}  // namespace

LayoutMemory::LayoutMemory(sdk::ISettings* settings, std::string login, std::string form, QObject* parent)
    : QObject(parent), settings_(settings), login_(std::move(login)), form_(std::move(form)) {
    timer_ = new QTimer(this);
    timer_->setSingleShot(true);
    timer_->setInterval(kWriteDelayMs);
    connect(timer_, &QTimer::timeout, this, guarded(this, "saving the layout", [this] { saveNow(); }));
}

LayoutMemory::~LayoutMemory() {
    if (timer_->isActive()) runGuarded(nullptr, "saving the layout", [this] { saveNow(); });
}

std::string LayoutMemory::keyFor(std::string_view login, std::string_view form, std::string_view part) {
    std::string key = "crm.forms.layout.";
    key.append(login.empty() ? std::string_view("default") : login).append(".").append(form).append(".").append(part);
    return key;
}

std::optional<QByteArray> LayoutMemory::get(std::string_view part) const {
    if (!settings_) return std::nullopt;
    const auto text = settings_->get(key(part));
    if (!text || text->empty()) return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(*text), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return std::nullopt;  // damaged by hand: the form's own defaults then
    return *decoded;
}

void LayoutMemory::set(std::string_view part, const QByteArray& state) {
    if (settings_) settings_->set(key(part), state.toBase64().toStdString());
}

bool LayoutMemory::track(std::string_view part, QHeaderView* header) {
    const auto saved = get(part);
    const bool restored = saved && header->restoreState(*saved);
    tracked_.push_back({Tracked::Kind::Header, std::string(part), header});
    connect(header, &QHeaderView::sectionResized, this, &LayoutMemory::changed);
    connect(header, &QHeaderView::sectionMoved, this, &LayoutMemory::changed);
    return restored;
}

bool LayoutMemory::track(std::string_view part, QSplitter* splitter) {
    const auto saved = get(part);
    const bool restored = saved && splitter->restoreState(*saved);
    tracked_.push_back({Tracked::Kind::Splitter, std::string(part), splitter});
    connect(splitter, &QSplitter::splitterMoved, this, &LayoutMemory::changed);
    return restored;
}

bool LayoutMemory::trackWindow(std::string_view part, QWidget* inside) {
    QWidget* window = inside->window();
    const auto saved = get(part);
    const bool restored = saved && window->restoreGeometry(*saved);
    tracked_.push_back({Tracked::Kind::Window, std::string(part), window});
    window->installEventFilter(this);
    return restored;
}

bool LayoutMemory::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize || event->type() == QEvent::Move || event->type() == QEvent::WindowStateChange)
        for (const auto& t : tracked_)
            if (t.kind == Tracked::Kind::Window && t.object == watched) changed();
    return QObject::eventFilter(watched, event);
}

void LayoutMemory::changed() {
    if (settings_) timer_->start();
}

void LayoutMemory::saveNow() {
    timer_->stop();
    for (const auto& t : tracked_)
        if (t.object) set(t.part, stateOf(t.object, static_cast<int>(t.kind)));
}

}  // namespace conduit::forms
