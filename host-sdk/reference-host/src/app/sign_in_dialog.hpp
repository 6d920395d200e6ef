// Suite → Sign in as…: the host's users with their names, logins and departments; the chosen
// person's login is what the suite restarts with.
#pragma once

#include "host_text.hpp"

#include <conduit/sdk/directory.hpp>

#include <QDialog>

#include <string>
#include <vector>

class QTreeWidget;

namespace refhost {

class SignInDialog : public QDialog {
public:
    SignInDialog(const std::vector<conduit::sdk::User>& users, const std::vector<conduit::sdk::Department>& departments,
                 const std::string& currentLogin, const HostText& text, QWidget* parent = nullptr);

    // The highlighted person's login; empty when nobody is.
    std::string selectedLogin() const;
    QTreeWidget* list() const { return list_; }

private:
    QTreeWidget* list_ = nullptr;
};

}  // namespace refhost
