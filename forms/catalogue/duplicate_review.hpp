// The review of possible duplicates: pairs of companies or people the catalogue found alike, why,
// and what to do with each (compare and merge, not duplicates); read off the GUI thread.
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace conduit::forms {

class MergeDialog;

struct DuplicateReviewContext {
    crm::parties::Catalogue& catalogue;
    DirectoryCache& directory;  // the owners' names in the merge dialog (GUI thread)
    sdk::Id me = 0;
    Navigation navigation;  // a double click on a name opens its card
};

class DuplicateReview : public QWidget {
    Q_OBJECT
public:
    DuplicateReview(DuplicateReviewContext context, Lang lang, QWidget* parent = nullptr);
    ~DuplicateReview() override;  // waits for a read in progress

    void reload();
    // The selected pair: told apart for good, or opened side by side (the dialog, window-modal;
    // null without a selection).
    void markNotDuplicates();
    MergeDialog* compareAndMerge();
    // The catalogue searched again for pairs, then the list read anew.
    void checkAgain();

    QTreeWidget* list() const { return list_; }
    QLabel* status() const { return status_; }
    QPushButton* compareButton() const { return compare_; }
    QPushButton* notDuplicatesButton() const { return dismiss_; }
    QPushButton* checkAgainButton() const { return check_; }

signals:
    void loaded();  // after each list (or its error) is shown

private:
    struct Pair {
        crm::parties::DuplicatePair pair;
        crm::parties::Party first, second;
    };
    struct Outcome {
        std::vector<Pair> pairs;
        QString error, note;
    };
    void buildUi();
    void load(std::function<Outcome()> work);
    Outcome read() const;
    Outcome changeThenRead(const std::function<QString()>& change) const;
    QString problemText(const std::exception& error) const;
    void present(quint64 generation, const Outcome& outcome);
    void showPair(const Pair& p, int index);
    const Pair* selected() const;
    void openParty(QTreeWidgetItem* item, int column);

    DuplicateReviewContext ctx_;
    Lang lang_;
    std::vector<Pair> pairs_;
    QTreeWidget* list_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* compare_ = nullptr;
    QPushButton* dismiss_ = nullptr;
    QPushButton* check_ = nullptr;
    QThreadPool pool_;  // one thread: reads and changes in order
    quint64 generation_ = 0;
};

}  // namespace conduit::forms
