#include "catalogue/merge_dialog.hpp"

#include "catalogue/party_words.hpp"
#include "common/event_look.hpp"
#include "common/exception_barrier.hpp"

#include <QButtonGroup>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaObject>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace conduit::forms {

using namespace crm::parties;

namespace {

const char* sideName(MergeKeep keep) {
    switch (keep) {
        case MergeKeep::Survivor: return "survivor";
        case MergeKeep::Absorbed: return "absorbed";
        case MergeKeep::Both: return "both";
    }
    return "";
}

bool offers(const MergeField& f, MergeKeep keep) { return std::find(f.offered.begin(), f.offered.end(), keep) != f.offered.end(); }

QString shown(const QString& value) { return value.isEmpty() ? QStringLiteral("—") : value; }

QLabel* richLabel(const QString& html, QWidget* parent) {
    auto* label = new QLabel(html, parent);
    label->setTextFormat(Qt::RichText);
    return label;
}

QString bold(const QString& text) { return QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))); }
QString plain(const QString& text) { return text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")); }

QString quoted(const Party& p, const Lang& l) { return l.quoted(QString::fromStdString(p.displayName())); }

// The day a party came into the catalogue, as the installation's calendar shows it.
QString sinceText(sdk::TimePoint created) {
    const QDate d = localToday(created);
    return formatDate(sdk::Date(std::chrono::year(d.year()) / static_cast<unsigned>(d.month()) / static_cast<unsigned>(d.day())));
}

}  // namespace

MergeDialog::MergeDialog(MergeContext context, Lang lang, std::int64_t first, std::int64_t second, QWidget* parent)
    : QDialog(parent), ctx_(context), lang_(std::move(lang)) {
    setObjectName("crmMergeDialog");
    setWindowTitle(lang_.pick("Compare and merge", "Сравнить и объединить", "Porównaj i scal"));
    pool_.setMaxThreadCount(1);
    buildUi();
    tell(lang_.pick("Reading both…", "Читаем обе записи…", "Odczytuję oba wpisy…"), false);
    pool_.start(guardedWork("merge dialog: read", [this, first, second] {
        auto r = read(first, second);
        QMetaObject::invokeMethod(this, [this, r = std::move(r)] { runGuarded(this, "merge dialog: show", [&] { present(r); }); }, Qt::QueuedConnection);
    }));
}

MergeDialog::~MergeDialog() { pool_.waitForDone(); }

void MergeDialog::buildUi() {
    auto* layout = new QVBoxLayout(this);
    sides_ = richLabel({}, this);
    sides_->setWordWrap(true);
    layout->addWidget(sides_);
    rows_ = new QScrollArea(this);
    rows_->setWidgetResizable(true);
    layout->addWidget(rows_, 1);
    summary_ = new QLabel(this);
    summary_->setTextFormat(Qt::PlainText);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    message_ = new QLabel(this);
    message_->setObjectName("mergeMessage");
    message_->setTextFormat(Qt::PlainText);
    message_->setWordWrap(true);
    layout->addWidget(message_);
    auto* buttons = new QHBoxLayout;
    swap_ = new QPushButton(lang_.pick("Keep the other one", "Оставить другую запись", "Zostaw drugi wpis"), this);
    merge_ = new QPushButton(lang_.pick("Merge", "Объединить", "Scal"), this);
    undo_ = new QPushButton(lang_.pick("Undo the merge", "Отменить объединение", "Cofnij scalenie"), this);
    auto* close = new QPushButton(lang_.pick("Close", "Закрыть", "Zamknij"), this);
    undo_->hide();
    swap_->setEnabled(false);
    merge_->setEnabled(false);
    buttons->addWidget(swap_);
    buttons->addStretch(1);
    buttons->addWidget(merge_);
    buttons->addWidget(undo_);
    buttons->addWidget(close);
    layout->addLayout(buttons);
    connect(swap_, &QPushButton::clicked, this, guarded(this, "merge dialog: swap", [this] { swapSides(); }));
    connect(merge_, &QPushButton::clicked, this, guarded(this, "merge dialog: merge", [this] { mergeNow(); }));
    connect(undo_, &QPushButton::clicked, this, guarded(this, "merge dialog: undo", [this] { undoNow(); }));
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    resize(900, 600);
}

