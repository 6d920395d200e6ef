// "This rule would have sent Anna Nowak 212 mails": the rules editor's count of what a rule (as
// stored, or as edited) would have mailed each person over the last 30 days, read off the GUI thread.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/notify/notification_service.hpp>

#include <QThreadPool>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace conduit::forms {

// The core's reach of a rule (NotificationService::reach); called on a worker thread.
using RuleReach = std::function<crm::notify::ReachReport(const crm::notify::Rule&)>;

class ReachPanel : public QWidget {
    Q_OBJECT
public:
    ReachPanel(RuleReach reach, Lang lang, QWidget* parent = nullptr);
    ~ReachPanel() override;  // waits for a count in progress

    // Counts `rule` in the background; a newer call makes an older count's answer be dropped.
    void count(const crm::notify::Rule& rule);
    void clear();
    bool counting() const { return counting_; }

    QLabel* summary() const { return summary_; }
    QTableWidget* table() const { return table_; }
    QPushButton* countButton() const { return countButton_; }

signals:
    // The "Count" button: the editor answers with count(its form's rule).
    void countRequested();
    // A count came in (or failed: the summary says why).
    void counted();

private:
    struct Outcome {
        crm::notify::ReachReport report;
        QString error;
    };
    void show(quint64 generation, const Outcome& outcome);
    QString summaryOf(const crm::notify::ReachReport& report) const;

    RuleReach reach_;
    Lang lang_;
    crm::Locale reader_;
    QLabel* summary_ = nullptr;
    QTableWidget* table_ = nullptr;
    QPushButton* countButton_ = nullptr;
    QThreadPool pool_;
    quint64 generation_ = 0;
    bool counting_ = false;
};

}  // namespace conduit::forms
