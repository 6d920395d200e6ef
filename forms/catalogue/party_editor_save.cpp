// The editor's side that reads what was typed: the draft, its problems field by field, the save
// through the core, the duplicate check off the GUI thread and the dialog around the editor.
#include "catalogue/party_editor.hpp"

#include "catalogue/party_draft.hpp"
#include "catalogue/party_words.hpp"
#include "common/exception_barrier.hpp"
#include "common/field_message.hpp"

#include <conduit/crm/parties/email_address.hpp>
#include <conduit/crm/parties/phone_number.hpp>
#include <conduit/crm/parties/tax_id.hpp>

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include <algorithm>

namespace conduit::forms {

using namespace crm::parties;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

std::string text(const std::map<std::string, QLineEdit*>& lines, const std::string& field) {
    const auto it = lines.find(field);
    return it == lines.end() ? std::string() : it->second->text().trimmed().toStdString();
}

std::string joined(std::initializer_list<std::string> parts) {
    std::string out;
    for (const auto& p : parts)
        if (!p.empty()) out += (out.empty() ? "" : " ") + p;
    return out;
}

}  // namespace

QString PartyEditor::fieldLabel(const std::string& field) const {
    return field == "phone" ? lang_.pick("Phone", "Телефон", "Telefon") : lang_.pick("E-mail", "Эл. почта", "E-mail");
}

Party PartyEditor::draft(std::map<std::string, QString>* problems) const {
    Party p = party_.value_or(Party{});
    p.kind = kind_;
    if (!(party_ && party_->isHostOwned())) {
        if (kind_ == PartyKind::Company) {
            p.fullName = text(lines_, "name");
            p.shortName = text(lines_, "short_name");
        } else {
            p.givenName = text(lines_, "given");
            p.patronymic = text(lines_, "patronymic");
            p.familyName = text(lines_, "family");
            p.fullName = joined({p.givenName, p.patronymic, p.familyName});
        }
    }
    p.roles = 0;
    for (const auto& [role, box] : roles_)
        if (box->isChecked()) p.roles |= roleBit(role);
    readTaxIds(p, problems);
    readContacts(p, problems);
    readAddress(p);
    p.website = text(lines_, "website");
    p.region = text(lines_, "region");
    p.industry = text(lines_, "industry");
    p.category = text(lines_, "category");
    p.source = text(lines_, "source");
    p.tags = splitTags(lines_.at("tags")->text());
    p.notes = notes_->toPlainText().trimmed().toStdString();
    p.isPrivate = private_->isChecked();
    if (!p.ownerId) p.ownerId = ctx_.me;
    if (kind_ == PartyKind::Person) readPerson(p, problems);
    readCustom(p);
    return p;
}

void PartyEditor::readTaxIds(Party& p, std::map<std::string, QString>*) const {
    // Hidden or the host's: the stored ones stay (the core keeps them as they are).
    if ((party_ && party_->restrictedHidden) || (party_ && party_->isHostOwned())) return;
    p.taxIds.clear();
    for (const auto& [field, line] : lines_) {
        const auto kind = taxIdKindFromString(field);
        if (!kind) continue;
        const auto value = line->text().trimmed().toStdString();
        if (!value.empty()) p.taxIds.push_back({*kind, value});
    }
}

void PartyEditor::readContacts(Party& p, std::map<std::string, QString>* problems) const {
    if (party_ && party_->isHostOwned()) return;
    const auto region = country_->currentText().trimmed().toUpper().toStdString();
    const auto before = p.phones;
    p.phones.clear();
    for (const auto& item : splitItems(lines_.at("phone")->text())) {
        Phone phone;
        phone.number.e164 = item;  // refused by the core's check as typed
        if (const auto problem = phoneProblem(item, region)) {
            if (problems && !problems->count("phone"))
                (*problems)["phone"] = qs(describe(*problem, locale_, (fieldLabel("phone") + " " + lang_.quoted(qs(item))).toStdString()));
        } else {
            phone.number = parsePhone(item, region);
            // A number that was there keeps its label ("mobile", "office").
            const auto same = std::find_if(before.begin(), before.end(), [&phone](const Phone& b) { return b.number.e164 == phone.number.e164; });
            if (same != before.end()) phone.label = same->label;
        }
        p.phones.push_back(phone);
    }
    p.emails.clear();
    for (const auto& item : splitItems(lines_.at("email")->text())) {
        if (const auto problem = emailProblem(item); problem && problems && !problems->count("email"))
            (*problems)["email"] = qs(describe(*problem, locale_, (fieldLabel("email") + " " + lang_.quoted(qs(item))).toStdString()));
        p.emails.push_back({{item}, ""});
    }
}