MergeDialog::Read MergeDialog::read(std::int64_t first, std::int64_t second) const {
    Read r;
    try {
        r.first = ctx_.catalogue.get(ctx_.me, first);
        r.second = ctx_.catalogue.get(ctx_.me, second);
        r.custom = ctx_.catalogue.customFields();
    } catch (const std::exception& e) {
        r.error = refusalOf(e);
    }
    return r;
}

void MergeDialog::present(const Read& r) {
    if (!r.error.isEmpty()) return tell(r.error, true), emit ready();
    if (!r.first || !r.second) {
        tell(lang_.pick("One of the two is gone or you may not see it.", "Одной из записей уже нет или она вам недоступна.",
                        "Jednego z wpisów już nie ma albo nie możesz go zobaczyć."), true);
        return emit ready();
    }
    const bool firstStays = survivesByDefault(*r.first, *r.second);
    survivor_ = firstStays ? r.first : r.second;
    absorbed_ = firstStays ? r.second : r.first;
    custom_ = r.custom;
    const auto problem = impossibleMerge(*survivor_, *absorbed_);
    mergeable_ = !problem;
    if (problem) tell(QString::fromStdString(describe(CatalogueError(*problem, {}), crm::Locale::of(lang_.locale()))), true);
    else tell({}, false);
    showSides();
    emit ready();
}

QString MergeDialog::sideTitle(const Party& p, bool stays) const {
    const QString role = stays ? lang_.pick("stays", "остаётся", "zostaje") : lang_.pick("is merged into it", "вливается в неё", "zostaje w nim scalony");
    const QString where = p.isHostOwned() ? lang_.pick("host counterparty", "контрагент учётной системы", "kontrahent w systemie")
                                          : lang_.pick("CRM only", "только в CRM", "tylko w CRM");
    return QStringLiteral("<b>%1</b> — %2<br><small>%3 · %4 · %5</small>")
        .arg(QString::fromStdString(p.displayName()).toHtmlEscaped(), role.toHtmlEscaped(), partyKindText(p.kind, lang_).toHtmlEscaped(),
             where.toHtmlEscaped(), lang_.pick("in the catalogue since %1", "в каталоге с %1", "w katalogu od %1").arg(sinceText(p.createdAt)).toHtmlEscaped());
}

