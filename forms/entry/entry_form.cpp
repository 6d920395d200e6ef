#include "entry/entry_form.hpp"

#include "common/exception_barrier.hpp"
#include "common/event_look.hpp"

#include "common/field_message.hpp"
#include "common/party_picker.hpp"

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/notify/rules.hpp>

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
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
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

// Where the last sheet came from, for the next chooser (all entry forms of the session).
QString& lastSheetFolder() {
    static QString folder;
    return folder;
}

bool namesSheetType(const QString& name) {
    static const QStringList kinds{QStringLiteral("pdf"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                   QStringLiteral("tif"), QStringLiteral("tiff")};
    return kinds.contains(QFileInfo(name).suffix().toLower());
}

}  // namespace

QString sheetFolder() {
    if (!lastSheetFolder().isEmpty() && QFileInfo(lastSheetFolder()).isDir()) return lastSheetFolder();
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileInfo(documents).isDir() ? documents : QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
}

std::optional<std::int64_t> parseAmount(const QString& input) {
    QString t = input.trimmed();
    t.remove(QChar(' ')).remove(QChar(0x00A0)).remove(QChar(0x202F)).remove(QChar('\''));
    if (t.isEmpty()) return std::nullopt;
    // A minus (ASCII or the typographic one) makes a number the core can call "not above zero".
    auto isMinus = [](QChar c) { return c == QChar('-') || c == QChar(0x2212); };
    if (isMinus(t.front())) {
        if (t.size() < 2 || isMinus(t.at(1))) return std::nullopt;
        const auto magnitude = parseAmount(t.mid(1));
        return magnitude ? std::optional<std::int64_t>(-*magnitude) : std::nullopt;
    }
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
    connectMessageClearing();
    updatePreview();
}

void EntryForm::createCounterpartyField(QFormLayout* form, const EntryPreset& preset) {
    const Lang& lang = context_.lang;
    counterparty_ = new PartyPicker(lang.pick("— choose —", "— выберите —", "— wybierz —"), this);
    counterparty_->setObjectName(QStringLiteral("entryCounterparty"));
    counterparty_->setEntries(counterpartyEntries(context_.directory, lang));
    if (preset.counterparty) counterparty_->setSelectedId(preset.counterparty);
    addField(form, lang.pick("Counterparty", "Контрагент", "Kontrahent"), counterparty_, "counterparty");
}

void EntryForm::createProjectField(QFormLayout* form, const EntryPreset& preset) {
    const Lang& lang = context_.lang;
    const QString none = lang.pick("— none —", "— нет —", "— brak —");
    project_ = new PartyPicker(kind_ == EntryKind::Measurement ? lang.pick("— choose —", "— выберите —", "— wybierz —") : none, this);
    project_->setObjectName(QStringLiteral("entryProject"));
    project_->setEntries(projectEntries(context_.directory));
    if (preset.project) project_->setSelectedId(preset.project);
    addField(form, kind_ == EntryKind::Measurement ? lang.pick("Project", "Проект", "Projekt")
                                                   : lang.pick("Project (optional)", "Проект (необязательно)", "Projekt (opcjonalnie)"),
             project_, "project");
    if (!counterparty_) return;
    project_->narrowToOwner(counterparty_->selectedId());
    connect(counterparty_, &PartyPicker::selectionChanged, this, &EntryForm::counterpartyPicked);
    connect(project_, &PartyPicker::selectionChanged, this, &EntryForm::projectPicked);
    projectPicked();  // opened from an event with a project only: its customer too
}

// The project list offers the chosen counterparty's projects only (a project belongs to one).
void EntryForm::counterpartyPicked() { project_->narrowToOwner(counterparty_->selectedId()); }

// Picking a project fills in its customer.
void EntryForm::projectPicked() {
    if (auto id = project_->selectedId())
        if (auto p = context_.directory.project(*id); p && p->counterpartyId && counterparty_->selectedId() != p->counterpartyId)
            counterparty_->setSelectedId(p->counterpartyId);
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
    connect(add, &QPushButton::clicked, this, &EntryForm::chooseSheets);
    connect(remove, &QPushButton::clicked, this, guarded(this, "entry form: clicked", [this] {
        const int row = sheets_->currentRow();
        if (row < 0) return;
        delete sheets_->takeItem(row);
        sheetFiles_.erase(sheetFiles_.begin() + row);
        clearMessage("attachment");
        updatePreview();
    }));
}

