// The notification rules editor: the list of rules (name, kinds, timing, recipients, on/off) and
// a form to add or edit one, saved through the core's RuleStore; problems shown next to the field.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/notify/rules.hpp>

#include <QWidget>

#include <map>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace conduit::forms {

// "-2d, -3h, 0, 30m" <-> offsets; nullopt when a part is not a number with d/h/m.
std::optional<std::vector<std::chrono::minutes>> parseOffsets(const QString& text);
QString formatOffsets(const std::vector<std::chrono::minutes>& offsets);

class RulesEditor : public QWidget {
    Q_OBJECT
public:
    RulesEditor(crm::notify::RuleStore& rules, const crm::EventKindRegistry& kinds, Lang lang, QWidget* parent = nullptr);

    void reload();                 // the list from the store
    QTableWidget* table() const { return table_; }
    int rowCount() const;
    std::optional<std::int64_t> selectedRuleId() const;

    // The form (tests drive it like a user).
    void newRule();                // empty form, "Save" adds
    bool editSelected();           // the selected rule in the form, "Save" updates
    bool save();                   // false: messages next to the fields, nothing written
    bool toggleSelected();         // enable <-> disable
    QLineEdit* nameEdit() const { return name_; }
    QLineEdit* kindsEdit() const { return kindsEdit_; }
    QComboBox* timingBox() const { return timing_; }
    QLineEdit* offsetsEdit() const { return offsets_; }
    QListWidget* recipientList() const { return recipients_; }
    QString messageFor(const std::string& field) const;

private:
    void fillForm(const crm::notify::Rule& rule);
    crm::notify::Rule fromForm(bool& ok);
    void showMessage(const std::string& field, const QString& text);
    void clearMessages();
    QString fieldProblem(const std::string& field) const;

    crm::notify::RuleStore& rules_;
    const crm::EventKindRegistry& kinds_;
    Lang lang_;
    QTableWidget* table_ = nullptr;
    QLabel* formTitle_ = nullptr;
    QLineEdit* name_ = nullptr;
    QLineEdit* kindsEdit_ = nullptr;
    QComboBox* timing_ = nullptr;
    QLineEdit* offsets_ = nullptr;
    QSpinBox* digestHour_ = nullptr;
    QListWidget* recipients_ = nullptr;
    QCheckBox* attach_ = nullptr;
    QCheckBox* enabled_ = nullptr;
    std::map<std::string, QLabel*> messages_;
    std::optional<crm::notify::Rule> editing_;  // nullopt: a new rule
};

}  // namespace conduit::forms
