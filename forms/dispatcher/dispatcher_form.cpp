#include "dispatcher_form.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace conduit::forms {

DispatcherForm::DispatcherForm(ActivitySource source, QWidget* parent) : QWidget(parent), source_(std::move(source)) {
    auto* layout = new QVBoxLayout(this);
    header_ = new QLabel(this);
    layout->addWidget(header_);
    table_ = new QTableWidget(0, 3, this);
    table_->setHorizontalHeaderLabels({tr("Module"), tr("Signal"), tr("Received")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(table_);
    timer_ = new QTimer(this);
    connect(timer_, &QTimer::timeout, this, &DispatcherForm::refresh);
    timer_->start(500);
    refresh();
}

void DispatcherForm::refresh() {
    const auto rows = source_ ? source_() : std::vector<ActivityRow>{};
    long total = 0;
    table_->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        total += r.count;
        table_->setItem(i, 0, new QTableWidgetItem(r.module));
        table_->setItem(i, 1, new QTableWidgetItem(r.signal));
        auto* n = new QTableWidgetItem(QString::number(r.count));
        n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(i, 2, n);
    }
    header_->setText(tr("<b>Dispatcher workstation</b> — %1 events received from the host's modules").arg(total));
}

int DispatcherForm::rowCount() const { return table_->rowCount(); }

}  // namespace conduit::forms
