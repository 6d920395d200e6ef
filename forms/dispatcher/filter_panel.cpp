#include "dispatcher/filter_panel.hpp"

#include "common/exception_barrier.hpp"
#include "common/event_look.hpp"
#include "common/party_picker.hpp"

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTimer>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace conduit::forms {

namespace {


}  // namespace

void FilterPanel::setClock(std::function<sdk::TimePoint()> now) {
    now_ = std::move(now);
    if (period_->currentData().toInt() == static_cast<int>(Period::Custom)) return;  // the user's dates stay
    const QDate today = localToday(now_());
    for (auto* d : {from_, to_}) {
        const QSignalBlocker quiet(d);
        d->setDate(today);
    }
}

FilterPanel::FilterPanel(DirectoryCache& directory, const crm::EventKindRegistry& kinds, Lang lang, sdk::User currentUser,
                         std::vector<std::string> modules, QWidget* parent)
    : QWidget(parent), directory_(directory), lang_(std::move(lang)), me_(std::move(currentUser)),
      now_(crm::systemClock()) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    createSavedFiltersRow(outer);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);  // a narrow panel: labels above the fields
    outer->addLayout(form);
    const QString any = lang_.pick("— any —", "— любой —", "— dowolny —");
    createTextSearch(form);
    createPickers(form, any);
    createOnlyMine(form);
    createPeriod(form);
    createImportance(form, any);
    createModule(form, modules, any);
    createKinds(outer, kinds);
    auto* clear = new QPushButton(lang_.pick("Clear filters", "Сбросить фильтры", "Wyczyść filtry"), this);
    clear->setObjectName(QStringLiteral("filterClear"));
    outer->addWidget(clear);
    connectChanges(clear);
}

void FilterPanel::createSavedFiltersRow(QVBoxLayout* outer) {
    // Saved filters on top: a dispatcher's usual views, one click away.
    savedRow_ = new QWidget(this);
    auto* savedLayout = new QHBoxLayout(savedRow_);
    savedLayout->setContentsMargins(0, 0, 0, 0);
    saved_ = new QComboBox(savedRow_);
    saved_->setObjectName(QStringLiteral("savedFilters"));
    saved_->setToolTip(lang_.pick("Saved filters", "Сохранённые фильтры", "Zapisane filtry"));
    auto* saveButton = new QPushButton(lang_.pick("Save…", "Сохранить…", "Zapisz…"), savedRow_);
    saveButton->setObjectName(QStringLiteral("saveFilter"));
    deleteSaved_ = new QPushButton(lang_.pick("Delete", "Удалить", "Usuń"), savedRow_);
    deleteSaved_->setObjectName(QStringLiteral("deleteFilter"));
    savedLayout->addWidget(saved_, 1);
    savedLayout->addWidget(saveButton);
    savedLayout->addWidget(deleteSaved_);
    outer->addWidget(savedRow_);
    savedRow_->hide();
    connect(saved_, &QComboBox::activated, this, guarded(this, "filter panel: activated", [this](int index) {
        if (index > 0) selectSaved(saved_->itemText(index));
        deleteSaved_->setEnabled(index > 0);
    }));
    connect(saveButton, &QPushButton::clicked, this, guarded(this, "filter panel: clicked", [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, lang_.pick("Save filter", "Сохранить фильтр", "Zapisz filtr"),
                                                   lang_.pick("Name:", "Название:", "Nazwa:"), QLineEdit::Normal,
                                                   saved_->currentIndex() > 0 ? saved_->currentText() : QString(), &ok);
        if (ok && !name.trimmed().isEmpty()) saveCurrentAs(name.trimmed());
    }));
    connect(deleteSaved_, &QPushButton::clicked, this, &FilterPanel::deleteSelectedSaved);
}

void FilterPanel::createTextSearch(QFormLayout* form) {
    text_ = new QLineEdit(this);
    text_->setObjectName(QStringLiteral("filterText"));
    text_->setClearButtonEnabled(true);
    text_->setPlaceholderText(lang_.pick("Words in the title or text", "Слова в заголовке или тексте", "Słowa w tytule lub treści"));
    textTimer_ = new QTimer(this);
    textTimer_->setSingleShot(true);
    textTimer_->setInterval(350);  // a query per pause in typing, not per key
    connect(text_, &QLineEdit::textChanged, textTimer_, qOverload<>(&QTimer::start));
    connect(textTimer_, &QTimer::timeout, this, &FilterPanel::changed);
    form->addRow(lang_.pick("Search", "Поиск", "Szukaj"), text_);
}

