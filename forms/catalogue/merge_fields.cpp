#include "catalogue/merge_fields.hpp"

#include "catalogue/party_words.hpp"
#include "common/event_look.hpp"

#include <QStringList>

#include <algorithm>
#include <set>

namespace conduit::forms {

using namespace crm::parties;

namespace {

template <typename T>
bool sameItems(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::is_permutation(a.begin(), a.end(), b.begin());
}

template <typename T, typename Say>
QString lines(const std::vector<T>& items, Say say) {
    QStringList out;
    for (const auto& x : items) out << say(x);
    return out.join(QLatin1Char('\n'));
}

QString text(const std::string& s) { return QString::fromStdString(s); }

// The words of the fields, one place for the labels and the notes.
struct Words {
    const Lang& l;
    QString hostsField() const { return l.pick("the host's field: change it in the host", "поле учётной системы: меняется там", "pole systemu: zmień je w systemie"); }
    QString onlyValue() const { return l.pick("the only value is kept", "сохраняется единственное значение", "zostaje jedyna wartość"); }
    QString bothKept() const { return l.pick("both are kept", "сохраняются оба", "zostają obie"); }
    QString refusalKept() const { return l.pick("a refusal is never lost", "отказ от контактов не теряется", "odmowa kontaktu nie ginie"); }
    QString sharedWins() const { return l.pick("shared when either is shared", "общий, если хоть один общий", "wspólny, gdy choć jeden jest wspólny"); }
};

class FieldList {
public:
    FieldList(const Party& s, const Party& a, const Lang& l) : s_(s), a_(a), w_{l}, hostFixed_(s.isHostOwned() || a.isHostOwned()) {}

