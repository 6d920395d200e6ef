// The catalogue form: companies and people found as one types (a word of the name, a tax id, a
// phone, an e-mail), narrowed by kind and role; a double click opens the party's card.
#pragma once

#include "catalogue/catalogue_model.hpp"
#include "common/forms_context.hpp"

#include <QWidget>

class QComboBox;
class QDialog;
class QPushButton;
class QVBoxLayout;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace conduit::forms {

class CatalogueList : public QWidget {
    Q_OBJECT
public:
    CatalogueList(crm::parties::Catalogue& catalogue, sdk::Id user, Lang lang, Navigation navigation, QWidget* parent = nullptr);

    // For tests and scripts: the search box, the model behind the table.
    QLineEdit* searchBox() const { return search_; }
    QComboBox* kindBox() const { return kind_; }
    QComboBox* roleBox() const { return role_; }
    CatalogueModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    // The editor of a new party (id 0) or of one in the list; the list reloads when it closes.
    QDialog* openEditor(crm::parties::PartyKind kind, std::int64_t id);

private:
    void buildUi();
    void createEditButtons(QVBoxLayout* layout);
    void applyFilter();
    void open(const QModelIndex& index);
    void showStatus(int rows, bool more, const QString& error);

    crm::parties::Catalogue& catalogue_;
    sdk::Id user_;
    Lang lang_;
    Navigation navigation_;
    CatalogueModel* model_ = nullptr;
    QLineEdit* search_ = nullptr;
    QComboBox* kind_ = nullptr;
    QComboBox* role_ = nullptr;
    QTableView* table_ = nullptr;
    QLabel* status_ = nullptr;
    QTimer* typing_ = nullptr;
    QPushButton* newCompany_ = nullptr;
    QPushButton* newPerson_ = nullptr;
    QPushButton* edit_ = nullptr;
};

}  // namespace conduit::forms
