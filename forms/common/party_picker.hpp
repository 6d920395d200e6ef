// The one picker for counterparties, projects and users: keeps the id the user chose, shows what
// tells same-named entries apart, finds any part of the text however it is typed (ё = е, ą = a).
#pragma once

#include "common/directory_cache.hpp"
#include "common/lang.hpp"

#include <conduit/sdk/values.hpp>

#include <QLineEdit>

#include <optional>
#include <utility>
#include <vector>

class QAbstractItemView;
class QCompleter;

namespace conduit::forms {

// One line of a picker's list.
struct PickerEntry {
    sdk::Id id = 0;
    QString text;        // what the field shows once chosen: "P-2026-0042 · Okna PCV · Kowalski Jan"
    QString code;        // typed in full and Tab picks it: a project's code, a tax id; may be empty
    sdk::Id owner = 0;   // a project's counterparty: what narrowToOwner() keeps
};

// "Agnieszka Lewandowska · Piotrkowska 12 · Gdańsk · NIP PL5260001234": name, street, city, tax id.
PickerEntry counterpartyEntry(const sdk::Counterparty& c, const Lang& lang);
// "P-2026-0042 · Okna PCV · Agnieszka Lewandowska": code, name, customer.
PickerEntry projectEntry(const sdk::Project& p, DirectoryCache& directory);
std::vector<PickerEntry> counterpartyEntries(DirectoryCache& directory, const Lang& lang);
std::vector<PickerEntry> projectEntries(DirectoryCache& directory);
std::vector<PickerEntry> userEntries(DirectoryCache& directory);

class PickerModel;

class PartyPicker : public QLineEdit {
    Q_OBJECT
public:
    // `placeholder` ("— any —", "— choose —") shows while nothing is chosen; it is never text.
    explicit PartyPicker(const QString& placeholder, QWidget* parent = nullptr);

    void setEntries(std::vector<PickerEntry> entries);  // keeps the chosen id when it is still there
    void setEntries(const std::vector<std::pair<sdk::Id, QString>>& entries);  // plain text entries
    int entryCount() const;

    std::optional<sdk::Id> selectedId() const { return selected_; }
    // Unknown ids choose nothing. Emits selectionChanged() when the choice changes.
    void setSelectedId(std::optional<sdk::Id> id);

    // Only entries of this owner are offered (a counterparty's projects); nullopt: all. A chosen
    // entry of another owner is dropped.
    void narrowToOwner(std::optional<sdk::Id> owner);
    std::optional<sdk::Id> owner() const { return owner_; }

    // The ids the list offers for this typed text, in the list's order.
    std::vector<sdk::Id> matches(const QString& typed) const;
    QAbstractItemView* popup() const;  // the list under the field
    void showAll();                    // the arrow button: every (narrowed) entry

signals:
    void selectionChanged();

protected:
    bool event(QEvent* e) override;
    void focusOutEvent(QFocusEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    void typed(const QString& text);
    void chooseFromList(const QModelIndex& index);
    void commitTyped();          // Enter, Tab, leaving the field
    void showChosen();           // the chosen entry's text, from its start
    std::optional<sdk::Id> uniqueMatch(const QString& typed) const;
    const PickerEntry* entry(sdk::Id id) const;

    PickerModel* model_ = nullptr;
    QCompleter* completer_ = nullptr;
    std::optional<sdk::Id> selected_;
    std::optional<sdk::Id> owner_;
    bool showing_ = false;  // showChosen() is setting the text, not the user
};

}  // namespace conduit::forms
