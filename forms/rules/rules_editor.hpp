// The notification rules editor for administrators: the list of rules (name, kinds, timing,
// recipients, on/off) and the selected rule's form; every change goes through the core's RuleStore
// as the signed-in user, every problem is shown in the user's language next to its field.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/notify/rules.hpp>
#include <conduit/crm/timeline/event_kind.hpp>

#include <conduit/sdk/directory.hpp>

#include <QHash>
#include <QWidget>

#include <functional>

#include <map>
#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace conduit::forms {

class KindTree;
class OffsetList;
class ReachPanel;

// What the editor works with; references outlive it.
struct RulesEditorContext {
    crm::notify::RuleStore& rules;
    const crm::EventKindRegistry& kinds;
    const sdk::IDirectory& directory;  // departments and people by name
    sdk::Id actor = 0;                 // the signed-in user: the store decides whether they may change rules
    // The core's count of what a rule would have mailed each person (empty: no such panel).
    std::function<crm::notify::ReachReport(const crm::notify::Rule&)> reach;
};

class RulesEditor : public QWidget {
    Q_OBJECT
public:
    RulesEditor(RulesEditorContext context, Lang lang, QWidget* parent = nullptr);

    void reload();  // the list from the store, the selection kept
    QTableWidget* table() const { return table_; }
    int rowCount() const;
    std::optional<std::int64_t> selectedRuleId() const;
    std::optional<std::int64_t> shownRuleId() const;  // the rule in the form; nullopt: a new one
    bool selectRule(std::int64_t id);                  // as a click on its row (asks about unsaved changes)

    // The form (tests drive it like a user).
    void newRule();          // empty form, "Save" adds (asks about unsaved changes first)
    bool save();             // false: messages next to the fields, nothing written
    bool toggleSelected();   // enable <-> disable the selected rule, the form shows it at once
    bool deleteSelected();   // asks first; true when the rule was deleted
    bool hasUnsavedChanges() const;
    QLineEdit* nameEdit() const { return name_; }
    KindTree* kindTree() const { return kindTree_; }
    QComboBox* timingBox() const { return timing_; }
    OffsetList* offsetList() const { return offsets_; }
    QSpinBox* digestHourBox() const { return digestHour_; }
    QListWidget* recipientList() const { return recipients_; }
    QCheckBox* enabledBox() const { return enabled_; }
    // The recipient line of a spec; -1 when the editor does not offer it.
    int recipientRow(const crm::notify::RecipientSpec& spec) const;
    QString messageFor(const std::string& field) const;
    ReachPanel* reachPanel() const { return reach_; }  // null without a reach function

private:
    struct Choice {
        crm::notify::RecipientSpec spec;
        QString label;
    };
    void buildList();
    void buildForm();
    std::vector<Choice> recipientChoices() const;
    QString recipientLabel(const crm::notify::RecipientSpec& spec);
    QString timingText(const crm::notify::Rule& rule) const;

    void followSelection(int row, int previousRow);
    bool settleUnsavedChanges();  // false: the user chose to stay with the form
    void load(const crm::notify::Rule& rule);
    void showBlank();
    void fillForm(const crm::notify::Rule& rule);
    crm::notify::Rule formRule() const;
    void showTimingFields();
    void countFormRule();
    void selectRow(std::optional<std::int64_t> id);
    void updateButtons();
    int rowOf(std::int64_t id) const;

    void showError(const std::exception& error);
    void showMessage(const std::string& field, const QString& text);
    void clearMessages();

    RulesEditorContext ctx_;
    Lang lang_;
    crm::Locale reader_;
    std::vector<Choice> choices_;
    QHash<sdk::Id, QString> userNames_;
    QTableWidget* table_ = nullptr;
    QPushButton* toggle_ = nullptr;
    QPushButton* remove_ = nullptr;
    QLabel* formTitle_ = nullptr;
    QFormLayout* form_ = nullptr;
    QLineEdit* name_ = nullptr;
    KindTree* kindTree_ = nullptr;
    QComboBox* timing_ = nullptr;
    OffsetList* offsets_ = nullptr;
    QSpinBox* digestHour_ = nullptr;
    QWidget* offsetsRow_ = nullptr;  // the form rows shown for one timing only
    QWidget* digestRow_ = nullptr;
    QListWidget* recipients_ = nullptr;
    QCheckBox* attach_ = nullptr;
    QCheckBox* enabled_ = nullptr;
    ReachPanel* reach_ = nullptr;
    std::map<std::string, QLabel*> messages_;
    std::optional<crm::notify::Rule> editing_;  // the stored rule in the form; nullopt: a new rule
    crm::notify::Rule shown_;                   // the form as loaded, to tell unsaved changes
    bool listing_ = false;                      // the list is being refilled: not a user's selection
};

}  // namespace conduit::forms
