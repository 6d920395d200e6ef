#include "catalogue/party_editor.hpp"

#include "catalogue/party_draft.hpp"
#include "catalogue/party_words.hpp"
#include "common/exception_barrier.hpp"
#include "common/field_message.hpp"

#include <conduit/crm/parties/phone_number.hpp>
#include <conduit/crm/parties/tax_id.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>

namespace conduit::forms {

using namespace crm::parties;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

const std::vector<TaxIdKind>& taxIdKindsOf(PartyKind kind) {
    static const std::vector<TaxIdKind> company{TaxIdKind::PlNip, TaxIdKind::PlRegon, TaxIdKind::RuInn, TaxIdKind::RuKpp, TaxIdKind::RuOgrn};
    static const std::vector<TaxIdKind> person{TaxIdKind::PlNip, TaxIdKind::RuInn, TaxIdKind::RuOgrnip};
    return kind == PartyKind::Company ? company : person;
}

const char* kCountries[] = {"PL", "RU", "UA", "BY", "LT", "LV", "DE", "CZ", "SK", "KZ"};

// The party's stored value shown in its editor line.
QString phonesText(const std::vector<Phone>& phones, const std::string& region) {
    QStringList out;
    for (const auto& p : phones) out << qs(displayText(p.number, region));
    return out.join(QStringLiteral("; "));
}

QString emailsText(const std::vector<Email>& emails) {
    QStringList out;
    for (const auto& e : emails) out << qs(e.address.address);
    return out.join(QStringLiteral("; "));
}

QString tagsText(const std::set<std::string>& tags) {
    QStringList out;
    for (const auto& t : tags) out << qs(t);
    return out.join(QStringLiteral(", "));
}

}  // namespace

PartyEditor::PartyEditor(PartyEditorContext context, Lang lang, PartyKind kind, std::int64_t id, QWidget* parent)
    : QWidget(parent), ctx_(std::move(context)), lang_(std::move(lang)), locale_(crm::Locale::of(lang_.locale())), kind_(kind) {
    pool_.setMaxThreadCount(1);
    requestKey_ = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    if (id) load(id);
    buildUi();
    if (party_) fill(*party_);
    dirty_ = false;
}

PartyEditor::~PartyEditor() { pool_.waitForDone(); }

void PartyEditor::load(std::int64_t id) {
    try {
        party_ = ctx_.catalogue.get(ctx_.me, id);
    } catch (const std::exception&) {
        party_.reset();
    }
    if (party_) kind_ = party_->kind;
}

QString PartyEditor::title() const {
    if (party_) return lang_.pick("Edit: ", "Изменение: ", "Edycja: ") + qs(party_->displayName());
    return kind_ == PartyKind::Company ? lang_.pick("New company", "Новая компания", "Nowa firma")
                                       : lang_.pick("New person", "Новый контакт", "Nowa osoba");
}

void PartyEditor::buildUi() {
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* page = new QWidget(scroll);
    auto* form = new QFormLayout(page);
    addNameFields(form);
    addRoleFields(form);
    addTaxIdFields(form);
    addContactFields(form);
    addAddressFields(form);
    if (kind_ == PartyKind::Person) addPersonFields(form);
    addDescriptionFields(form);
    addCustomFields(form);
    scroll->setWidget(page);
    outer->addWidget(scroll, 1);

    duplicates_ = new QLabel(this);
    duplicates_->setObjectName(QStringLiteral("possibleDuplicates"));
    duplicates_->setTextFormat(Qt::RichText);
    duplicates_->setWordWrap(true);
    duplicates_->setStyleSheet(QStringLiteral("background: #fff4d6; padding: 4px;"));
    duplicates_->hide();
    connect(duplicates_, &QLabel::linkActivated, this, guarded(this, "party editor: duplicate link", [this](const QString& link) {
        if (ctx_.navigation.openParty && link.startsWith(QStringLiteral("party:"))) ctx_.navigation.openParty(link.mid(6).toLongLong());
    }));
    outer->addWidget(duplicates_);
    formMessage_ = newFieldMessage(this);
    formMessage_->setObjectName(QStringLiteral("message_"));
    messages_[""] = formMessage_;
    outer->addWidget(formMessage_);

    save_ = new QPushButton(lang_.pick("Save", "Сохранить", "Zapisz"), this);
    save_->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(save_);
    outer->addLayout(buttons);
    connect(save_, &QPushButton::clicked, this, guarded(this, "party editor: save", [this] { save(); }));

    typing_ = new QTimer(this);
    typing_->setSingleShot(true);
    typing_->setInterval(kDuplicatePause);
    connect(typing_, &QTimer::timeout, this, guarded(this, "party editor: duplicates", [this] { checkDuplicates(); }));
    if (party_ && party_->isHostOwned()) lockHostFields();
}