    // A value of one side: the person picks one; an empty side has nothing to offer.
    void oneOf(const char* key, const QString& label, const QString& s, const QString& a) {
        if (s == a) return;
        MergeField f{key, label, s, a};
        if (s.isEmpty() || a.isEmpty()) f.kept = s.isEmpty() ? MergeKeep::Absorbed : MergeKeep::Survivor, f.note = w_.onlyValue();
        else f.offered = {MergeKeep::Survivor, MergeKeep::Absorbed};
        add(std::move(f));
    }
    // A list: both kept unless the person keeps the absorbed side's alone.
    void listOf(const char* key, const QString& label, const QString& s, const QString& a) {
        MergeField f{key, label, s, a};
        f.kept = MergeKeep::Both;
        if (s.isEmpty() || a.isEmpty()) f.note = w_.bothKept();
        else f.offered = {MergeKeep::Both, MergeKeep::Absorbed};
        add(std::move(f));
    }
    // What the merge unites (or decides by its own rule) whatever is chosen.
    void fixed(const char* key, const QString& label, const QString& s, const QString& a, MergeKeep kept, const QString& note) {
        add(MergeField{key, label, s, a, {}, kept, note});
    }
    // A field the host owns on its counterparty: the host's value stays.
    bool hostKeeps(const char* key, const QString& label, const QString& s, const QString& a) {
        if (!hostFixed_) return false;
        fixed(key, label, s, a, s_.isHostOwned() ? MergeKeep::Survivor : MergeKeep::Absorbed, w_.hostsField());
        return true;
    }
    const Words& words() const { return w_; }
    std::vector<MergeField> take() { return std::move(out_); }

private:
    void add(MergeField f) { out_.push_back(std::move(f)); }
    const Party& s_;
    const Party& a_;
    Words w_;
    bool hostFixed_;
    std::vector<MergeField> out_;
};

QString nameText(const Party& p) {
    const QString shown = text(p.displayName());
    return p.fullName == p.displayName() ? shown : shown + QStringLiteral(" — ") + text(p.fullName);
}

bool sameName(const Party& a, const Party& b) {
    return a.fullName == b.fullName && a.shortName == b.shortName && a.givenName == b.givenName && a.patronymic == b.patronymic &&
           a.familyName == b.familyName;
}

QString genderText(Gender g, const Lang& l) {
    switch (g) {
        case Gender::Unknown: return {};
        case Gender::Female: return l.pick("female", "женский", "kobieta");
        case Gender::Male: return l.pick("male", "мужской", "mężczyzna");
    }
    return {};
}

QString photoText(const Party& p, const Lang& l) {
    return p.photo.empty() ? QString() : l.pick("a picture, %1", "изображение, %1", "obraz, %1").arg(formatSize(static_cast<std::int64_t>(p.photo.size())));
}

QString tagsText(const Party& p) {
    QStringList out;
    for (const auto& t : p.tags) out << text(t);
    return out.join(QStringLiteral(", "));
}

QString customName(const std::string& code, const std::vector<CustomField>& defined, const Lang& l) {
    const auto it = std::find_if(defined.begin(), defined.end(), [&](const CustomField& f) { return f.code == code; });
    if (it == defined.end()) return text(code);
    const std::string& name = l.code() == Lang::Code::Ru ? it->nameRu : l.code() == Lang::Code::Pl ? it->namePl : it->nameEn;
    return text(name.empty() ? code : name);
}

void contactFields(FieldList& f, const Party& s, const Party& a, const Lang& l) {
    const auto list = [&](const char* key, const QString& label, const QString& st, const QString& at) {
        if (!f.hostKeeps(key, label, st, at)) f.listOf(key, label, st, at);
    };
    if (s.restrictedHidden || a.restrictedHidden) {
        const QString hidden = l.pick("hidden by your rights", "скрыто вашими правами", "ukryte przez Twoje uprawnienia");
        f.fixed("tax_ids", l.pick("Tax ids", "ИНН и другие номера", "NIP i inne numery"), hidden, hidden, MergeKeep::Both, f.words().bothKept());
    } else if (!sameItems(s.taxIds, a.taxIds)) {
        const auto say = [](const TaxId& t) { return text(displayText(t)); };
        list("tax_ids", l.pick("Tax ids", "ИНН и другие номера", "NIP i inne numery"), lines(s.taxIds, say), lines(a.taxIds, say));
    }
    const auto phone = [](const Phone& p) { return text(displayText(p.number, "")) + (p.label.empty() ? QString() : QStringLiteral(" (%1)").arg(text(p.label))); };
    if (!sameItems(s.phones, a.phones)) list("phones", l.pick("Phones", "Телефоны", "Telefony"), lines(s.phones, phone), lines(a.phones, phone));
    const auto mail = [](const Email& e) { return text(e.address.address); };
    if (!sameItems(s.emails, a.emails)) list("emails", l.pick("E-mails", "Электронная почта", "E-maile"), lines(s.emails, mail), lines(a.emails, mail));
    if (!sameItems(s.addresses, a.addresses))
        list("addresses", l.pick("Addresses", "Адреса", "Adresy"), lines(s.addresses, addressText), lines(a.addresses, addressText));
    const auto messenger = [](const Messenger& m) { return text(m.network + ": " + m.handle); };
    if (!sameItems(s.messengers, a.messengers))
        f.fixed("messengers", l.pick("Messengers", "Мессенджеры", "Komunikatory"), lines(s.messengers, messenger), lines(a.messengers, messenger),
                MergeKeep::Both, f.words().bothKept());
    if (s.website != a.website) f.oneOf("website", l.pick("Website", "Сайт", "Strona WWW"), text(s.website), text(a.website));
}

void descriptionFields(FieldList& f, const Party& s, const Party& a, DirectoryCache& directory, const Lang& l) {
    const auto& w = f.words();
    if (s.roles != a.roles)
        f.fixed("roles", l.pick("Roles", "Роли", "Role"), partyRolesText(s.roles, l), partyRolesText(a.roles, l), MergeKeep::Both, w.bothKept());
    f.oneOf("region", l.pick("Region", "Регион", "Region"), text(s.region), text(a.region));
    f.oneOf("industry", l.pick("Industry", "Отрасль", "Branża"), text(s.industry), text(a.industry));
    f.oneOf("category", l.pick("Category", "Категория", "Kategoria"), text(s.category), text(a.category));
    f.oneOf("source", l.pick("Source", "Источник", "Źródło"), text(s.source), text(a.source));
    if (s.tags != a.tags) f.fixed("tags", l.pick("Tags", "Метки", "Tagi"), tagsText(s), tagsText(a), MergeKeep::Both, w.bothKept());
    if (s.ownerId != a.ownerId)
        f.oneOf("owner", l.pick("Owner", "Ответственный", "Opiekun"), s.ownerId ? directory.userName(s.ownerId) : QString(),
                a.ownerId ? directory.userName(a.ownerId) : QString());
    const auto date = [&](const MemorableDate& d) { return memorableDateText(d, l); };
    if (!sameItems(s.dates, a.dates))
        f.fixed("dates", l.pick("Memorable dates", "Памятные даты", "Ważne daty"), lines(s.dates, date), lines(a.dates, date), MergeKeep::Both, w.bothKept());
    if (s.kind == PartyKind::Person && s.gender != a.gender)
        f.oneOf("gender", l.pick("Gender", "Пол", "Płeć"), genderText(s.gender, l), genderText(a.gender, l));
    if (s.photo != a.photo) f.oneOf("photo", l.pick("Picture", "Изображение", "Obraz"), photoText(s, l), photoText(a, l));
}

void notesField(FieldList& f, const Party& s, const Party& a, const Lang& l) {
    if (s.notes == a.notes) return;
    const QString label = l.pick("Notes", "Заметки", "Notatki");
    // The survivor's notes that already hold the other's text keep it.
    if (s.notes.find(a.notes) != std::string::npos) return f.fixed("notes", label, text(s.notes), text(a.notes), MergeKeep::Survivor, f.words().onlyValue());
    f.listOf("notes", label, text(s.notes), text(a.notes));
}

void flagFields(FieldList& f, const Party& s, const Party& a, const Lang& l) {
    const QString yes = l.pick("yes", "да", "tak"), no = l.pick("no", "нет", "nie");
    if (s.doNotContact != a.doNotContact)
        f.fixed("do_not_contact", l.pick("Do not contact", "Не беспокоить", "Nie kontaktować się"), s.doNotContact ? yes : no,
                a.doNotContact ? yes : no, s.doNotContact ? MergeKeep::Survivor : MergeKeep::Absorbed, f.words().refusalKept());
    if (s.isPrivate != a.isPrivate)
        f.fixed("private", l.pick("Private", "Личный", "Prywatny"), s.isPrivate ? yes : no, a.isPrivate ? yes : no,
                s.isPrivate ? MergeKeep::Absorbed : MergeKeep::Survivor, f.words().sharedWins());
}

void customFieldsOf(FieldList& f, const Party& s, const Party& a, const std::vector<CustomField>& defined, const Lang& l) {
    std::set<std::string> codes;
    for (const auto& [code, value] : s.custom) codes.insert(code);
    for (const auto& [code, value] : a.custom) codes.insert(code);
    for (const auto& code : codes) {
        const auto sv = s.custom.find(code), av = a.custom.find(code);
        const QString st = sv == s.custom.end() ? QString() : text(sv->second), at = av == a.custom.end() ? QString() : text(av->second);
        f.oneOf(("custom." + code).c_str(), customName(code, defined, l), st, at);
    }
}

}  // namespace

std::vector<MergeField> differingFields(const Party& s, const Party& a, const std::vector<CustomField>& customFields, DirectoryCache& directory,
                                        const Lang& l) {
    FieldList f(s, a, l);
    if (!sameName(s, a)) {
        const QString label = l.pick("Name", "Название", "Nazwa");
        if (!f.hostKeeps("name", label, nameText(s), nameText(a))) {
            f.oneOf("name", label, nameText(s), nameText(a));
        }
    }
    contactFields(f, s, a, l);
    if (s.language != a.language) {
        const QString label = l.pick("Language", "Язык", "Język");
        const QString st = s.language.empty() ? QString() : languageName(s.language, l), at = a.language.empty() ? QString() : languageName(a.language, l);
        if (!f.hostKeeps("language", label, st, at)) f.oneOf("language", label, st, at);
    }
    descriptionFields(f, s, a, directory, l);
    customFieldsOf(f, s, a, customFields, l);
    notesField(f, s, a, l);
    flagFields(f, s, a, l);
    return f.take();
}

MergeChoices mergeChoices(const std::vector<MergeField>& fields, const std::vector<MergeKeep>& chosen) {
    MergeChoices out;
    for (std::size_t i = 0; i < fields.size() && i < chosen.size(); ++i) {
        if (fields[i].offered.empty() || chosen[i] == MergeKeep::Both) continue;
        out[fields[i].key] = chosen[i] == MergeKeep::Absorbed ? MergeSide::Absorbed : MergeSide::Survivor;
    }
    return out;
}

bool survivesByDefault(const Party& a, const Party& b) {
    if (a.isHostOwned() != b.isHostOwned()) return a.isHostOwned();
    if (a.createdAt != b.createdAt) return a.createdAt < b.createdAt;
    return a.id < b.id;
}

std::optional<CatalogueProblem> impossibleMerge(const Party& survivor, const Party& absorbed) {
    if (survivor.id == absorbed.id) return CatalogueProblem::MergeIntoItself;
    if (survivor.kind != absorbed.kind) return CatalogueProblem::MergeAcrossKinds;
    if (survivor.isHostOwned() && absorbed.isHostOwned()) return CatalogueProblem::MergeBothHost;
    return std::nullopt;
}

}  // namespace conduit::forms
