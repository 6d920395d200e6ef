#include "entry/entry_form.hpp"

#include "common/event_look.hpp"

#include "common/field_message.hpp"
#include "dispatcher/search_picker.hpp"

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <QComboBox>
#include <QDateEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>

namespace conduit::forms {

const char* entryKindCode(EntryKind kind) {
    switch (kind) {
    case EntryKind::Payment: return crm::kinds::kPaymentReceived;
    case EntryKind::CustomerNote: return crm::kinds::kCustomerNote;
    case EntryKind::Measurement: return crm::kinds::kMeasurementNote;
    }
    return "";
}

namespace {

// The host's clock when it gives one (the reference host's simulated days), else the system's.
sdk::TimePoint nowFor(const EntryContext& c) {
    return crm::clockOr(c.clock)();
}
QDate todayFor(const EntryContext& c) {
    return localToday(nowFor(c));
}


}  // namespace

std::optional<std::int64_t> parseAmount(const QString& input) {
    QString t = input.trimmed();
    t.remove(QChar(' ')).remove(QChar(0x00A0)).remove(QChar(0x202F)).remove(QChar('\''));
    if (t.isEmpty()) return std::nullopt;
    // The last ',' or '.' followed by one or two digits is the decimal separator; any other
    // separator groups thousands.
    static const QRegularExpression shape(QStringLiteral(R"(^(\d{1,3}(?:[.,]\d{3})*|\d+)(?:[.,](\d{1,2}))?$)"));
    const auto m = shape.match(t);
    if (!m.hasMatch()) return std::nullopt;
    QString units = m.captured(1);
    // "12.345.6": a separator cannot both group thousands and mark the decimals.
    if (m.capturedLength(2) > 0 && units.contains(t.at(m.capturedStart(2) - 1))) return std::nullopt;
    units.remove(QChar(',')).remove(QChar('.'));
    QString cents = m.captured(2);
    if (cents.size() == 1) cents += QChar('0');
    if (units.size() > 15) return std::nullopt;  // beyond any payment, and beyond int64 minor units
    bool ok = false;
    const qint64 whole = units.toLongLong(&ok);
    if (!ok) return std::nullopt;
    return whole * 100 + (cents.isEmpty() ? 0 : cents.toInt());
}

EntryForm::EntryForm(EntryKind kind, EntryContext context, EntryPreset preset, QWidget* parent)
    : QWidget(parent), kind_(kind), context_(std::move(context)), requestId_(newRequestId()) {
    auto* outer = new QVBoxLayout(this);
    auto* heading = new QLabel(QStringLiteral("<b>") + title().toHtmlEscaped() + QStringLiteral("</b>"), this);
    outer->addWidget(heading);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form);
    if (kind_ != EntryKind::Measurement) createCounterpartyField(form, preset);
    createProjectField(form, preset);
    if (kind_ == EntryKind::Payment) createPaymentFields(form);
    createTextField(form);
    if (kind_ == EntryKind::Measurement) createSheetsField(form);
    createPreviewAndMessage(outer);
    createButtons(outer);
    connectPreview();
    updatePreview();
}

void EntryForm::createCounterpartyField(QFormLayout* form, const EntryPreset& preset) {
    const Lang& lang = context_.lang;
    counterparty_ = new SearchPicker(lang.pick("— choose —", "— выберите —", "— wybierz —"), this);
    counterparty_->setObjectName(QStringLiteral("entryCounterparty"));
    std::vector<std::pair<sdk::Id, QString>> entries;
    for (const auto& c : context_.directory.counterparties()) {
        QString text = QString::fromStdString(c.name);
        if (!c.city.empty()) text += QStringLiteral(" · ") + QString::fromStdString(c.city);
        entries.emplace_back(c.id, text);
    }
    counterparty_->setEntries(entries);
    if (preset.counterparty) counterparty_->setSelectedId(preset.counterparty);
    addField(form, lang.pick("Counterparty", "Контрагент", "Kontrahent"), counterparty_, "counterparty");
}