// Both sides, one row per field that differs, and what the merge moves.
void MergeDialog::showSides() {
    sides_->setText(sideTitle(*survivor_, true) + QStringLiteral("<br>") + sideTitle(*absorbed_, false));
    fields_ = mergeable_ ? differingFields(*survivor_, *absorbed_, custom_, ctx_.directory, lang_) : std::vector<MergeField>{};
    groups_.clear();
    auto* box = new QWidget;
    auto* grid = new QGridLayout(box);
    grid->addWidget(richLabel(bold(QString::fromStdString(survivor_->displayName())), box), 0, 1);
    grid->addWidget(richLabel(bold(QString::fromStdString(absorbed_->displayName())), box), 0, 2);
    grid->addWidget(richLabel(bold(lang_.pick("Both", "Оба", "Oba")), box), 0, 3);
    for (std::size_t i = 0; i < fields_.size(); ++i) addRow(box, static_cast<int>(i) + 1, fields_[i]);
    if (mergeable_ && fields_.empty())
        grid->addWidget(new QLabel(lang_.pick("Every field is the same on both.", "Все поля совпадают.", "Wszystkie pola są takie same."), box), 1, 0, 1, 4);
    grid->setRowStretch(static_cast<int>(fields_.size()) + 2, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    rows_->setWidget(box);  // the previous rows go with their widget
    summary_->setText(mergeable_ ? summaryText() : QString());
    swap_->setEnabled(mergeable_ && mergeId_ == 0);
    merge_->setEnabled(mergeable_ && mergeId_ == 0);
}

void MergeDialog::addRow(QWidget* box, int row, const MergeField& f) {
    auto* grid = static_cast<QGridLayout*>(box->layout());
    grid->addWidget(richLabel(bold(f.label), box), row, 0, Qt::AlignTop);
    auto* group = new QButtonGroup(box);
    groups_.push_back(group);
    const auto cell = [&](MergeKeep keep, const QString& value, int column) {
        if (offers(f, keep)) {
            auto* radio = new QRadioButton(value, box);
            radio->setObjectName(QString::fromStdString(f.key) + QLatin1Char(':') + QLatin1String(sideName(keep)));
            radio->setChecked(keep == f.kept);
            group->addButton(radio, static_cast<int>(keep));
            grid->addWidget(radio, row, column, Qt::AlignTop);
        } else if (keep != MergeKeep::Both) {
            const bool kept = f.offered.empty() && f.kept == keep;
            grid->addWidget(richLabel(kept ? bold(value) : plain(value), box), row, column, Qt::AlignTop);
        }
    };
    cell(MergeKeep::Survivor, shown(f.survivorText), 1);
    cell(MergeKeep::Absorbed, shown(f.absorbedText), 2);
    cell(MergeKeep::Both, lang_.pick("both", "оба", "oba"), 3);
    if (!f.note.isEmpty()) grid->addWidget(richLabel(QStringLiteral("<i>%1</i>").arg(plain(f.note)), box), row, 4, Qt::AlignTop);
}

QString MergeDialog::summaryText() const {
    const QString s = quoted(*survivor_, lang_), a = quoted(*absorbed_, lang_);
    const QString moves = survivor_->kind == PartyKind::Company
                              ? lang_.pick("Events, people, branches, relations and certifications of %2 move to %1.",
                                           "События, контакты, филиалы, связи и сертификаты %2 переходят к %1.",
                                           "Zdarzenia, osoby, oddziały, powiązania i certyfikaty %2 przechodzą do %1.")
                              : lang_.pick("Events, jobs, relations and certifications of %2 move to %1.",
                                           "События, места работы, связи и сертификаты %2 переходят к %1.",
                                           "Zdarzenia, miejsca pracy, powiązania i certyfikaty %2 przechodzą do %1.");
    return moves.arg(s, a) + QLatin1Char(' ') +
           lang_.pick("%2 stays as another name of %1, so links to it keep working. The merge can be undone.",
                      "%2 остаётся другим именем %1, поэтому ссылки на неё работают. Объединение можно отменить.",
                      "%2 zostaje drugą nazwą %1, więc odnośniki do niego działają. Scalenie można cofnąć.")
               .arg(s, a);
}

std::vector<MergeKeep> MergeDialog::chosen() const {
    std::vector<MergeKeep> out;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const int id = i < groups_.size() ? groups_[i]->checkedId() : -1;
        out.push_back(id < 0 ? fields_[i].kept : static_cast<MergeKeep>(id));
    }
    return out;
}

QRadioButton* MergeDialog::choice(const std::string& field, MergeKeep keep) const {
    return findChild<QRadioButton*>(QString::fromStdString(field) + QLatin1Char(':') + QLatin1String(sideName(keep)));
}

void MergeDialog::swapSides() {
    if (!survivor_ || !absorbed_ || mergeId_) return;
    std::swap(survivor_, absorbed_);
    showSides();
}

void MergeDialog::mergeNow() {
    if (!mergeable_ || mergeId_) return;
    const auto choices = mergeChoices(fields_, chosen());
    const auto s = survivor_->id, a = absorbed_->id;
    auto result = std::make_shared<MergeResult>();
    tell(lang_.pick("Merging…", "Объединяем…", "Scalam…"), false);
    ask([this, s, a, choices, result] { *result = ctx_.catalogue.merge(ctx_.me, s, a, choices); },
        [this, result](const QString& refusal) { afterMerge(*result, refusal); });
}

