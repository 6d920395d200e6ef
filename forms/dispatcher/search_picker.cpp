#include "dispatcher/search_picker.hpp"

#include <QCompleter>
#include <QLineEdit>
#include <QStringListModel>

namespace conduit::forms {

SearchPicker::SearchPicker(const QString& anyText, QWidget* parent) : QComboBox(parent) {
    model_ = new QStringListModel(QStringList{anyText}, this);
    setModel(model_);
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setMaxVisibleItems(20);
    // Sizing to the longest of thousands of entries measures every one of them.
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(16);

    auto* completer = new QCompleter(model_, this);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setMaxVisibleItems(15);
    setCompleter(completer);
    lineEdit()->setPlaceholderText(anyText);

    connect(this, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0 || index == lastIndex_) return;
        lastIndex_ = index;
        emit selectionChanged();
    });
    // Typed text that names no entry falls back to the current entry instead of filtering by
    // something the user did not pick.
    connect(lineEdit(), &QLineEdit::editingFinished, this, &SearchPicker::commitTypedText);
}

void SearchPicker::setEntries(const std::vector<std::pair<sdk::Id, QString>>& entries) {
    const auto keep = selectedId();
    QStringList texts;
    texts.reserve(static_cast<qsizetype>(entries.size()) + 1);
    texts << model_->stringList().value(0);
    ids_.clear();
    ids_.reserve(entries.size());
    for (const auto& [id, text] : entries) {
        ids_.push_back(id);
        texts << text;
    }
    const QSignalBlocker block(this);
    model_->setStringList(texts);
    lastIndex_ = -1;
    setSelectedId(keep);
}

std::optional<sdk::Id> SearchPicker::selectedId() const {
    const int index = currentIndex();
    if (index <= 0 || index > static_cast<int>(ids_.size())) return std::nullopt;
    return ids_[static_cast<std::size_t>(index - 1)];
}

void SearchPicker::setSelectedId(std::optional<sdk::Id> id) {
    int index = 0;
    if (id)
        for (std::size_t i = 0; i < ids_.size(); ++i)
            if (ids_[i] == *id) {
                index = static_cast<int>(i) + 1;
                break;
            }
    setCurrentIndex(index);
    if (lastIndex_ == -1) lastIndex_ = index;  // after setEntries: same selection, no signal
}

void SearchPicker::commitTypedText() {
    const QString typed = currentText().trimmed();
    if (typed.isEmpty()) {
        setCurrentIndex(0);
        return;
    }
    const int exact = findText(typed, Qt::MatchFixedString);
    if (exact >= 0) {
        setCurrentIndex(exact);
        return;
    }
    setEditText(itemText(currentIndex()));
}

}  // namespace conduit::forms
