#include "catalogue/catalogue_list.hpp"

#include "catalogue/party_editor.hpp"
#include "common/exception_barrier.hpp"

#include <QComboBox>
#include <QDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace conduit::forms {

using namespace crm::parties;

namespace {

// What someone types is looked up once they pause, not at every key.
constexpr int kTypingPauseMs = 150;

}  // namespace

CatalogueList::CatalogueList(Catalogue& catalogue, sdk::Id user, Lang lang, Navigation navigation, QWidget* parent)
    : QWidget(parent), catalogue_(catalogue), user_(user), lang_(lang), navigation_(std::move(navigation)) {
    setObjectName("crmCatalogueList");
    model_ = new CatalogueModel(catalogue, user, lang, this);
    buildUi();
    connect(model_, &CatalogueModel::pageLoaded, this, &CatalogueList::showStatus);
    applyFilter();
}

void CatalogueList::buildUi() {
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    search_ = new QLineEdit(this);
    search_->setObjectName("catalogueSearch");
    search_->setPlaceholderText(lang_.pick("Name, tax id, phone or e-mail", "Название, ИНН, телефон или e-mail",
                                           "Nazwa, NIP, telefon lub e-mail"));
    search_->setClearButtonEnabled(true);
    kind_ = new QComboBox(this);
    kind_->setObjectName("catalogueKind");
    kind_->addItem(lang_.pick("Companies and people", "Компании и контакты", "Firmy i osoby"), -1);
    kind_->addItem(lang_.pick("Companies", "Компании", "Firmy"), static_cast<int>(PartyKind::Company));
    kind_->addItem(lang_.pick("People", "Контакты", "Osoby"), static_cast<int>(PartyKind::Person));
    role_ = new QComboBox(this);
    role_->setObjectName("catalogueRole");
    role_->addItem(lang_.pick("Any role", "Любая роль", "Dowolna rola"), 0);
    role_->addItem(lang_.pick("Customers", "Клиенты", "Klienci"), roleBit(PartyRole::Customer));
    role_->addItem(lang_.pick("Prospects", "Потенциальные клиенты", "Potencjalni klienci"), roleBit(PartyRole::Prospect));
    role_->addItem(lang_.pick("Partners and dealers", "Партнёры и дилеры", "Partnerzy i dealerzy"), roleBit(PartyRole::Partner));
    role_->addItem(lang_.pick("Installer firms", "Монтажные фирмы", "Firmy montażowe"), roleBit(PartyRole::Installer));
    role_->addItem(lang_.pick("Suppliers", "Поставщики", "Dostawcy"), roleBit(PartyRole::Supplier));
    role_->addItem(lang_.pick("Competitors", "Конкуренты", "Konkurenci"), roleBit(PartyRole::Competitor));
    bar->addWidget(search_, 1);
    bar->addWidget(kind_);
    bar->addWidget(role_);
    layout->addLayout(bar);
    createEditButtons(layout);
    table_ = new QTableView(this);
    table_->setObjectName("catalogueTable");
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(CatalogueModel::Name, QHeaderView::Stretch);
    layout->addWidget(table_, 1);
    status_ = new QLabel(this);
    status_->setObjectName("catalogueStatus");
    layout->addWidget(status_);

    typing_ = new QTimer(this);
    typing_->setSingleShot(true);
    typing_->setInterval(kTypingPauseMs);
    connect(typing_, &QTimer::timeout, this, &CatalogueList::applyFilter);
    connect(search_, &QLineEdit::textChanged, typing_, qOverload<>(&QTimer::start));
    connect(kind_, &QComboBox::currentIndexChanged, this, &CatalogueList::applyFilter);
    connect(role_, &QComboBox::currentIndexChanged, this, &CatalogueList::applyFilter);
    connect(table_, &QTableView::doubleClicked, this, &CatalogueList::open);
}

void CatalogueList::createEditButtons(QVBoxLayout* layout) {
    auto* row = new QHBoxLayout;
    newCompany_ = new QPushButton(lang_.pick("New company…", "Новая компания…", "Nowa firma…"), this);
    newCompany_->setObjectName("catalogueNewCompany");
    newPerson_ = new QPushButton(lang_.pick("New person…", "Новый контакт…", "Nowa osoba…"), this);
    newPerson_->setObjectName("catalogueNewPerson");
    edit_ = new QPushButton(lang_.pick("Edit…", "Изменить…", "Edytuj…"), this);
    edit_->setObjectName("catalogueEdit");
    row->addWidget(newCompany_);
    row->addWidget(newPerson_);
    row->addWidget(edit_);
    row->addStretch(1);
    layout->addLayout(row);
    connect(newCompany_, &QPushButton::clicked, this, guarded(this, "catalogue: new company", [this] { openEditor(PartyKind::Company, 0); }));
    connect(newPerson_, &QPushButton::clicked, this, guarded(this, "catalogue: new person", [this] { openEditor(PartyKind::Person, 0); }));
    connect(edit_, &QPushButton::clicked, this, guarded(this, "catalogue: edit", [this] {
        const auto* row = model_->rowAt(table_->currentIndex().row());
        if (row) openEditor(row->kind, row->id);
    }));
}

// The core refuses what the user may not do; the editor says so next to its Save.
QDialog* CatalogueList::openEditor(PartyKind kind, std::int64_t id) {
    auto* dialog = openPartyEditor({catalogue_, user_, navigation_}, lang_, kind, id, this);
    connect(dialog, &QObject::destroyed, this, [this] { applyFilter(); });
    return dialog;
}

void CatalogueList::applyFilter() {
    CatalogueFilter f;
    f.text = search_->text().toStdString();
    if (const int kind = kind_->currentData().toInt(); kind >= 0) f.kind = static_cast<PartyKind>(kind);
    f.anyRole = static_cast<PartyRoles>(role_->currentData().toUInt());
    f.limit = 100;
    status_->setText(lang_.pick("Searching…", "Поиск…", "Szukam…"));
    model_->setFilter(f);
}

void CatalogueList::open(const QModelIndex& index) {
    const auto* row = model_->rowAt(index.row());
    if (!row) return;
    // The catalogue's card (it links a host counterparty's card); the counterparty card when the
    // host has no party card to offer.
    if (navigation_.openParty) navigation_.openParty(row->id);
    else if (row->hostId && navigation_.openCounterparty) navigation_.openCounterparty(row->hostId);
}

void CatalogueList::showStatus(int rows, bool more, const QString& error) {
    if (!error.isEmpty()) {
        status_->setText(error);
        return;
    }
    if (rows == 0) status_->setText(lang_.pick("Nothing found", "Ничего не найдено", "Nic nie znaleziono"));
    else if (more) status_->setText(lang_.pick("%1 shown; scroll for more", "Показано %1; прокрутите, чтобы увидеть ещё",
                                               "Pokazano %1; przewiń, by zobaczyć więcej").arg(rows));
    else status_->setText(lang_.pick("%1 found", "Найдено: %1", "Znaleziono: %1").arg(rows));
}

}  // namespace conduit::forms