void PartyEditor::readAddress(Party& p) const {
    if (party_ && party_->isHostOwned()) return;
    Address a = p.addresses.empty() ? Address{} : p.addresses.front();
    a.country = country_->currentText().trimmed().toUpper().toStdString();
    a.postcode = text(lines_, "postcode");
    a.city = text(lines_, "city");
    a.street = text(lines_, "street");
    const auto building = text(lines_, "building");
    const auto slash = building.find('/');
    a.building = building.substr(0, slash);
    a.flat = slash == std::string::npos ? std::string() : building.substr(slash + 1);
    const bool empty = a.postcode.empty() && a.city.empty() && a.street.empty() && a.building.empty();
    // The other addresses (postal, delivery) are kept as they are; the editor shows the first.
    if (p.addresses.empty()) {
        if (!empty) p.addresses.push_back(a);
    } else if (empty && p.addresses.size() == 1) {
        p.addresses.clear();
    } else {
        p.addresses.front() = a;
    }
}

void PartyEditor::readPerson(Party& p, std::map<std::string, QString>* problems) const {
    p.gender = Gender(gender_->currentData().toInt());
    p.grammaticalGender = GrammaticalGender(salutation_->currentData().toInt());
    if (!(party_ && party_->isHostOwned())) p.language = language_->currentData().toString().toStdString();
    p.doNotContact = doNotContact_->isChecked();
    std::erase_if(p.dates, [](const MemorableDate& d) { return d.kind == MemorableDateKind::Birthday; });
    const auto typed = readMemorableDate(lines_.at("birthday")->text(), MemorableDateKind::Birthday);
    if (typed.problem && problems) (*problems)["birthday"] = qs(describe(FieldError(*typed.problem, "birthday"), locale_));
    if (typed.date) p.dates.push_back(*typed.date);
}

void PartyEditor::readCustom(Party& p) const {
    for (const auto& [key, input] : customInputs_) {
        QString value;
        if (auto* box = qobject_cast<QComboBox*>(input)) value = box->currentText();
        else if (auto* line = qobject_cast<QLineEdit*>(input)) value = line->text().trimmed();
        const auto code = key.substr(7);
        if (value.isEmpty()) p.custom.erase(code);
        else p.custom[code] = value.toStdString();
    }
}

void PartyEditor::showMessage(const std::string& field, const QString& message) {
    auto it = messages_.find(messageKey(field));
    if (it == messages_.end()) it = messages_.find("");
    it->second->setText(message);
    it->second->show();
}

std::string PartyEditor::messageKey(const std::string& field) const {
    if (field == "name" && kind_ == PartyKind::Person) return "family";
    if (field == "date") return "birthday";
    if (field == host_fields::kPhones) return "phone";
    if (field == host_fields::kEmails) return "email";
    return field;
}

void PartyEditor::clearMessages() {
    for (auto& [field, label] : messages_) label->hide();
}

bool PartyEditor::save() {
    clearMessages();
    std::map<std::string, QString> problems;
    const Party d = draft(&problems);
    for (const auto& e : ctx_.catalogue.check(d))
        if (!problems.count(messageKey(e.field))) problems[messageKey(e.field)] = qs(describe(e, locale_));
    if (!problems.empty()) {
        for (const auto& [field, message] : problems) showMessage(field, message);
        return false;
    }
    try {
        party_ = party_ ? ctx_.catalogue.update(ctx_.me, d) : ctx_.catalogue.create(ctx_.me, d, requestKey_);
    } catch (const FieldError& e) {
        showMessage(e.field, qs(describe(e, locale_)));
        return false;
    } catch (const CatalogueError& e) {
        showMessage("", qs(describe(e, locale_)));
        return false;
    } catch (const std::exception&) {
        showMessage("", lang_.pick("Not saved: the catalogue cannot be reached now. What you typed is kept; try again.",
                                   "Не сохранено: каталог сейчас недоступен. Введённое сохранилось в форме; повторите.",
                                   "Nie zapisano: katalog jest teraz niedostępny. Wpisane dane zostały w formularzu; spróbuj ponownie."));
        return false;
    }
    fill(*party_);
    dirty_ = false;
    emit saved(*party_);
    return true;
}

