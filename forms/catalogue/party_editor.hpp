// The editor of a catalogue company or person: each refusal next to its field in the reader's
// language, a "possible duplicate" line with links while the name, a phone, an e-mail or a tax
// id is typed; saved through the core, which checks the values and the rights again.
#pragma once

#include "common/forms_context.hpp"
#include "common/lang.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <QThreadPool>
#include <QWidget>

#include <chrono>
#include <map>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QDialog;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace conduit::forms {

struct PartyEditorContext {
    crm::parties::Catalogue& catalogue;
    sdk::Id me = 0;
    Navigation navigation;  // the duplicate line's links (empty: names without links)
};

class PartyEditor : public QWidget {
    Q_OBJECT
public:
    // The duplicate line follows typing once it pauses this long.
    static constexpr std::chrono::milliseconds kDuplicatePause{300};

    // A new company or person; `id` non-zero: that party as the reader may see it.
    PartyEditor(PartyEditorContext context, Lang lang, crm::parties::PartyKind kind, std::int64_t id = 0, QWidget* parent = nullptr);
    ~PartyEditor() override;  // waits for a duplicate check in progress

    QString title() const;  // "New company", "Редактирование: Okna Nowak"
    // Checks and saves. True: stored, the form now edits the stored party. False: the messages
    // are shown next to their fields (or on the form's line) and everything typed stays.
    bool save();
    bool hasChanges() const;

    // For tests, driven as a user would: the line edit of a field ("name", "short_name",
    // "given", "patronymic", "family", "nip", "regon", "inn", "kpp", "ogrn", "ogrnip", "phone",
    // "email", "website", "postcode", "city", "street", "building", "region", "industry",
    // "category", "source", "tags", "birthday"); null when this kind has no such field.
    QLineEdit* lineFor(const std::string& field) const;
    QCheckBox* roleBox(crm::parties::PartyRole role) const;
    QPushButton* saveButton() const { return save_; }
    // The message under a field ("" for the form's own line); empty when none.
    QString messageFor(const std::string& field) const;
    QString duplicateText() const;  // the "possible duplicate" line as shown; empty when hidden
    const std::optional<crm::parties::Party>& stored() const { return party_; }

signals:
    void saved(const crm::parties::Party& party);
    void duplicatesChecked();  // each time the duplicate line was updated

private:
    void buildUi();
    void addNameFields(QFormLayout* form);
    void addRoleFields(QFormLayout* form);
    void addTaxIdFields(QFormLayout* form);
    void addContactFields(QFormLayout* form);
    void addAddressFields(QFormLayout* form);
    void addDescriptionFields(QFormLayout* form);
    void addPersonFields(QFormLayout* form);
    void addCustomFields(QFormLayout* form);
    QLineEdit* addLine(QFormLayout* form, const QString& label, const std::string& field, const QString& hint = {});
    QWidget* addRow(QFormLayout* form, const QString& label, QWidget* field, const std::string& key);
    void load(std::int64_t id);
    void fill(const crm::parties::Party& party);
    void lockHostFields();
    crm::parties::Party draft(std::map<std::string, QString>* problems = nullptr) const;
    void readTaxIds(crm::parties::Party& p, std::map<std::string, QString>* problems) const;
    void readContacts(crm::parties::Party& p, std::map<std::string, QString>* problems) const;
    void readAddress(crm::parties::Party& p) const;
    void readPerson(crm::parties::Party& p, std::map<std::string, QString>* problems) const;
    void readCustom(crm::parties::Party& p) const;
    void showMessage(const std::string& field, const QString& text);
    void clearMessages();
    // Where a field's message goes when the field has no line of its own.
    std::string messageKey(const std::string& field) const;
    void checkDuplicates();
    void showDuplicates(quint64 generation, const std::vector<crm::parties::DuplicateMatch>& matches);
    crm::parties::Party duplicateProbe() const;  // the draft's valid values only
    void markDirty();
    QString fieldLabel(const std::string& field) const;

    PartyEditorContext ctx_;
    Lang lang_;
    crm::Locale locale_;
    crm::parties::PartyKind kind_;
    std::optional<crm::parties::Party> party_;  // as read or last saved; empty: a new party
    std::map<std::string, QLineEdit*> lines_;
    std::map<std::string, QLabel*> messages_;
    std::map<std::string, QWidget*> customInputs_;
    std::map<crm::parties::PartyRole, QCheckBox*> roles_;
    QComboBox* country_ = nullptr;
    QComboBox* gender_ = nullptr;
    QComboBox* salutation_ = nullptr;
    QComboBox* language_ = nullptr;
    QCheckBox* doNotContact_ = nullptr;
    QCheckBox* private_ = nullptr;
    QPlainTextEdit* notes_ = nullptr;
    QLabel* duplicates_ = nullptr;
    QLabel* formMessage_ = nullptr;
    QPushButton* save_ = nullptr;
    QTimer* typing_ = nullptr;
    QThreadPool pool_;
    quint64 generation_ = 0;
    std::string requestKey_;  // one party however often a failed save is repeated
    bool dirty_ = false;  // typed or toggled since the party was shown or saved
};

// The editor in a dialog of its own; closes once saved, leaving a "Saved: …" notice on the
// window it was opened from; asks before dropping typed changes. Deleted on close.
QDialog* openPartyEditor(PartyEditorContext context, Lang lang, crm::parties::PartyKind kind, std::int64_t id, QWidget* parent);

}  // namespace conduit::forms
