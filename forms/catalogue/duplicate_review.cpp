#include "catalogue/duplicate_review.hpp"

#include "catalogue/merge_dialog.hpp"
#include "catalogue/party_words.hpp"
#include "common/exception_barrier.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMetaObject>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace conduit::forms {

using namespace crm::parties;

namespace {

enum Column { FirstName, FirstKind, SecondName, SecondKind, Why, ColumnCount };

constexpr std::size_t kPairsShown = 200;

}  // namespace

DuplicateReview::DuplicateReview(DuplicateReviewContext context, Lang lang, QWidget* parent)
    : QWidget(parent), ctx_(std::move(context)), lang_(std::move(lang)) {
    setObjectName("crmDuplicateReview");
    pool_.setMaxThreadCount(1);
    buildUi();
    reload();
}

DuplicateReview::~DuplicateReview() { pool_.waitForDone(); }

void DuplicateReview::buildUi() {
    auto* layout = new QVBoxLayout(this);
    list_ = new QTreeWidget(this);
    list_->setObjectName("duplicateList");
    list_->setRootIsDecorated(false);
    list_->setColumnCount(ColumnCount);
    list_->setHeaderLabels({lang_.pick("Company or person", "Компания или контакт", "Firma lub osoba"), lang_.pick("Kind", "Вид", "Rodzaj"),
                            lang_.pick("Possible duplicate", "Возможный дубликат", "Możliwy duplikat"), lang_.pick("Kind", "Вид", "Rodzaj"),
                            lang_.pick("Why", "Почему", "Dlaczego")});
    list_->header()->setSectionResizeMode(FirstName, QHeaderView::Stretch);
    list_->header()->setSectionResizeMode(SecondName, QHeaderView::Stretch);
    layout->addWidget(list_, 1);
    auto* buttons = new QHBoxLayout;
    compare_ = new QPushButton(lang_.pick("Compare and merge…", "Сравнить и объединить…", "Porównaj i scal…"), this);
    dismiss_ = new QPushButton(lang_.pick("Not duplicates", "Не дубликаты", "To nie duplikaty"), this);
    check_ = new QPushButton(lang_.pick("Check again now", "Проверить заново", "Sprawdź ponownie teraz"), this);
    buttons->addWidget(compare_);
    buttons->addWidget(dismiss_);
    buttons->addStretch(1);
    buttons->addWidget(check_);
    layout->addLayout(buttons);
    status_ = new QLabel(this);
    status_->setObjectName("duplicateStatus");
    status_->setWordWrap(true);
    layout->addWidget(status_);
    connect(compare_, &QPushButton::clicked, this, guarded(this, "duplicates: compare", [this] { compareAndMerge(); }));
    connect(dismiss_, &QPushButton::clicked, this, guarded(this, "duplicates: not duplicates", [this] { markNotDuplicates(); }));
    connect(check_, &QPushButton::clicked, this, guarded(this, "duplicates: check again", [this] { checkAgain(); }));
    connect(list_, &QTreeWidget::itemDoubleClicked, this,
            guarded(this, "duplicates: open", [this](QTreeWidgetItem* item, int column) { openParty(item, column); }));
}

void DuplicateReview::reload() {
    load([this] { return read(); });
}

void DuplicateReview::markNotDuplicates() {
    const auto* p = selected();
    if (!p) return;
    const auto a = p->first.id, b = p->second.id;
    const QString names = lang_.pick("“%1” and “%2” are marked as not duplicates.", "«%1» и «%2» отмечены как не дубликаты.",
                                     "„%1” i „%2” oznaczono jako nie duplikaty.")
                              .arg(QString::fromStdString(p->first.displayName()), QString::fromStdString(p->second.displayName()));
    load([this, a, b, names] {
        return changeThenRead([&] {
            ctx_.catalogue.dismissDuplicate(ctx_.me, a, b);
            return names;
        });
    });
}

void DuplicateReview::checkAgain() {
    status_->setText(lang_.pick("Checking the catalogue…", "Проверяем каталог…", "Sprawdzam katalog…"));
    load([this] {
        return changeThenRead([&] {
            const auto report = ctx_.catalogue.sweepDuplicates();
            return lang_.pick("Checked again: %1 new pairs.", "Проверено заново: новых пар — %1.", "Sprawdzono ponownie: nowych par: %1.")
                .arg(report.pairsNew);
        });
    });
}

