#include "cards/entity_card.hpp"

#include "common/event_look.hpp"
#include "common/exception_barrier.hpp"
#include "common/party_picker.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/entries/user_events.hpp>
#include <conduit/crm/notify/preferences.hpp>

#include <algorithm>

#include <QDesktopServices>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>


namespace conduit::forms {

namespace {

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString esc(const QString& s) { return s.toHtmlEscaped(); }

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

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

namespace {

// The card's HTML, section by section; every text that came from a user or the host is escaped.
class CardHtml {
public:
    CardHtml(const CardHead& head, const CardData& data, DirectoryCache& directory, const crm::EventKindRegistry& kinds, const Lang& lang)
        : head_(head), d_(data), directory_(directory), kinds_(kinds), l_(lang),
          nothing_(lang.pick("Nothing yet.", "Пока ничего.", "Na razie nic.")) {}

    QString render() {
        h_ = QStringLiteral("<html><head><meta charset=\"utf-8\">") + QString::fromUtf8(kStyle) + QStringLiteral("</head><body>");
        if (counterpartyCard()) addCounterpartyHead();
        else addProjectHead();
        addGlance();
        if (counterpartyCard()) addProjects();
        addPayments();
        addUpcoming();
        addNotes();
        if (counterpartyCard()) addWithoutProject();
        addCalls();
        addAttachments();
        addLatest();
        h_ += QStringLiteral("</body></html>");
        return h_;
    }

private:
    bool counterpartyCard() const { return head_.scope == CardScope::Counterparty; }

    QString kindName(const std::string& code) const {
        auto k = kinds_.find(code);
        return k ? QString::fromStdString(k->name(l_.locale())) : QString::fromStdString(code);
    }
    QString projectLink(sdk::Id id) const {
        if (!id) return {};
        return QStringLiteral("<a href=\"crm:project/%1\">%2</a>").arg(id).arg(esc(directory_.projectCode(id)));
    }
    QString counterpartyLink(sdk::Id id) const {
        if (!id) return {};
        return QStringLiteral("<a href=\"crm:counterparty/%1\">%2</a>").arg(id).arg(esc(directory_.counterpartyName(id)));
    }
    // "Open" and "Save as…" for one attachment: crm:open/EVENT/N and crm:save/EVENT/N.
    QString fileLinks(const crm::Event& e, const crm::Attachment& a) const {
        const auto n = std::find(e.attachments.begin(), e.attachments.end(), a) - e.attachments.begin();
        auto link = [&](const char* action, const QString& text) {
            return QStringLiteral("<a href=\"crm:%1/%2/%3\">%4</a>").arg(QLatin1String(action)).arg(e.id).arg(n).arg(esc(text));
        };
        return link("open", l_.pick("Open", "Открыть", "Otwórz")) + QStringLiteral(" · ") +
               link("save", l_.pick("Save as…", "Сохранить как…", "Zapisz jako…"));
    }
    void addSection(const QString& title) { h_ += QStringLiteral("<h2>") + esc(title) + QStringLiteral("</h2>"); }
    void addEmpty(const QString& text) { h_ += QStringLiteral("<p class=\"empty\">") + esc(text) + QStringLiteral("</p>"); }
    // A key/value row, left out when the value is empty.
    void addFact(const QString& key, const QString& valueHtml) {
        if (!valueHtml.isEmpty()) addRow(key, valueHtml);
    }
    void addRow(const QString& key, const QString& valueHtml) {
        h_ += QStringLiteral("<tr><td class=\"k\">") + esc(key) + QStringLiteral("</td><td>") + valueHtml + QStringLiteral("</td></tr>");
    }
    // One table row per event: time, kind, title (+ project link on the counterparty card).
    QString eventRows(const std::vector<crm::Event>& list, bool withAmount, bool withDue) const {
        QString t = QStringLiteral("<table>");
        for (const auto& e : list) {
            t += QStringLiteral("<tr><td>") + esc(withDue && e.dueAt ? formatDue(e) : formatWhen(e)) + QStringLiteral("</td>");
            if (withAmount) t += QStringLiteral("<td class=\"num\"><b>") + esc(formatAmount(e, l_)) + QStringLiteral("</b></td>");
            t += QStringLiteral("<td class=\"sub\">") + esc(kindName(e.kind)) + QStringLiteral("</td>");
            if (counterpartyCard()) t += QStringLiteral("<td>") + projectLink(e.projectId) + QStringLiteral("</td>");
            // A demand already paid needs no attention: not red (the summary does not count it either).
            const bool important = e.importance >= crm::Importance::High && !d_.isSettled(e.id);
            t += QStringLiteral("<td") + (important ? QStringLiteral(" class=\"crit\"") : QString()) + QStringLiteral(">") + esc(eventTitle(e)) +
                 QStringLiteral("</td></tr>");
        }
        return t + QStringLiteral("</table>");
    }
    void addEventList(const QString& title, const std::vector<crm::Event>& list, const QString& whenEmpty, bool withAmount = false,
                      bool withDue = false) {
        addSection(title);
        if (list.empty()) addEmpty(whenEmpty);
        else h_ += eventRows(list, withAmount, withDue);
    }