void FilterPanel::createPickers(QFormLayout* form, const QString& any) {
    project_ = new PartyPicker(any, this);
    project_->setObjectName(QStringLiteral("filterProject"));
    project_->setEntries(projectEntries(directory_));
    form->addRow(lang_.pick("Project", "Проект", "Projekt"), project_);

    counterparty_ = new PartyPicker(any, this);
    counterparty_->setObjectName(QStringLiteral("filterCounterparty"));
    counterparty_->setEntries(counterpartyEntries(directory_, lang_));
    form->addRow(lang_.pick("Counterparty", "Контрагент", "Kontrahent"), counterparty_);

    author_ = new PartyPicker(any, this);
    author_->setObjectName(QStringLiteral("filterAuthor"));
    author_->setEntries(userEntries(directory_));
    form->addRow(lang_.pick("Author", "Автор", "Autor"), author_);
}

void FilterPanel::createOnlyMine(QFormLayout* form) {
    mine_ = new QCheckBox(lang_.pick("Only what concerns me", "Только то, что касается меня", "Tylko to, co mnie dotyczy"), this);
    mine_->setObjectName(QStringLiteral("filterMine"));
    mine_->setToolTip(lang_.pick(
        "Events I made. With a project picked that I manage or measure: all of its events.",
        "События, которые сделал я. Если выбран проект, где я менеджер или замерщик, — все его события.",
        "Zdarzenia, które utworzyłem. Gdy wybrano projekt, którym kieruję lub który mierzę — wszystkie jego zdarzenia."));
    form->addRow(mine_);
}

void FilterPanel::createPeriod(QFormLayout* form) {
    period_ = new QComboBox(this);
    period_->setObjectName(QStringLiteral("filterPeriod"));
    period_->addItem(lang_.pick("All time", "За всё время", "Cały okres"), static_cast<int>(Period::All));
    period_->addItem(lang_.pick("Today", "Сегодня", "Dziś"), static_cast<int>(Period::Today));
    period_->addItem(lang_.pick("Last 7 days", "Последние 7 дней", "Ostatnie 7 dni"), static_cast<int>(Period::Week));
    period_->addItem(lang_.pick("Last 30 days", "Последние 30 дней", "Ostatnie 30 dni"), static_cast<int>(Period::Month));
    period_->addItem(lang_.pick("Dates…", "Даты…", "Daty…"), static_cast<int>(Period::Custom));
    form->addRow(lang_.pick("Period", "Период", "Okres"), period_);
    auto* range = new QHBoxLayout;
    from_ = new QDateEdit(this);
    to_ = new QDateEdit(this);
    for (auto* d : {from_, to_}) {
        d->setCalendarPopup(true);
        d->setDate(QDate::currentDate());
        d->setEnabled(false);
        connect(d, &QDateEdit::dateChanged, this, guarded(this, "filter panel: dateChanged", [this] {
            if (period_->currentData().toInt() == static_cast<int>(Period::Custom)) changed();
        }));
    }
    range->addWidget(from_);
    range->addWidget(new QLabel(QStringLiteral("–"), this));
    range->addWidget(to_);
    form->addRow(range);
}

void FilterPanel::createImportance(QFormLayout* form, const QString& any) {
    importance_ = new QComboBox(this);
    importance_->setObjectName(QStringLiteral("filterImportance"));
    importance_->addItem(any, -1);
    for (auto imp : {crm::Importance::Normal, crm::Importance::High, crm::Importance::Critical})
        importance_->addItem(importanceIcon(imp), importanceName(imp, lang_) + (imp == crm::Importance::Critical ? QString() : QStringLiteral(" +")),
                             static_cast<int>(imp));
    form->addRow(lang_.pick("Importance at least", "Важность не ниже", "Ważność co najmniej"), importance_);
}

void FilterPanel::createModule(QFormLayout* form, const std::vector<std::string>& modules, const QString& any) {
    module_ = new QComboBox(this);
    module_->setObjectName(QStringLiteral("filterModule"));
    module_->addItem(any, QString());
    for (const auto& m : modules) module_->addItem(moduleName(m, lang_), QString::fromStdString(m));
    form->addRow(lang_.pick("Source module", "Модуль-источник", "Moduł źródłowy"), module_);
}

void FilterPanel::createKinds(QVBoxLayout* outer, const crm::EventKindRegistry& kinds) {
    kinds_ = new QListWidget(this);
    kinds_->setObjectName(QStringLiteral("filterKinds"));
    kinds_->setUniformItemSizes(true);
    kinds_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    kinds_->setTextElideMode(Qt::ElideRight);
    for (const auto& k : kinds.all()) {
        auto* item = new QListWidgetItem(kindIcon(k.icon), QString::fromStdString(k.name(lang_.locale())), kinds_);
        item->setData(Qt::UserRole, QString::fromStdString(k.code));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setToolTip(QString::fromStdString(k.code));
    }
    auto* kindsLabel = new QLabel(lang_.pick("Kinds (none ticked: all)", "Виды (ничего не отмечено — все)",
                                             "Rodzaje (nic nie zaznaczono — wszystkie)"), this);
    outer->addWidget(kindsLabel);
    outer->addWidget(kinds_, 1);
}