MergeDialog* DuplicateReview::compareAndMerge() {
    const auto* p = selected();
    if (!p) return nullptr;
    auto* dialog = new MergeDialog({ctx_.catalogue, ctx_.directory, ctx_.me}, lang_, p->first.id, p->second.id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A merge (or its undo) changes the list.
    connect(dialog, &QDialog::finished, this, guarded(this, "duplicates: after merge", [this] { reload(); }));
    dialog->open();
    return dialog;
}

void DuplicateReview::load(std::function<Outcome()> work) {
    const auto generation = ++generation_;
    pool_.start(guardedWork("duplicates: read", [this, work = std::move(work), generation] {
        auto outcome = work();
        QMetaObject::invokeMethod(
            this, [this, generation, outcome = std::move(outcome)] { runGuarded(this, "duplicates: show", [&] { present(generation, outcome); }); },
            Qt::QueuedConnection);
    }));
}

// Pairs whose sides the reader may see and which are still two parties.
DuplicateReview::Outcome DuplicateReview::read() const {
    Outcome out;
    try {
        for (const auto& pair : ctx_.catalogue.reviewList(ctx_.me, kPairsShown)) {
            auto first = ctx_.catalogue.get(ctx_.me, pair.a), second = ctx_.catalogue.get(ctx_.me, pair.b);
            if (first && second && first->id != second->id) out.pairs.push_back({pair, std::move(*first), std::move(*second)});
        }
    } catch (const std::exception& e) {
        out.error = problemText(e);
    }
    return out;
}

DuplicateReview::Outcome DuplicateReview::changeThenRead(const std::function<QString()>& change) const {
    QString note;
    try {
        note = change();
    } catch (const std::exception& e) {
        auto out = read();
        out.error = problemText(e);
        return out;
    }
    auto out = read();
    out.note = note;
    return out;
}

QString DuplicateReview::problemText(const std::exception& error) const {
    if (const auto* e = dynamic_cast<const CatalogueError*>(&error)) return QString::fromStdString(describe(*e, crm::Locale::of(lang_.locale())));
    return lang_.pick("The catalogue cannot be read now; try again in a moment.", "Каталог сейчас недоступен; повторите через минуту.",
                      "Katalogu nie można teraz odczytać; spróbuj za chwilę.");
}

void DuplicateReview::present(quint64 generation, const Outcome& outcome) {
    if (generation != generation_) return;  // a newer read is on its way
    pairs_ = outcome.pairs;
    list_->clear();
    for (std::size_t i = 0; i < pairs_.size(); ++i) showPair(pairs_[i], static_cast<int>(i));
    if (list_->topLevelItemCount() > 0) list_->setCurrentItem(list_->topLevelItem(0));
    QString count = pairs_.empty() ? lang_.pick("No possible duplicates.", "Возможных дубликатов нет.", "Brak możliwych duplikatów.")
                                   : lang_.pick("%1 pairs to review.", "Пар для проверки: %1.", "Par do sprawdzenia: %1.").arg(pairs_.size());
    const QString first = !outcome.error.isEmpty() ? outcome.error : outcome.note;
    status_->setText(first.isEmpty() ? count : first + QLatin1Char(' ') + count);
    compare_->setEnabled(!pairs_.empty());
    dismiss_->setEnabled(!pairs_.empty());
    emit loaded();
}

void DuplicateReview::showPair(const Pair& p, int index) {
    auto* item = new QTreeWidgetItem(list_);
    item->setText(FirstName, QString::fromStdString(p.first.displayName()));
    item->setText(FirstKind, partyKindText(p.first.kind, lang_));
    item->setText(SecondName, QString::fromStdString(p.second.displayName()));
    item->setText(SecondKind, partyKindText(p.second.kind, lang_));
    item->setText(Why, duplicateReasonText(p.pair.reason, lang_));
    item->setData(FirstName, Qt::UserRole, index);
}

const DuplicateReview::Pair* DuplicateReview::selected() const {
    const auto* item = list_->currentItem();
    if (!item) return nullptr;
    const int index = item->data(FirstName, Qt::UserRole).toInt();
    return index >= 0 && index < static_cast<int>(pairs_.size()) ? &pairs_[static_cast<std::size_t>(index)] : nullptr;
}

// The name clicked opens its card; elsewhere on the row, the first one's.
void DuplicateReview::openParty(QTreeWidgetItem* item, int column) {
    if (!item || !ctx_.navigation.openParty) return;
    const int index = item->data(FirstName, Qt::UserRole).toInt();
    if (index < 0 || index >= static_cast<int>(pairs_.size())) return;
    const auto& p = pairs_[static_cast<std::size_t>(index)];
    ctx_.navigation.openParty(column == SecondName || column == SecondKind ? p.second.id : p.first.id);
}

}  // namespace conduit::forms
