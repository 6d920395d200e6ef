#include "exchange/import_wizard.hpp"

#include "common/exception_barrier.hpp"

#include <conduit/crm/exchange/codepage.hpp>
#include <conduit/crm/exchange/contact_csv.hpp>
#include <conduit/crm/exchange/contact_file.hpp>
#include <conduit/crm/exchange/ldap_source.hpp>
#include <conduit/crm/parties/catalogue_error.hpp>

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMetaObject>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <fstream>

namespace conduit::forms {

using namespace crm::exchange;

namespace {

constexpr std::size_t kRowsShown = 500;
constexpr std::size_t kHeaderBytes = 64 * 1024;
const char* const kEncodings[] = {"", "UTF-8", "UTF-16LE", "windows-1250", "windows-1251", "windows-1252", "ISO-8859-2", "KOI8-R"};
const char* const kModes[] = {"create-and-update", "update-only", "create-only"};

QString qs(const std::string& s) { return QString::fromStdString(s); }

std::vector<ContactField> mappableFields() {
    std::vector<ContactField> out;
    for (int f = 0; f <= static_cast<int>(ContactField::MessengerLabel); ++f) out.push_back(static_cast<ContactField>(f));
    return out;
}

}  // namespace

ImportWizard::ImportWizard(ImportWizardContext context, Lang lang, QWidget* parent)
    : QWidget(parent), ctx_(context), lang_(std::move(lang)) {
    setObjectName("crmImportWizard");
    pool_.setMaxThreadCount(1);
    buildUi();
}

ImportWizard::~ImportWizard() {
    stop_ = true;
    pool_.waitForDone();
}

void ImportWizard::buildUi() {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(sourceStep());
    layout->addWidget(readStep(), 1);
    layout->addWidget(checkStep(), 2);
    layout->addWidget(importStep());
}

QWidget* ImportWizard::sourceStep() {
    auto* box = new QGroupBox(lang_.pick("1. Where the contacts are", "1. Откуда контакты", "1. Skąd kontakty"), this);
    auto* layout = new QVBoxLayout(box);
    sourceTabs_ = new QTabWidget(box);
    auto* filePage = new QWidget(sourceTabs_);
    auto* fileRow = new QHBoxLayout(filePage);
    fileLabel_ = new QLabel(lang_.pick("No file chosen", "Файл не выбран", "Nie wybrano pliku"), filePage);
    auto* browse = new QPushButton(lang_.pick("Choose a file…", "Выбрать файл…", "Wybierz plik…"), filePage);
    fileRow->addWidget(fileLabel_, 1);
    fileRow->addWidget(browse);
    sourceTabs_->addTab(filePage, lang_.pick("vCard, CSV or LDIF file", "Файл vCard, CSV или LDIF", "Plik vCard, CSV lub LDIF"));
    auto* ldapPage = new QWidget(sourceTabs_);
    auto* form = new QFormLayout(ldapPage);
    ldapUrl_ = new QLineEdit(ldapPage);
    ldapUrl_->setPlaceholderText("ldap://ldap.example.com:389/ou=people,dc=example,dc=com");
    bindDn_ = new QLineEdit(ldapPage);
    password_ = new QLineEdit(ldapPage);
    password_->setEchoMode(QLineEdit::Password);
    filter_ = new QLineEdit(ldapPage);
    filter_->setPlaceholderText("(objectClass=person)");
    form->addRow(lang_.pick("Address", "Адрес", "Adres"), ldapUrl_);
    form->addRow(lang_.pick("Sign in as (DN)", "Вход как (DN)", "Logowanie jako (DN)"), bindDn_);
    form->addRow(lang_.pick("Password", "Пароль", "Hasło"), password_);
    form->addRow(lang_.pick("Filter", "Фильтр", "Filtr"), filter_);
    sourceTabs_->addTab(ldapPage, lang_.pick("LDAP directory", "Каталог LDAP", "Katalog LDAP"));
    layout->addWidget(sourceTabs_);
    connect(browse, &QPushButton::clicked, this, guarded(this, "import: choose file", [this] {
                const auto path = QFileDialog::getOpenFileName(this, lang_.pick("Contacts to import", "Контакты для импорта", "Kontakty do importu"),
                                                               {}, "Contacts (*.vcf *.csv *.ldif *.txt);;* (*)");
                if (!path.isEmpty()) chooseFile(path);
            }));
    return box;
}

QWidget* ImportWizard::readStep() {
    auto* box = new QGroupBox(lang_.pick("2. What the file holds", "2. Что в файле", "2. Co zawiera plik"), this);
    auto* layout = new QVBoxLayout(box);
    auto* row = new QHBoxLayout;
    encoding_ = new QComboBox(box);
    encoding_->addItem(lang_.pick("Encoding: found from the file", "Кодировка: по содержимому", "Kodowanie: rozpoznane z pliku"), QString());
    for (const char* name : kEncodings)
        if (*name) encoding_->addItem(name, QString(name));
    preset_ = new QComboBox(box);
    for (const auto& id : presetIds()) preset_->addItem(words(presetName(id)), qs(id));
    readButton_ = new QPushButton(lang_.pick("Read", "Прочитать", "Odczytaj"), box);
    row->addWidget(encoding_);
    row->addWidget(preset_);
    row->addStretch(1);
    row->addWidget(readButton_);
    layout->addLayout(row);
    readStatus_ = new QLabel(box);
    readStatus_->setObjectName("importReadStatus");
    readStatus_->setWordWrap(true);
    layout->addWidget(readStatus_);
    columns_ = new QTableWidget(0, 2, box);
    columns_->setObjectName("importColumns");
    columns_->setHorizontalHeaderLabels({lang_.pick("Column of the file", "Столбец файла", "Kolumna pliku"),
                                         lang_.pick("Goes into", "Куда", "Trafia do")});
    columns_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    layout->addWidget(columns_, 1);
    auto* save = new QPushButton(lang_.pick("Save the mapping…", "Сохранить сопоставление…", "Zapisz przypisanie…"), box);
    layout->addWidget(save, 0, Qt::AlignRight);
    connect(readButton_, &QPushButton::clicked, this, guarded(this, "import: read", [this] { readSource(); }));
    connect(encoding_, &QComboBox::activated, this, guarded(this, "import: encoding", [this](int index) { chooseEncoding(index); }));
    connect(preset_, &QComboBox::activated, this, guarded(this, "import: preset", [this](int index) { usePreset(index); }));
    connect(save, &QPushButton::clicked, this, guarded(this, "import: save mapping", [this] { saveMapping(); }));
    return box;
}

QWidget* ImportWizard::checkStep() {
    auto* box = new QGroupBox(lang_.pick("3. What would happen", "3. Что произойдёт", "3. Co się stanie"), this);
    auto* layout = new QVBoxLayout(box);
    auto* row = new QHBoxLayout;
    mode_ = new QComboBox(box);
    mode_->addItem(lang_.pick("Add new and complete known contacts", "Добавить новые и дополнить известные", "Dodaj nowe i uzupełnij znane"));
    mode_->addItem(lang_.pick("Only complete known contacts", "Только дополнить известные", "Tylko uzupełnij znane"));
    mode_->addItem(lang_.pick("Only add new contacts", "Только добавить новые", "Tylko dodaj nowe"));
    tags_ = new QLineEdit(box);
    tags_->setPlaceholderText(lang_.pick("Tags for every contact (comma-separated)", "Метки для всех контактов (через запятую)",
                                         "Tagi dla każdego kontaktu (po przecinku)"));
    check_ = new QPushButton(lang_.pick("Check", "Проверить", "Sprawdź"), box);
    row->addWidget(mode_);
    row->addWidget(tags_, 1);
    row->addWidget(check_);
    layout->addLayout(row);
    report_ = new QTreeWidget(box);
    report_->setObjectName("importReport");
    report_->setRootIsDecorated(false);
    report_->setHeaderLabels({lang_.pick("Line", "Строка", "Wiersz"), lang_.pick("Contact", "Контакт", "Kontakt"),
                              lang_.pick("What happens", "Что произойдёт", "Co się stanie")});
    report_->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    layout->addWidget(report_, 1);
    checkStatus_ = new QLabel(box);
    checkStatus_->setObjectName("importCheckStatus");
    checkStatus_->setWordWrap(true);
    layout->addWidget(checkStatus_);
    connect(check_, &QPushButton::clicked, this, guarded(this, "import: check", [this] { check(); }));
    return box;
}

QWidget* ImportWizard::importStep() {
    auto* box = new QGroupBox(lang_.pick("4. Import", "4. Импорт", "4. Import"), this);
    auto* layout = new QHBoxLayout(box);
    import_ = new QPushButton(lang_.pick("Import", "Импортировать", "Importuj"), box);
    stopButton_ = new QPushButton(lang_.pick("Stop", "Остановить", "Zatrzymaj"), box);
    undo_ = new QPushButton(lang_.pick("Undo this import", "Отменить этот импорт", "Cofnij ten import"), box);
    progress_ = new QProgressBar(box);
    importStatus_ = new QLabel(box);
    importStatus_->setObjectName("importStatus");
    importStatus_->setWordWrap(true);
    stopButton_->setEnabled(false);
    undo_->setEnabled(false);
    layout->addWidget(import_);
    layout->addWidget(stopButton_);
    layout->addWidget(progress_, 1);
    layout->addWidget(undo_);
    auto* outer = new QVBoxLayout;
    outer->addWidget(importStatus_);
    layout->addLayout(outer, 2);
    connect(import_, &QPushButton::clicked, this, guarded(this, "import: run", [this] { runImport(); }));
    connect(stopButton_, &QPushButton::clicked, this, guarded(this, "import: stop", [this] { stop(); }));
    connect(undo_, &QPushButton::clicked, this, guarded(this, "import: undo", [this] { undo(); }));
    return box;
}

void ImportWizard::chooseFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        readStatus_->setText(lang_.pick("Cannot read %1", "Не удаётся прочитать %1", "Nie można odczytać %1").arg(path));
        return;
    }
    if (static_cast<std::size_t>(file.size()) > kMaxContactFileBytes) {
        readStatus_->setText(qs(describe({ProblemCode::TooLarge, 0, "", std::to_string(file.size() / (1024 * 1024)) + " MB"},
                                         crm::Locale::of(lang_.locale()))));
        return;
    }
    const auto bytes = file.readAll();
    bytes_.assign(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    fileName_ = QFileInfo(path).fileName().toStdString();
    fileLabel_->setText(path);
    sourceTabs_->setCurrentIndex(0);
    read_.reset();
    readSource();
}