void FilterPanel::connectChanges(QPushButton* clear) {
    connect(project_, &PartyPicker::selectionChanged, this, &FilterPanel::changed);
    connect(counterparty_, &PartyPicker::selectionChanged, this, &FilterPanel::counterpartyChanged);
    connect(author_, &PartyPicker::selectionChanged, this, &FilterPanel::changed);
    connect(mine_, &QCheckBox::toggled, this, guarded(this, "filter panel: toggled", [this](bool on) {
        author_->setEnabled(!on);  // "mine" already says whose events
        changed();
    }));
    connect(period_, &QComboBox::currentIndexChanged, this, &FilterPanel::periodChanged);
    connect(importance_, &QComboBox::currentIndexChanged, this, &FilterPanel::changed);
    connect(module_, &QComboBox::currentIndexChanged, this, &FilterPanel::changed);
    connect(kinds_, &QListWidget::itemChanged, this, &FilterPanel::changed);
    connect(clear, &QPushButton::clicked, this, &FilterPanel::clearAll);
}

void FilterPanel::counterpartyChanged() {
    // A project of another counterparty would filter to nothing: the project list follows, and
    // a project that is not the counterparty's is dropped, in the same one filterChanged.
    const bool wasQuiet = quiet_;
    quiet_ = true;
    project_->narrowToOwner(counterparty_->selectedId());
    quiet_ = wasQuiet;
    changed();
}

void FilterPanel::changed() {
    if (!quiet_) emit filterChanged();
}

void FilterPanel::periodChanged() {
    const bool custom = period_->currentData().toInt() == static_cast<int>(Period::Custom);
    from_->setEnabled(custom);
    to_->setEnabled(custom);
    changed();
}

crm::FeedFilter FilterPanel::filter() const {
    crm::FeedFilter f;
    f.project = project_->selectedId();
    f.counterparty = counterparty_->selectedId();
    if (mine_->isChecked()) {
        // The store filters by one author; "my projects" has no filter of its own. So: my events,
        // or, when the picked project is one I manage or measure, all of that project's events.
        bool myProject = false;
        if (f.project)
            if (auto p = directory_.project(*f.project))
                myProject = me_.id != 0 && (p->managerUserId == me_.id || p->measurerUserId == me_.id);
        if (!myProject) f.author = me_.id;
    } else {
        f.author = author_->selectedId();
    }
    for (int i = 0; i < kinds_->count(); ++i)
        if (kinds_->item(i)->checkState() == Qt::Checked)
            f.kinds.push_back(kinds_->item(i)->data(Qt::UserRole).toString().toStdString());
    if (const QString m = module_->currentData().toString(); !m.isEmpty()) f.sourceModule = m.toStdString();
    if (const int imp = importance_->currentData().toInt(); imp >= 0) f.minImportance = static_cast<crm::Importance>(imp);

    const auto period = static_cast<Period>(period_->currentData().toInt());
    const QDate today = localToday(now_());
    switch (period) {
    case Period::All: break;
    case Period::Today: f.from = startOfLocalDay(today); break;
    case Period::Week: f.from = startOfLocalDay(today.addDays(-6)); break;
    case Period::Month: f.from = startOfLocalDay(today.addDays(-29)); break;
    case Period::Custom:
        f.from = startOfLocalDay(from_->date());
        f.to = startOfLocalDay(to_->date().addDays(1));  // the "to" day is included
        break;
    }
    f.text = text_->text().trimmed().toStdString();
    return f;
}

