#include "rules/rules_editor.hpp"

#include "common/exception_barrier.hpp"
#include "common/field_message.hpp"
#include "rules/kind_tree.hpp"
#include "rules/offset_list.hpp"
#include "rules/reach_panel.hpp"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace conduit::forms {

namespace {

using crm::notify::RecipientRole;
using crm::notify::RecipientSpec;
using crm::notify::Rule;
using crm::notify::RuleError;
using crm::notify::RuleProblem;
using crm::notify::Timing;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString timingName(Timing t, const Lang& l) {
    switch (t) {
    case Timing::OnOccurrence: return l.pick("When it happens", "Сразу", "Od razu");
    case Timing::Reminder: return l.pick("Reminder around the due date", "Напоминание о сроке", "Przypomnienie o terminie");
    case Timing::Digest: return l.pick("Daily digest", "Ежедневная сводка", "Codzienne podsumowanie");
    }
    return {};
}

// The same items whatever their order: a rule re-saved unchanged keeps its stored order.
template <typename T>
bool sameItems(std::vector<T> a, std::vector<T> b) {
    if (a.size() != b.size()) return false;
    for (const auto& x : a) {
        auto it = std::find(b.begin(), b.end(), x);
        if (it == b.end()) return false;
        b.erase(it);
    }
    return true;
}

// A question whose answers are in the user's language; Escape and Enter give `safe`.
QMessageBox::StandardButton ask(QWidget* parent, const Lang& l, const QString& title, const QString& text,
                                QMessageBox::StandardButtons buttons, QMessageBox::StandardButton safe) {
    QMessageBox box(QMessageBox::Question, title, text, buttons, parent);
    box.setObjectName(QStringLiteral("rulesQuestion"));
    const std::pair<QMessageBox::StandardButton, QString> words[] = {
        {QMessageBox::Yes, l.pick("Delete", "Удалить", "Usuń")},
        {QMessageBox::No, l.pick("Keep", "Оставить", "Zostaw")},
        {QMessageBox::Save, l.pick("Save", "Сохранить", "Zapisz")},
        {QMessageBox::Discard, l.pick("Discard changes", "Не сохранять", "Odrzuć zmiany")},
        {QMessageBox::Cancel, l.pick("Keep editing", "Продолжить правку", "Wróć do edycji")},
    };
    for (const auto& [button, word] : words)
        if (auto* b = box.button(button)) b->setText(word);
    box.setDefaultButton(safe);
    box.setEscapeButton(safe);
    return static_cast<QMessageBox::StandardButton>(box.exec());
}

}  // namespace

RulesEditor::RulesEditor(RulesEditorContext context, Lang lang, QWidget* parent)
    : QWidget(parent), ctx_(context), lang_(std::move(lang)), reader_(crm::Locale::of(lang_.locale())) {
    choices_ = recipientChoices();
    auto* outer = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    outer->addWidget(splitter);
    buildList();
    splitter->addWidget(table_->parentWidget());
    buildForm();
    splitter->addWidget(formTitle_->parentWidget());
    showBlank();
    reload();
}

void RulesEditor::buildList() {
    const Lang& l = lang_;
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(0, 5, top);
    table_->setObjectName(QStringLiteral("rulesTable"));
    table_->setHorizontalHeaderLabels({l.pick("Rule", "Правило", "Reguła"), l.pick("Kinds", "Виды", "Rodzaje"),
                                       l.pick("When", "Когда", "Kiedy"), l.pick("To whom", "Кому", "Do kogo"),
                                       l.pick("On", "Вкл.", "Wł.")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->setWordWrap(true);
    auto* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Stretch);
    header->setSectionResizeMode(4, QHeaderView::ResizeToContents);
    topLayout->addWidget(table_, 1);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(l.pick("New rule", "Новое правило", "Nowa reguła"), top);
    toggle_ = new QPushButton(l.pick("Disable", "Выключить", "Wyłącz"), top);
    remove_ = new QPushButton(l.pick("Delete…", "Удалить…", "Usuń…"), top);
    for (auto* b : {add, toggle_, remove_}) buttons->addWidget(b);
    buttons->addStretch(1);
    topLayout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, &RulesEditor::newRule);
    connect(toggle_, &QPushButton::clicked, this, &RulesEditor::toggleSelected);
    connect(remove_, &QPushButton::clicked, this, &RulesEditor::deleteSelected);
    auto* deleteKey = new QAction(table_);  // the Delete key on the list asks the same question
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    table_->addAction(deleteKey);
    connect(deleteKey, &QAction::triggered, this, &RulesEditor::deleteSelected);
    connect(table_, &QTableWidget::currentCellChanged, this,
            guarded(this, "rules editor: currentCellChanged", [this](int row, int, int previousRow, int) { followSelection(row, previousRow); }));
}