ImportWizard::Read ImportWizard::readNow(const std::string& bytes, const std::string& encoding,
                                         const std::optional<ColumnMapping>& mapping) const {
    Read read;
    ContactFileOptions options;
    options.encoding = encoding;
    options.format = detectContactFormat(bytes, encoding);
    read.format = std::string(toString(options.format));
    if (options.format == ContactFormat::Csv) {
        CsvReadOptions csv;
        csv.encoding = encoding;
        csv.mapping = mapping;
        read.file = readContactCsvBytes(bytes, csv);
        // The columns from the file's start, in the encoding the whole file was read as.
        read.header = csvHeader(decodeFile(std::string_view(bytes).substr(0, kHeaderBytes), read.file.encoding).text);
        read.mapping = mapping ? *mapping : detectMapping(read.header);
    } else {
        read.file = readContactFile(bytes, options);
    }
    return read;
}

// Another encoding gives other column names: the mapping is found anew.
void ImportWizard::chooseEncoding(int index) {
    encoding_->setCurrentIndex(index);
    read_.reset();
    readSource();
}

void ImportWizard::readSource() {
    const bool fromDirectory = sourceTabs_->currentIndex() == 1;
    if (!fromDirectory && bytes_.empty()) {
        readStatus_->setText(lang_.pick("Choose a file first.", "Сначала выберите файл.", "Najpierw wybierz plik."));
        return;
    }
    const auto encoding = encoding_->currentData().toString().toStdString();
    const auto mapping = read_ && read_->format == "csv" ? editedMapping() : std::nullopt;
    LdapQuery query;
    if (fromDirectory) {
        query = ldapQueryFromUrl(ldapUrl_->text().trimmed().toStdString());
        query.bindDn = bindDn_->text().toStdString();
        query.password = password_->text().toStdString();
        if (!filter_->text().trimmed().isEmpty()) query.filter = filter_->text().trimmed().toStdString();
    }
    readStatus_->setText(lang_.pick("Reading…", "Читаем…", "Odczytuję…"));
    const auto bytes = bytes_;
    work([this, bytes, encoding, mapping, fromDirectory, query] {
        Read read;
        try {
            if (fromDirectory) {
                read.file = LdapSource(query).read().contacts;
                read.format = "ldap";
            } else {
                read = readNow(bytes, encoding, mapping);
            }
        } catch (const std::exception& e) {
            read.error = problemText(e);
        }
        QMetaObject::invokeMethod(this, [this, read = std::move(read)] { runGuarded(this, "import: show read", [&] { showRead(read); }); },
                                  Qt::QueuedConnection);
    });
}