    void addCounterpartyHead() {
        const auto& c = *head_.counterparty;
        h_ += QStringLiteral("<h1>") + esc(c.name) + QStringLiteral("</h1><div class=\"sub\">") +
              esc(c.kind == sdk::CounterpartyKind::Company ? l_.pick("Company", "Организация", "Firma")
                                                           : l_.pick("Person", "Частное лицо", "Osoba prywatna"));
        if (!c.city.empty()) h_ += QStringLiteral(" · ") + esc(c.city);
        if (!c.taxId.empty()) h_ += QStringLiteral(" · ") + esc(l_.pick("Tax id ", "ИНН ", "NIP ")) + esc(c.taxId);
        h_ += QStringLiteral("</div><table>");
        addFact(l_.pick("Address", "Адрес", "Adres"), esc(c.address));
        QString contact = esc(c.contactName);
        for (const auto* part : {&c.contactPhone, &c.contactEmail})
            if (!part->empty()) contact += (contact.isEmpty() ? QString() : QStringLiteral(" · ")) + esc(*part);
        addFact(l_.pick("Contact", "Контакт", "Kontakt"), contact);
        addFact(l_.pick("Writes in", "Язык переписки", "Język korespondencji"), esc(languageName(c.language, l_)));
        h_ += QStringLiteral("</table>");
    }

    void addProjectHead() {
        const auto& p = *head_.project;
        h_ += QStringLiteral("<h1>") + esc(p.code) + QStringLiteral(" · ") + esc(p.name) + QStringLiteral("</h1><table>");
        addFact(l_.pick("Customer", "Заказчик", "Klient"), counterpartyLink(p.counterpartyId));
        addFact(l_.pick("Status", "Статус", "Status"), esc(statusName(p.status, l_)));
        addFact(l_.pick("Address", "Адрес", "Adres"), esc(p.address));
        addFact(l_.pick("Manager", "Менеджер", "Kierownik"), esc(head_.managerName));
        addFact(l_.pick("Measurer", "Замерщик", "Pomiarowiec"), esc(head_.measurerName));
        h_ += QStringLiteral("</table>");
    }

    void addGlance() {
        const auto& s = d_.summary;
        addSection(l_.pick("At a glance", "Коротко", "W skrócie"));
        h_ += QStringLiteral("<table>");
        addRow(l_.pick("Events", "Событий", "Zdarzeń"),
               QString::number(s.total) +
                   (s.lastEventAt ? esc(l_.pick(", last ", ", последнее ", ", ostatnie ") + formatTime(*s.lastEventAt)) : QString()));
        if (s.lastPayment) {
            // Without the right to payment details the amount is empty: the date and who paid only.
            const QString amount = formatAmount(*s.lastPayment, l_);
            addRow(l_.pick("Last payment", "Последний платёж", "Ostatnia płatność"),
                   (amount.isEmpty() ? QString() : QStringLiteral("<b>") + esc(amount) + QStringLiteral("</b> ")) +
                       esc(formatWhen(*s.lastPayment)) + (amount.isEmpty() ? QStringLiteral(" — ") + esc(eventTitle(*s.lastPayment)) : QString()));
        }
        if (s.nextDue)
            addRow(l_.pick("Next due", "Ближайший срок", "Najbliższy termin"),
                   esc(formatDue(*s.nextDue)) + QStringLiteral(" — ") + esc(eventTitle(*s.nextDue)));
        addRow(l_.pick("Needs attention", "Требует внимания", "Wymaga uwagi"),
               s.openIssues ? QStringLiteral("<span class=\"crit\">%1</span>").arg(s.openIssues) : QStringLiteral("0"));
        h_ += QStringLiteral("</table>");
    }