void RulesEditor::buildForm() {
    const Lang& l = lang_;
    auto* formBox = new QWidget(this);
    auto* formOuter = new QVBoxLayout(formBox);
    formTitle_ = new QLabel(formBox);
    formOuter->addWidget(formTitle_);
    // The form on the left, what the rule would have sent beside it: the rules list above keeps its height.
    auto* columns = new QHBoxLayout;
    formOuter->addLayout(columns, 1);
    auto* left = new QVBoxLayout;
    columns->addLayout(left, 3);
    form_ = new QFormLayout;
    left->addLayout(form_);
    auto field = [&](const QString& label, QWidget* w, const std::string& key) {
        const auto f = fieldWithMessage(w, formBox);
        messages_[key] = f.message;
        form_->addRow(label, f.box);
        return f.box;
    };
    name_ = new QLineEdit;
    field(l.pick("Name", "Название", "Nazwa"), name_, "name");
    kindTree_ = new KindTree(ctx_.kinds, lang_);
    kindTree_->setMinimumHeight(180);
    field(l.pick("Events", "События", "Zdarzenia"), kindTree_, "kinds");
    timing_ = new QComboBox;
    for (auto t : {Timing::OnOccurrence, Timing::Reminder, Timing::Digest}) timing_->addItem(timingName(t, l), static_cast<int>(t));
    field(l.pick("When", "Когда", "Kiedy"), timing_, "timing");
    offsets_ = new OffsetList(lang_);
    offsetsRow_ = field(l.pick("Remind", "Напомнить", "Przypomnij"), offsets_, "offsets");
    digestHour_ = new QSpinBox;
    digestHour_->setRange(0, 23);
    digestHour_->setSuffix(QStringLiteral(":00"));
    digestRow_ = field(l.pick("Digest at", "Сводка в", "Podsumowanie o"), digestHour_, "digestHour");
    recipients_ = new QListWidget;
    recipients_->setMaximumHeight(180);
    for (const auto& c : choices_) {
        auto* item = new QListWidgetItem(c.label, recipients_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    field(l.pick("Recipients", "Получатели", "Odbiorcy"), recipients_, "recipients");
    attach_ = new QCheckBox(l.pick("Attach the event's files", "Прикладывать файлы события", "Dołączaj pliki zdarzenia"));
    form_->addRow(attach_);
    enabled_ = new QCheckBox(l.pick("Enabled", "Включено", "Włączona"));
    form_->addRow(enabled_);
    auto* general = newFieldMessage(formBox);
    messages_[""] = general;
    left->addWidget(general);
    auto* saveButton = new QPushButton(l.pick("Save rule", "Сохранить правило", "Zapisz regułę"), formBox);
    left->addWidget(saveButton);
    left->addStretch(1);
    if (ctx_.reach) {
        reach_ = new ReachPanel(ctx_.reach, lang_, formBox);
        columns->addWidget(reach_, 2);
        connect(reach_, &ReachPanel::countRequested, this, guarded(this, "rules editor: count reach", [this] { countFormRule(); }));
    }

    connect(saveButton, &QPushButton::clicked, this, &RulesEditor::save);
    connect(timing_, &QComboBox::currentIndexChanged, this, guarded(this, "rules editor: currentIndexChanged", [this] {
        // A reminder starts with one moment to adjust rather than an empty list.
        if (static_cast<Timing>(timing_->currentData().toInt()) == Timing::Reminder && offsets_->lineCount() == 0)
            offsets_->addLine(std::chrono::minutes(-24 * 60));
        showTimingFields();
    }));
}

// The roles, then every department the rules know, named as the host's directory names it.
std::vector<RulesEditor::Choice> RulesEditor::recipientChoices() const {
    const Lang& l = lang_;
    auto choice = [](RecipientRole role, std::string department, QString label) {
        return Choice{RecipientSpec{role, std::move(department), 0}, std::move(label)};
    };
    std::vector<Choice> out;
    out.push_back(choice(RecipientRole::ProjectManager, {}, l.pick("Project manager", "Менеджер проекта", "Kierownik projektu")));
    out.push_back(choice(RecipientRole::Measurer, {}, l.pick("Measurer", "Замерщик", "Pomiarowiec")));
    out.push_back(choice(RecipientRole::CounterpartyContact, {},
                         l.pick("Customer's contact (external)", "Контакт заказчика (внешний)", "Kontakt klienta (zewnętrzny)")));
    std::vector<sdk::Department> departments;
    try {
        departments = ctx_.directory.departments();
    } catch (const std::exception&) {
        // the rules' own names below
    }
    for (const auto& code : crm::notify::knownDepartments()) {
        auto it = std::find_if(departments.begin(), departments.end(), [&](const auto& d) { return d.code == code; });
        const std::string name = it != departments.end() && !it->name.empty() ? it->name : crm::notify::departmentName(code, reader_);
        out.push_back(choice(RecipientRole::Department, code, qs(name)));
    }
    return out;
}

int RulesEditor::recipientRow(const RecipientSpec& spec) const {
    for (std::size_t i = 0; i < choices_.size(); ++i)
        if (choices_[i].spec == spec) return static_cast<int>(i);
    return -1;
}

QString RulesEditor::recipientLabel(const RecipientSpec& spec) {
    if (const int row = recipientRow(spec); row >= 0) return choices_[static_cast<std::size_t>(row)].label;
    switch (spec.role) {
    case RecipientRole::CrewLead: return lang_.pick("Crew lead", "Бригадир", "Brygadzista");
    case RecipientRole::Followers: return lang_.pick("Those who follow it", "Те, кто следит", "Obserwujący");
    case RecipientRole::Department: return qs(crm::notify::departmentName(spec.department, reader_));
    case RecipientRole::User: {
        if (!userNames_.contains(spec.userId)) {
            QString name;
            try {
                if (auto u = ctx_.directory.user(spec.userId)) name = qs(u->fullName);
            } catch (const std::exception&) {
            }
            userNames_.insert(spec.userId, name.isEmpty() ? lang_.pick("User #", "Сотрудник #", "Użytkownik #") + QString::number(spec.userId) : name);
        }
        return userNames_.value(spec.userId);
    }
    default: return {};
    }
}

QString RulesEditor::timingText(const Rule& rule) const {
    if (rule.timing == Timing::Reminder) {
        QStringList moments;
        for (auto o : rule.offsets) moments << qs(crm::notify::offsetText(o, reader_));
        return lang_.pick("Reminder ", "Напоминание ", "Przypomnienie ") + moments.join(QStringLiteral("; "));
    }
    if (rule.timing == Timing::Digest)
        return lang_.pick("Daily digest at %1:00", "Ежедневная сводка в %1:00", "Codzienne podsumowanie o %1:00").arg(rule.digestHour, 2, 10, QChar('0'));
    return timingName(rule.timing, lang_);
}

int RulesEditor::rowCount() const { return table_->rowCount(); }

void RulesEditor::reload() {
    std::vector<Rule> all;
    try {
        all = ctx_.rules.list();
    } catch (const std::exception& e) {
        showError(e);
    }
    const auto keep = selectedRuleId();
    listing_ = true;
    table_->setRowCount(static_cast<int>(all.size()));
    for (int r = 0; r < static_cast<int>(all.size()); ++r) {
        const Rule& rule = all[static_cast<std::size_t>(r)];
        QStringList to;
        for (const auto& spec : rule.recipients) to << recipientLabel(spec);
        auto* name = new QTableWidgetItem(qs(crm::notify::ruleName(rule, reader_)));
        name->setData(Qt::UserRole, QVariant::fromValue<qint64>(rule.id));
        name->setData(Qt::UserRole + 1, rule.enabled);
        table_->setItem(r, 0, name);
        table_->setItem(r, 1, new QTableWidgetItem(kindsSummary(rule.kinds, ctx_.kinds, lang_)));
        table_->setItem(r, 2, new QTableWidgetItem(timingText(rule)));
        table_->setItem(r, 3, new QTableWidgetItem(to.join(QStringLiteral(", "))));
        table_->setItem(r, 4, new QTableWidgetItem(rule.enabled ? QStringLiteral("✔") : lang_.pick("off", "выкл.", "wył.")));
        for (int c = 0; c < 5; ++c) {
            auto* item = table_->item(r, c);
            item->setToolTip(item->text());  // a cut cell reads in full on hover
            if (!rule.enabled) item->setForeground(QColor(0x80, 0x86, 0x8b));
        }
    }
    table_->resizeRowsToContents();
    listing_ = false;
    selectRow(keep);
}

int RulesEditor::rowOf(std::int64_t id) const {
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, 0) && table_->item(r, 0)->data(Qt::UserRole).toLongLong() == id) return r;
    return -1;
}