void ImportWizard::showRead(const Read& read) {
    if (!read.error.isEmpty()) {
        readStatus_->setText(read.error);
        emit stepDone();
        return;
    }
    read_ = read;
    const crm::Locale reader = crm::Locale::of(lang_.locale());
    QString text = lang_.pick("%1 contacts, format %2, encoding %3.", "Контактов: %1, формат %2, кодировка %3.",
                              "Kontaktów: %1, format %2, kodowanie %3.")
                       .arg(read.file.records.size())
                       .arg(qs(read.format), qs(read.file.encoding.empty() ? "-" : read.file.encoding));
    for (const auto& problem : read.file.problems) text += "\n" + qs(describe(problem, reader));
    readStatus_->setText(text);
    showColumns(read);
    report_->clear();
    checkStatus_->clear();
    emit stepDone();
}

void ImportWizard::showColumns(const Read& read) {
    columns_->setRowCount(0);
    const bool csv = read.format == "csv";
    columns_->setVisible(csv);
    preset_->setVisible(csv);
    if (!csv) return;
    if (const int at = preset_->findData(qs(read.mapping.preset)); at >= 0) preset_->setCurrentIndex(at);
    const auto fields = mappableFields();
    columns_->setRowCount(static_cast<int>(read.header.size()));
    for (int row = 0; row < static_cast<int>(read.header.size()); ++row) {
        columns_->setItem(row, 0, new QTableWidgetItem(qs(read.header[row])));
        auto* combo = new QComboBox(columns_);
        for (const auto field : fields) combo->addItem(words(displayName(field)), static_cast<int>(field));
        const auto* target = read.mapping.find(read.header[row]);
        combo->setCurrentIndex(combo->findData(static_cast<int>(target ? target->field : ContactField::Extra)));
        columns_->setCellWidget(row, 1, combo);
    }
}

