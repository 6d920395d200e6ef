#include "main_window.hpp"

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <stdexcept>

namespace refhost {

MainWindow::MainWindow(const QString& title) {
    setWindowTitle(title);
    tabs_ = new QTabWidget(this);
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    setCentralWidget(tabs_);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, [this](int i) { closeTab(i); });

    auto* welcome = new QLabel(tr("Reference production suite.\nPlugins add their forms to the menus above."), tabs_);
    welcome->setAlignment(Qt::AlignCenter);
    tabs_->addTab(welcome, tr("Home"));
    tabs_->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);

    auto* file = menuBar()->addMenu(tr("&Suite"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    status_ = new QLabel(this);
    statusBar()->addWidget(status_, 1);
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

QMenu* MainWindow::menuFor(const std::string& menuPath) {
    // "CRM/Dispatcher workstation" -> top-level menu "CRM"
    const auto slash = menuPath.find('/');
    const std::string top = slash == std::string::npos ? std::string("Forms") : menuPath.substr(0, slash);
    auto it = menus_.find(top);
    if (it != menus_.end()) return it->second;
    auto* menu = menuBar()->addMenu(QString::fromStdString(top));
    menus_[top] = menu;
    return menu;
}

void MainWindow::addForm(conduit::sdk::FormSpec spec) {
    if (spec.id.empty() || !spec.create) throw std::invalid_argument("a form needs an id and a create function");
    if (forms_.count(spec.id)) throw std::invalid_argument("form '" + spec.id + "' is already registered");
    const auto slash = spec.menuPath.find('/');
    const std::string label = slash == std::string::npos ? spec.menuPath : spec.menuPath.substr(slash + 1);
    auto* action = menuFor(spec.menuPath)->addAction(QString::fromStdString(label.empty() ? spec.title : label));
    const std::string id = spec.id;
    connect(action, &QAction::triggered, this, [this, id] { openForm(id); });
    const bool open = spec.openOnStart;
    forms_[id] = Form{std::move(spec), action, nullptr};
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

void MainWindow::closeTab(int index) {
    QWidget* w = tabs_->widget(index);
    for (auto& [id, form] : forms_)
        if (form.widget == w) form.widget = nullptr;
    tabs_->removeTab(index);
    delete w;
}

void MainWindow::setStatus(const QString& text) { status_->setText(text); }

}  // namespace refhost