void EntryForm::chooseSheets() {
    const Lang& l = context_.lang;
    const auto files = QFileDialog::getOpenFileNames(
        this, l.pick("Measurement sheet", "Лист замера", "Arkusz pomiaru"), sheetFolder(),
        l.pick("Sheets (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)", "Листы (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)",
               "Arkusze (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)") +
            QStringLiteral(";;") + l.pick("All files (*)", "Все файлы (*)", "Wszystkie pliki (*)"));
    for (const auto& f : files)
        if (!addSheetFile(f)) break;  // the reason stays readable; the rest can be added after
}

void EntryForm::createPreviewAndMessage(QVBoxLayout* outer) {
    preview_ = new QLabel(this);
    preview_->setObjectName(QStringLiteral("entryPreview"));
    preview_->setWordWrap(true);
    preview_->setTextFormat(Qt::PlainText);  // names come from the directory: never markup
    preview_->setVisible(static_cast<bool>(context_.previewRecipients));
    outer->addWidget(preview_);
    confirmation_ = new QLabel(this);
    confirmation_->setObjectName(QStringLiteral("entrySaved"));
    confirmation_->setTextFormat(Qt::PlainText);
    confirmation_->setWordWrap(true);
    confirmation_->setStyleSheet(QStringLiteral("color: #1b5e20;"));
    confirmation_->hide();
    outer->addWidget(confirmation_);
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
    connect(cancel, &QPushButton::clicked, this, &EntryForm::cancel);
}

