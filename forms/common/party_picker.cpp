#include "common/party_picker.hpp"

#include <conduit/crm/foundation/search_fold.hpp>

#include <QAbstractItemView>
#include <QAbstractListModel>
#include <QAction>
#include <QCompleter>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QListView>
#include <QPainter>
#include <QPixmap>
#include <QStyleOption>
#include <QStyle>

namespace conduit::forms {

namespace {

QString fold(const QString& text) { return QString::fromStdString(crm::searchFold(text.toStdString())); }

QString join(const QStringList& parts) {
    QStringList kept;
    for (const auto& p : parts)
        if (!p.trimmed().isEmpty()) kept << p.trimmed();
    return kept.join(QStringLiteral(" · "));
}

// "Piotrkowska 12, 90-123 Łódź" → "Piotrkowska 12": the street, as the city is shown on its own.
QString streetOf(const std::string& address, const std::string& city) {
    const QString a = QString::fromStdString(address).trimmed();
    const QString street = a.section(QChar(','), 0, 0).trimmed();
    return street.compare(QString::fromStdString(city), Qt::CaseInsensitive) == 0 ? QString() : street;
}

QString taxIdLabel(const Lang& lang) { return lang.pick("tax ID", "ИНН", "NIP"); }

// The arrow the style draws on its combo boxes, so the picker reads as one of them.
QIcon comboArrow(QWidget* widget) {
    QPixmap pixmap(QSize(16, 16) * widget->devicePixelRatioF());
    pixmap.setDevicePixelRatio(widget->devicePixelRatioF());
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    QStyleOption option;
    option.initFrom(widget);
    option.rect = QRect(3, 4, 10, 8);
    widget->style()->drawPrimitive(QStyle::PE_IndicatorArrowDown, &option, &painter, widget);
    return QIcon(pixmap);
}

}  // namespace

PickerEntry counterpartyEntry(const sdk::Counterparty& c, const Lang& lang) {
    PickerEntry e;
    e.id = c.id;
    e.code = QString::fromStdString(c.taxId);
    e.text = join({QString::fromStdString(c.name), streetOf(c.address, c.city), QString::fromStdString(c.city),
                   c.taxId.empty() ? QString() : taxIdLabel(lang) + QChar(' ') + e.code});
    return e;
}

PickerEntry projectEntry(const sdk::Project& p, DirectoryCache& directory) {
    PickerEntry e;
    e.id = p.id;
    e.code = QString::fromStdString(p.code);
    e.owner = p.counterpartyId;
    e.text = join({e.code, QString::fromStdString(p.name), p.counterpartyId ? directory.counterpartyName(p.counterpartyId) : QString()});
    return e;
}

std::vector<PickerEntry> counterpartyEntries(DirectoryCache& directory, const Lang& lang) {
    std::vector<PickerEntry> out;
    out.reserve(directory.counterparties().size());
    for (const auto& c : directory.counterparties()) out.push_back(counterpartyEntry(c, lang));
    return out;
}

std::vector<PickerEntry> projectEntries(DirectoryCache& directory) {
    std::vector<PickerEntry> out;
    out.reserve(directory.projects().size());
    for (const auto& p : directory.projects()) out.push_back(projectEntry(p, directory));
    return out;
}

std::vector<PickerEntry> userEntries(DirectoryCache& directory) {
    std::vector<PickerEntry> out;
    for (const auto& u : directory.users()) out.push_back({u.id, QString::fromStdString(u.fullName), QString::fromStdString(u.login), 0});
    return out;
}

// The entries with their folded texts, offering the rows that match the typed text and owner.
class PickerModel : public QAbstractListModel {
public:
    static constexpr int kIdRole = Qt::UserRole + 1;

    using QAbstractListModel::QAbstractListModel;

