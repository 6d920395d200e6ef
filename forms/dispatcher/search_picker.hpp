// A picker over thousands of directory entries (projects, counterparties, users): an editable
// combo box whose popup narrows to the entries containing what the user types.
#pragma once

#include <conduit/sdk/values.hpp>

#include <QComboBox>

#include <optional>
#include <utility>
#include <vector>

class QStringListModel;

namespace conduit::forms {

class SearchPicker : public QComboBox {
    Q_OBJECT
public:
    // `anyText` is the first entry, meaning "no restriction".
    explicit SearchPicker(const QString& anyText, QWidget* parent = nullptr);

    void setEntries(const std::vector<std::pair<sdk::Id, QString>>& entries);
    std::optional<sdk::Id> selectedId() const;
    void setSelectedId(std::optional<sdk::Id> id);  // unknown ids select "any"
    int entryCount() const { return static_cast<int>(ids_.size()); }

signals:
    void selectionChanged();

private:
    void commitTypedText();

    QStringListModel* model_ = nullptr;
    std::vector<sdk::Id> ids_;  // parallel to the combo rows after "any"
    int lastIndex_ = 0;
};

}  // namespace conduit::forms