    const crm::Summary* summaryOf(sdk::Id project) const {
        const crm::Summary* found = nullptr;
        for (const auto& [pid, sum] : d_.projectSummaries)
            if (pid == project) found = &sum;
        return found;
    }

    void addProjects() {
        addSection(l_.pick("Projects and orders", "Проекты и заказы", "Projekty i zamówienia"));
        if (head_.projects.empty()) return addEmpty(nothing_);
        h_ += QStringLiteral("<table><tr class=\"sub\"><td>") + esc(l_.pick("Project", "Проект", "Projekt")) + QStringLiteral("</td><td>") +
              esc(l_.pick("Status", "Статус", "Status")) + QStringLiteral("</td><td>") +
              esc(l_.pick("Last event", "Последнее событие", "Ostatnie zdarzenie")) + QStringLiteral("</td><td>") +
              esc(l_.pick("Next due", "Ближайший срок", "Najbliższy termin")) + QStringLiteral("</td><td class=\"num\">") +
              esc(l_.pick("Events", "Событий", "Zdarzeń")) + QStringLiteral("</td></tr>");
        for (const auto& p : head_.projects) {
            const crm::Summary* ps = summaryOf(p.id);
            h_ += QStringLiteral("<tr><td>") + projectLink(p.id) + QStringLiteral(" ") + esc(p.name) + QStringLiteral("</td><td>") +
                  esc(statusName(p.status, l_)) + QStringLiteral("</td><td>") +
                  (ps && ps->lastEventAt ? esc(formatTime(*ps->lastEventAt)) : QString()) + QStringLiteral("</td><td>") +
                  (ps && ps->nextDue ? esc(formatDue(*ps->nextDue)) : QString()) + QStringLiteral("</td><td class=\"num\">") +
                  (ps ? QString::number(ps->total) : QString()) + QStringLiteral("</td></tr>");
        }
        h_ += QStringLiteral("</table>");
    }

    void addPayments() { addEventList(l_.pick("Payments", "Платежи", "Płatności"), d_.payments, nothing_, true); }

    void addUpcoming() {
        addEventList(l_.pick("Upcoming due dates", "Ближайшие сроки", "Nadchodzące terminy"), d_.upcoming,
                     l_.pick("Nothing is due.", "Сроков нет.", "Brak terminów."), false, true);
    }

    void addNotes() {
        addSection(l_.pick("Notes", "Заметки", "Notatki"));
        if (d_.notes.empty()) return addEmpty(nothing_);
        h_ += QStringLiteral("<table>");
        for (const auto& e : d_.notes) {
            h_ += QStringLiteral("<tr><td>") + esc(formatWhen(e)) + QStringLiteral("<br><span class=\"sub\">") +
                  esc(directory_.userName(e.authorId)) + QStringLiteral("</span></td>");
            if (counterpartyCard()) h_ += QStringLiteral("<td>") + projectLink(e.projectId) + QStringLiteral("</td>");
            // Notes keep their line breaks: escaped text, then <br> (QTextBrowser ignores pre-wrap in cells).
            QString text = esc(e.body.empty() ? eventTitle(e) : eventBody(e));
            text.replace(QStringLiteral("\n"), QStringLiteral("<br>"));
            h_ += QStringLiteral("<td class=\"note\">") + text + QStringLiteral("</td></tr>");
        }
        h_ += QStringLiteral("</table>");
    }

    void addWithoutProject() {
        addEventList(l_.pick("Events tied to no project", "События без проекта", "Zdarzenia bez projektu"), d_.withoutProject, nothing_);
    }

    // No call source exists yet: the section appears only when events carry recordings.
    void addCalls() {
        if (d_.calls.empty()) return;
        addSection(l_.pick("Calls with recordings", "Звонки с записями", "Rozmowy z nagraniami"));
        h_ += QStringLiteral("<table>");
        for (const auto& e : d_.calls)
            for (const auto& a : e.attachments)
                if (startsWith(a.mediaType, "audio/"))
                    h_ += QStringLiteral("<tr><td>") + esc(formatWhen(e)) + QStringLiteral("</td><td>") + esc(eventTitle(e)) +
                          QStringLiteral("</td><td>") + esc(a.fileName) + QStringLiteral(" <span class=\"sub\">") + esc(formatSize(a.size)) +
                          QStringLiteral("</span> ") + fileLinks(e, a) + QStringLiteral("</td></tr>");
        h_ += QStringLiteral("</table>");
    }