void EntryForm::createProjectField(QFormLayout* form, const EntryPreset& preset) {
    const Lang& lang = context_.lang;
    const QString none = lang.pick("— none —", "— нет —", "— brak —");
    project_ = new SearchPicker(kind_ == EntryKind::Measurement ? lang.pick("— choose —", "— выберите —", "— wybierz —") : none, this);
    project_->setObjectName(QStringLiteral("entryProject"));
    std::vector<std::pair<sdk::Id, QString>> entries;
    for (const auto& p : context_.directory.projects())
        entries.emplace_back(p.id, QString::fromStdString(p.code) + QStringLiteral(" · ") + QString::fromStdString(p.name));
    project_->setEntries(entries);
    if (preset.project) project_->setSelectedId(preset.project);
    addField(form, kind_ == EntryKind::Measurement ? lang.pick("Project", "Проект", "Projekt")
                                                   : lang.pick("Project (optional)", "Проект (необязательно)", "Projekt (opcjonalnie)"),
             project_, "project");
    // Picking a project fills in its customer (a project belongs to one counterparty).
    if (counterparty_)
        connect(project_, &SearchPicker::selectionChanged, this, [this] {
            if (auto id = project_->selectedId())
                if (auto p = context_.directory.project(*id); p && p->counterpartyId) counterparty_->setSelectedId(p->counterpartyId);
        });
}

void EntryForm::createPaymentFields(QFormLayout* form) {
    const Lang& lang = context_.lang;
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    amount_ = new QLineEdit(row);
    amount_->setObjectName(QStringLiteral("entryAmount"));
    amount_->setPlaceholderText(lang.code() == Lang::Code::En ? QStringLiteral("1,234.56") : QStringLiteral("1 234,56"));
    currency_ = new QComboBox(row);
    currency_->setObjectName(QStringLiteral("entryCurrency"));
    currency_->addItems({QStringLiteral("PLN"), QStringLiteral("EUR"), QStringLiteral("USD"), QStringLiteral("RUB")});
    h->addWidget(amount_, 1);
    h->addWidget(currency_);
    addField(form, lang.pick("Amount", "Сумма", "Kwota"), row, "amount");
    date_ = new QDateEdit(todayFor(context_), this);
    date_->setCalendarPopup(true);
    date_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    addField(form, lang.pick("Paid on", "Дата оплаты", "Data wpłaty"), date_, "paidAt");
    document_ = new QLineEdit(this);
    document_->setObjectName(QStringLiteral("entryDocument"));
    addField(form, lang.pick("Document", "Документ", "Dokument"), document_, "document");
}

void EntryForm::createTextField(QFormLayout* form) {
    const Lang& lang = context_.lang;
    text_ = new QPlainTextEdit(this);
    text_->setObjectName(QStringLiteral("entryText"));
    text_->setTabChangesFocus(true);
    text_->setPlaceholderText(kind_ == EntryKind::Payment ? lang.pick("Note (optional)", "Примечание (необязательно)", "Uwagi (opcjonalnie)")
                              : kind_ == EntryKind::CustomerNote
                                  ? lang.pick("How to work with this customer", "Особенности работы с клиентом", "Jak pracować z tym klientem")
                                  : lang.pick("Installation specifics", "Особенности монтажа", "Szczegóły montażu"));
    addField(form, kind_ == EntryKind::Payment ? lang.pick("Note", "Примечание", "Uwagi") : lang.pick("Text", "Текст", "Treść"), text_,
             kind_ == EntryKind::Payment ? "note" : "text");
}

