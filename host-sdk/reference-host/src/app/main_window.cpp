#include "main_window.hpp"

#include <QAction>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <stdexcept>

namespace refhost {
namespace {

// The letter after a single '&' (a doubled "&&" is a literal ampersand), lower case; null if none.
QChar mnemonicOf(const QString& text) {
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&') continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

}  // namespace

QString withMnemonic(const QString& label, const QList<QAction*>& taken) {
    if (label.contains(u'&')) return label;
    QList<QChar> used;
    for (const auto* a : taken)
        if (const QChar m = mnemonicOf(a->text()); !m.isNull()) used << m;
    for (int i = 0; i < label.size(); ++i)
        if (label[i].isLetterOrNumber() && !used.contains(label[i].toLower()))
            return label.left(i) + u'&' + label.mid(i);
    return label;
}

MainWindow::MainWindow(HostText text) : text_(std::move(text)) {
    setWindowTitle(text_.suiteTitle());
    tabs_ = new QTabWidget(this);
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    setCentralWidget(tabs_);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, [this](int i) { closeTab(i); });

    auto* welcome = new QLabel(text_.homeText(), tabs_);
    welcome->setAlignment(Qt::AlignCenter);
    tabs_->addTab(welcome, text_.homeTab());
    tabs_->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);

    auto* suite = menuBar()->addMenu(text_.suiteMenu());
    signIn_ = suite->addAction(text_.signInAction(), this, [this] {
        if (signInHandler_) signInHandler_();
    });
    signIn_->setEnabled(false);
    suite->addSeparator();
    suite->addAction(text_.quitAction(), QKeySequence::Quit, this, &QWidget::close);
    status_ = new QLabel(this);
    statusBar()->addWidget(status_, 1);
    user_ = new QLabel(this);
    statusBar()->addPermanentWidget(user_);
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

QMenu* MainWindow::menuFor(const std::string& menuPath) {
    // "CRM/Dispatcher workstation" -> top-level menu "CRM"
    const auto slash = menuPath.find('/');
    const std::string top = slash == std::string::npos ? std::string() : menuPath.substr(0, slash);
    auto it = menus_.find(top);
    if (it != menus_.end()) return it->second;
    const QString title = top.empty() ? text_.pick("Forms", "Формы", "Formularze") : QString::fromStdString(top);
    auto* menu = menuBar()->addMenu(withMnemonic(title, menuBar()->actions()));
    menus_[top] = menu;
    return menu;
}

void MainWindow::addForm(conduit::sdk::FormSpec spec) {
    if (spec.id.empty() || !spec.create) throw std::invalid_argument("a form needs an id and a create function");
    if (forms_.count(spec.id)) throw std::invalid_argument("form '" + spec.id + "' is already registered");
    const auto slash = spec.menuPath.find('/');
    const std::string label = slash == std::string::npos ? spec.menuPath : spec.menuPath.substr(slash + 1);
    QMenu* menu = menuFor(spec.menuPath);
    auto* action = menu->addAction(withMnemonic(QString::fromStdString(label.empty() ? spec.title : label), menu->actions()));
    const std::string id = spec.id;
    connect(action, &QAction::triggered, this, [this, id] { openForm(id); });
    const bool open = spec.openOnStart;
    forms_[id] = Form{std::move(spec), action, nullptr};
    order_.push_back(id);
    if (open) openForm(id);
}

void MainWindow::removeForm(const std::string& id) {
    auto it = forms_.find(id);
    if (it == forms_.end()) return;
    if (it->second.widget) {
        const int index = tabs_->indexOf(it->second.widget);
        if (index >= 0) tabs_->removeTab(index);
        // Deleted now, not later: the plugin may free what the widget refers to right after this.
        delete it->second.widget;
    }
    if (it->second.action) {
        if (auto* menu = qobject_cast<QMenu*>(it->second.action->parent())) menu->removeAction(it->second.action);
        delete it->second.action;
    }
    forms_.erase(it);
    order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
}

bool MainWindow::openForm(const std::string& id) {
    auto it = forms_.find(id);
    if (it == forms_.end()) return false;
    auto& form = it->second;
    if (!form.widget) {
        form.widget = form.spec.create(tabs_);
        if (!form.widget) return false;
        tabs_->addTab(form.widget, QString::fromStdString(form.spec.title));
    }
    tabs_->setCurrentWidget(form.widget);
    return true;
}

bool MainWindow::isFormOpen(const std::string& id) const {
    auto it = forms_.find(id);
    return it != forms_.end() && it->second.widget != nullptr;
}

std::vector<std::string> MainWindow::formIds() const { return order_; }

std::string MainWindow::formTitle(const std::string& id) const {
    auto it = forms_.find(id);
    return it == forms_.end() ? std::string() : it->second.spec.title;
}

QWidget* MainWindow::formWidget(const std::string& id) const {
    auto it = forms_.find(id);
    return it == forms_.end() ? nullptr : it->second.widget;
}

void MainWindow::closeTab(int index) {
    QWidget* w = tabs_->widget(index);
    for (auto& [id, form] : forms_)
        if (form.widget == w) form.widget = nullptr;
    tabs_->removeTab(index);
    delete w;
}

void MainWindow::setStatus(const QString& text) { status_->setText(text); }

void MainWindow::setSignedIn(const conduit::sdk::User& user, const QString& department) {
    user_->setText(text_.signedIn(user, department));
    setWindowTitle(text_.windowTitle(user));
}

QString MainWindow::signedInText() const { return user_->text(); }

void MainWindow::setSignInHandler(std::function<void()> handler) {
    signInHandler_ = std::move(handler);
    signIn_->setEnabled(static_cast<bool>(signInHandler_));
}

}  // namespace refhost