void EntryForm::connectPreview() {
    if (counterparty_) connect(counterparty_, &PartyPicker::selectionChanged, this, &EntryForm::updatePreview);
    connect(project_, &PartyPicker::selectionChanged, this, &EntryForm::updatePreview);
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

void EntryForm::connectMessageClearing() {
    auto clears = [this](std::initializer_list<const char*> fields) {
        return [this, keys = std::vector<std::string>(fields.begin(), fields.end())] {
            for (const auto& k : keys) clearMessage(k);
        };
    };
    // A project of another counterparty is refused on either field: editing one clears both.
    if (counterparty_) connect(counterparty_, &PartyPicker::selectionChanged, this, clears({"counterparty", "project"}));
    connect(project_, &PartyPicker::selectionChanged, this, clears({"project", "counterparty"}));
    if (amount_) {
        connect(amount_, &QLineEdit::textChanged, this, clears({"amount"}));
        connect(currency_, &QComboBox::currentIndexChanged, this, clears({"amount"}));
        connect(date_, &QDateEdit::dateChanged, this, clears({"amount"}));
    }
    if (document_) connect(document_, &QLineEdit::textChanged, this, clears({"document"}));
    connect(text_, &QPlainTextEdit::textChanged, this, clears({"text", "note"}));
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
QString EntryForm::previewDetails() const { return preview_->isHidden() ? QString() : preview_->toolTip(); }
QString EntryForm::confirmationText() const { return confirmation_->isHidden() ? QString() : confirmation_->text(); }

void EntryForm::clearMessages() {
    for (auto& [key, label] : messages_) {
        label->clear();
        label->hide();
    }
}

void EntryForm::clearMessage(const std::string& field) {
    // Any edit also retires the form-wide line and the last "Saved" (it is a new entry now).
    for (const std::string& key : {field, std::string()})
        if (auto it = messages_.find(key); it != messages_.end()) {
            it->second->clear();
            it->second->hide();
        }
    confirmation_->hide();
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

std::optional<QString> EntryForm::sheetProblem(const QString& name, qint64 size, const QByteArray& bytes) const {
    const Lang& l = context_.lang;
    const QString file = l.quoted(name);
    const crm::UserEventLimits limits;
    if (sheetFiles_.size() >= limits.maxAttachments)
        return l.pick("At most %1 files can be attached", "Можно приложить не больше %1 файлов", "Można dołączyć najwyżej %1 plików")
            .arg(limits.maxAttachments);
    if (size == 0) return l.pick("%1 is empty", "%1 — пустой файл", "%1 jest pusty").arg(file);
    if (size > limits.maxAttachmentBytes)
        return l.pick("%1 is %2; a sheet may be at most %3", "%1 весит %2; лист может быть не больше %3", "%1 ma %2; arkusz może mieć najwyżej %3")
            .arg(file, formatSize(size), formatSize(limits.maxAttachmentBytes));
    if (crm::sniffSheetMediaType(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())))) return std::nullopt;
    // Why it is refused: a name promising a sheet over other content, or a kind of file that is no sheet.
    if (namesSheetType(name))
        return l.pick("%1 is not really a %2 file: its content is something else. Save or scan the sheet again as PDF, JPEG, PNG or TIFF.",
                      "%1 — на самом деле не %2: содержимое файла другое. Сохраните или отсканируйте лист заново в PDF, JPEG, PNG или TIFF.",
                      "%1 nie jest naprawdę plikiem %2: jego zawartość jest inna. Zapisz lub zeskanuj arkusz ponownie jako PDF, JPEG, PNG lub TIFF.")
            .arg(file, QFileInfo(name).suffix().toUpper());
    return l.pick("%1 cannot be a sheet: only PDF, JPEG, PNG and TIFF files are accepted",
                  "%1 не подходит: принимаются только файлы PDF, JPEG, PNG и TIFF",
                  "%1 nie może być arkuszem: przyjmowane są tylko pliki PDF, JPEG, PNG i TIFF")
        .arg(file);
}

bool EntryForm::addSheetFile(const QString& path) {
    QFile file(path);
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (info.absoluteDir().exists()) lastSheetFolder() = info.absolutePath();  // where the user looks for sheets
    if (!file.open(QIODevice::ReadOnly)) {
        showMessage("attachment", context_.lang.pick("Cannot read the file: ", "Не удалось прочитать файл: ", "Nie można odczytać pliku: ") + name);
        return false;
    }
    const QByteArray bytes = file.read(crm::UserEventLimits{}.maxAttachmentBytes + 1);
    if (const auto problem = sheetProblem(name, info.size(), bytes)) {
        showMessage("attachment", *problem);
        return false;
    }
    crm::Attachment a;
    a.fileName = name.toStdString();
    a.content.assign(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    sheetFiles_.push_back(std::move(a));
    sheets_->addItem(name + QStringLiteral(" (") + formatSize(bytes.size()) + QStringLiteral(")"));
    clearMessage("attachment");
    updatePreview();
    return true;
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

namespace {

// One person of the "Will be notified" line: the rules that reach them, in the reader's words.
struct Notified {
    QString name, address;
    QStringList why;
};

std::vector<Notified> notifiedPeople(const std::vector<RecipientPreview>& recipients, const crm::Locale& reader) {
    // Several rules reaching the same person read as one person.
    std::vector<Notified> people;
    for (const auto& r : recipients) {
        const QString name = QString::fromStdString(r.name.empty() ? r.address : r.name);
        const QString address = QString::fromStdString(r.address);
        auto it = std::find_if(people.begin(), people.end(), [&](const Notified& p) {
            return address.isEmpty() ? p.name == name : p.address.compare(address, Qt::CaseInsensitive) == 0;
        });
        if (it == people.end()) it = people.insert(people.end(), {name, address, {}});
        const QString why = QString::fromStdString(crm::notify::ruleName(r.why, reader));
        if (!why.isEmpty() && !it->why.contains(why)) it->why << why;
    }
    return people;
}

constexpr std::size_t kNamesShown = 3;

}  // namespace

void EntryForm::updatePreview() {
    if (!context_.previewRecipients) return;
    previewTimer_->stop();  // a pending pause-update would only repeat this one
    const Lang& l = context_.lang;
    const QString prefix = l.pick("Will be notified: ", "Будут уведомлены: ", "Zostaną powiadomieni: ");
    std::vector<Notified> people;
    try {
        people = notifiedPeople(context_.previewRecipients(draft()), crm::Locale::of(l.locale()));
    } catch (const std::exception& e) {
        preview_->setText(prefix + l.pick("unknown", "неизвестно", "nieznane"));
        preview_->setToolTip(QString::fromUtf8(e.what()));
        return;
    }
    if (people.empty()) {
        preview_->setText(prefix + l.pick("nobody", "никто", "nikt"));
        preview_->setToolTip({});
        return;
    }
    // One short line: the first names and how many more, the first rule; everything in the tooltip.
    QStringList names, rules, details;
    for (const auto& p : people) {
        if (names.size() < static_cast<qsizetype>(kNamesShown)) names << p.name;
        for (const auto& w : p.why)
            if (!rules.contains(w)) rules << w;
        const QString who = p.address.isEmpty() || p.address == p.name ? p.name : p.name + QStringLiteral(" <") + p.address + QStringLiteral(">");
        details << (p.why.isEmpty() ? who : who + QStringLiteral(" — ") + p.why.join(QStringLiteral("; ")));
    }
    QString line = prefix + names.join(QStringLiteral(", "));
    if (people.size() > kNamesShown)
        line += l.pick(" and %1 more", " и ещё %1", " i jeszcze %1").arg(people.size() - kNamesShown);
    if (!rules.isEmpty()) line += QStringLiteral(" (") + rules.front() + (rules.size() > 1 ? QStringLiteral(", …)") : QStringLiteral(")"));
    preview_->setText(line);
    preview_->setToolTip(details.join(QChar('\n')));
}

bool EntryForm::save() {
    clearMessages();
    confirmation_->hide();
    const Lang& l = context_.lang;
    crm::Event stored;
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
            {
                const QDate d = date_->date();  // the day as typed: the core stores today at "now"
                p.paidOn = sdk::Date(std::chrono::year(d.year()) / d.month() / d.day());
            }
            p.document = document_->text().trimmed().toStdString();
            p.note = text_->toPlainText().toStdString();
            if (!p.counterpartyId) {
                showMessage("counterparty", l.pick("Choose the counterparty", "Выберите контрагента", "Wybierz kontrahenta"));
                return false;
            }
            stored = context_.userEvents.registerPayment(p);
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
            stored = context_.userEvents.addCustomerNote(n);
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
            stored = context_.userEvents.addMeasurementNote(n);
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
    // The title and, for a payment, the amount as stored: what the user can check at a glance.
    QString what = eventTitle(stored);
    if (stored.amount && !what.contains(formatMoney(*stored.amount, l))) what += QStringLiteral(" · ") + formatMoney(*stored.amount, l);
    confirmation_->setText(l.pick("Saved: ", "Сохранено: ", "Zapisano: ") + what);
    confirmation_->show();
    emit saved(stored);
    return true;
}

bool EntryForm::hasTypedInput() const {
    auto typed = [](const QLineEdit* e) { return e && !e->text().trimmed().isEmpty(); };
    return typed(amount_) || typed(document_) || !text_->toPlainText().trimmed().isEmpty() || !sheetFiles_.empty();
}

bool EntryForm::askDiscard() {
    const Lang& l = context_.lang;
    QMessageBox box(QMessageBox::Question, title(),
                    l.pick("Discard what you have typed?", "Отменить введённое?", "Odrzucić to, co wpisano?"), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("entryDiscardQuestion"));
    box.setInformativeText(l.pick("The entry has not been saved.", "Запись не сохранена.", "Wpis nie został zapisany."));
    auto* discard = box.addButton(l.pick("Discard", "Отменить ввод", "Odrzuć"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discard"));
    auto* keep = box.addButton(l.pick("Keep editing", "Продолжить ввод", "Wróć do edycji"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepEditing"));
    box.setDefaultButton(keep);  // Enter must not throw away a half-written note
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == discard;
}

bool EntryForm::cancel() {
    if (hasTypedInput() && !askDiscard()) return false;
    emit cancelled();
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

namespace {

// Esc and the window's close button go through Cancel's question too.
class EntryDialog : public QDialog {
public:
    using QDialog::QDialog;
    EntryForm* form = nullptr;
    void reject() override {
        if (!form || !form->hasTypedInput()) QDialog::reject();
        else form->cancel();  // cancelled() rejects when the user discards
    }
    void closeReally() { QDialog::reject(); }
};

}  // namespace

QDialog* openEntryDialog(EntryKind kind, EntryContext context, EntryPreset preset, QWidget* parent) {
    auto* dialog = new EntryDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* layout = new QVBoxLayout(dialog);
    auto* form = new EntryForm(kind, std::move(context), preset, dialog);
    dialog->form = form;
    dialog->setWindowTitle(form->title());
    layout->addWidget(form);
    QObject::connect(form, &EntryForm::saved, dialog, guarded(dialog, "entry form: saved", [dialog, form, parent] {
        if (parent) showSavedNotice(parent->window(), form->confirmationText());
        dialog->accept();
    }));
    QObject::connect(form, &EntryForm::cancelled, dialog, guarded(dialog, "entry form: cancelled", [dialog] { dialog->closeReally(); }));
    dialog->resize(520, kind == EntryKind::Payment ? 460 : 420);
    dialog->show();
    return dialog;
}

}  // namespace conduit::forms