void EntryForm::createSheetsField(QFormLayout* form) {
    const Lang& lang = context_.lang;
    auto* box = new QWidget(this);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    sheets_ = new QListWidget(box);
    sheets_->setObjectName(QStringLiteral("entrySheets"));
    sheets_->setMaximumHeight(80);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(lang.pick("Add file…", "Добавить файл…", "Dodaj plik…"), box);
    add->setObjectName(QStringLiteral("entryAddSheet"));
    auto* remove = new QPushButton(lang.pick("Remove", "Убрать", "Usuń"), box);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    v->addWidget(sheets_);
    v->addLayout(buttons);
    addField(form, lang.pick("Measurement sheet", "Лист замера", "Arkusz pomiaru"), box, "attachment");
    connect(add, &QPushButton::clicked, this, [this] {
        const auto files = QFileDialog::getOpenFileNames(
            this, context_.lang.pick("Measurement sheet", "Лист замера", "Arkusz pomiaru"), {},
            context_.lang.pick("Sheets (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)", "Листы (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)",
                               "Arkusze (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"));
        for (const auto& f : files) addSheetFile(f);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = sheets_->currentRow();
        if (row < 0) return;
        delete sheets_->takeItem(row);
        sheetFiles_.erase(sheetFiles_.begin() + row);
    });
}

void EntryForm::createPreviewAndMessage(QVBoxLayout* outer) {
    preview_ = new QLabel(this);
    preview_->setObjectName(QStringLiteral("entryPreview"));
    preview_->setWordWrap(true);
    preview_->setTextFormat(Qt::PlainText);  // names come from the directory: never markup
    preview_->setVisible(static_cast<bool>(context_.previewRecipients));
    outer->addWidget(preview_);
    auto* general = newFieldMessage(this);
    general->setObjectName(QStringLiteral("entryMessage"));
    messages_[""] = general;
    outer->addWidget(general);
}

void EntryForm::createButtons(QVBoxLayout* outer) {
    const Lang& lang = context_.lang;
    auto* buttons = new QDialogButtonBox(this);
    saveButton_ = buttons->addButton(lang.pick("Save", "Сохранить", "Zapisz"), QDialogButtonBox::AcceptRole);
    saveButton_->setObjectName(QStringLiteral("entrySave"));
    auto* cancel = buttons->addButton(lang.pick("Cancel", "Отмена", "Anuluj"), QDialogButtonBox::RejectRole);
    outer->addWidget(buttons);
    outer->addStretch(1);
    connect(saveButton_, &QPushButton::clicked, this, &EntryForm::save);
    connect(cancel, &QPushButton::clicked, this, &EntryForm::cancelled);
}

void EntryForm::connectPreview() {
    if (counterparty_) connect(counterparty_, &SearchPicker::selectionChanged, this, &EntryForm::updatePreview);
    connect(project_, &SearchPicker::selectionChanged, this, &EntryForm::updatePreview);
    if (currency_) connect(currency_, &QComboBox::currentIndexChanged, this, &EntryForm::updatePreview);
    // Typing asks the rules once it pauses, not on every key (each ask evaluates every rule
    // against the draft and resolves its recipients through the directory).
    previewTimer_ = new QTimer(this);
    previewTimer_->setSingleShot(true);
    previewTimer_->setInterval(kPreviewPause);
    connect(previewTimer_, &QTimer::timeout, this, &EntryForm::updatePreview);
    if (amount_) connect(amount_, &QLineEdit::textChanged, this, &EntryForm::updatePreviewSoon);
    connect(text_, &QPlainTextEdit::textChanged, this, &EntryForm::updatePreviewSoon);
}

QString EntryForm::title() const {
    const Lang& l = context_.lang;
    switch (kind_) {
    case EntryKind::Payment: return l.pick("New payment", "Новый платёж", "Nowa płatność");
    case EntryKind::CustomerNote: return l.pick("Customer note", "Заметка о клиенте", "Notatka o kliencie");
    case EntryKind::Measurement: return l.pick("Measurement and installation specifics", "Замер и особенности монтажа",
                                               "Pomiar i szczegóły montażu");
    }
    return {};
}

QLabel* EntryForm::addField(QFormLayout* form, const QString& label, QWidget* field, const std::string& key) {
    // The message sits right under its field.
    const auto f = fieldWithMessage(field, this);
    f.message->setObjectName(QString::fromStdString("message_" + key));
    form->addRow(label, f.box);
    messages_[key] = f.message;
    return f.message;
}

std::string EntryForm::newRequestId() { return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(); }

QString EntryForm::messageFor(const std::string& field) const {
    auto it = messages_.find(field);
    return it == messages_.end() || it->second->isHidden() ? QString() : it->second->text();
}