    void setEntries(std::vector<PickerEntry> entries) {
        beginResetModel();
        entries_ = std::move(entries);
        keys_.clear();
        codes_.clear();
        keys_.reserve(entries_.size());
        codes_.reserve(entries_.size());
        for (const auto& e : entries_) {
            keys_.push_back(fold(e.text + QChar(' ') + e.code));
            codes_.push_back(fold(e.code));
        }
        shown_ = rowsMatching(query_, owner_);
        endResetModel();
    }
    void filter(const QString& foldedQuery, std::optional<sdk::Id> owner) {
        beginResetModel();
        query_ = foldedQuery;
        owner_ = owner;
        shown_ = rowsMatching(query_, owner_);
        endResetModel();
    }
    std::vector<std::size_t> rowsMatching(const QString& foldedQuery, std::optional<sdk::Id> owner) const {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < entries_.size(); ++i)
            if ((!owner || entries_[i].owner == *owner) && keys_[i].contains(foldedQuery)) rows.push_back(i);
        return rows;
    }
    // Rows whose code is the typed text, or else starts with it.
    std::vector<std::size_t> rowsByCode(const QString& foldedQuery, std::optional<sdk::Id> owner) const {
        std::vector<std::size_t> exact, prefix;
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            if ((owner && entries_[i].owner != *owner) || codes_[i].isEmpty()) continue;
            if (codes_[i] == foldedQuery) exact.push_back(i);
            else if (codes_[i].startsWith(foldedQuery)) prefix.push_back(i);
        }
        return exact.empty() ? prefix : exact;
    }
    const std::vector<PickerEntry>& entries() const { return entries_; }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : static_cast<int>(shown_.size()); }
    QVariant data(const QModelIndex& index, int role) const override {
        if (!index.isValid() || index.row() >= static_cast<int>(shown_.size())) return {};
        const auto& e = entries_[shown_[static_cast<std::size_t>(index.row())]];
        if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole) return e.text;
        if (role == kIdRole) return QVariant::fromValue<qlonglong>(e.id);
        return {};
    }

private:
    std::vector<PickerEntry> entries_;
    std::vector<QString> keys_, codes_;  // folded, parallel to entries_
    std::vector<std::size_t> shown_;     // rows of entries_ offered now
    QString query_;
    std::optional<sdk::Id> owner_;
};

PartyPicker::PartyPicker(const QString& placeholder, QWidget* parent) : QLineEdit(parent), model_(new PickerModel(this)) {
    setPlaceholderText(placeholder);
    setClearButtonEnabled(true);
    completer_ = new QCompleter(model_, this);
    // The model filters (folded text, owner); the completer only shows what it offers.
    completer_->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    completer_->setMaxVisibleItems(15);
    completer_->setWidget(this);
    if (auto* list = qobject_cast<QListView*>(completer_->popup())) list->setUniformItemSizes(true);
    auto* open = addAction(comboArrow(this), QLineEdit::TrailingPosition);
    open->setObjectName(QStringLiteral("pickerOpen"));
    connect(open, &QAction::triggered, this, &PartyPicker::showAll);
    connect(this, &QLineEdit::textEdited, this, &PartyPicker::typed);
    connect(completer_, qOverload<const QModelIndex&>(&QCompleter::activated), this, &PartyPicker::chooseFromList);
    connect(this, &QLineEdit::editingFinished, this, &PartyPicker::commitTyped);
    // An emptied field (the clear button, deleting the text) chooses nothing, as it shows.
    connect(this, &QLineEdit::textChanged, this, [this](const QString& now) {
        if (now.isEmpty() && !showing_ && selected_) setSelectedId(std::nullopt);
    });
}

void PartyPicker::setEntries(std::vector<PickerEntry> entries) {
    model_->setEntries(std::move(entries));
    if (selected_ && !entry(*selected_)) {
        selected_.reset();
        emit selectionChanged();
    }
    showChosen();
}

void PartyPicker::setEntries(const std::vector<std::pair<sdk::Id, QString>>& entries) {
    std::vector<PickerEntry> plain;
    plain.reserve(entries.size());
    for (const auto& [id, text] : entries) plain.push_back({id, text, {}, 0});
    setEntries(std::move(plain));
}

int PartyPicker::entryCount() const { return static_cast<int>(model_->entries().size()); }

const PickerEntry* PartyPicker::entry(sdk::Id id) const {
    for (const auto& e : model_->entries())
        if (e.id == id) return &e;
    return nullptr;
}