void FilterPanel::setKinds(const std::vector<std::string>& codes) {
    quiet_ = true;
    for (int i = 0; i < kinds_->count(); ++i) {
        const auto code = kinds_->item(i)->data(Qt::UserRole).toString().toStdString();
        const bool on = std::find(codes.begin(), codes.end(), code) != codes.end();
        kinds_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    quiet_ = false;
    changed();
}

void FilterPanel::setModule(const std::string& module) {
    const int i = module_->findData(QString::fromStdString(module));
    module_->setCurrentIndex(i < 0 ? 0 : i);
}

void FilterPanel::setMinImportance(std::optional<crm::Importance> importance) {
    const int i = importance_->findData(importance ? static_cast<int>(*importance) : -1);
    importance_->setCurrentIndex(i < 0 ? 0 : i);
}

void FilterPanel::setPeriod(Period period) { period_->setCurrentIndex(period_->findData(static_cast<int>(period))); }

void FilterPanel::setCustomRange(QDate from, QDate toInclusive) {
    quiet_ = true;
    from_->setDate(from);
    to_->setDate(toInclusive);
    quiet_ = false;
    if (period_->currentData().toInt() == static_cast<int>(Period::Custom)) changed();
}

void FilterPanel::setText(const QString& text) { text_->setText(text); }

void FilterPanel::setOnlyMine(bool on) { mine_->setChecked(on); }

void FilterPanel::clearAll() {
    quiet_ = true;
    text_->clear();
    textTimer_->stop();
    counterparty_->setSelectedId(std::nullopt);
    project_->setSelectedId(std::nullopt);
    author_->setSelectedId(std::nullopt);
    mine_->setChecked(false);
    period_->setCurrentIndex(0);
    importance_->setCurrentIndex(0);
    module_->setCurrentIndex(0);
    for (int i = 0; i < kinds_->count(); ++i) kinds_->item(i)->setCheckState(Qt::Unchecked);
    quiet_ = false;
    emit filterChanged();
}

FilterState FilterPanel::state() const {
    FilterState s;
    s.project = project_->selectedId();
    s.counterparty = counterparty_->selectedId();
    s.author = author_->selectedId();
    for (int i = 0; i < kinds_->count(); ++i)
        if (kinds_->item(i)->checkState() == Qt::Checked)
            s.kinds.push_back(kinds_->item(i)->data(Qt::UserRole).toString().toStdString());
    s.module = module_->currentData().toString().toStdString();
    if (const int imp = importance_->currentData().toInt(); imp >= 0) s.minImportance = static_cast<crm::Importance>(imp);
    s.period = period_->currentData().toInt();
    if (s.period == static_cast<int>(Period::Custom)) {
        s.customFrom = from_->date().toString(Qt::ISODate).toStdString();
        s.customTo = to_->date().toString(Qt::ISODate).toStdString();
    }
    s.text = text_->text().trimmed().toStdString();
    s.onlyMine = mine_->isChecked();
    return s;
}

void FilterPanel::applyState(const FilterState& s) {
    quiet_ = true;
    text_->setText(QString::fromStdString(s.text));
    textTimer_->stop();
    counterparty_->setSelectedId(s.counterparty);  // first: it narrows the projects
    project_->setSelectedId(s.project);
    author_->setSelectedId(s.author);
    mine_->setChecked(s.onlyMine);
    for (int i = 0; i < kinds_->count(); ++i) {
        const auto code = kinds_->item(i)->data(Qt::UserRole).toString().toStdString();
        const bool on = std::find(s.kinds.begin(), s.kinds.end(), code) != s.kinds.end();
        kinds_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    setModule(s.module);
    setMinImportance(s.minImportance);
    const int period = period_->findData(s.period);
    period_->setCurrentIndex(period < 0 ? 0 : period);
    if (s.period == static_cast<int>(Period::Custom)) {
        const QDate from = QDate::fromString(QString::fromStdString(s.customFrom), Qt::ISODate);
        const QDate to = QDate::fromString(QString::fromStdString(s.customTo), Qt::ISODate);
        if (from.isValid()) from_->setDate(from);
        if (to.isValid()) to_->setDate(to);
    }
    quiet_ = false;
    emit filterChanged();
}

void FilterPanel::setSavedFilters(SavedFilters* saved) {
    savedFilters_ = saved;
    savedRow_->setVisible(saved != nullptr);
    reloadSaved({});
}

void FilterPanel::reloadSaved(const QString& select) {
    saved_->clear();
    saved_->addItem(lang_.pick("— saved filters —", "— сохранённые фильтры —", "— zapisane filtry —"));
    if (savedFilters_)
        for (const auto& name : savedFilters_->names()) saved_->addItem(QString::fromStdString(name));
    const int i = select.isEmpty() ? 0 : saved_->findText(select);
    saved_->setCurrentIndex(i < 0 ? 0 : i);
    deleteSaved_->setEnabled(saved_->currentIndex() > 0);
}

void FilterPanel::saveCurrentAs(const QString& name) {
    if (!savedFilters_ || name.isEmpty()) return;
    savedFilters_->save(name.toStdString(), state());
    reloadSaved(name);
}

void FilterPanel::selectSaved(const QString& name) {
    if (!savedFilters_) return;
    auto s = savedFilters_->get(name.toStdString());
    if (!s) return;
    reloadSaved(name);
    applyState(*s);
}

void FilterPanel::deleteSelectedSaved() {
    if (!savedFilters_ || saved_->currentIndex() <= 0) return;
    savedFilters_->remove(saved_->currentText().toStdString());
    reloadSaved({});
}

}  // namespace conduit::forms