QString EntryForm::previewText() const { return preview_->isHidden() ? QString() : preview_->text(); }

void EntryForm::clearMessages() {
    for (auto& [key, label] : messages_) {
        label->clear();
        label->hide();
    }
}

void EntryForm::showMessage(const std::string& field, const QString& message) {
    // Fields without a place of their own (request id, author, currency) speak through the
    // nearest one or the form's line.
    std::string key = field == "currency" || field == "paidAt" ? "amount" : field;
    auto it = messages_.find(key);
    if (it == messages_.end()) it = messages_.find("");
    it->second->setText(message);
    it->second->show();
}

void EntryForm::addSheetFile(const QString& path) {
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly)) {
        showMessage("attachment", context_.lang.pick("Cannot read the file: ", "Не удалось прочитать файл: ", "Nie można odczytać pliku: ") + name);
        return;
    }
    const QByteArray bytes = file.readAll();
    crm::Attachment a;
    a.fileName = name.toStdString();
    a.content.assign(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    sheetFiles_.push_back(std::move(a));
    sheets_->addItem(name + QStringLiteral(" (") + QString::number((bytes.size() + 1023) / 1024) + QStringLiteral(" KB)"));
    updatePreview();
}

crm::Event EntryForm::draft() const {
    crm::Event e;
    e.kind = entryKindCode(kind_);
    e.authorId = context_.currentUser.id;
    e.occurredAt = nowFor(context_);
    if (counterparty_) e.counterpartyId = counterparty_->selectedId().value_or(0);
    e.projectId = project_->selectedId().value_or(0);
    if (!e.counterpartyId && e.projectId)
        if (auto p = context_.directory.project(e.projectId)) e.counterpartyId = p->counterpartyId;
    if (amount_)
        if (auto minor = parseAmount(amount_->text())) e.amount = sdk::Money{*minor, currency_->currentText().toStdString()};
    e.body = text_->toPlainText().toStdString();
    for (const auto& k : crm::builtinKinds())
        if (k.code == e.kind) e.importance = k.defaultImportance;
    for (const auto& s : sheetFiles_) e.attachments.push_back({s.fileName, {}, static_cast<std::int64_t>(s.content.size()), {}, {}});
    return e;
}

void EntryForm::updatePreviewSoon() {
    if (context_.previewRecipients) previewTimer_->start();  // restarts while keys keep coming
}

void EntryForm::updatePreview() {
    if (!context_.previewRecipients) return;
    previewTimer_->stop();  // a pending pause-update would only repeat this one
    const Lang& l = context_.lang;
    QStringList names;
    try {
        // One entry per person: several rules reaching the same address read as one, reasons joined.
        std::vector<std::pair<QString, QStringList>> people;
        for (const auto& r : context_.previewRecipients(draft())) {
            QString who = QString::fromStdString(r.name.empty() ? r.address : r.name);
            if (!r.address.empty() && !r.name.empty()) who += QStringLiteral(" <") + QString::fromStdString(r.address) + QStringLiteral(">");
            auto it = std::find_if(people.begin(), people.end(), [&](const auto& p) { return p.first == who; });
            if (it == people.end()) it = people.insert(people.end(), {who, {}});
            if (!r.why.empty() && !it->second.contains(QString::fromStdString(r.why))) it->second << QString::fromStdString(r.why);
        }
        for (const auto& [who, why] : people)
            names << (why.isEmpty() ? who : who + QStringLiteral(" (") + why.join(QStringLiteral("; ")) + QStringLiteral(")"));
    } catch (const std::exception& e) {
        preview_->setText(l.pick("Will be notified: unknown (", "Будут уведомлены: неизвестно (", "Zostaną powiadomieni: nieznane (") +
                          QString::fromUtf8(e.what()) + QStringLiteral(")"));
        return;
    }
    preview_->setText(l.pick("Will be notified: ", "Будут уведомлены: ", "Zostaną powiadomieni: ") +
                      (names.isEmpty() ? l.pick("nobody", "никто", "nikt") : names.join(QStringLiteral(", "))));
}