// Moves the list's selection without treating it as the user's choice.
void RulesEditor::selectRow(std::optional<std::int64_t> id) {
    listing_ = true;
    const int row = id ? rowOf(*id) : -1;
    if (row >= 0) {
        table_->setCurrentCell(row, 0);
        table_->selectRow(row);
    } else {
        table_->clearSelection();
        table_->setCurrentCell(-1, -1);
    }
    listing_ = false;
    updateButtons();
}

void RulesEditor::updateButtons() {
    const int row = table_->currentRow();
    const bool any = row >= 0 && table_->item(row, 0);
    toggle_->setEnabled(any);
    remove_->setEnabled(any);
    const bool on = any && table_->item(row, 0)->data(Qt::UserRole + 1).toBool();
    toggle_->setText(any && !on ? lang_.pick("Enable", "Включить", "Włącz") : lang_.pick("Disable", "Выключить", "Wyłącz"));
}

std::optional<std::int64_t> RulesEditor::selectedRuleId() const {
    const int row = table_->currentRow();
    if (row < 0 || !table_->item(row, 0)) return std::nullopt;
    return table_->item(row, 0)->data(Qt::UserRole).toLongLong();
}

std::optional<std::int64_t> RulesEditor::shownRuleId() const {
    if (!editing_) return std::nullopt;
    return editing_->id;
}

