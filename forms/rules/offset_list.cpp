#include "rules/offset_list.hpp"

#include <conduit/crm/notify/rules.hpp>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace conduit::forms {

namespace {

constexpr int kDay = 24 * 60;

}  // namespace

OffsetList::OffsetList(Lang lang, QWidget* parent) : QWidget(parent), lang_(std::move(lang)) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    linesLayout_ = new QVBoxLayout;
    outer->addLayout(linesLayout_);
    add_ = new QPushButton(lang_.pick("Add a moment", "Добавить момент", "Dodaj moment"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(add_);
    row->addStretch(1);
    outer->addLayout(row);
    connect(add_, &QPushButton::clicked, this, [this] {
        addLine(std::chrono::minutes(-kDay));
        emit changed();
    });
}

void OffsetList::setOffsets(const std::vector<std::chrono::minutes>& offsets) {
    while (!lines_.empty()) removeLine(lines_.back().box);
    for (auto o : offsets) addLine(o);
}

// The largest unit that keeps the number whole: 2880 minutes are "2 days".
void OffsetList::addLine(std::chrono::minutes offset) {
    const Lang& l = lang_;
    const long long m = offset.count();
    const long long size = m < 0 ? -m : m;
    const int unit = size != 0 && size % kDay == 0 ? kDay : size != 0 && size % 60 == 0 ? 60 : 1;

    Line line{};
    line.box = new QWidget(this);
    auto* h = new QHBoxLayout(line.box);
    h->setContentsMargins(0, 0, 0, 0);
    line.amount = new QSpinBox(line.box);
    line.amount->setRange(0, 999);
    line.amount->setValue(static_cast<int>(size / unit));
    line.unit = new QComboBox(line.box);
    line.unit->addItem(l.pick("minutes", "минуты", "minuty"), 1);
    line.unit->addItem(l.pick("hours", "часы", "godziny"), 60);
    line.unit->addItem(l.pick("days", "дни", "dni"), kDay);
    line.unit->setCurrentIndex(line.unit->findData(unit));
    line.side = new QComboBox(line.box);
    line.side->addItem(l.pick("before the due date", "до срока", "przed terminem"), -1);
    line.side->addItem(l.pick("after the due date", "после срока", "po terminie"), 1);
    line.side->setCurrentIndex(m > 0 ? 1 : 0);
    line.words = new QLabel(line.box);
    line.words->setObjectName(QStringLiteral("offsetWords"));
    line.remove = new QPushButton(l.pick("Remove", "Убрать", "Usuń"), line.box);
    for (QWidget* w : {static_cast<QWidget*>(line.amount), static_cast<QWidget*>(line.unit), static_cast<QWidget*>(line.side)})
        h->addWidget(w);
    h->addWidget(line.words, 1);
    h->addWidget(line.remove);
    linesLayout_->addWidget(line.box);
    lines_.push_back(line);
    readBack(line);

    QWidget* box = line.box;
    auto refresh = [this, box] {
        for (const auto& x : lines_)
            if (x.box == box) readBack(x);
        emit changed();
    };
    connect(line.amount, &QSpinBox::valueChanged, this, refresh);
    connect(line.unit, &QComboBox::currentIndexChanged, this, refresh);
    connect(line.side, &QComboBox::currentIndexChanged, this, refresh);
    connect(line.remove, &QPushButton::clicked, this, [this, box] {
        removeLine(box);
        emit changed();
    });
}

void OffsetList::removeLine(QWidget* box) {
    for (auto it = lines_.begin(); it != lines_.end(); ++it) {
        if (it->box != box) continue;
        lines_.erase(it);
        box->hide();
        box->deleteLater();
        return;
    }
}

std::chrono::minutes OffsetList::valueOf(const Line& line) const {
    return std::chrono::minutes(static_cast<long long>(line.amount->value()) * line.unit->currentData().toInt() *
                                line.side->currentData().toInt());
}

void OffsetList::readBack(const Line& line) {
    line.words->setText(QString::fromStdString(crm::notify::offsetText(valueOf(line), crm::Locale::of(lang_.locale()))));
    line.side->setEnabled(line.amount->value() != 0);  // "at the due time" has no side
}

std::vector<std::chrono::minutes> OffsetList::offsets() const {
    std::vector<std::chrono::minutes> out;
    for (const auto& line : lines_) out.push_back(valueOf(line));
    return out;
}

}  // namespace conduit::forms