bool EntryForm::save() {
    clearMessages();
    const Lang& l = context_.lang;
    try {
        switch (kind_) {
        case EntryKind::Payment: {
            crm::PaymentEntry p;
            p.requestId = requestId_;
            p.authorId = context_.currentUser.id;
            p.counterpartyId = counterparty_->selectedId().value_or(0);
            p.projectId = project_->selectedId().value_or(0);
            const auto minor = parseAmount(amount_->text());
            if (!minor) {
                showMessage("amount", amount_->text().trimmed().isEmpty()
                                          ? l.pick("Enter the amount", "Введите сумму", "Podaj kwotę")
                                          : l.pick("Not an amount; write it like 1 234,56", "Это не сумма; пример: 1 234,56",
                                                   "To nie jest kwota; wpisz np. 1 234,56"));
                if (!p.counterpartyId)
                    showMessage("counterparty", l.pick("Choose the counterparty", "Выберите контрагента", "Wybierz kontrahenta"));
                return false;
            }
            p.amount = sdk::Money{*minor, currency_->currentText().toStdString()};
            p.paidAt = sdk::TimePoint(std::chrono::seconds(date_->date().startOfDay(Qt::UTC).toSecsSinceEpoch())) + std::chrono::hours(12);
            p.document = document_->text().trimmed().toStdString();
            p.note = text_->toPlainText().toStdString();
            if (!p.counterpartyId) {
                showMessage("counterparty", l.pick("Choose the counterparty", "Выберите контрагента", "Wybierz kontrahenta"));
                return false;
            }
            emit saved(context_.userEvents.registerPayment(p));
            break;
        }
        case EntryKind::CustomerNote: {
            crm::CustomerNote n;
            n.requestId = requestId_;
            n.authorId = context_.currentUser.id;
            n.counterpartyId = counterparty_->selectedId().value_or(0);
            n.projectId = project_->selectedId().value_or(0);
            n.text = text_->toPlainText().toStdString();
            n.at = nowFor(context_);
            if (!n.counterpartyId) {
                showMessage("counterparty", l.pick("Choose the counterparty", "Выберите контрагента", "Wybierz kontrahenta"));
                return false;
            }
            emit saved(context_.userEvents.addCustomerNote(n));
            break;
        }
        case EntryKind::Measurement: {
            crm::MeasurementNote n;
            n.requestId = requestId_;
            n.authorId = context_.currentUser.id;
            n.projectId = project_->selectedId().value_or(0);
            n.text = text_->toPlainText().toStdString();
            n.sheets = sheetFiles_;
            n.at = nowFor(context_);
            if (!n.projectId) {
                showMessage("project", l.pick("Choose the project", "Выберите проект", "Wybierz projekt"));
                return false;
            }
            emit saved(context_.userEvents.addMeasurementNote(n));
            break;
        }
        }
    } catch (const crm::ValidationError& e) {
        showMessage(e.field, QString::fromUtf8(e.what()));
        return false;
    } catch (const std::exception& e) {
        // The store refused (e.g. stopping): everything typed stays, saving again is safe.
        showMessage("", QString::fromUtf8(e.what()));
        return false;
    }
    resetForNext();
    return true;
}

void EntryForm::resetForNext() {
    requestId_ = newRequestId();
    if (amount_) amount_->clear();
    if (document_) document_->clear();
    text_->clear();
    if (sheets_) sheets_->clear();
    sheetFiles_.clear();
    updatePreview();
}

QDialog* openEntryDialog(EntryKind kind, EntryContext context, EntryPreset preset, QWidget* parent) {
    auto* dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* layout = new QVBoxLayout(dialog);
    auto* form = new EntryForm(kind, std::move(context), preset, dialog);
    dialog->setWindowTitle(form->title());
    layout->addWidget(form);
    QObject::connect(form, &EntryForm::saved, dialog, &QDialog::accept);
    QObject::connect(form, &EntryForm::cancelled, dialog, &QDialog::reject);
    dialog->resize(520, kind == EntryKind::Payment ? 460 : 420);
    dialog->show();
    return dialog;
}

}  // namespace conduit::forms
