#include "rules/rules_editor.hpp"

#include "common/field_message.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conduit::forms {

namespace {

using crm::notify::RecipientRole;
using crm::notify::RecipientSpec;
using crm::notify::Rule;
using crm::notify::Timing;

// Recipient choices the editor offers: the roles, and each department. (Named users and crew
// leads are kept when a rule already has them, but are not offered here.)
struct Choice {
    RecipientSpec spec;
    QString label;
};

Choice choice(RecipientRole role, std::string department, QString label) {
    Choice c;
    c.spec.role = role;
    c.spec.department = std::move(department);
    c.label = std::move(label);
    return c;
}

std::vector<Choice> recipientChoices(const Lang& l) {
    std::vector<Choice> out;
    out.push_back(choice(RecipientRole::ProjectManager, {}, l.pick("Project manager", "Менеджер проекта", "Kierownik projektu")));
    out.push_back(choice(RecipientRole::Measurer, {}, l.pick("Measurer", "Замерщик", "Pomiarowiec")));
    out.push_back(choice(RecipientRole::CounterpartyContact, {},
                         l.pick("Customer's contact (external)", "Контакт заказчика (внешний)", "Kontakt klienta (zewnętrzny)")));
    for (const auto& d : crm::notify::knownDepartments())
        out.push_back(choice(RecipientRole::Department, d, l.pick("Department: ", "Отдел: ", "Dział: ") + QString::fromStdString(d)));
    return out;
}

QString timingName(Timing t, const Lang& l) {
    switch (t) {
    case Timing::OnOccurrence: return l.pick("When it happens", "Сразу", "Od razu");
    case Timing::Reminder: return l.pick("Reminder around the due date", "Напоминание о сроке", "Przypomnienie o terminie");
    case Timing::Digest: return l.pick("Daily digest", "Ежедневная сводка", "Codzienne podsumowanie");
    }
    return {};
}

}  // namespace

std::optional<std::vector<std::chrono::minutes>> parseOffsets(const QString& text) {
    std::vector<std::chrono::minutes> out;
    static const QRegularExpression part(QStringLiteral(R"(^([+-]?\d{1,5})\s*([dhm]?)$)"));
    for (QString p : text.split(QChar(','), Qt::SkipEmptyParts)) {
        p = p.trimmed().replace(QChar(0x2212), QChar('-'));
        if (p.isEmpty()) continue;
        const auto m = part.match(p);
        if (!m.hasMatch()) return std::nullopt;
        const long long n = m.captured(1).toLongLong();
        const QString unit = m.captured(2);
        out.emplace_back(unit == QLatin1String("d") ? n * 24 * 60 : unit == QLatin1String("h") ? n * 60 : n);
    }
    return out;
}

QString formatOffsets(const std::vector<std::chrono::minutes>& offsets) {
    QStringList parts;
    for (auto o : offsets) {
        const long long m = o.count();
        if (m != 0 && m % (24 * 60) == 0) parts << QString::number(m / (24 * 60)) + QStringLiteral("d");
        else if (m != 0 && m % 60 == 0) parts << QString::number(m / 60) + QStringLiteral("h");
        else parts << QString::number(m) + (m ? QStringLiteral("m") : QString());
    }
    return parts.join(QStringLiteral(", "));
}

