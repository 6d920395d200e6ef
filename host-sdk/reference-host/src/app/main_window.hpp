// The reference host's main window and its form registry: plugins add tabs and menu entries
// through sdk::IFormRegistry; the window owns the widgets.
#pragma once

#include <conduit/sdk/forms.hpp>

#include <QMainWindow>

#include <map>
#include <string>

class QLabel;
class QTabWidget;
class QMenu;
class QAction;

namespace refhost {

class MainWindow : public QMainWindow, public conduit::sdk::IFormRegistry {
public:
    explicit MainWindow(const QString& title);
    ~MainWindow() override;

    void addForm(conduit::sdk::FormSpec spec) override;
    void removeForm(const std::string& id) override;
    bool openForm(const std::string& id) override;

    void setStatus(const QString& text);
    std::size_t formCount() const { return forms_.size(); }
    bool isFormOpen(const std::string& id) const;

private:
    struct Form {
        conduit::sdk::FormSpec spec;
        QAction* action = nullptr;
        QWidget* widget = nullptr;  // owned by the tab widget while open
    };
    QMenu* menuFor(const std::string& menuPath);
    void closeTab(int index);

    QTabWidget* tabs_ = nullptr;
    QLabel* status_ = nullptr;
    std::map<std::string, Form> forms_;
    std::map<std::string, QMenu*> menus_;
};

}  // namespace refhost