    void addAttachments() {
        addSection(l_.pick("Attachments", "Вложения", "Załączniki"));
        if (d_.withFiles.empty()) return addEmpty(nothing_);
        h_ += QStringLiteral("<table>");
        for (const auto& e : d_.withFiles)
            for (const auto& a : e.attachments) {
                if (a.fileName == "body.txt") continue;
                h_ += QStringLiteral("<tr><td>") + esc(formatWhen(e)) + QStringLiteral("</td><td><b>") + esc(a.fileName) +
                      QStringLiteral("</b> <span class=\"sub\">") +
                      esc(QString::fromStdString(a.mediaType) + QStringLiteral(" · ") + formatSize(a.size)) +
                      QStringLiteral("</span> ") + fileLinks(e, a) + QStringLiteral("</td><td>") + esc(eventTitle(e)) +
                      QStringLiteral("</td></tr>");
            }
        h_ += QStringLiteral("</table>");
    }

    void addLatest() {
        addEventList(l_.pick("Latest events", "Последние события", "Ostatnie zdarzenia"), d_.recent, nothing_);
        if (d_.scanned < kCardScan) return;
        h_ += QStringLiteral("<p class=\"sub\">") +
              esc(l_.pick("Lists show the newest %1 events; the full history is in the feed filtered by this card.",
                          "Списки построены по %1 последним событиям; вся история — в ленте с фильтром по этой карточке.",
                          "Listy obejmują %1 najnowszych zdarzeń; pełna historia jest w filtrze zdarzeń.")
                      .arg(kCardScan)) +
              QStringLiteral("</p>");
    }