void MergeDialog::afterMerge(const MergeResult& result, const QString& refusal) {
    if (!refusal.isEmpty()) return tell(refusal, true), emit answered();
    mergeId_ = result.mergeId;
    merge_->setEnabled(false);
    swap_->setEnabled(false);
    tell(lang_.pick("Merged into %1: %2 events, %3 people or jobs, %4 relations and %5 certifications moved.",
                    "Объединено в %1: перенесено событий — %2, контактов или мест работы — %3, связей — %4, сертификатов — %5.",
                    "Scalono w %1: przeniesiono zdarzeń: %2, osób lub miejsc pracy: %3, powiązań: %4, certyfikatów: %5.")
             .arg(quoted(*survivor_, lang_))
             .arg(result.eventsMoved)
             .arg(result.employmentsMoved)
             .arg(result.relationsMoved)
             .arg(result.certificationsMoved),
         false);
    rows_->widget()->setEnabled(false);
    undo_->show();
    emit merged(mergeId_);
    emit answered();
}

void MergeDialog::undoNow() {
    if (!mergeId_) return;
    const auto id = mergeId_;
    tell(lang_.pick("Undoing…", "Отменяем…", "Cofam…"), false);
    ask([this, id] { ctx_.catalogue.undoMerge(ctx_.me, id); }, [this](const QString& refusal) { afterUndo(refusal); });
}

void MergeDialog::afterUndo(const QString& refusal) {
    if (!refusal.isEmpty()) return tell(refusal, true), emit answered();
    tell(lang_.pick("Undone: %1 and %2 are separate again.", "Отменено: %1 и %2 снова раздельно.", "Cofnięto: %1 i %2 znów są osobno.")
             .arg(quoted(*survivor_, lang_), quoted(*absorbed_, lang_)),
         false);
    mergeId_ = 0;
    undo_->hide();
    // Both are as they were before; the choices shown still hold for another try.
    rows_->widget()->setEnabled(true);
    swap_->setEnabled(mergeable_);
    merge_->setEnabled(mergeable_);
    emit undone();
    emit answered();
}

void MergeDialog::ask(std::function<void()> call, std::function<void(const QString&)> done) {
    setBusy(true);
    pool_.start(guardedWork("merge dialog: core", [this, call = std::move(call), done = std::move(done)] {
        QString refusal;
        try {
            call();
        } catch (const std::exception& e) {
            refusal = refusalOf(e);
        }
        QMetaObject::invokeMethod(
            this,
            [this, done, refusal] {
                runGuarded(this, "merge dialog: answer", [&] {
                    setBusy(false);
                    done(refusal);
                });
            },
            Qt::QueuedConnection);
    }));
}

QString MergeDialog::refusalOf(const std::exception& error) const {
    if (const auto* e = dynamic_cast<const CatalogueError*>(&error)) return QString::fromStdString(describe(*e, crm::Locale::of(lang_.locale())));
    return lang_.pick("The catalogue cannot be reached now; nothing was changed. Try again in a moment.",
                      "Каталог сейчас недоступен; ничего не изменено. Повторите через минуту.",
                      "Katalog jest teraz niedostępny; nic nie zmieniono. Spróbuj za chwilę.");
}

void MergeDialog::tell(const QString& text, bool refusal) {
    message_->setText(text);
    message_->setStyleSheet(refusal ? QStringLiteral("color:#b00020") : QString());
}

// Nothing is asked twice while the core answers.
void MergeDialog::setBusy(bool busy) {
    const bool open = mergeable_ && mergeId_ == 0;
    merge_->setEnabled(!busy && open);
    swap_->setEnabled(!busy && open);
    undo_->setEnabled(!busy);
}

}  // namespace conduit::forms