QWidget* PartyEditor::addRow(QFormLayout* form, const QString& label, QWidget* field, const std::string& key) {
    const auto f = fieldWithMessage(field, this);
    f.message->setObjectName(qs("message_" + key));
    messages_[key] = f.message;
    form->addRow(label, f.box);
    return f.box;
}

QLineEdit* PartyEditor::addLine(QFormLayout* form, const QString& label, const std::string& field, const QString& hint) {
    auto* line = new QLineEdit(this);
    line->setObjectName(qs("field_" + field));
    line->setPlaceholderText(hint);
    lines_[field] = line;
    addRow(form, label, line, field);
    connect(line, &QLineEdit::textEdited, this, [this, field] {
        markDirty();
        if (auto it = messages_.find(field); it != messages_.end()) it->second->hide();  // the refusal is old news
    });
    return line;
}

void PartyEditor::markDirty() {
    dirty_ = true;
    typing_->start();
}

void PartyEditor::addNameFields(QFormLayout* form) {
    if (kind_ == PartyKind::Company) {
        addLine(form, lang_.pick("Full name", "Полное название", "Pełna nazwa"), "name",
                lang_.pick("as registered", "как в регистрационных документах", "jak w rejestrze"));
        addLine(form, lang_.pick("Short name", "Краткое название", "Nazwa skrócona"), "short_name");
        return;
    }
    addLine(form, lang_.pick("Given name", "Имя", "Imię"), "given");
    addLine(form, lang_.pick("Patronymic", "Отчество", "Drugie imię / otczestwo"), "patronymic");
    addLine(form, lang_.pick("Family name", "Фамилия", "Nazwisko"), "family");
}

void PartyEditor::addRoleFields(QFormLayout* form) {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    for (const auto role : allPartyRoles()) {
        auto* check = new QCheckBox(partyRolesText(roleBit(role), lang_), box);
        check->setObjectName(qs("role_" + std::string(toString(role))));
        roles_[role] = check;
        row->addWidget(check);
        connect(check, &QCheckBox::toggled, this, [this] { dirty_ = true; });
    }
    row->addStretch(1);
    addRow(form, lang_.pick("Roles", "Роли", "Role"), box, "roles");
}

void PartyEditor::addTaxIdFields(QFormLayout* form) {
    for (const auto kind : taxIdKindsOf(kind_)) {
        const auto code = std::string(toString(kind));
        auto* line = addLine(form, qs(code).toUpper(), code);
        if (party_ && party_->restrictedHidden) {
            line->setEnabled(false);
            line->setPlaceholderText(lang_.pick("hidden by your rights", "скрыто вашими правами", "ukryte przez Twoje uprawnienia"));
        }
    }
}

void PartyEditor::addContactFields(QFormLayout* form) {
    addLine(form, lang_.pick("Phones", "Телефоны", "Telefony"), "phone",
            lang_.pick("22 654 32 10; +48 601 234 567", "8 (495) 123-45-67; +7 916 123-45-67", "22 654 32 10; +48 601 234 567"));
    addLine(form, lang_.pick("E-mails", "Эл. почта", "E-maile"), "email", QStringLiteral("biuro@firma.pl; anna@firma.pl"));
    addLine(form, lang_.pick("Website", "Сайт", "Strona WWW"), "website");
}

void PartyEditor::addAddressFields(QFormLayout* form) {
    country_ = new QComboBox(this);
    country_->setObjectName(QStringLiteral("field_country"));
    country_->setEditable(true);
    for (const char* c : kCountries) country_->addItem(QString::fromLatin1(c));
    country_->setCurrentText(qs(ctx_.catalogue.options().defaultCountry));
    connect(country_, &QComboBox::currentTextChanged, this, [this] { markDirty(); });
    addRow(form, lang_.pick("Country", "Страна", "Kraj"), country_, "country");
    addLine(form, lang_.pick("Postcode", "Индекс", "Kod pocztowy"), "postcode");
    addLine(form, lang_.pick("City", "Город", "Miejscowość"), "city");
    addLine(form, lang_.pick("Street", "Улица", "Ulica"), "street");
    addLine(form, lang_.pick("Building / flat", "Дом / кв.", "Nr domu / lokalu"), "building");
}