    const CardHead& head_;
    const CardData& d_;
    DirectoryCache& directory_;
    const crm::EventKindRegistry& kinds_;
    const Lang& l_;
    const QString nothing_;
    QString h_;
};

}  // namespace

QString renderEntityCard(const CardHead& head, const CardData& d, DirectoryCache& directory, const crm::EventKindRegistry& kinds,
                         const Lang& l, sdk::TimePoint) {
    return CardHtml(head, d, directory, kinds, l).render();
}

EntityCard::EntityCard(CardScope scope, crm::EventStore& store, DirectoryCache& directory, Lang lang, sdk::User currentUser,
                       Navigation navigation, crm::UserEvents* userEvents, PreviewRecipients preview, QWidget* parent)
    : QWidget(parent), scope_(scope), store_(store), directory_(directory), lang_(std::move(lang)), me_(std::move(currentUser)),
      navigation_(std::move(navigation)), userEvents_(userEvents), preview_(std::move(preview)) {
    pool_.setMaxThreadCount(1);
    files_.setMaxThreadCount(1);
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    layout->addLayout(bar);
    bar_ = bar;
    createPicker(bar);
    if (userEvents_) createEntryButtons(bar);
    createView(layout);
}

void EntityCard::setMailPreferences(crm::notify::MailPreferences* preferences) {
    preferences_ = preferences;
    if (!preferences_ || followButton_) return;
    followButton_ = new QPushButton(lang_.pick("Follow", "Следить", "Obserwuj"), this);
    followButton_->setObjectName(QStringLiteral("follow"));
    followButton_->setCheckable(true);
    followButton_->setToolTip(lang_.pick("Get mail about this in your morning digest; unticked: no mail about it unless it is urgent",
                                         "Получать письма об этом в утренней сводке; без галочки — только срочное",
                                         "Otrzymuj wiadomości o tym w porannym podsumowaniu; bez zaznaczenia — tylko pilne"));
    connect(followButton_, &QPushButton::clicked, this, guarded(this, "card follow", [this](bool on) { setFollowing(on); }));
    bar_->addWidget(followButton_);
    showFollowing();
}

crm::SubjectRef EntityCard::subject() const {
    return scope_ == CardScope::Counterparty ? crm::counterpartySubject(id_) : crm::projectSubject(id_);
}

void EntityCard::showFollowing() {
    if (!followButton_) return;
    followButton_->setEnabled(id_ > 0 && me_.id > 0);
    std::optional<bool> following;
    if (id_ > 0 && me_.id > 0) {
        try {
            following = preferences_->following(me_.id, subject());
        } catch (const std::exception&) {
            followButton_->setEnabled(false);  // unknown: offered again when the card reloads
        }
    }
    const QSignalBlocker block(followButton_);
    followButton_->setChecked(following.value_or(false));
}

// The change is an event the writer commits a moment later: the button keeps what was clicked
// rather than reading the follows back before that.
void EntityCard::setFollowing(bool following) {
    try {
        preferences_->follow(me_.id, me_.id, subject(), following);
        fileStatus_->setText(following ? lang_.pick("You follow it: its news comes in your morning digest.",
                                                    "Вы следите: новости придут в утренней сводке.",
                                                    "Obserwujesz: wiadomości przyjdą w porannym podsumowaniu.")
                                       : lang_.pick("You no longer follow it: only urgent mail about it reaches you.",
                                                    "Вы больше не следите: придут только срочные письма.",
                                                    "Nie obserwujesz: dostaniesz tylko pilne wiadomości."));
    } catch (const crm::notify::PreferenceError& e) {
        fileStatus_->setText(QString::fromStdString(crm::notify::describe(e, crm::Locale::of(lang_.locale()))));
        const QSignalBlocker block(followButton_);
        followButton_->setChecked(!following);
    } catch (const std::exception&) {
        fileStatus_->setText(lang_.pick("Could not be saved; try again.", "Не удалось сохранить; попробуйте ещё раз.",
                                        "Nie udało się zapisać; spróbuj ponownie."));
        const QSignalBlocker block(followButton_);
        followButton_->setChecked(!following);
    }
}

void EntityCard::createPicker(QHBoxLayout* bar) {
    const bool cp = scope_ == CardScope::Counterparty;
    bar->addWidget(new QLabel(cp ? lang_.pick("Counterparty", "Контрагент", "Kontrahent") : lang_.pick("Project", "Проект", "Projekt"), this));
    picker_ = new PartyPicker(lang_.pick("— choose —", "— выберите —", "— wybierz —"), this);
    picker_->setObjectName(QStringLiteral("cardPicker"));
    picker_->setEntries(cp ? counterpartyEntries(directory_, lang_) : projectEntries(directory_));
    bar->addWidget(picker_, 1);
    connect(picker_, &PartyPicker::selectionChanged, this, guarded(this, "card picker", [this] {
        if (auto id = picker_->selectedId(); id && *id != id_) showEntity(*id);
    }));
}

void EntityCard::createEntryButtons(QHBoxLayout* bar) {
    auto add = [&](EntryKind kind, const QString& text) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(QString::fromLatin1(entryKindCode(kind)));
        entryButtons_.emplace_back(kind, b);
        connect(b, &QPushButton::clicked, this, guarded(this, "card entry button", [this, kind] { openEntry(kind); }));
        bar->addWidget(b);
    };
    add(EntryKind::Payment, lang_.pick("Payment…", "Платёж…", "Płatność…"));
    add(EntryKind::CustomerNote, lang_.pick("Note…", "Заметка…", "Notatka…"));
    if (scope_ == CardScope::Project) add(EntryKind::Measurement, lang_.pick("Measurement…", "Замер…", "Pomiar…"));
}

void EntityCard::createView(QVBoxLayout* layout) {
    view_ = new QTextBrowser(this);
    view_->setObjectName(QStringLiteral("cardView"));
    view_->setOpenLinks(false);
    view_->setOpenExternalLinks(false);
    layout->addWidget(view_, 1);
    connect(view_, &QTextBrowser::anchorClicked, this, guarded(this, "card link", [this](const QUrl& url) { followLink(url); }));
    fileStatus_ = new QLabel(this);
    fileStatus_->setObjectName(QStringLiteral("cardFileStatus"));
    fileStatus_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fileStatus_->hide();
    layout->addWidget(fileStatus_);
    const bool cp = scope_ == CardScope::Counterparty;
    view_->setHtml(QStringLiteral("<p>") + esc(cp ? lang_.pick("Choose a counterparty.", "Выберите контрагента.", "Wybierz kontrahenta.")
                                                   : lang_.pick("Choose a project.", "Выберите проект.", "Wybierz projekt.")) +
                   QStringLiteral("</p>"));
}

EntityCard::~EntityCard() {
    ++request_;
    pool_.clear();
    pool_.waitForDone();
    files_.waitForDone();  // a file being written is finished, not cut
}

void EntityCard::followLink(const QUrl& url) {
    if (url.scheme() != QLatin1String("crm")) return;  // nothing else is ever opened
    const QStringList parts = url.path().split(QChar('/'));
    if (parts.size() == 3 && (parts[0] == QLatin1String("open") || parts[0] == QLatin1String("save"))) {
        bool okEvent = false, okIndex = false;
        const auto eventId = parts[1].toLongLong(&okEvent);
        const int index = parts[2].toInt(&okIndex);
        if (okEvent && okIndex) fileAction(parts[0] == QLatin1String("open"), eventId, index);
        return;
    }
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
    rightsUnknown_ = false;
    try {
        if (access) access_ = access->scope(me_.id);
        for (auto& [kind, button] : entryButtons_)
            button->setVisible(!access || access->mayCreate(me_.id, entryKindCode(kind), 0));
    } catch (const std::exception&) {
        // Rights that cannot be read grant nothing: no entries, and the card says why instead of
        // showing what the user might not be allowed to see.
        rightsUnknown_ = true;
        for (auto& [kind, button] : entryButtons_) button->setVisible(false);
    }
    reload();
}

QPushButton* EntityCard::entryButton(EntryKind kind) const {
    for (const auto& [k, button] : entryButtons_)
        if (k == kind && !button->isHidden()) return button;
    return nullptr;
}

QDialog* EntityCard::openEntry(EntryKind kind) {
    if (!userEvents_ || rightsUnknown_ || !mayCreate(kind)) return nullptr;
    EntryPreset preset;
    if (scope_ == CardScope::Counterparty) preset.counterparty = id_;
    else {
        preset.project = id_;
        if (auto p = directory_.project(id_)) preset.counterparty = p->counterpartyId;
    }
    auto* dialog = openEntryDialog(kind, EntryContext{*userEvents_, directory_, lang_, me_, preview_, clock_}, preset, this);
    connect(dialog, &QDialog::accepted, this, guarded(this, "card entry saved", [this] {
        // The writer commits within its batch interval (20 ms by default): reload a little later
        // rather than block the window waiting for it.
        QTimer::singleShot(400, this, guarded(this, "card reload", [this] { reload(); }));
    }));
    return dialog;
}

void EntityCard::showEntity(sdk::Id id) {
    id_ = id;
    {
        const QSignalBlocker block(picker_);
        picker_->setSelectedId(id);
    }
    showFollowing();
    reload();
}

bool EntityCard::mayCreate(EntryKind kind) const {
    if (!accessControl_) return true;
    try {
        return accessControl_->mayCreate(me_.id, entryKindCode(kind), 0);
    } catch (const std::exception&) {
        return false;
    }
}

CardHead EntityCard::resolveHead(std::vector<sdk::Id>& projectIds) {
    CardHead head;
    head.scope = scope_;
    head.id = id_;
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
    return head;
}

void EntityCard::reload() {
    if (!id_) return;
    std::vector<sdk::Id> projectIds;
    CardHead head = resolveHead(projectIds);
    const quint64 request = ++request_;
    if (rightsUnknown_) {
        apply(request, head, std::nullopt,
              lang_.pick("Could not read your rights; try again later.", "Не удалось прочитать ваши права; попробуйте позже.",
                         "Nie udało się odczytać uprawnień; spróbuj później."));
        return;
    }
    if ((scope_ == CardScope::Counterparty && !head.counterparty) || (scope_ == CardScope::Project && !head.project)) {
        apply(request, head, std::nullopt, lang_.pick("Not in the directory: #", "Нет в справочнике: #", "Brak w katalogu: #") + QString::number(id_));
        return;
    }
    startLoad(request, std::move(head), std::move(projectIds));
}

void EntityCard::startLoad(quint64 request, CardHead head, std::vector<sdk::Id> projectIds) {
    pool_.clear();  // a card nobody waits for any more need not load
    pool_.start([this, request, head = std::move(head), projectIds = std::move(projectIds), access = access_, now = now()]() mutable {
        std::optional<CardData> data;
        QString error;
        try {
            data = loadCardData(store_, scope_, head.id, projectIds, now, access);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        // Queued to this card: dropped by Qt when the card is gone, by apply() when stale.
        QMetaObject::invokeMethod(
            this, guarded(this, "card loaded", [this, request, h = std::move(head), d = std::move(data), error]() mutable {
                apply(request, std::move(h), std::move(d), error);
            }),
            Qt::QueuedConnection);
    });
}

void EntityCard::apply(quint64 request, CardHead head, std::optional<CardData> data, QString error) {
    if (request != request_) return;
    try {
        html_ = data ? renderEntityCard(head, *data, directory_, store_.kinds(), lang_, now())
                     : QStringLiteral("<p>") + esc(error) + QStringLiteral("</p>");
    } catch (...) {
        // The detail goes to the log; the reader gets a sentence in their language.
        reportEscaped(nullptr, "card rendering", std::current_exception());
        html_ = QStringLiteral("<p>") +
                esc(lang_.pick("This card could not be shown; the details are in the log.",
                               "Карточку не удалось показать; подробности в журнале.",
                               "Nie udało się pokazać karty; szczegóły są w dzienniku.")) +
                QStringLiteral("</p>");
    }
    data_ = std::move(data);
    view_->setHtml(html_);
    emit rendered(head.id);
}

const crm::Attachment* EntityCard::attachmentOf(std::int64_t eventId, int index) const {
    if (!data_ || index < 0) return nullptr;
    for (const auto* list : {&data_->withFiles, &data_->calls})
        for (const auto& e : *list)
            if (e.id == eventId && static_cast<std::size_t>(index) < e.attachments.size()) return &e.attachments[index];
    return nullptr;
}

void EntityCard::fileAction(bool open, std::int64_t eventId, int index) {
    const auto* a = attachmentOf(eventId, index);
    if (!a) return;
    const QString name = QString::fromStdString(crm::safeFileName(a->fileName));
    QString path;
    if (open) {
        // A folder of its own per content, so two files of one name never overwrite each other.
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation) + QStringLiteral("/conduit-") +
                            QString::fromStdString(a->sha256.substr(0, 16));
        QDir().mkpath(dir);
        path = dir + QChar('/') + name;
    } else {
        const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + QChar('/') + name;
        path = chooseSave_ ? chooseSave_(suggested)
                           : QFileDialog::getSaveFileName(this, lang_.pick("Save attachment", "Сохранить вложение", "Zapisz załącznik"), suggested);
        if (path.isEmpty()) return;
    }
    files_.start([this, attachment = *a, path, open, access = access_] { writeAttachment(attachment, access, path, open); });
}

void EntityCard::writeAttachment(const crm::Attachment& attachment, const std::optional<crm::AccessScope>& access, const QString& path,
                                 bool open) {
    QString error;
    try {
        // Read through the core with the viewer's rights: a file they may not see is not given.
        const auto content = access ? store_.attachmentContent(attachment.sha256, *access) : store_.attachmentContent(attachment.sha256);
        if (!content) {
            error = lang_.pick("The file is not available to you.", "Файл вам недоступен.", "Plik nie jest dla Ciebie dostępny.");
        } else {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(content->data(), static_cast<qint64>(content->size())) < 0 ||
                !file.commit())
                error = lang_.pick("Could not write the file: ", "Не удалось записать файл: ", "Nie udało się zapisać pliku: ") +
                        file.errorString();
        }
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(this, guarded(this, "attachment written", [this, path, error, open] { fileWritten(path, error, open); }),
                              Qt::QueuedConnection);
}

void EntityCard::fileWritten(const QString& path, const QString& error, bool open) {
    QString status = error;
    if (error.isEmpty() && open) {
        const bool shown = openFile_ ? openFile_(QUrl::fromLocalFile(path)) : QDesktopServices::openUrl(QUrl::fromLocalFile(path));
        if (!shown)
            status = lang_.pick("No program opens this file; it is saved at ", "Нет программы для этого файла; он сохранён в ",
                                "Żaden program nie otwiera tego pliku; zapisano go w ") +
                     QDir::toNativeSeparators(path);
    } else if (error.isEmpty()) {
        status = lang_.pick("Saved: ", "Сохранено: ", "Zapisano: ") + QDir::toNativeSeparators(path);
    }
    fileStatus_->setText(status);
    fileStatus_->setVisible(!status.isEmpty());
    emit fileDone(path, error);
}

}  // namespace conduit::forms
