// The merge of two catalogue parties: both side by side, a choice per field that differs, which
// one stays, what moves with the merge, and Undo once done; the core merges and refuses.
#pragma once

#include "catalogue/merge_fields.hpp"
#include "common/directory_cache.hpp"
#include "common/lang.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <QDialog>
#include <QThreadPool>

#include <functional>
#include <optional>
#include <vector>

class QButtonGroup;
class QLabel;
class QPushButton;
class QRadioButton;
class QScrollArea;

namespace conduit::forms {

struct MergeContext {
    crm::parties::Catalogue& catalogue;
    DirectoryCache& directory;  // the owners' names (GUI thread)
    sdk::Id me = 0;
};

class MergeDialog : public QDialog {
    Q_OBJECT
public:
    // `first` and `second` in any order: the dialog proposes which one stays.
    MergeDialog(MergeContext context, Lang lang, std::int64_t first, std::int64_t second, QWidget* parent = nullptr);
    ~MergeDialog() override;  // waits for the core's answer in progress

    std::int64_t survivorId() const { return survivor_ ? survivor_->id : 0; }
    std::int64_t absorbedId() const { return absorbed_ ? absorbed_->id : 0; }
    std::int64_t mergeId() const { return mergeId_; }
    const std::vector<MergeField>& fields() const { return fields_; }
    // The choice of one side of a field (objectName "<field>:survivor|absorbed|both"); null when
    // that side is not a choice there.
    QRadioButton* choice(const std::string& field, MergeKeep keep) const;
    QPushButton* mergeButton() const { return merge_; }
    QPushButton* undoButton() const { return undo_; }
    QPushButton* swapButton() const { return swap_; }
    QLabel* message() const { return message_; }
    QLabel* summary() const { return summary_; }

signals:
    void ready();     // both parties read and compared, or told why they cannot be
    void answered();  // the core answered a merge or an undo (done or refused)
    void merged(std::int64_t mergeId);
    void undone();

private:
    struct Read {
        std::optional<crm::parties::Party> first, second;
        std::vector<crm::parties::CustomField> custom;
        QString error;
    };
    void buildUi();
    Read read(std::int64_t first, std::int64_t second) const;
    void present(const Read& r);
    void showSides();
    void addRow(QWidget* box, int row, const MergeField& field);
    QString sideTitle(const crm::parties::Party& p, bool stays) const;
    QString summaryText() const;
    std::vector<MergeKeep> chosen() const;
    void swapSides();
    void mergeNow();
    void undoNow();
    void afterMerge(const crm::parties::MergeResult& result, const QString& refusal);
    void afterUndo(const QString& refusal);
    // Runs `call` on the worker; `done` gets the refusal in the reader's words ("" when done).
    void ask(std::function<void()> call, std::function<void(const QString&)> done);
    QString refusalOf(const std::exception& error) const;
    void tell(const QString& text, bool refusal);
    void setBusy(bool busy);

    MergeContext ctx_;
    Lang lang_;
    std::optional<crm::parties::Party> survivor_, absorbed_;
    std::vector<crm::parties::CustomField> custom_;
    std::vector<MergeField> fields_;
    std::vector<QButtonGroup*> groups_;  // one per field, beside fields_
    bool mergeable_ = false;
    std::int64_t mergeId_ = 0;
    QLabel* sides_ = nullptr;
    QScrollArea* rows_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* message_ = nullptr;
    QPushButton* swap_ = nullptr;
    QPushButton* merge_ = nullptr;
    QPushButton* undo_ = nullptr;
    QThreadPool pool_;  // one thread: reads and the core's answers in order
};

}  // namespace conduit::forms