void PartyEditor::addPersonFields(QFormLayout* form) {
    gender_ = new QComboBox(this);
    gender_->setObjectName(QStringLiteral("field_gender"));
    gender_->addItem(lang_.pick("not recorded", "не указан", "nie podano"), int(Gender::Unknown));
    gender_->addItem(lang_.pick("female", "женский", "kobieta"), int(Gender::Female));
    gender_->addItem(lang_.pick("male", "мужской", "mężczyzna"), int(Gender::Male));
    addRow(form, lang_.pick("Gender", "Пол", "Płeć"), gender_, "gender");
    salutation_ = new QComboBox(this);
    salutation_->setObjectName(QStringLiteral("field_salutation"));
    salutation_->addItem(lang_.pick("neutral (\"Dear …\")", "нейтральное", "neutralna"), int(GrammaticalGender::Neuter));
    salutation_->addItem(lang_.pick("feminine (\"Dear Ms …\")", "женское («Уважаемая …»)", "żeńska („Szanowna Pani …”)"), int(GrammaticalGender::Feminine));
    salutation_->addItem(lang_.pick("masculine (\"Dear Mr …\")", "мужское («Уважаемый …»)", "męska („Szanowny Panie …”)"), int(GrammaticalGender::Masculine));
    addRow(form, lang_.pick("Salutation", "Обращение", "Zwrot grzecznościowy"), salutation_, "salutation");
    // The salutation follows the gender until someone chooses it apart.
    connect(gender_, &QComboBox::activated, this, [this] {
        const auto g = Gender(gender_->currentData().toInt());
        salutation_->setCurrentIndex(g == Gender::Female ? 1 : g == Gender::Male ? 2 : 0);
        dirty_ = true;
    });
    connect(salutation_, &QComboBox::activated, this, [this] { dirty_ = true; });
    addLine(form, lang_.pick("Birthday", "День рождения", "Urodziny"), "birthday",
            lang_.pick("12.05.1984 or 12.05", "12.05.1984 или 12.05", "12.05.1984 lub 12.05"));
    language_ = new QComboBox(this);
    language_->setObjectName(QStringLiteral("field_language"));
    language_->addItem(lang_.pick("the installation's", "как в системе", "jak w instalacji"), QString());
    language_->addItem(QStringLiteral("русский"), QStringLiteral("ru"));
    language_->addItem(QStringLiteral("polski"), QStringLiteral("pl"));
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    connect(language_, &QComboBox::activated, this, [this] { dirty_ = true; });
    addRow(form, lang_.pick("Language", "Язык", "Język"), language_, "language");
    doNotContact_ = new QCheckBox(lang_.pick("Do not contact (no mailings, no calls)", "Не связываться (без рассылок и звонков)",
                                             "Nie kontaktować się (bez mailingów i telefonów)"), this);
    doNotContact_->setObjectName(QStringLiteral("field_do_not_contact"));
    connect(doNotContact_, &QCheckBox::toggled, this, [this] { dirty_ = true; });
    addRow(form, QString(), doNotContact_, "do_not_contact");
}

void PartyEditor::addDescriptionFields(QFormLayout* form) {
    addLine(form, lang_.pick("Region", "Регион", "Województwo / region"), "region");
    addLine(form, lang_.pick("Industry", "Отрасль", "Branża"), "industry");
    addLine(form, lang_.pick("Category", "Категория", "Kategoria"), "category");
    addLine(form, lang_.pick("Source", "Источник", "Źródło"), "source",
            lang_.pick("fair, website, recommendation…", "выставка, сайт, рекомендация…", "targi, strona, polecenie…"));
    addLine(form, lang_.pick("Tags", "Метки", "Tagi"), "tags", lang_.pick("separated by commas", "через запятую", "oddzielone przecinkami"));
    notes_ = new QPlainTextEdit(this);
    notes_->setObjectName(QStringLiteral("field_notes"));
    notes_->setMaximumHeight(90);
    connect(notes_, &QPlainTextEdit::textChanged, this, [this] { dirty_ = true; });
    addRow(form, lang_.pick("Notes", "Заметки", "Notatki"), notes_, "notes");
    private_ = new QCheckBox(lang_.pick("Private: only I and the management see it", "Личный: видим только мне и руководству",
                                        "Prywatny: widzę tylko ja i kierownictwo"), this);
    private_->setObjectName(QStringLiteral("field_private"));
    connect(private_, &QCheckBox::toggled, this, [this] { dirty_ = true; });
    addRow(form, QString(), private_, "private");
}

void PartyEditor::addCustomFields(QFormLayout* form) {
    std::vector<CustomField> fields;
    try {
        fields = ctx_.catalogue.customFields();
    } catch (const std::exception&) {
        return;  // the form still edits the standard fields
    }
    for (const auto& f : fields) {
        if (kind_ == PartyKind::Company ? !f.forCompanies : !f.forPeople) continue;
        const auto key = "custom." + f.code;
        const QString label = qs(lang_.code() == Lang::Code::Ru ? f.nameRu : lang_.code() == Lang::Code::Pl ? f.namePl : f.nameEn);
        if (f.type == CustomFieldType::Choice) {
            auto* box = new QComboBox(this);
            box->setObjectName(qs("field_" + key));
            box->addItem(QString());
            for (const auto& c : f.choices) box->addItem(qs(c));
            connect(box, &QComboBox::activated, this, [this] { dirty_ = true; });
            customInputs_[key] = box;
            addRow(form, label, box, key);
        } else {
            const QString hint = f.type == CustomFieldType::Date ? QStringLiteral("2026-05-31") : f.type == CustomFieldType::Number ? QStringLiteral("12.5") : QString();
            customInputs_[key] = addLine(form, label, key, hint);
        }
    }
}