void PartyPicker::setSelectedId(std::optional<sdk::Id> id) {
    if (id && !entry(*id)) id.reset();
    const bool changed = id != selected_;
    selected_ = id;
    showChosen();
    if (changed) emit selectionChanged();
}

void PartyPicker::narrowToOwner(std::optional<sdk::Id> owner) {
    if (owner == owner_) return;
    owner_ = owner;
    model_->filter({}, owner_);
    if (selected_ && owner_)
        if (const auto* e = entry(*selected_); e && e->owner != *owner_) setSelectedId(std::nullopt);
}

std::vector<sdk::Id> PartyPicker::matches(const QString& typed) const {
    std::vector<sdk::Id> ids;
    for (auto row : model_->rowsMatching(fold(typed.trimmed()), owner_)) ids.push_back(model_->entries()[row].id);
    return ids;
}

QAbstractItemView* PartyPicker::popup() const { return completer_->popup(); }

void PartyPicker::showAll() {
    setFocus(Qt::OtherFocusReason);
    model_->filter({}, owner_);
    completer_->complete();
}

void PartyPicker::typed(const QString& text) {
    model_->filter(fold(text.trimmed()), owner_);
    if (text.trimmed().isEmpty() || model_->rowCount() == 0) completer_->popup()->hide();
    else completer_->complete();
}

void PartyPicker::chooseFromList(const QModelIndex& index) {
    setSelectedId(index.data(PickerModel::kIdRole).toLongLong());
}

std::optional<sdk::Id> PartyPicker::uniqueMatch(const QString& typedText) const {
    const QString folded = fold(typedText);
    if (const auto byCode = model_->rowsByCode(folded, owner_); byCode.size() == 1) return model_->entries()[byCode[0]].id;
    if (const auto any = model_->rowsMatching(folded, owner_); any.size() == 1) return model_->entries()[any[0]].id;
    return std::nullopt;
}

void PartyPicker::commitTyped() {
    const QString now = text().trimmed();
    if (now.isEmpty()) {
        setSelectedId(std::nullopt);
        return;
    }
    // The chosen entry stays chosen while its text is shown: same-named entries are told apart
    // by id, never by their text.
    if (const auto* chosen = selected_ ? entry(*selected_) : nullptr; chosen && chosen->text == now) {
        showChosen();
        return;
    }
    if (const auto id = uniqueMatch(now)) setSelectedId(*id);
    showChosen();  // text that names no single entry gives way to the chosen one
}

void PartyPicker::showChosen() {
    const auto* chosen = selected_ ? entry(*selected_) : nullptr;
    const QString shown = chosen ? chosen->text : QString();
    showing_ = true;
    if (text() != shown) setText(shown);
    showing_ = false;
    setToolTip(shown);
    setCursorPosition(0);  // the start (a project's code, a name) stays in view, not the end
}

bool PartyPicker::event(QEvent* e) {
    // Tab leaves the field through QWidget::event; a typed unique code is taken first.
    if (e->type() == QEvent::KeyPress) {
        const auto key = static_cast<QKeyEvent*>(e)->key();
        if (key == Qt::Key_Tab || key == Qt::Key_Backtab) {
            if (completer_->popup()->isVisible()) completer_->popup()->hide();
            commitTyped();
        }
    }
    return QLineEdit::event(e);
}

void PartyPicker::focusOutEvent(QFocusEvent* e) {
    if (e->reason() != Qt::PopupFocusReason) commitTyped();
    QLineEdit::focusOutEvent(e);
}

void PartyPicker::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_Escape && text() != (selected_ && entry(*selected_) ? entry(*selected_)->text : QString())) {
        showChosen();
        return;
    }
    if (e->key() == Qt::Key_Down || e->key() == Qt::Key_F4) {  // the list, as a combo box opens it
        const auto* chosen = selected_ ? entry(*selected_) : nullptr;
        if (text().isEmpty() || (chosen && chosen->text == text())) showAll();
        else typed(text());
        return;
    }
    QLineEdit::keyPressEvent(e);
}

}  // namespace conduit::forms
