#include "catalogue/party_card.hpp"

#include "catalogue/party_editor.hpp"

#include "catalogue/party_words.hpp"
#include "common/event_look.hpp"
#include "common/exception_barrier.hpp"

#include <conduit/crm/access/access_control.hpp>

#include <cstdlib>

#include <QDialog>
#include <QLineEdit>
#include <QMetaObject>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace conduit::forms {

using namespace crm::parties;

namespace {

constexpr std::size_t kEventsShown = 20;

QString esc(const QString& s) { return s.toHtmlEscaped(); }
QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString partyLink(std::int64_t id, const std::string& name) {
    return QStringLiteral("<a href=\"party:%1\">%2</a>").arg(id).arg(esc(name));
}

QString section(const QString& title) { return QStringLiteral("<h3>%1</h3>").arg(esc(title)); }

QString influenceText(int influence) { return influence > 0 ? QStringLiteral("+%1").arg(influence) : QString::number(influence); }

void contacts(QString& h, const Party& p, const Lang& l) {
    QStringList lines;
    for (const auto& phone : p.phones) lines << esc(displayText(phone.number, "")) + (phone.label.empty() ? QString() : QStringLiteral(" (%1)").arg(esc(phone.label)));
    for (const auto& mail : p.emails) lines << QStringLiteral("<a href=\"mailto:%1\">%1</a>").arg(esc(mail.address.address));
    for (const auto& m : p.messengers) lines << esc(m.network + ": " + m.handle);
    if (!p.website.empty()) lines << esc(p.website);
    for (const auto& a : p.addresses) lines << esc(addressText(a));
    for (const auto& t : p.taxIds) lines << esc(displayText(t));
    if (p.restrictedHidden) lines << QStringLiteral("<i>%1</i>").arg(esc(l.pick("Tax ids and terms are hidden by your rights.", "Налоговые номера и условия скрыты вашими правами.", "Numery podatkowe i warunki ukrywają Twoje uprawnienia.")));
    if (!lines.isEmpty()) h += QStringLiteral("<p>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
}

void facts(QString& h, const Party& p, DirectoryCache& directory, const Lang& l) {
    QStringList lines;
    auto add = [&](const QString& label, const std::string& value) {
        if (!value.empty()) lines << QStringLiteral("<b>%1:</b> %2").arg(esc(label), esc(value));
    };
    add(l.pick("Region", "Регион", "Region"), p.region);
    add(l.pick("Industry", "Отрасль", "Branża"), p.industry);
    add(l.pick("Category", "Категория", "Kategoria"), p.category);
    add(l.pick("Source", "Источник", "Źródło"), p.source);
    if (!p.tags.empty()) {
        std::string tags;
        for (const auto& t : p.tags) tags += (tags.empty() ? "" : ", ") + t;
        add(l.pick("Tags", "Метки", "Tagi"), tags);
    }
    if (p.ownerId) add(l.pick("Owner", "Ответственный", "Opiekun"), directory.userName(p.ownerId).toStdString());
    for (const auto& d : p.dates) lines << esc(memorableDateText(d, l));
    if (p.doNotContact) lines << QStringLiteral("<b>%1</b>").arg(esc(l.pick("Do not contact", "Не беспокоить", "Nie kontaktować się")));
    if (!p.notes.empty()) lines << esc(p.notes);
    if (!lines.isEmpty()) h += QStringLiteral("<p>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
}

// A company's people grouped by the installation's ladder, top first; people with no level last.
void people(QString& h, const PartyCardData& d, const Lang& l) {
    if (d.members.empty()) return;
    const bool company = d.party->kind == PartyKind::Company;
    h += section(company ? l.pick("People", "Контакты", "Osoby") : l.pick("Companies", "Компании", "Firmy"));
    std::map<int, std::pair<QString, QStringList>> byRank;
    for (const auto& m : d.members) {
        const auto level = std::find_if(d.levels.begin(), d.levels.end(), [&](const auto& lv) { return lv.code == m.job.levelCode; });
        const int rank = level != d.levels.end() ? level->rank : 1000;
        auto& group = byRank[rank];
        if (group.first.isEmpty())
            group.first = level != d.levels.end() ? levelName(*level, l) : l.pick("Level not recorded", "Уровень не указан", "Poziom nieznany");
        QStringList about;
        if (!m.job.jobTitle.empty()) about << esc(m.job.jobTitle);
        if (!m.job.department.empty()) about << esc(m.job.department);
        if (const auto role = decisionRoleText(m.job.decisionRole, l); !role.isEmpty()) about << esc(role);
        about << esc(l.pick("influence %1", "влияние %1", "wpływ %1").arg(influenceText(m.job.influence)));
        if (m.job.until) about << esc(l.pick("left %1", "ушёл %1", "odszedł %1").arg(formatDate(*m.job.until)));
        group.second << partyLink(company ? m.job.personId : m.job.companyId, m.name) + QStringLiteral(" — ") + about.join(QStringLiteral(", "));
    }
    for (const auto& [rank, group] : byRank) {
        if (company) h += QStringLiteral("<p><b>%1</b><br>").arg(esc(group.first));
        else h += QStringLiteral("<p>");
        h += group.second.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
    }
}

void relations(QString& h, const PartyCardData& d, const Lang& l, sdk::Date today) {
    if (d.relations.empty()) return;
    const auto reader = crm::Locale::of(l.locale());
    h += section(l.pick("Relations", "Связи", "Powiązania"));
    QStringList lines;
    for (const auto& r : d.relations) {
        QString line = esc(relationName(r.relation.kind, r.fromSide, reader)) + QLatin1Char(' ') + partyLink(r.otherId, r.otherName);
        if (r.relation.since) line += esc(l.pick(", since %1", ", с %1", ", od %1").arg(formatDate(*r.relation.since)));
        if (!r.relation.current(today)) line += esc(l.pick(", ended %1", ", до %1", ", do %1").arg(formatDate(*r.relation.until)));
        lines << line;
    }
    h += QStringLiteral("<p>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
}

void certifications(QString& h, const PartyCardData& d, const Lang& l, sdk::Date today) {
    if (d.certifications.empty() && d.status == PartnerStatus::None) return;
    const auto reader = crm::Locale::of(l.locale());
    h += section(l.pick("Certifications", "Сертификаты", "Certyfikaty"));
    if (d.party->kind == PartyKind::Company && d.status != PartnerStatus::None)
        h += QStringLiteral("<p><b>%1</b></p>").arg(esc(statusName(d.status, reader)));
    QStringList lines;
    for (const auto& c : d.certifications) {
        const auto state = certificationState(c, today);
        QString line = esc(c.programme + (c.level.empty() ? "" : " (" + c.level + ")")) + QStringLiteral(", ") +
                       esc(formatDate(c.issued)) + (c.validUntil ? QStringLiteral(" – ") + esc(formatDate(*c.validUntil)) : QString());
        if (!c.issuer.empty()) line += QStringLiteral(", ") + esc(c.issuer);
        const QString stateText = esc(stateName(state, reader));
        line += state == CertificationState::Valid ? QStringLiteral(" — %1").arg(stateText)
                                                   : QStringLiteral(" — <b class=\"warn\">%1</b>").arg(stateText);
        lines << line;
    }
    h += QStringLiteral("<p>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
}

void terms(QString& h, const Party& p, const Lang& l) {
    if (!p.terms) return;
    const auto& t = *p.terms;
    h += section(l.pick("Commercial terms (from the host)", "Коммерческие условия (из учётной системы)", "Warunki handlowe (z systemu)"));
    QStringList lines;
    if (t.turnoverThisYear) lines << esc(l.pick("Turnover this year: ", "Оборот за этот год: ", "Obrót w tym roku: ") + formatMoney(*t.turnoverThisYear, l));
    if (t.turnoverLastYear) lines << esc(l.pick("Turnover last year: ", "Оборот за прошлый год: ", "Obrót w zeszłym roku: ") + formatMoney(*t.turnoverLastYear, l));
    if (t.discountBasisPoints)
        lines << esc(l.pick("Discount: ", "Скидка: ", "Rabat: ") + QString::number(*t.discountBasisPoints / 100.0, 'f', 2) + QStringLiteral(" %"));
    if (t.paymentTermDays) lines << esc(l.pick("Payment term: %1 days", "Отсрочка платежа: %1 дн.", "Termin płatności: %1 dni").arg(*t.paymentTermDays));
    if (t.creditLimit) lines << esc(l.pick("Credit limit: ", "Кредитный лимит: ", "Limit kredytowy: ") + formatMoney(*t.creditLimit, l));
    h += QStringLiteral("<p>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("</p>");
}

void timeline(QString& h, const PartyCardData& d, const Lang& l) {
    h += section(l.pick("Latest events", "Последние события", "Ostatnie zdarzenia"));
    if (d.events.empty()) {
        h += QStringLiteral("<p><i>%1</i></p>").arg(esc(l.pick("None yet.", "Пока нет.", "Jeszcze brak.")));
        return;
    }
    h += QStringLiteral("<table cellpadding=\"2\">");
    for (const auto& e : d.events)
        h += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(esc(formatWhen(e)), esc(eventTitle(e)));
    h += QStringLiteral("</table>");
}

}  // namespace

QString partyCardHtml(const PartyCardData& d, DirectoryCache& directory, const Lang& l, sdk::Date today) {
    const Party& p = *d.party;
    QString h = QStringLiteral("<html><head><style>h2{margin-bottom:0} h3{margin:10px 0 2px 0} .warn{color:#b00020} .sub{color:#555}</style></head><body>");
    h += QStringLiteral("<h2>%1</h2>").arg(esc(p.displayName()));
    QStringList sub;
    sub << esc(partyKindText(p.kind, l));
    if (const auto roles = partyRolesText(p.roles, l); !roles.isEmpty()) sub << esc(roles);
    if (p.fullName != p.displayName()) sub << esc(p.fullName);
    if (p.removedInHost) sub << esc(l.pick("removed in the host", "удалён в учётной системе", "usunięty w systemie"));
    else if (p.hostId)
        sub << QStringLiteral("<a href=\"counterparty:%1\">%2</a>").arg(p.hostId).arg(esc(l.pick("counterparty card", "карточка контрагента", "karta kontrahenta")));
    else sub << esc(l.pick("CRM only", "только в CRM", "tylko w CRM"));
    if (p.isPrivate) sub << esc(l.pick("private", "личный", "prywatny"));
    if (!p.removedInHost) sub << QStringLiteral("<a href=\"edit:%1\">%2</a>").arg(p.id).arg(esc(l.pick("edit…", "изменить…", "edytuj…")));
    h += QStringLiteral("<p class=\"sub\">%1</p>").arg(sub.join(QStringLiteral(" · ")));
    contacts(h, p, l);
    facts(h, p, directory, l);
    people(h, d, l);
    relations(h, d, l, today);
    certifications(h, d, l, today);
    terms(h, p, l);
    timeline(h, d, l);
    return h + QStringLiteral("</body></html>");
}

PartyCard::PartyCard(PartyCardContext context, Lang lang, QWidget* parent) : QWidget(parent), ctx_(std::move(context)), lang_(std::move(lang)) {
    pool_.setMaxThreadCount(1);
    if (ctx_.access) {
        try {
            scope_ = ctx_.access->scope(ctx_.me.id);
        } catch (const std::exception&) {
            crm::AccessScope none;  // rights that cannot be read grant nothing: no kind, no counterparty
            none.userId = ctx_.me.id;
            none.onlyCounterparty = 0;
            scope_ = none;
        }
    }
    auto* layout = new QVBoxLayout(this);
    find_ = new QLineEdit(this);
    find_->setPlaceholderText(lang_.pick("Find a company or person: name, tax id, phone, e-mail — Enter",
                                         "Найти компанию или контакт: название, ИНН, телефон, почта — Enter",
                                         "Znajdź firmę lub osobę: nazwa, NIP, telefon, e-mail — Enter"));
    layout->addWidget(find_);
    view_ = new QTextBrowser(this);
    view_->setOpenLinks(false);
    layout->addWidget(view_, 1);
    view_->setHtml(QStringLiteral("<p><i>%1</i></p>").arg(esc(lang_.pick("Choose a company or person in the catalogue, or find one above.",
                                                                           "Выберите компанию или контакт в каталоге или найдите выше.",
                                                                           "Wybierz firmę lub osobę w katalogu albo znajdź powyżej."))));
    connect(view_, &QTextBrowser::anchorClicked, this, guarded(this, "party card: link", [this](const QUrl& link) { follow(link); }));
    connect(find_, &QLineEdit::returnPressed, this, guarded(this, "party card: find", [this] { findAndShow(find_->text()); }));
}

PartyCard::~PartyCard() { pool_.waitForDone(); }

sdk::Date PartyCard::today() const {
    const QDate d = localToday(ctx_.clock ? ctx_.clock() : std::chrono::time_point_cast<sdk::TimePoint::duration>(std::chrono::system_clock::now()));
    return sdk::Date(std::chrono::year(d.year()) / static_cast<unsigned>(d.month()) / static_cast<unsigned>(d.day()));
}

void PartyCard::showParty(std::int64_t id) {
    id_ = id;
    load([this, id] { return read(id); });
}

// The search runs on the worker too: a slow database never holds the window.
void PartyCard::findAndShow(const QString& words) {
    const auto text = words.trimmed().toStdString();
    if (text.empty()) return;
    CatalogueFilter filter;
    filter.text = text;
    const auto nothing = lang_.pick("Nothing found for “%1”.", "По запросу «%1» ничего не найдено.", "Nic nie znaleziono dla „%1”.").arg(words);
    load([this, filter, nothing] { return firstFound(filter, nothing); });
}

std::string PartyCard::lastShownKey() const { return "crm.party.last." + std::to_string(ctx_.me.id); }

void PartyCard::showStart() {
    if (ctx_.settings)
        if (const auto last = ctx_.settings->get(lastShownKey()); last && std::atoll(last->c_str()) > 0)
            return showParty(std::atoll(last->c_str()));
    CatalogueFilter filter;
    filter.kind = PartyKind::Company;
    const auto nothing = lang_.pick("The catalogue has no company yet.", "В каталоге пока нет компаний.", "W katalogu nie ma jeszcze firm.");
    load([this, filter, nothing] { return firstFound(filter, nothing); });
}

void PartyCard::load(std::function<Outcome()> work) {
    const auto generation = ++generation_;
    pool_.start([this, work = std::move(work), generation] {
        auto outcome = work();
        // Queued to the card's thread; dropped by Qt if the card is gone by then.
        QMetaObject::invokeMethod(this, [this, generation, outcome = std::move(outcome)] { present(generation, outcome); }, Qt::QueuedConnection);
    });
}

QString PartyCard::errorText(const std::exception& error) const {
    if (const auto* e = dynamic_cast<const CatalogueError*>(&error)) return QString::fromStdString(describe(*e, crm::Locale::of(lang_.locale())));
    return lang_.pick("The card cannot be read now; try again in a moment.", "Карточка сейчас недоступна; повторите через минуту.",
                      "Karty nie można teraz odczytać; spróbuj za chwilę.");
}

PartyCard::Outcome PartyCard::firstFound(const CatalogueFilter& filter, const QString& nothing) const {
    Outcome out;
    try {
        auto first = filter;
        first.limit = 1;
        const auto page = ctx_.catalogue.find(ctx_.me.id, first);
        if (!page.rows.empty()) return read(page.rows.front().id);
        out.error = nothing;
    } catch (const std::exception& e) {
        out.error = errorText(e);
    }
    return out;
}

PartyCard::Outcome PartyCard::read(std::int64_t id) const {
    Outcome out;
    auto& c = ctx_.catalogue;
    const auto me = ctx_.me.id;
    try {
        out.data.party = c.get(me, id);
        if (!out.data.party) return out;
        const auto& p = *out.data.party;
        const bool company = p.kind == PartyKind::Company;
        for (const auto& job : company ? c.employmentsOfCompany(me, p.id) : c.employmentsOfPerson(me, p.id))
            if (const auto other = c.get(me, company ? job.personId : job.companyId)) out.data.members.push_back({job, other->displayName()});
        out.data.levels = c.hierarchyLevels();
        for (const auto& r : c.relationsOf(me, p.id)) {
            const bool fromSide = r.fromId == p.id;
            const auto otherId = fromSide ? r.toId : r.fromId;
            if (const auto other = c.get(me, otherId)) out.data.relations.push_back({r, fromSide, other->id, other->displayName()});
        }
        out.data.certifications = c.certificationsOf(me, p.id);
        if (company) out.data.status = c.partnerStatusOf(me, p.id, today());
        crm::FeedFilter filter;
        filter.subject = crm::SubjectRef{company ? crm::subject_types::company : crm::subject_types::person, p.id};
        filter.access = scope_;
        out.data.events = ctx_.store.feed(filter, std::nullopt, kEventsShown).events;
    } catch (const std::exception& e) {
        out.error = errorText(e);
    }
    return out;
}

void PartyCard::present(quint64 generation, const Outcome& outcome) {
    if (generation != generation_) return;  // another party was asked for since
    if (!outcome.error.isEmpty()) html_ = QStringLiteral("<p>%1</p>").arg(esc(outcome.error));
    else if (!outcome.data.party)
        html_ = QStringLiteral("<p>%1</p>").arg(esc(lang_.pick("No such company or person, or you may not see it.", "Такой компании или контакта нет, либо он вам недоступен.",
                                                               "Nie ma takiej firmy ani osoby albo nie możesz jej zobaczyć.")));
    else {
        id_ = outcome.data.party->id;  // an alias shows its survivor
        if (ctx_.settings) ctx_.settings->set(lastShownKey(), std::to_string(id_));
        html_ = partyCardHtml(outcome.data, ctx_.directory, lang_, today());
    }
    view_->setHtml(html_);
    emit rendered();
}

QDialog* PartyCard::edit(std::int64_t id) {
    // The editor reads the party, and with it its kind.
    auto* dialog = openPartyEditor({ctx_.catalogue, ctx_.me.id, ctx_.navigation}, lang_, crm::parties::PartyKind::Company, id, this);
    // What was saved shows at once; the card reads again when the editor closes.
    connect(dialog, &QObject::destroyed, this, [this, id] { if (id == id_) showParty(id); });
    return dialog;
}

void PartyCard::follow(const QUrl& link) {
    const auto target = link.toString();
    if (target.startsWith(QStringLiteral("party:"))) return showParty(target.mid(6).toLongLong());
    if (target.startsWith(QStringLiteral("edit:"))) {
        edit(target.mid(5).toLongLong());
        return;
    }
    if (target.startsWith(QStringLiteral("counterparty:")) && ctx_.navigation.openCounterparty)
        ctx_.navigation.openCounterparty(target.mid(13).toLongLong());
}

}  // namespace conduit::forms