void PartyEditor::fill(const Party& p) {
    auto set = [this](const std::string& field, const QString& text) {
        if (auto it = lines_.find(field); it != lines_.end()) it->second->setText(text);
    };
    set("name", qs(p.fullName));
    set("short_name", qs(p.shortName));
    set("given", qs(p.givenName));
    set("patronymic", qs(p.patronymic));
    set("family", qs(p.familyName));
    for (auto& [role, box] : roles_) box->setChecked(p.has(role));
    for (const auto& t : p.taxIds) set(std::string(toString(t.kind)), qs(displayText(t)));
    const auto region = p.addresses.empty() ? ctx_.catalogue.options().defaultCountry : p.addresses.front().country;
    set("phone", phonesText(p.phones, region));
    set("email", emailsText(p.emails));
    set("website", qs(p.website));
    if (!p.addresses.empty()) {
        const auto& a = p.addresses.front();
        country_->setCurrentText(qs(a.country));
        set("postcode", qs(a.postcode));
        set("city", qs(a.city));
        set("street", qs(a.street));
        set("building", qs(a.flat.empty() ? a.building : a.building + "/" + a.flat));
    }
    set("region", qs(p.region));
    set("industry", qs(p.industry));
    set("category", qs(p.category));
    set("source", qs(p.source));
    set("tags", tagsText(p.tags));
    notes_->setPlainText(qs(p.notes));
    private_->setChecked(p.isPrivate);
    if (kind_ == PartyKind::Person) {
        gender_->setCurrentIndex(std::max(0, gender_->findData(int(p.gender))));
        salutation_->setCurrentIndex(std::max(0, salutation_->findData(int(p.grammaticalGender))));
        language_->setCurrentIndex(std::max(0, language_->findData(qs(p.language))));
        doNotContact_->setChecked(p.doNotContact);
        const auto b = std::find_if(p.dates.begin(), p.dates.end(), [](const MemorableDate& d) { return d.kind == MemorableDateKind::Birthday; });
        if (b != p.dates.end()) set("birthday", memorableDateInput(*b));
    }
    for (const auto& [key, input] : customInputs_) {
        const auto it = p.custom.find(key.substr(7));
        const QString value = it == p.custom.end() ? QString() : qs(it->second);
        if (auto* box = qobject_cast<QComboBox*>(input)) box->setCurrentText(value);
        else if (auto* line = qobject_cast<QLineEdit*>(input)) line->setText(value);
    }
}

// What the host keeps is shown, not edited: the host's own forms change it and the CRM follows.
void PartyEditor::lockHostFields() {
    const QString why = lang_.pick("Kept by the host suite: change it there, the CRM follows.",
                                   "Ведётся в учётной системе: измените там, CRM обновится сама.",
                                   "Prowadzone w systemie głównym: zmień tam, CRM się dostosuje.");
    std::vector<std::string> hostLines{"name", "short_name", "phone", "email", "postcode", "city", "street", "building"};
    if (kind_ == PartyKind::Person) hostLines.insert(hostLines.end(), {"given", "patronymic", "family"});
    for (const auto kind : taxIdKindsOf(kind_)) hostLines.emplace_back(toString(kind));
    for (const auto& field : hostLines)
        if (auto it = lines_.find(field); it != lines_.end()) {
            it->second->setReadOnly(true);
            it->second->setToolTip(why);
        }
    country_->setEnabled(false);
    country_->setToolTip(why);
    if (language_) {
        language_->setEnabled(false);
        language_->setToolTip(why);
    }
}

QLineEdit* PartyEditor::lineFor(const std::string& field) const {
    const auto it = lines_.find(field);
    return it == lines_.end() ? nullptr : it->second;
}

QCheckBox* PartyEditor::roleBox(PartyRole role) const {
    const auto it = roles_.find(role);
    return it == roles_.end() ? nullptr : it->second;
}

QString PartyEditor::messageFor(const std::string& field) const {
    const auto it = messages_.find(field);
    return it == messages_.end() || it->second->isHidden() ? QString() : it->second->text();
}

QString PartyEditor::duplicateText() const { return duplicates_->isHidden() ? QString() : duplicates_->text(); }

bool PartyEditor::hasChanges() const { return dirty_; }

}  // namespace conduit::forms