bool RulesEditor::selectRule(std::int64_t id) {
    const int row = rowOf(id);
    if (row < 0) return false;
    table_->setCurrentCell(row, 0);  // as a click: followSelection decides
    return shownRuleId() == id;
}

// The form shows what is selected; unsaved changes are asked about first, and "keep editing"
// puts the selection back.
void RulesEditor::followSelection(int row, int previousRow) {
    if (listing_) return;
    updateButtons();
    if (row < 0 || !table_->item(row, 0)) return;
    const std::int64_t id = table_->item(row, 0)->data(Qt::UserRole).toLongLong();
    if (shownRuleId() == id) return;
    if (!settleUnsavedChanges()) {
        const int back = editing_ ? rowOf(editing_->id) : -1;
        selectRow(back >= 0 ? std::optional<std::int64_t>(editing_->id) : std::nullopt);
        (void)previousRow;
        return;
    }
    std::optional<Rule> rule;
    try {
        rule = ctx_.rules.find(id);
    } catch (const std::exception& e) {
        showError(e);
        return;
    }
    if (!rule) {
        showBlank();
        reload();
        showMessage("", qs(crm::notify::describe(RuleError(RuleProblem::NoSuchRule, "id"), reader_)));
        return;
    }
    selectRow(id);
    load(*rule);
}

