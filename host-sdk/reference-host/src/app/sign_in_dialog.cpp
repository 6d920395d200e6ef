#include "sign_in_dialog.hpp"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace refhost {
namespace {

constexpr int kLoginRole = Qt::UserRole;

}  // namespace

SignInDialog::SignInDialog(const std::vector<conduit::sdk::User>& users,
                           const std::vector<conduit::sdk::Department>& departments, const std::string& currentLogin,
                           const HostText& text, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(text.signInTitle());
    std::map<conduit::sdk::Id, QString> departmentNames;
    for (const auto& d : departments) departmentNames[d.id] = text.departmentName(d);

    list_ = new QTreeWidget(this);
    list_->setRootIsDecorated(false);
    list_->setHeaderLabels({text.nameColumn(), text.loginColumn(), text.departmentColumn()});
    for (const auto& u : users) {
        auto* item = new QTreeWidgetItem(list_, {QString::fromStdString(u.fullName), QString::fromStdString(u.login),
                                                 departmentNames.count(u.departmentId) ? departmentNames[u.departmentId] : QString()});
        item->setData(0, kLoginRole, QString::fromStdString(u.login));
        if (u.login == currentLogin) list_->setCurrentItem(item);
    }
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(text.signInButton());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(list_, &QTreeWidget::itemActivated, this, [this] { accept(); });  // double-click or Enter

    auto* hint = new QLabel(text.signInHint(), this);
    hint->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(list_);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    resize(620, 460);
}

std::string SignInDialog::selectedLogin() const {
    const auto* item = list_->currentItem();
    return item ? item->data(0, kLoginRole).toString().toStdString() : std::string();
}

}  // namespace refhost
