#include "catalogue/party_words.hpp"

#include <QStringList>

namespace conduit::forms {

using namespace crm::parties;

QString partyRolesText(PartyRoles roles, const Lang& l) {
    QStringList names;
    for (auto role : allPartyRoles()) {
        if (!(roles & roleBit(role))) continue;
        switch (role) {
            case PartyRole::Customer: names << l.pick("customer", "клиент", "klient"); break;
            case PartyRole::Prospect: names << l.pick("prospect", "потенциальный", "potencjalny"); break;
            case PartyRole::Partner: names << l.pick("partner", "партнёр", "partner"); break;
            case PartyRole::Installer: names << l.pick("installer", "монтажник", "monter"); break;
            case PartyRole::Supplier: names << l.pick("supplier", "поставщик", "dostawca"); break;
            case PartyRole::Competitor: names << l.pick("competitor", "конкурент", "konkurent"); break;
        }
    }
    return names.join(", ");
}

QString partyKindText(PartyKind kind, const Lang& l) {
    return kind == PartyKind::Company ? l.pick("company", "компания", "firma") : l.pick("person", "контакт", "osoba");
}

QString decisionRoleText(DecisionRole role, const Lang& l) {
    switch (role) {
        case DecisionRole::None: return {};
        case DecisionRole::DecisionMaker: return l.pick("decides", "принимает решение", "decyduje");
        case DecisionRole::Influencer: return l.pick("influences", "влияет на решение", "wpływa na decyzję");
        case DecisionRole::Approver: return l.pick("approves", "согласует", "zatwierdza");
        case DecisionRole::User: return l.pick("uses the product", "пользователь", "użytkownik");
        case DecisionRole::Gatekeeper: return l.pick("gatekeeper", "привратник", "odźwierny");
    }
    return {};
}

QString levelName(const HierarchyLevel& level, const Lang& l) {
    const std::string& name = l.code() == Lang::Code::Ru ? level.nameRu : l.code() == Lang::Code::Pl ? level.namePl : level.nameEn;
    return QString::fromStdString(name.empty() ? level.code : name);
}

QString memorableDateText(const MemorableDate& date, const Lang& l) {
    QString what;
    switch (date.kind) {
        case MemorableDateKind::Birthday: what = l.pick("Birthday", "День рождения", "Urodziny"); break;
        case MemorableDateKind::NameDay: what = l.pick("Name day", "Именины", "Imieniny"); break;
        case MemorableDateKind::Anniversary: what = l.pick("Anniversary", "Годовщина", "Rocznica"); break;
        case MemorableDateKind::Other: what = QString::fromStdString(date.label); break;
    }
    QString day = QStringLiteral("%1.%2").arg(date.day, 2, 10, QLatin1Char('0')).arg(date.month, 2, 10, QLatin1Char('0'));
    if (date.year) day += QStringLiteral(".%1").arg(*date.year);
    return what + QStringLiteral(": ") + day;
}

QString addressText(const Address& a) {
    QStringList parts;
    QString street = QString::fromStdString(a.street);
    if (!a.building.empty()) street += QLatin1Char(' ') + QString::fromStdString(a.building);
    if (!a.flat.empty()) street += QLatin1Char('/') + QString::fromStdString(a.flat);
    if (!street.trimmed().isEmpty()) parts << street.trimmed();
    const QString town = (QString::fromStdString(a.postcode) + QLatin1Char(' ') + QString::fromStdString(a.city)).trimmed();
    if (!town.isEmpty()) parts << town;
    if (!a.country.empty()) parts << QString::fromStdString(a.country);
    return parts.join(QStringLiteral(", "));
}

QString duplicateReasonText(DuplicateReason reason, const Lang& l) {
    switch (reason) {
        case DuplicateReason::SameTaxId: return l.pick("same tax id", "одинаковый ИНН", "ten sam NIP");
        case DuplicateReason::SameEmail: return l.pick("same e-mail", "одинаковый e-mail", "ten sam e-mail");
        case DuplicateReason::SamePhone: return l.pick("same phone", "одинаковый телефон", "ten sam telefon");
        case DuplicateReason::SameName: return l.pick("same name", "одинаковое название", "ta sama nazwa");
        case DuplicateReason::SimilarName: return l.pick("similar name", "похожее название", "podobna nazwa");
    }
    return {};
}

}  // namespace conduit::forms
