// The dispatcher workstation form. For now it shows what the plugin has received from each host
// module, refreshed live; the feed with filters replaces the table in the dispatcher issue.
#pragma once

#include <QWidget>

#include <functional>
#include <vector>

class QLabel;
class QTableWidget;
class QTimer;

namespace conduit::forms {

struct ActivityRow {
    QString module, signal;
    long count = 0;
};

class DispatcherForm : public QWidget {
public:
    using ActivitySource = std::function<std::vector<ActivityRow>()>;
    DispatcherForm(ActivitySource source, QWidget* parent = nullptr);
    void refresh();
    int rowCount() const;

private:
    ActivitySource source_;
    QLabel* header_ = nullptr;
    QTableWidget* table_ = nullptr;
    QTimer* timer_ = nullptr;
};

}  // namespace conduit::forms
