// Contacts into the catalogue step by step: a file or an LDAP directory, read as what it is (its
// encoding and columns shown and changeable), checked row by row, then imported, stoppable, undoable.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/exchange/contact_columns.hpp>
#include <conduit/crm/exchange/contact_import.hpp>

#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <functional>
#include <optional>
#include <string>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTreeWidget;

namespace conduit::forms {

struct ImportWizardContext {
    crm::parties::Catalogue& catalogue;
    sdk::Id me = 0;
};

class ImportWizard : public QWidget {
    Q_OBJECT
public:
    ImportWizard(ImportWizardContext context, Lang lang, QWidget* parent = nullptr);
    ~ImportWizard() override;  // stops an import in progress and waits for it

    // The steps, as the buttons run them (tests call them directly).
    void chooseFile(const QString& path);
    void readSource();
    void chooseEncoding(int index);  // 0: found from the file
    void check();
    void runImport();
    void stop();
    void undo();

    QTabWidget* sourceTabs() const { return sourceTabs_; }
    QLineEdit* ldapUrl() const { return ldapUrl_; }
    QComboBox* encoding() const { return encoding_; }
    QComboBox* preset() const { return preset_; }
    QTableWidget* columns() const { return columns_; }
    QComboBox* mode() const { return mode_; }
    QLineEdit* tags() const { return tags_; }
    QTreeWidget* report() const { return report_; }
    QLabel* readStatus() const { return readStatus_; }
    QLabel* checkStatus() const { return checkStatus_; }
    QLabel* importStatus() const { return importStatus_; }
    QPushButton* importButton() const { return import_; }
    QPushButton* undoButton() const { return undo_; }
    QProgressBar* progress() const { return progress_; }

signals:
    void stepDone();  // after each read, check, import or undo (or its error) is shown

private:
    struct Read {
        crm::exchange::ContactFile file;
        std::string format;
        std::vector<std::string> header;  // CSV: the columns, for the mapping
        crm::exchange::ColumnMapping mapping;
        QString error;
    };
    void buildUi();
    QWidget* sourceStep();
    QWidget* readStep();
    QWidget* checkStep();
    QWidget* importStep();
    Read readNow(const std::string& bytes, const std::string& encoding, const std::optional<crm::exchange::ColumnMapping>& mapping) const;
    void showRead(const Read& read);
    void showColumns(const Read& read);
    std::optional<crm::exchange::ColumnMapping> editedMapping() const;
    void usePreset(int index);
    void saveMapping();
    crm::exchange::ImportOptions options() const;
    void showReport(const crm::exchange::ImportReport& report, QLabel* status);
    QString problemText(const std::exception& e) const;
    QString words(const crm::LocalizedText& text) const;
    void work(std::function<void()> job);

    ImportWizardContext ctx_;
    Lang lang_;
    std::string bytes_, fileName_;
    std::optional<Read> read_;
    std::int64_t lastLoad_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> generation_{0};
    QThreadPool pool_;

    QTabWidget* sourceTabs_ = nullptr;
    QLabel* fileLabel_ = nullptr;
    QLineEdit *ldapUrl_ = nullptr, *bindDn_ = nullptr, *password_ = nullptr, *filter_ = nullptr, *tags_ = nullptr;
    QComboBox *encoding_ = nullptr, *preset_ = nullptr, *mode_ = nullptr;
    QTableWidget* columns_ = nullptr;
    QTreeWidget* report_ = nullptr;
    QLabel *readStatus_ = nullptr, *checkStatus_ = nullptr, *importStatus_ = nullptr;
    QPushButton *readButton_ = nullptr, *check_ = nullptr, *import_ = nullptr, *stopButton_ = nullptr, *undo_ = nullptr;
    QProgressBar* progress_ = nullptr;
};

}  // namespace conduit::forms