std::optional<ColumnMapping> ImportWizard::editedMapping() const {
    if (!read_ || read_->format != "csv") return std::nullopt;
    ColumnMapping mapping = read_->mapping;
    mapping.rules.clear();
    for (int row = 0; row < columns_->rowCount(); ++row) {
        const auto* combo = qobject_cast<QComboBox*>(columns_->cellWidget(row, 1));
        if (!combo) continue;
        const auto column = read_->header[static_cast<std::size_t>(row)];
        ColumnTarget target;
        if (const auto* known = read_->mapping.find(column)) target = *known;
        const auto field = static_cast<ContactField>(combo->currentData().toInt());
        if (field != target.field) target = ColumnTarget{field, 0, {}};
        mapping.rules.push_back({column, target});
    }
    return mapping;
}

void ImportWizard::usePreset(int index) {
    if (!read_ || read_->format != "csv") return;
    read_->mapping = presetMapping(preset_->itemData(index).toString().toStdString(), read_->header);
    showColumns(*read_);
    readSource();
}

void ImportWizard::saveMapping() {
    const auto mapping = editedMapping();
    if (!mapping) return;
    const auto path = QFileDialog::getSaveFileName(this, lang_.pick("Save the mapping", "Сохранить сопоставление", "Zapisz przypisanie"),
                                                   "mapping.json", "JSON (*.json)");
    if (path.isEmpty()) return;
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << toJson(*mapping);
}

ImportOptions ImportWizard::options() const {
    ImportOptions o;
    o.mode = static_cast<ImportMode>(std::max(0, mode_->currentIndex()));
    o.source = sourceTabs_->currentIndex() == 1 ? ldapUrl_->text().toStdString() : fileName_;
    for (const auto& tag : tags_->text().split(',', Qt::SkipEmptyParts))
        if (!tag.trimmed().isEmpty()) o.tags.insert(tag.trimmed().toStdString());
    return o;
}

void ImportWizard::check() {
    if (!read_) {
        checkStatus_->setText(lang_.pick("Read the contacts first.", "Сначала прочитайте контакты.", "Najpierw odczytaj kontakty."));
        return;
    }
    checkStatus_->setText(lang_.pick("Checking against the catalogue…", "Сверяем с каталогом…", "Sprawdzam z katalogiem…"));
    const auto file = read_->file;
    const auto o = options();
    work([this, file, o] {
        std::optional<ImportReport> report;
        QString error;
        try {
            report = planImport(ctx_.catalogue, ctx_.me, file, o);
        } catch (const std::exception& e) {
            error = problemText(e);
        }
        QMetaObject::invokeMethod(this, [this, report, error] {
            runGuarded(this, "import: show check", [&] {
                if (report) showReport(*report, checkStatus_);
                else checkStatus_->setText(error);
                emit stepDone();
            });
        }, Qt::QueuedConnection);
    });
}

