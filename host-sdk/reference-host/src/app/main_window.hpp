// The reference host's main window and its form registry: plugins add tabs and menu entries
// through sdk::IFormRegistry; the window owns the widgets and shows who is signed in.
#pragma once

#include "host_text.hpp"

#include <conduit/sdk/forms.hpp>

#include <QMainWindow>

#include <functional>
#include <map>
#include <string>
#include <vector>

class QLabel;
class QTabWidget;
class QMenu;
class QAction;

namespace refhost {

class MainWindow : public QMainWindow, public conduit::sdk::IFormRegistry {
public:
    explicit MainWindow(HostText text);
    ~MainWindow() override;

    void addForm(conduit::sdk::FormSpec spec) override;
    void removeForm(const std::string& id) override;
    bool openForm(const std::string& id) override;

    void setStatus(const QString& text);
    // The window title and the status bar name the person and their department.
    void setSignedIn(const conduit::sdk::User& user, const QString& department);
    QString signedInText() const;
    // Suite → Sign in as… calls this (the action is disabled until a handler is set).
    void setSignInHandler(std::function<void()> handler);

    std::size_t formCount() const { return forms_.size(); }
    bool isFormOpen(const std::string& id) const;
    std::vector<std::string> formIds() const;  // in registration order
    std::string formTitle(const std::string& id) const;
    QWidget* formWidget(const std::string& id) const;  // null while the form is closed
    const HostText& text() const { return text_; }

private:
    struct Form {
        conduit::sdk::FormSpec spec;
        QAction* action = nullptr;
        QWidget* widget = nullptr;  // owned by the tab widget while open
    };
    QMenu* menuFor(const std::string& menuPath);
    void closeTab(int index);

    HostText text_;
    QTabWidget* tabs_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* user_ = nullptr;
    QAction* signIn_ = nullptr;
    std::function<void()> signInHandler_;
    std::map<std::string, Form> forms_;
    std::vector<std::string> order_;
    std::map<std::string, QMenu*> menus_;
};

// `label` with a keyboard mnemonic on its first letter that none of `taken` uses yet ("CRM" →
// "&CRM"); a label that has one already, or has no free letter, stays as it is.
QString withMnemonic(const QString& label, const QList<QAction*>& taken);

}  // namespace refhost
