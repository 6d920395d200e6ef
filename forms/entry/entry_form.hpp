// The entry dialogs people fill in: finance registers a payment, the order department notes how
// to work with a customer, a measurer records installation specifics with the measurement sheet.
// Saved through the core's UserEvents; refusals shown next to their field in the user's language.
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"

#include <conduit/crm/entries/user_events.hpp>

#include <QWidget>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QDateEdit;
class QFormLayout;
class QDialog;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

class QTimer;
class QVBoxLayout;

namespace conduit::forms {

class PartyPicker;

enum class EntryKind { Payment, CustomerNote, Measurement };
// The event kind an entry creates ("payment.received", "note.customer", "note.measurement"):
// what AccessControl::mayCreate is asked before the forms offer the entry.
const char* entryKindCode(EntryKind kind);

// Fields filled in advance when the dialog is opened from a card or an event.
struct EntryPreset {
    sdk::Id counterparty = 0;
    sdk::Id project = 0;
};

struct EntryContext {
    crm::UserEvents& userEvents;
    DirectoryCache& directory;
    Lang lang;
    sdk::User currentUser;
    PreviewRecipients previewRecipients;  // empty: no "Will be notified" line
    std::function<sdk::TimePoint()> clock;  // the host's clock: the default date, "now" (empty: system)
};

// "1 234,56", "1234.56", "1,234.56", "12" -> minor units; "-100" -> -10000 (a number, which the
// core refuses as not greater than zero); nullopt when it is not an amount.
std::optional<std::int64_t> parseAmount(const QString& text);

// The folder the sheet chooser opens in: the last one a sheet was taken from in this session, at
// first the user's documents.
QString sheetFolder();

class EntryForm : public QWidget {
    Q_OBJECT
public:
    // The "Will be notified" line follows typing in the amount and the note once it pauses this long.
    static constexpr std::chrono::milliseconds kPreviewPause{300};

    EntryForm(EntryKind kind, EntryContext context, EntryPreset preset = {}, QWidget* parent = nullptr);

    EntryKind kind() const { return kind_; }
    QString title() const;  // "New payment", localized

    // Validates and saves. True: stored (one event per requestId), the form is cleared for the
    // next entry with a new requestId and says what was saved. False: messages are shown and
    // everything typed stays.
    bool save();
    // The Cancel button: asks before dropping typed text or added files; emits cancelled() unless
    // the user keeps editing. True when the form may close.
    bool cancel();
    bool hasTypedInput() const;
    const std::string& requestId() const { return requestId_; }

    // The controls (tests drive them like a user would). Null when the kind has no such field.
    PartyPicker* counterpartyPicker() const { return counterparty_; }
    PartyPicker* projectPicker() const { return project_; }
    QLineEdit* amountEdit() const { return amount_; }
    QComboBox* currencyBox() const { return currency_; }
    QLineEdit* documentEdit() const { return document_; }
    QPlainTextEdit* textEdit() const { return text_; }
    QListWidget* sheetList() const { return sheets_; }
    QPushButton* saveButton() const { return saveButton_; }
    // What "Add file…" does after the file chooser: reads and checks the file (a sheet must be a
    // PDF, JPEG, PNG or TIFF by its content); not added, with the reason next to the list, when
    // it cannot be a sheet. True when added.
    bool addSheetFile(const QString& path);
    // The message shown next to a field ("amount", "counterparty", "project", "text",
    // "attachment"; "" for the form as a whole); empty when none.
    QString messageFor(const std::string& field) const;
    QString previewText() const;  // the "Will be notified: …" line; empty when hidden
    QString previewDetails() const;  // its tooltip: everyone, with address and rules
    QString confirmationText() const;  // "Saved: …" after a save, until the next edit; else empty

signals:
    void saved(const crm::Event& event);
    void cancelled();

private:
    void createCounterpartyField(QFormLayout* form, const EntryPreset& preset);
    void createProjectField(QFormLayout* form, const EntryPreset& preset);
    void createPaymentFields(QFormLayout* form);
    void createTextField(QFormLayout* form);
    void createSheetsField(QFormLayout* form);
    void createPreviewAndMessage(QVBoxLayout* outer);
    void createButtons(QVBoxLayout* outer);
    void connectPreview();
    QLabel* addField(QFormLayout* form, const QString& label, QWidget* field, const std::string& key);
    void clearMessages();
    void clearMessage(const std::string& field);  // the field was edited: its refusal is old news
    void connectMessageClearing();
    void chooseSheets();
    std::optional<QString> sheetProblem(const QString& name, qint64 size, const QByteArray& bytes) const;
    bool askDiscard();
    void counterpartyPicked();
    void projectPicked();
    void showMessage(const std::string& field, const QString& message);
    crm::Event draft() const;  // what would be saved now, for the preview
    void updatePreview();
    void updatePreviewSoon();  // while typing: once the typing pauses (kPreviewPause)
    void resetForNext();
    static std::string newRequestId();

    EntryKind kind_;
    EntryContext context_;
    std::string requestId_;
    PartyPicker* counterparty_ = nullptr;
    PartyPicker* project_ = nullptr;
    QLineEdit* amount_ = nullptr;
    QComboBox* currency_ = nullptr;
    QDateEdit* date_ = nullptr;
    QLineEdit* document_ = nullptr;
    QPlainTextEdit* text_ = nullptr;
    QListWidget* sheets_ = nullptr;
    std::vector<crm::Attachment> sheetFiles_;
    QLabel* preview_ = nullptr;
    QLabel* confirmation_ = nullptr;
    QTimer* previewTimer_ = nullptr;
    QPushButton* saveButton_ = nullptr;
    std::map<std::string, QLabel*> messages_;
};

// The form in a dialog of its own (from the workstation's toolbar or a card); closes once saved,
// leaving a "Saved: …" notice on the window it was opened from; asks before dropping typed text
// (Cancel, Esc, the window's close button). Deleted on close.
QDialog* openEntryDialog(EntryKind kind, EntryContext context, EntryPreset preset, QWidget* parent);

}  // namespace conduit::forms