RulesEditor::RulesEditor(crm::notify::RuleStore& rules, const crm::EventKindRegistry& kinds, Lang lang, QWidget* parent)
    : QWidget(parent), rules_(rules), kinds_(kinds), lang_(std::move(lang)) {
    const Lang& l = lang_;
    auto* outer = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    outer->addWidget(splitter);

    auto* top = new QWidget(splitter);
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
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    topLayout->addWidget(table_, 1);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(l.pick("Add", "Добавить", "Dodaj"), top);
    auto* edit = new QPushButton(l.pick("Edit", "Изменить", "Edytuj"), top);
    auto* toggle = new QPushButton(l.pick("Enable / disable", "Включить / выключить", "Włącz / wyłącz"), top);
    auto* remove = new QPushButton(l.pick("Delete", "Удалить", "Usuń"), top);
    for (auto* b : {add, edit, toggle, remove}) buttons->addWidget(b);
    buttons->addStretch(1);
    topLayout->addLayout(buttons);
    splitter->addWidget(top);

    auto* formBox = new QWidget(splitter);
    auto* formOuter = new QVBoxLayout(formBox);
    formTitle_ = new QLabel(formBox);
    formOuter->addWidget(formTitle_);
    auto* form = new QFormLayout;
    formOuter->addLayout(form);
    auto field = [&](const QString& label, QWidget* w, const std::string& key) {
        const auto f = fieldWithMessage(w, formBox);
        messages_[key] = f.message;
        form->addRow(label, f.box);
    };
    name_ = new QLineEdit;
    field(l.pick("Name", "Название", "Nazwa"), name_, "name");
    kindsEdit_ = new QLineEdit;
    kindsEdit_->setPlaceholderText(QStringLiteral("payment.*, schedule.installation_planned"));
    field(l.pick("Event kinds", "Виды событий", "Rodzaje zdarzeń"), kindsEdit_, "kinds");
    timing_ = new QComboBox;
    for (auto t : {Timing::OnOccurrence, Timing::Reminder, Timing::Digest}) timing_->addItem(timingName(t, l), static_cast<int>(t));
    field(l.pick("When", "Когда", "Kiedy"), timing_, "timing");
    offsets_ = new QLineEdit;
    offsets_->setPlaceholderText(QStringLiteral("-2d, -3h, 0"));
    field(l.pick("Offsets from the due date", "Смещения от срока", "Przesunięcia od terminu"), offsets_, "offsets");
    digestHour_ = new QSpinBox;
    digestHour_->setRange(0, 23);
    field(l.pick("Digest hour", "Час сводки", "Godzina podsumowania"), digestHour_, "digestHour");
    recipients_ = new QListWidget;
    recipients_->setMaximumHeight(150);
    for (const auto& c : recipientChoices(l)) {
        auto* item = new QListWidgetItem(c.label, recipients_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    field(l.pick("Recipients", "Получатели", "Odbiorcy"), recipients_, "recipients");
    attach_ = new QCheckBox(l.pick("Attach the event's files", "Прикладывать файлы события", "Dołączaj pliki zdarzenia"));
    form->addRow(attach_);
    enabled_ = new QCheckBox(l.pick("Enabled", "Включено", "Włączona"));
    form->addRow(enabled_);
    auto* general = newFieldMessage(formBox);
    messages_[""] = general;
    formOuter->addWidget(general);
    auto* saveButton = new QPushButton(l.pick("Save rule", "Сохранить правило", "Zapisz regułę"), formBox);
    formOuter->addWidget(saveButton);
    formOuter->addStretch(1);
    splitter->addWidget(formBox);

    connect(add, &QPushButton::clicked, this, &RulesEditor::newRule);
    connect(edit, &QPushButton::clicked, this, &RulesEditor::editSelected);
    connect(table_, &QTableWidget::cellDoubleClicked, this, &RulesEditor::editSelected);
    connect(toggle, &QPushButton::clicked, this, &RulesEditor::toggleSelected);
    connect(remove, &QPushButton::clicked, this, [this] {
        if (auto id = selectedRuleId()) {
            try {
                rules_.remove(*id);
            } catch (const std::exception& e) {
                showMessage("", QString::fromUtf8(e.what()));
            }
            reload();
        }
    });
    connect(saveButton, &QPushButton::clicked, this, &RulesEditor::save);
    newRule();
    reload();
}

int RulesEditor::rowCount() const { return table_->rowCount(); }

void RulesEditor::reload() {
    std::vector<Rule> all;
    try {
        all = rules_.list();
    } catch (const std::exception& e) {
        showMessage("", QString::fromUtf8(e.what()));
    }
    const auto choices = recipientChoices(lang_);
    table_->setRowCount(static_cast<int>(all.size()));
    for (int r = 0; r < static_cast<int>(all.size()); ++r) {
        const Rule& rule = all[static_cast<std::size_t>(r)];
        QStringList kinds, to;
        for (const auto& k : rule.kinds) kinds << QString::fromStdString(k);
        for (const auto& spec : rule.recipients) {
            QString label = QString::fromStdString(std::string(crm::notify::toString(spec.role)));
            for (const auto& c : choices)
                if (c.spec == spec) label = c.label;
            to << label;
        }
        QString when = timingName(rule.timing, lang_);
        if (rule.timing == Timing::Reminder) when += QStringLiteral(" (") + formatOffsets(rule.offsets) + QStringLiteral(")");
        if (rule.timing == Timing::Digest) when += QStringLiteral(" (%1:00)").arg(rule.digestHour);
        auto* name = new QTableWidgetItem(QString::fromStdString(ruleName(rule, crm::Locale::of(lang_.locale()))));
        name->setData(Qt::UserRole, QVariant::fromValue<qint64>(rule.id));
        table_->setItem(r, 0, name);
        table_->setItem(r, 1, new QTableWidgetItem(kinds.join(QStringLiteral(", "))));
        table_->setItem(r, 2, new QTableWidgetItem(when));
        table_->setItem(r, 3, new QTableWidgetItem(to.join(QStringLiteral(", "))));
        table_->setItem(r, 4, new QTableWidgetItem(rule.enabled ? QStringLiteral("✔") : QString()));
        if (!rule.enabled)
            for (int c = 0; c < 5; ++c) table_->item(r, c)->setForeground(QColor(0x80, 0x86, 0x8b));
    }
}

std::optional<std::int64_t> RulesEditor::selectedRuleId() const {
    const int row = table_->currentRow();
    if (row < 0 || !table_->item(row, 0)) return std::nullopt;
    return table_->item(row, 0)->data(Qt::UserRole).toLongLong();
}

void RulesEditor::newRule() {
    editing_.reset();
    Rule blank;
    fillForm(blank);
    formTitle_->setText(QStringLiteral("<b>") + lang_.pick("New rule", "Новое правило", "Nowa reguła").toHtmlEscaped() + QStringLiteral("</b>"));
}

bool RulesEditor::editSelected() {
    auto id = selectedRuleId();
    if (!id) return false;
    std::optional<Rule> rule;
    try {
        rule = rules_.find(*id);
    } catch (const std::exception& e) {
        showMessage("", QString::fromUtf8(e.what()));
        return false;
    }
    if (!rule) return false;
    editing_ = rule;
    fillForm(*rule);
    formTitle_->setText(QStringLiteral("<b>") + lang_.pick("Rule: ", "Правило: ", "Reguła: ").toHtmlEscaped() +
                        QString::fromStdString(ruleName(*rule, crm::Locale::of(lang_.locale()))).toHtmlEscaped() + QStringLiteral("</b>"));
    return true;
}

void RulesEditor::fillForm(const Rule& rule) {
    clearMessages();
    name_->setText(QString::fromStdString(ruleName(rule, crm::Locale::of(lang_.locale()))));
    QStringList kinds;
    for (const auto& k : rule.kinds) kinds << QString::fromStdString(k);
    kindsEdit_->setText(kinds.join(QStringLiteral(", ")));
    timing_->setCurrentIndex(timing_->findData(static_cast<int>(rule.timing)));
    offsets_->setText(formatOffsets(rule.offsets));
    digestHour_->setValue(rule.digestHour);
    const auto choices = recipientChoices(lang_);
    for (int i = 0; i < recipients_->count(); ++i) {
        const bool on = std::find(rule.recipients.begin(), rule.recipients.end(), choices[static_cast<std::size_t>(i)].spec) != rule.recipients.end();
        recipients_->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    attach_->setChecked(rule.attachFiles);
    enabled_->setChecked(rule.enabled);
}

Rule RulesEditor::fromForm(bool& ok) {
    ok = true;
    Rule r = editing_.value_or(Rule{});
    const auto typed = name_->text().trimmed().toStdString();
    // A default rule's name shown in the reader's language and left as it was stays the default
    // (every reader keeps getting it in their own language); anything typed is kept as typed.
    if (!editing_ || typed != ruleName(*editing_, crm::Locale::of(lang_.locale()))) r.name = typed;
    r.kinds.clear();
    for (const auto& k : kindsEdit_->text().split(QChar(','), Qt::SkipEmptyParts))
        if (!k.trimmed().isEmpty()) r.kinds.push_back(k.trimmed().toStdString());
    r.timing = static_cast<Timing>(timing_->currentData().toInt());
    if (auto offsets = parseOffsets(offsets_->text())) {
        r.offsets = *offsets;
    } else {
        ok = false;
        showMessage("offsets", lang_.pick("Write offsets like -2d, -3h, 30m", "Пишите смещения так: -2d, -3h, 30m",
                                          "Wpisz przesunięcia np. -2d, -3h, 30m"));
    }
    r.digestHour = digestHour_->value();
    // Recipients the editor does not offer (named users, crew leads) stay as they were.
    std::vector<RecipientSpec> kept;
    const auto choices = recipientChoices(lang_);
    for (const auto& spec : r.recipients)
        if (std::none_of(choices.begin(), choices.end(), [&](const Choice& c) { return c.spec == spec; })) kept.push_back(spec);
    for (int i = 0; i < recipients_->count(); ++i)
        if (recipients_->item(i)->checkState() == Qt::Checked) kept.push_back(choices[static_cast<std::size_t>(i)].spec);
    r.recipients = kept;
    r.attachFiles = attach_->isChecked();
    r.enabled = enabled_->isChecked();
    return r;
}

QString RulesEditor::fieldProblem(const std::string& field) const {
    const Lang& l = lang_;
    if (field == "name") return l.pick("Give the rule a name", "Дайте правилу название", "Nadaj regule nazwę");
    if (field == "kinds") return l.pick("Name the event kinds, e.g. payment.* or schedule.installation_planned",
                                        "Укажите виды событий, например payment.* или schedule.installation_planned",
                                        "Podaj rodzaje zdarzeń, np. payment.* lub schedule.installation_planned");
    if (field == "recipients") return l.pick("Choose who is notified", "Выберите, кого уведомлять", "Wybierz, kogo powiadomić");
    if (field == "offsets") return l.pick("A reminder needs offsets from the due date", "Для напоминания нужны смещения от срока",
                                          "Przypomnienie wymaga przesunięć od terminu");
    if (field == "digestHour") return l.pick("The digest hour is 0–23", "Час сводки — от 0 до 23", "Godzina podsumowania: 0–23");
    return {};
}

bool RulesEditor::save() {
    clearMessages();
    bool ok = true;
    Rule rule = fromForm(ok);
    if (!ok) return false;
    if (auto problem = crm::notify::validate(rule)) {
        // The core explains in English; the user reads their language, the detail stays for support.
        const QString mine = fieldProblem(problem->field);
        showMessage(problem->field, mine.isEmpty() ? QString::fromUtf8(problem->what()) : mine + QStringLiteral(" (") + QString::fromUtf8(problem->what()) + QStringLiteral(")"));
        return false;
    }
    try {
        if (editing_) rules_.update(rule);
        else rule.id = rules_.add(rule);
    } catch (const crm::notify::RuleError& e) {
        showMessage(e.field, fieldProblem(e.field).isEmpty() ? QString::fromUtf8(e.what()) : fieldProblem(e.field));
        return false;
    } catch (const std::exception& e) {
        showMessage("", QString::fromUtf8(e.what()));
        return false;
    }
    reload();
    for (int r = 0; r < table_->rowCount(); ++r)
        if (table_->item(r, 0)->data(Qt::UserRole).toLongLong() == rule.id) table_->selectRow(r);
    editing_ = rule;
    return true;
}

bool RulesEditor::toggleSelected() {
    auto id = selectedRuleId();
    if (!id) return false;
    try {
        auto rule = rules_.find(*id);
        if (!rule) return false;
        rules_.setEnabled(*id, !rule->enabled);
    } catch (const std::exception& e) {
        showMessage("", QString::fromUtf8(e.what()));
        return false;
    }
    const int row = table_->currentRow();
    reload();
    table_->selectRow(row);
    return true;
}

QString RulesEditor::messageFor(const std::string& field) const {
    auto it = messages_.find(field);
    return it == messages_.end() || it->second->isHidden() ? QString() : it->second->text();
}

void RulesEditor::showMessage(const std::string& field, const QString& text) {
    auto it = messages_.find(field == "scope" || field == "id" || field == "seedKey" ? "" : field);
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
