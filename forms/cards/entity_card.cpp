#include "cards/entity_card.hpp"

#include "common/event_look.hpp"
#include "dispatcher/search_picker.hpp"

#include <conduit/crm/access/access_control.hpp>

#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace conduit::forms {

namespace {

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString esc(const QString& s) { return s.toHtmlEscaped(); }

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool hasFiles(const crm::Event& e) {
    return std::any_of(e.attachments.begin(), e.attachments.end(), [](const auto& a) { return a.fileName != "body.txt"; });
}
bool hasAudio(const crm::Event& e) {
    return std::any_of(e.attachments.begin(), e.attachments.end(), [](const auto& a) { return startsWith(a.mediaType, "audio/"); });
}

QString statusName(const std::string& status, const Lang& l) {
    if (status == "enquiry") return l.pick("enquiry", "запрос", "zapytanie");
    if (status == "measured") return l.pick("measured", "замерен", "po pomiarze");
    if (status == "in_production") return l.pick("in production", "в производстве", "w produkcji");
    if (status == "installed") return l.pick("installed", "смонтирован", "zamontowany");
    if (status == "closed") return l.pick("closed", "закрыт", "zamknięty");
    return QString::fromStdString(status);
}

const char* kStyle = R"(<style>
body{font-family:"DejaVu Sans",sans-serif;font-size:13px;color:#202124}
h1{font-size:19px;margin:0 0 2px 0}
h2{font-size:14px;color:#3c4043;margin:14px 0 4px 0;border-bottom:1px solid #dadce0}
.sub{color:#5f6368}
td{padding:2px 10px 2px 0;vertical-align:top}
td.k{color:#5f6368}
.num{text-align:right}
.crit{color:#b00020;font-weight:bold}
.empty{color:#80868b}
.note{white-space:pre-wrap}
</style>)";

}  // namespace

CardData loadCardData(crm::EventStore& store, CardScope scope, sdk::Id id, const std::vector<sdk::Id>& projects, sdk::TimePoint now,
                      const std::optional<crm::AccessScope>& access) {
    CardData d;
    auto projectSummary = [&](sdk::Id project) {
        return access ? store.projectSummary(project, *access, now) : store.projectSummary(project, now);
    };
    if (scope == CardScope::Counterparty)
        d.summary = access ? store.counterpartySummary(id, *access, now) : store.counterpartySummary(id, now);
    else
        d.summary = projectSummary(id);
    crm::FeedFilter filter;
    filter.access = access;
    if (scope == CardScope::Counterparty) filter.counterparty = id;
    else filter.project = id;
    std::optional<crm::FeedCursor> after;
    auto keep = [](std::vector<crm::Event>& list, const crm::Event& e) {
        if (list.size() < kCardListMax) list.push_back(e);
    };
    while (d.scanned < kCardScan) {
        auto page = store.feed(filter, after, 200);
        for (const auto& e : page.events) {
            ++d.scanned;
            keep(d.recent, e);
            if (startsWith(e.kind, "payment.")) keep(d.payments, e);
            if (startsWith(e.kind, "note.")) keep(d.notes, e);
            if (scope == CardScope::Counterparty && e.projectId == 0) keep(d.withoutProject, e);
            if (e.dueAt && *e.dueAt >= now) d.upcoming.push_back(e);
            if (hasFiles(e)) keep(d.withFiles, e);
            if (hasAudio(e)) keep(d.calls, e);
        }
        if (!page.next) break;
        after = page.next;
    }
    std::sort(d.upcoming.begin(), d.upcoming.end(), [](const auto& a, const auto& b) { return *a.dueAt < *b.dueAt; });
    if (d.upcoming.size() > kCardListMax) d.upcoming.resize(kCardListMax);
    // The summary's next due date may be older than the scanned window: keep it on the list.
    if (d.summary.nextDue && std::none_of(d.upcoming.begin(), d.upcoming.end(), [&](const auto& e) { return e.id == d.summary.nextDue->id; }))
        d.upcoming.insert(d.upcoming.begin(), *d.summary.nextDue);
    for (std::size_t i = 0; i < projects.size() && i < kCardProjectsMax; ++i)
        d.projectSummaries.emplace_back(projects[i], projectSummary(projects[i]));
    return d;
}

QString renderEntityCard(const CardHead& head, const CardData& d, DirectoryCache& directory, const crm::EventKindRegistry& kinds,
                         const Lang& l, sdk::TimePoint now) {
    auto kindName = [&](const std::string& code) {
        auto k = kinds.find(code);
        return k ? QString::fromStdString(k->name(l.locale())) : QString::fromStdString(code);
    };
    auto projectLink = [&](sdk::Id id) -> QString {
        if (!id) return {};
        return QStringLiteral("<a href=\"crm:project/%1\">%2</a>").arg(id).arg(esc(directory.projectCode(id)));
    };
    auto counterpartyLink = [&](sdk::Id id) -> QString {
        if (!id) return {};
        return QStringLiteral("<a href=\"crm:counterparty/%1\">%2</a>").arg(id).arg(esc(directory.counterpartyName(id)));
    };
    auto section = [&](const QString& title) { return QStringLiteral("<h2>") + esc(title) + QStringLiteral("</h2>"); };
    auto empty = [&](const QString& text) { return QStringLiteral("<p class=\"empty\">") + esc(text) + QStringLiteral("</p>"); };
    const QString nothing = l.pick("Nothing yet.", "Пока ничего.", "Na razie nic.");
    // One table row per event: time, kind, title (+ project link on the counterparty card).
    auto eventRows = [&](const std::vector<crm::Event>& list, bool withAmount, bool withDue) {
        QString t = QStringLiteral("<table>");
        for (const auto& e : list) {
            t += QStringLiteral("<tr><td>") + esc(withDue && e.dueAt ? formatTime(*e.dueAt) : formatTime(e.occurredAt)) + QStringLiteral("</td>");
            if (withAmount) t += QStringLiteral("<td class=\"num\"><b>") + (e.amount ? esc(formatMoney(*e.amount, l)) : QString()) + QStringLiteral("</b></td>");
            t += QStringLiteral("<td class=\"sub\">") + esc(kindName(e.kind)) + QStringLiteral("</td>");
            if (head.scope == CardScope::Counterparty) t += QStringLiteral("<td>") + projectLink(e.projectId) + QStringLiteral("</td>");
            const bool important = e.importance >= crm::Importance::High;
            t += QStringLiteral("<td") + (important ? QStringLiteral(" class=\"crit\"") : QString()) + QStringLiteral(">") + esc(eventTitle(e)) +
                 QStringLiteral("</td></tr>");
        }
        return t + QStringLiteral("</table>");
    };

    QString h = QStringLiteral("<html><head><meta charset=\"utf-8\">") + QString::fromUtf8(kStyle) + QStringLiteral("</head><body>");
    // Head.
    if (head.scope == CardScope::Counterparty) {
        const auto& c = *head.counterparty;
        h += QStringLiteral("<h1>") + esc(c.name) + QStringLiteral("</h1><div class=\"sub\">") +
             esc(c.kind == sdk::CounterpartyKind::Company ? l.pick("Company", "Организация", "Firma") : l.pick("Person", "Частное лицо", "Osoba prywatna"));
        if (!c.city.empty()) h += QStringLiteral(" · ") + esc(c.city);
        if (!c.taxId.empty()) h += QStringLiteral(" · ") + esc(l.pick("Tax id ", "ИНН ", "NIP ")) + esc(c.taxId);
        h += QStringLiteral("</div><table>");
        auto fact = [&](const QString& k, const QString& v) {
            if (!v.isEmpty()) h += QStringLiteral("<tr><td class=\"k\">") + esc(k) + QStringLiteral("</td><td>") + v + QStringLiteral("</td></tr>");
        };
        fact(l.pick("Address", "Адрес", "Adres"), esc(c.address));
        QString contact = esc(c.contactName);
        for (const auto* part : {&c.contactPhone, &c.contactEmail})
            if (!part->empty()) contact += (contact.isEmpty() ? QString() : QStringLiteral(" · ")) + esc(*part);
        fact(l.pick("Contact", "Контакт", "Kontakt"), contact);
        fact(l.pick("Writes in", "Язык переписки", "Język korespondencji"), esc(c.language));
        h += QStringLiteral("</table>");
    } else {
        const auto& p = *head.project;
        h += QStringLiteral("<h1>") + esc(p.code) + QStringLiteral(" · ") + esc(p.name) + QStringLiteral("</h1><table>");
        auto fact = [&](const QString& k, const QString& v) {
            if (!v.isEmpty()) h += QStringLiteral("<tr><td class=\"k\">") + esc(k) + QStringLiteral("</td><td>") + v + QStringLiteral("</td></tr>");
        };
        fact(l.pick("Customer", "Заказчик", "Klient"), counterpartyLink(p.counterpartyId));
        fact(l.pick("Status", "Статус", "Status"), esc(statusName(p.status, l)));
        fact(l.pick("Address", "Адрес", "Adres"), esc(p.address));
        fact(l.pick("Manager", "Менеджер", "Kierownik"), esc(head.managerName));
        fact(l.pick("Measurer", "Замерщик", "Pomiarowiec"), esc(head.measurerName));
        h += QStringLiteral("</table>");
    }

    // At a glance.
    const auto& s = d.summary;
    h += section(l.pick("At a glance", "Коротко", "W skrócie")) + QStringLiteral("<table>");
    auto glance = [&](const QString& k, const QString& v) {
        h += QStringLiteral("<tr><td class=\"k\">") + esc(k) + QStringLiteral("</td><td>") + v + QStringLiteral("</td></tr>");
    };
    glance(l.pick("Events", "Событий", "Zdarzeń"), QString::number(s.total) +
                                                        (s.lastEventAt ? esc(l.pick(", last ", ", последнее ", ", ostatnie ") + formatTime(*s.lastEventAt)) : QString()));
    if (s.lastPayment)
        glance(l.pick("Last payment", "Последний платёж", "Ostatnia płatność"),
               QStringLiteral("<b>") + esc(formatMoney(*s.lastPayment->amount, l)) + QStringLiteral("</b> ") + esc(formatTime(s.lastPayment->occurredAt)));
    if (s.nextDue)
        glance(l.pick("Next due", "Ближайший срок", "Najbliższy termin"),
               esc(formatTime(*s.nextDue->dueAt)) + QStringLiteral(" — ") + esc(s.nextDue->title));
    glance(l.pick("Needs attention", "Требует внимания", "Wymaga uwagi"),
           s.openIssues ? QStringLiteral("<span class=\"crit\">%1</span>").arg(s.openIssues) : QStringLiteral("0"));
    h += QStringLiteral("</table>");

    if (head.scope == CardScope::Counterparty) {
        h += section(l.pick("Projects and orders", "Проекты и заказы", "Projekty i zamówienia"));
        if (head.projects.empty()) h += empty(nothing);
        else {
            h += QStringLiteral("<table><tr class=\"sub\"><td>") + esc(l.pick("Project", "Проект", "Projekt")) + QStringLiteral("</td><td>") +
                 esc(l.pick("Status", "Статус", "Status")) + QStringLiteral("</td><td>") + esc(l.pick("Last event", "Последнее событие", "Ostatnie zdarzenie")) +
                 QStringLiteral("</td><td>") + esc(l.pick("Next due", "Ближайший срок", "Najbliższy termin")) + QStringLiteral("</td><td class=\"num\">") +
                 esc(l.pick("Events", "Событий", "Zdarzeń")) + QStringLiteral("</td></tr>");
            for (const auto& p : head.projects) {
                const crm::Summary* ps = nullptr;
                for (const auto& [pid, sum] : d.projectSummaries)
                    if (pid == p.id) ps = &sum;
                h += QStringLiteral("<tr><td>") + projectLink(p.id) + QStringLiteral(" ") + esc(p.name) + QStringLiteral("</td><td>") +
                     esc(statusName(p.status, l)) + QStringLiteral("</td><td>") +
                     (ps && ps->lastEventAt ? esc(formatTime(*ps->lastEventAt)) : QString()) + QStringLiteral("</td><td>") +
                     (ps && ps->nextDue ? esc(formatTime(*ps->nextDue->dueAt)) : QString()) + QStringLiteral("</td><td class=\"num\">") +
                     (ps ? QString::number(ps->total) : QString()) + QStringLiteral("</td></tr>");
            }
            h += QStringLiteral("</table>");
        }
    }

    h += section(l.pick("Payments", "Платежи", "Płatności"));
    h += d.payments.empty() ? empty(nothing) : eventRows(d.payments, true, false);
    h += section(l.pick("Upcoming due dates", "Ближайшие сроки", "Nadchodzące terminy"));
    h += d.upcoming.empty() ? empty(l.pick("Nothing is due.", "Сроков нет.", "Brak terminów.")) : eventRows(d.upcoming, false, true);

    h += section(l.pick("Notes", "Заметки", "Notatki"));
    if (d.notes.empty()) h += empty(nothing);
    else {
        h += QStringLiteral("<table>");
        for (const auto& e : d.notes) {
            h += QStringLiteral("<tr><td>") + esc(formatTime(e.occurredAt)) + QStringLiteral("<br><span class=\"sub\">") +
                 esc(directory.userName(e.authorId)) + QStringLiteral("</span></td>");
            if (head.scope == CardScope::Counterparty) h += QStringLiteral("<td>") + projectLink(e.projectId) + QStringLiteral("</td>");
            // Notes keep their line breaks: escaped text, then <br> (QTextBrowser ignores pre-wrap in cells).
            QString text = esc(e.body.empty() ? eventTitle(e) : eventBody(e));
            text.replace(QStringLiteral("\n"), QStringLiteral("<br>"));
            h += QStringLiteral("<td class=\"note\">") + text + QStringLiteral("</td></tr>");
        }
        h += QStringLiteral("</table>");
    }

    if (head.scope == CardScope::Counterparty) {
        h += section(l.pick("Events tied to no project", "События без проекта", "Zdarzenia bez projektu"));
        h += d.withoutProject.empty() ? empty(nothing) : eventRows(d.withoutProject, false, false);
    }
    // No call source exists yet: the section appears only when events carry recordings.
    if (!d.calls.empty()) {
        h += section(l.pick("Calls with recordings", "Звонки с записями", "Rozmowy z nagraniami")) + QStringLiteral("<table>");
        for (const auto& e : d.calls)
            for (const auto& a : e.attachments)
                if (startsWith(a.mediaType, "audio/"))
                    h += QStringLiteral("<tr><td>") + esc(formatTime(e.occurredAt)) + QStringLiteral("</td><td>") + esc(eventTitle(e)) +
                         QStringLiteral("</td><td>") + esc(a.fileName) + QStringLiteral(" <span class=\"sub\">") + esc(formatSize(a.size)) +
                         QStringLiteral("</span></td></tr>");
        h += QStringLiteral("</table>");
    }
    h += section(l.pick("Attachments", "Вложения", "Załączniki"));
    if (d.withFiles.empty()) h += empty(nothing);
    else {
        h += QStringLiteral("<table>");
        for (const auto& e : d.withFiles)
            for (const auto& a : e.attachments) {
                if (a.fileName == "body.txt") continue;
                h += QStringLiteral("<tr><td>") + esc(formatTime(e.occurredAt)) + QStringLiteral("</td><td><b>") + esc(a.fileName) +
                     QStringLiteral("</b> <span class=\"sub\">") + esc(QString::fromStdString(a.mediaType) + QStringLiteral(" · ") + formatSize(a.size)) +
                     QStringLiteral("</span></td><td>") + esc(eventTitle(e)) + QStringLiteral("</td></tr>");
            }
        h += QStringLiteral("</table>");
    }
    h += section(l.pick("Latest events", "Последние события", "Ostatnie zdarzenia"));
    h += d.recent.empty() ? empty(nothing) : eventRows(d.recent, false, false);
    if (d.scanned >= kCardScan)
        h += QStringLiteral("<p class=\"sub\">") +
             esc(l.pick("Lists show the newest %1 events; the full history is in the feed filtered by this card.",
                        "Списки построены по %1 последним событиям; вся история — в ленте с фильтром по этой карточке.",
                        "Listy obejmują %1 najnowszych zdarzeń; pełna historia jest w filtrze zdarzeń.")
                     .arg(kCardScan)) +
             QStringLiteral("</p>");
    (void)now;
    h += QStringLiteral("</body></html>");
    return h;
}

EntityCard::EntityCard(CardScope scope, crm::EventStore& store, DirectoryCache& directory, Lang lang, sdk::User currentUser,
                       Navigation navigation, crm::UserEvents* userEvents, PreviewRecipients preview, QWidget* parent)
    : QWidget(parent), scope_(scope), store_(store), directory_(directory), lang_(std::move(lang)), me_(std::move(currentUser)),
      navigation_(std::move(navigation)), userEvents_(userEvents), preview_(std::move(preview)) {
    pool_.setMaxThreadCount(1);
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    layout->addLayout(bar);
    const bool cp = scope_ == CardScope::Counterparty;
    bar->addWidget(new QLabel(cp ? lang_.pick("Counterparty", "Контрагент", "Kontrahent") : lang_.pick("Project", "Проект", "Projekt"), this));
    picker_ = new SearchPicker(lang_.pick("— choose —", "— выберите —", "— wybierz —"), this);
    picker_->setObjectName(QStringLiteral("cardPicker"));
    std::vector<std::pair<sdk::Id, QString>> entries;
    if (cp)
        for (const auto& c : directory_.counterparties())
            entries.emplace_back(c.id, QString::fromStdString(c.name) + (c.city.empty() ? QString() : QStringLiteral(" · ") + QString::fromStdString(c.city)));
    else
        for (const auto& p : directory_.projects())
            entries.emplace_back(p.id, QString::fromStdString(p.code) + QStringLiteral(" · ") + QString::fromStdString(p.name));
    picker_->setEntries(entries);
    bar->addWidget(picker_, 1);
    connect(picker_, &SearchPicker::selectionChanged, this, [this] {
        if (auto id = picker_->selectedId(); id && *id != id_) showEntity(*id);
    });
    if (userEvents_) {
        auto add = [&](EntryKind kind, const QString& text) {
            auto* b = new QPushButton(text, this);
            b->setObjectName(QString::fromLatin1(entryKindCode(kind)));
            entryButtons_.emplace_back(kind, b);
            connect(b, &QPushButton::clicked, this, [this, kind] { openEntry(kind); });
            bar->addWidget(b);
        };
        add(EntryKind::Payment, lang_.pick("Payment…", "Платёж…", "Płatność…"));
        add(EntryKind::CustomerNote, lang_.pick("Note…", "Заметка…", "Notatka…"));
        if (!cp) add(EntryKind::Measurement, lang_.pick("Measurement…", "Замер…", "Pomiar…"));
    }
    view_ = new QTextBrowser(this);
    view_->setObjectName(QStringLiteral("cardView"));
    view_->setOpenLinks(false);
    view_->setOpenExternalLinks(false);
    layout->addWidget(view_, 1);
    connect(view_, &QTextBrowser::anchorClicked, this, &EntityCard::followLink);
    view_->setHtml(QStringLiteral("<p>") + esc(cp ? lang_.pick("Choose a counterparty.", "Выберите контрагента.", "Wybierz kontrahenta.")
                                                   : lang_.pick("Choose a project.", "Выберите проект.", "Wybierz projekt.")) +
                   QStringLiteral("</p>"));
}

EntityCard::~EntityCard() {
    pool_.clear();
    pool_.waitForDone();
}

void EntityCard::followLink(const QUrl& url) {
    if (url.scheme() != QLatin1String("crm")) return;  // nothing else is ever opened
    const QStringList parts = url.path().split(QChar('/'));
    if (parts.size() != 2) return;
    bool ok = false;
    const sdk::Id id = parts[1].toLongLong(&ok);
    if (!ok || id <= 0) return;
    const bool toCounterparty = parts[0] == QLatin1String("counterparty");
    const bool toProject = parts[0] == QLatin1String("project");
    if ((toCounterparty && scope_ == CardScope::Counterparty) || (toProject && scope_ == CardScope::Project)) showEntity(id);
    else if (toCounterparty && navigation_.openCounterparty) navigation_.openCounterparty(id);
    else if (toProject && navigation_.openProject) navigation_.openProject(id);
}

void EntityCard::setAccessControl(crm::AccessControl* access) {
    accessControl_ = access;
    access_.reset();
    if (access) access_ = access->scope(me_.id);
    for (auto& [kind, button] : entryButtons_)
        button->setVisible(!access || access->mayCreate(me_.id, entryKindCode(kind), 0));
    reload();
}

QPushButton* EntityCard::entryButton(EntryKind kind) const {
    for (const auto& [k, button] : entryButtons_)
        if (k == kind && !button->isHidden()) return button;
    return nullptr;
}

QDialog* EntityCard::openEntry(EntryKind kind) {
    if (!userEvents_) return nullptr;
    if (accessControl_ && !accessControl_->mayCreate(me_.id, entryKindCode(kind), 0)) return nullptr;
    EntryPreset preset;
    if (scope_ == CardScope::Counterparty) preset.counterparty = id_;
    else {
        preset.project = id_;
        if (auto p = directory_.project(id_)) preset.counterparty = p->counterpartyId;
    }
    auto* dialog = openEntryDialog(kind, EntryContext{*userEvents_, directory_, lang_, me_, preview_, clock_}, preset, this);
    connect(dialog, &QDialog::accepted, this, [this] {
        // The writer commits within its batch interval (20 ms by default): reload a little later
        // rather than block the window waiting for it.
        QTimer::singleShot(400, this, &EntityCard::reload);
    });
    return dialog;
}

void EntityCard::showEntity(sdk::Id id) {
    id_ = id;
    {
        const QSignalBlocker block(picker_);
        picker_->setSelectedId(id);
    }
    reload();
}

void EntityCard::reload() {
    if (!id_) return;
    CardHead head;
    head.scope = scope_;
    head.id = id_;
    std::vector<sdk::Id> projectIds;
    if (scope_ == CardScope::Counterparty) {
        head.counterparty = directory_.counterparty(id_);
        for (const auto& p : directory_.projects())
            if (p.counterpartyId == id_) {
                head.projects.push_back(p);
                projectIds.push_back(p.id);
            }
    } else {
        head.project = directory_.project(id_);
        if (head.project) {
            head.counterparty = directory_.counterparty(head.project->counterpartyId);
            head.managerName = directory_.userName(head.project->managerUserId);
            head.measurerName = directory_.userName(head.project->measurerUserId);
        }
    }
    const quint64 request = ++request_;
    if ((scope_ == CardScope::Counterparty && !head.counterparty) || (scope_ == CardScope::Project && !head.project)) {
        apply(request, head, std::nullopt, lang_.pick("Not in the directory: #", "Нет в справочнике: #", "Brak w katalogu: #") + QString::number(id_));
        return;
    }
    pool_.clear();
    pool_.start([this, request, head, projectIds, access = access_, now = now()] {
        std::optional<CardData> data;
        QString error;
        try {
            data = loadCardData(store_, scope_, head.id, projectIds, now, access);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, request, head, d = std::move(data), error]() mutable { apply(request, std::move(head), std::move(d), error); },
            Qt::QueuedConnection);
    });
}

void EntityCard::apply(quint64 request, CardHead head, std::optional<CardData> data, QString error) {
    if (request != request_) return;
    if (!data) html_ = QStringLiteral("<p>") + esc(error) + QStringLiteral("</p>");
    else html_ = renderEntityCard(head, *data, directory_, store_.kinds(), lang_, now());
    view_->setHtml(html_);
    emit rendered(head.id);
}

}  // namespace conduit::forms