void ImportWizard::runImport() {
    if (!read_) {
        importStatus_->setText(lang_.pick("Read the contacts first.", "Сначала прочитайте контакты.", "Najpierw odczytaj kontakty."));
        return;
    }
    stop_ = false;
    import_->setEnabled(false);
    stopButton_->setEnabled(true);
    undo_->setEnabled(false);
    progress_->setValue(0);
    importStatus_->setText(lang_.pick("Importing…", "Импортируем…", "Importuję…"));
    const auto file = read_->file;
    auto o = options();
    o.progress = [this](std::size_t done, std::size_t total) {
        QMetaObject::invokeMethod(this, [this, done, total] {
            progress_->setMaximum(static_cast<int>(std::max<std::size_t>(total, 1)));
            progress_->setValue(static_cast<int>(done));
        }, Qt::QueuedConnection);
        return !stop_.load();
    };
    work([this, file, o] {
        std::optional<ImportReport> report;
        QString error;
        try {
            report = crm::exchange::runImport(ctx_.catalogue, ctx_.me, file, o);
        } catch (const std::exception& e) {
            error = problemText(e);
        }
        QMetaObject::invokeMethod(this, [this, report, error] {
            runGuarded(this, "import: show import", [&] {
                import_->setEnabled(true);
                stopButton_->setEnabled(false);
                if (report) {
                    showReport(*report, importStatus_);
                    lastLoad_ = report->cancelled ? 0 : report->loadId;
                    undo_->setEnabled(lastLoad_ != 0);
                } else {
                    importStatus_->setText(error);
                }
                emit stepDone();
            });
        }, Qt::QueuedConnection);
    });
}

void ImportWizard::stop() { stop_ = true; }

void ImportWizard::undo() {
    if (!lastLoad_) return;
    const auto load = lastLoad_;
    work([this, load] {
        QString text;
        bool done = false;
        try {
            const auto undone = ctx_.catalogue.undoLoad(ctx_.me, load);
            text = lang_.pick("Import undone: %1 removed, %2 restored, %3 kept (changed since).",
                              "Импорт отменён: удалено %1, восстановлено %2, оставлено %3 (изменялись после).",
                              "Import cofnięty: usunięto %1, przywrócono %2, pozostawiono %3 (zmieniane później).")
                       .arg(undone.removed)
                       .arg(undone.restored)
                       .arg(undone.kept.size());
            done = true;
        } catch (const std::exception& e) {
            text = problemText(e);
        }
        QMetaObject::invokeMethod(this, [this, text, done] {
            runGuarded(this, "import: show undo", [&] {
                importStatus_->setText(text);
                if (done) lastLoad_ = 0;
                undo_->setEnabled(lastLoad_ != 0);
                emit stepDone();
            });
        }, Qt::QueuedConnection);
    });
}

void ImportWizard::showReport(const ImportReport& report, QLabel* status) {
    const crm::Locale reader = crm::Locale::of(lang_.locale());
    report_->clear();
    std::size_t shown = 0;
    for (const auto& row : report.rows) {
        if (++shown > kRowsShown) break;
        auto text = rowText(row, reader, report.dryRun);
        if (const auto dash = text.find(": "); dash != std::string::npos) text = text.substr(dash + 2);
        auto* item = new QTreeWidgetItem(report_, {QString::number(row.line), qs(row.name), qs(text)});
        item->setToolTip(2, qs(text));
    }
    QString summary = qs(summaryText(report.summary, reader));
    if (report.repeated || report.cancelled)
        summary = lang_.pick("Stopped: nothing of the import was kept.", "Остановлено: ничего из импорта не осталось.",
                             "Zatrzymano: nic z importu nie zostało.");
    else if (!report.dryRun)
        summary += " " + lang_.pick("(load no. %1)", "(загрузка №%1)", "(wczytanie nr %1)").arg(report.loadId);
    status->setText(summary);
}

QString ImportWizard::problemText(const std::exception& e) const {
    const crm::Locale reader = crm::Locale::of(lang_.locale());
    if (const auto* x = dynamic_cast<const ExchangeError*>(&e)) return qs(describe(x->problem, reader));
    if (const auto* c = dynamic_cast<const crm::parties::CatalogueError*>(&e)) return qs(describe(*c, reader));
    if (const auto* f = dynamic_cast<const crm::parties::FieldError*>(&e)) return qs(describe(*f, reader));
    return lang_.pick("Something went wrong: %1", "Что-то пошло не так: %1", "Coś poszło nie tak: %1").arg(e.what());
}

QString ImportWizard::words(const crm::LocalizedText& text) const {
    return QString::fromUtf8(crm::Locale::of(lang_.locale()).pick(text));
}

void ImportWizard::work(std::function<void()> job) { pool_.start(guardedWork("import: work", std::move(job))); }

}  // namespace conduit::forms