// Only values that could be stored take part: a half-typed phone must not hide a match by name.
Party PartyEditor::duplicateProbe() const {
    Party p = draft();
    const auto region = p.addresses.empty() ? ctx_.catalogue.options().defaultCountry : p.addresses.front().country;
    std::erase_if(p.phones, [&region](const Phone& ph) { return phoneProblem(ph.number.e164, region).has_value(); });
    std::erase_if(p.emails, [](const Email& e) { return emailProblem(e.address.address).has_value(); });
    std::erase_if(p.taxIds, [](const TaxId& t) { return taxIdProblem(t.kind, t.value).has_value(); });
    return p;
}

void PartyEditor::checkDuplicates() {
    const auto probe = duplicateProbe();
    const auto generation = ++generation_;
    auto& catalogue = ctx_.catalogue;
    const auto me = ctx_.me;
    pool_.start([this, &catalogue, me, probe, generation] {
        std::vector<DuplicateMatch> matches;
        try {
            matches = catalogue.possibleDuplicates(me, probe, 3);
        } catch (const std::exception&) {
            // No line rather than a wrong one; the nightly sweep finds what this misses.
        }
        QMetaObject::invokeMethod(this, [this, generation, matches = std::move(matches)] { showDuplicates(generation, matches); }, Qt::QueuedConnection);
    });
}

void PartyEditor::showDuplicates(quint64 generation, const std::vector<DuplicateMatch>& matches) {
    if (generation != generation_) return;  // typing went on since
    QStringList items;
    for (const auto& m : matches) {
        if (party_ && m.partyId == party_->id) continue;
        QStringList why;
        for (const auto r : m.reasons) why << duplicateReasonText(r, lang_);
        const auto name = qs(m.name).toHtmlEscaped();
        const auto shown = ctx_.navigation.openParty ? QStringLiteral("<a href=\"party:%1\">%2</a>").arg(m.partyId).arg(name) : name;
        items << shown + QStringLiteral(" (") + why.join(QStringLiteral(", ")).toHtmlEscaped() + QStringLiteral(")");
    }
    if (items.isEmpty()) {
        duplicates_->clear();
        duplicates_->hide();
    } else {
        duplicates_->setText(lang_.pick("Possibly already in the catalogue: ", "Возможно, уже есть в каталоге: ", "Możliwe, że już jest w katalogu: ") +
                             items.join(QStringLiteral("; ")));
        duplicates_->show();
    }
    emit duplicatesChecked();
}

namespace {

// Esc, Cancel and the window's close button ask before typed changes are dropped.
class PartyEditorDialog : public QDialog {
public:
    using QDialog::QDialog;
    PartyEditor* editor = nullptr;
    Lang lang;
    void closeReally() {
        editor = nullptr;
        close();
    }

protected:
    void reject() override {
        if (!editor || !editor->hasChanges() || askDiscard()) QDialog::reject();
    }
    void closeEvent(QCloseEvent* e) override {
        if (editor && editor->hasChanges() && !askDiscard()) e->ignore();
        else QDialog::closeEvent(e);
    }

private:
    bool askDiscard() {
        return QMessageBox::question(this, windowTitle(),
                                     lang.pick("Drop the changes you typed?", "Отменить введённые изменения?", "Odrzucić wpisane zmiany?"),
                                     QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Discard;
    }
};

}  // namespace

QDialog* openPartyEditor(PartyEditorContext context, Lang lang, PartyKind kind, std::int64_t id, QWidget* parent) {
    auto* dialog = new PartyEditorDialog(parent);
    dialog->lang = lang;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* layout = new QVBoxLayout(dialog);
    auto* editor = new PartyEditor(std::move(context), lang, kind, id, dialog);
    dialog->editor = editor;
    dialog->setWindowTitle(editor->title());
    layout->addWidget(editor);
    QObject::connect(editor, &PartyEditor::saved, dialog, guarded(dialog, "party editor: saved", [dialog, lang, parent](const Party& p) {
        if (parent) showSavedNotice(parent->window(), lang.pick("Saved: ", "Сохранено: ", "Zapisano: ") + QString::fromStdString(p.displayName()));
        dialog->closeReally();
    }));
    dialog->resize(620, 720);
    dialog->show();
    return dialog;
}

}  // namespace conduit::forms