bool RulesEditor::settleUnsavedChanges() {
    if (!hasUnsavedChanges()) return true;
    const QString name = name_->text().trimmed().isEmpty() ? lang_.pick("the new rule", "новое правило", "nowa reguła") : name_->text().trimmed();
    const auto answer = ask(this, lang_, lang_.pick("Unsaved changes", "Несохранённые изменения", "Niezapisane zmiany"),
                            lang_.pick("Save the changes to “%1”?", "Сохранить изменения в «%1»?", "Zapisać zmiany w „%1”?").arg(name),
                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

bool RulesEditor::hasUnsavedChanges() const { return !(formRule() == shown_); }

void RulesEditor::newRule() {
    if (!settleUnsavedChanges()) return;
    showBlank();
    selectRow(std::nullopt);
}

void RulesEditor::showBlank() {
    editing_.reset();
    fillForm(Rule{});
    if (reach_) reach_->clear();
    formTitle_->setText(QStringLiteral("<b>") + lang_.pick("New rule", "Новое правило", "Nowa reguła").toHtmlEscaped() + QStringLiteral("</b>"));
}

void RulesEditor::load(const Rule& rule) {
    editing_ = rule;
    fillForm(rule);
    if (reach_) reach_->count(rule);
    formTitle_->setText(QStringLiteral("<b>") + lang_.pick("Rule: ", "Правило: ", "Reguła: ").toHtmlEscaped() +
                        qs(crm::notify::ruleName(rule, reader_)).toHtmlEscaped() + QStringLiteral("</b>"));
}

void RulesEditor::fillForm(const Rule& rule) {
    clearMessages();
    name_->setText(qs(crm::notify::ruleName(rule, reader_)));
    kindTree_->setPatterns(rule.kinds);
    {
        const QSignalBlocker quiet(timing_);  // the stored offsets, not a starting moment
        timing_->setCurrentIndex(timing_->findData(static_cast<int>(rule.timing)));
    }
    offsets_->setOffsets(rule.offsets);
    digestHour_->setValue(rule.digestHour);
    for (std::size_t i = 0; i < choices_.size(); ++i) {
        const bool on = std::find(rule.recipients.begin(), rule.recipients.end(), choices_[i].spec) != rule.recipients.end();
        recipients_->item(static_cast<int>(i))->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    attach_->setChecked(rule.attachFiles);
    enabled_->setChecked(rule.enabled);
    showTimingFields();
    shown_ = formRule();
}

void RulesEditor::showTimingFields() {
    const auto t = static_cast<Timing>(timing_->currentData().toInt());
    form_->setRowVisible(offsetsRow_, t == Timing::Reminder);
    form_->setRowVisible(digestRow_, t == Timing::Digest);
}

// The rule as the form has it; what the form does not show (scope, named people, crew leads,
// the seed key) stays as stored.
// The form's rule as it stands, counted only when it is a rule at all (its problem is shown
// next to its field otherwise, as Save would).
void RulesEditor::countFormRule() {
    clearMessages();
    const auto rule = formRule();
    if (const auto problem = crm::notify::validate(rule)) {
        showMessage(problem->field, qs(crm::notify::describe(*problem, reader_)));
        reach_->clear();
        return;
    }
    reach_->count(rule);
}

Rule RulesEditor::formRule() const {
    Rule r = editing_.value_or(Rule{});
    const auto typed = name_->text().trimmed().toStdString();
    // A default rule's name shown in the reader's language and left as it was stays the default
    // (every reader keeps getting it in their own language); anything typed is kept as typed.
    if (!editing_ || typed != crm::notify::ruleName(*editing_, reader_)) r.name = typed;
    if (const auto ticked = kindTree_->patterns(); !sameItems(ticked, r.kinds)) r.kinds = ticked;
    r.timing = static_cast<Timing>(timing_->currentData().toInt());
    r.offsets = r.timing == Timing::Reminder ? offsets_->offsets() : std::vector<std::chrono::minutes>{};
    r.digestHour = digestHour_->value();
    std::vector<RecipientSpec> to;
    for (const auto& spec : r.recipients)
        if (recipientRow(spec) < 0) to.push_back(spec);
    for (std::size_t i = 0; i < choices_.size(); ++i)
        if (recipients_->item(static_cast<int>(i))->checkState() == Qt::Checked) to.push_back(choices_[i].spec);
    if (!sameItems(to, r.recipients)) r.recipients = to;
    r.attachFiles = attach_->isChecked();
    r.enabled = enabled_->isChecked();
    return r;
}

bool RulesEditor::save() {
    clearMessages();
    Rule rule = formRule();
    if (auto problem = crm::notify::validate(rule)) {
        showMessage(problem->field, qs(crm::notify::describe(*problem, reader_)));
        return false;
    }
    try {
        if (editing_) ctx_.rules.update(ctx_.actor, rule);
        else rule.id = ctx_.rules.add(ctx_.actor, rule);
    } catch (const RuleError& e) {
        showMessage(e.field, qs(crm::notify::describe(e, reader_)));
        if (e.problem == RuleProblem::NoSuchRule) reload();
        return false;
    } catch (const std::exception& e) {
        showError(e);
        return false;
    }
    editing_ = rule;
    reload();
    selectRow(rule.id);
    load(rule);
    return true;
}

bool RulesEditor::toggleSelected() {
    const auto id = selectedRuleId() ? selectedRuleId() : shownRuleId();
    if (!id) return false;
    bool on = false;
    try {
        auto rule = ctx_.rules.find(*id);
        if (!rule) throw RuleError(RuleProblem::NoSuchRule, "id", std::to_string(*id));
        on = !rule->enabled;
        ctx_.rules.setEnabled(ctx_.actor, *id, on);
    } catch (const std::exception& e) {
        showError(e);
        reload();
        return false;
    }
    // The form shows the new state at once and keeps it through Save; other edits stay as they are.
    if (shownRuleId() == id) {
        editing_->enabled = on;
        shown_.enabled = on;
        enabled_->setChecked(on);
    }
    reload();
    selectRow(id);
    return true;
}

bool RulesEditor::deleteSelected() {
    const auto id = selectedRuleId() ? selectedRuleId() : shownRuleId();
    if (!id) return false;
    const int row = rowOf(*id);
    const QString name = row >= 0 ? table_->item(row, 0)->text() : name_->text();
    const auto answer = ask(this, lang_, lang_.pick("Delete the rule", "Удаление правила", "Usuwanie reguły"),
                            lang_.pick("Delete the rule “%1”? Nobody will be notified by it any more; mail already sent stays in the history.",
                                       "Удалить правило «%1»? По нему больше никто не будет уведомлён; уже отправленные письма останутся в истории.",
                                       "Usunąć regułę „%1”? Nikt nie będzie już według niej powiadamiany; wysłane wiadomości zostaną w historii.")
                                .arg(name),
                            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return false;
    try {
        ctx_.rules.remove(ctx_.actor, *id);
    } catch (const RuleError& e) {
        if (e.problem != RuleProblem::NoSuchRule) {  // gone already: the same outcome
            showError(e);
            return false;
        }
    } catch (const std::exception& e) {
        showError(e);
        return false;
    }
    if (shownRuleId() == id) showBlank();
    reload();
    selectRow(std::nullopt);
    return true;
}

QString RulesEditor::messageFor(const std::string& field) const {
    auto it = messages_.find(field);
    return it == messages_.end() || it->second->isHidden() ? QString() : it->second->text();
}

void RulesEditor::showError(const std::exception& error) {
    if (const auto* rule = dynamic_cast<const RuleError*>(&error)) showMessage(rule->field, qs(crm::notify::describe(*rule, reader_)));
    else showMessage("", qs(crm::notify::rulesErrorText(error, reader_)));
}

// Problems of what the form does not show (scope, rights, a vanished rule) go under the form.
void RulesEditor::showMessage(const std::string& field, const QString& text) {
    auto it = messages_.find(field);
    if (it == messages_.end()) it = messages_.find("");
    it->second->setText(text);
    it->second->show();
}

void RulesEditor::clearMessages() {
    for (auto& [k, label] : messages_) {
        label->clear();
        label->hide();
    }
}

}  // namespace conduit::forms
