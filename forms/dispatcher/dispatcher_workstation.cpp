#include "dispatcher/dispatcher_workstation.hpp"

#include "common/event_look.hpp"
#include "common/exception_barrier.hpp"
#include "common/layout_memory.hpp"
#include "dispatcher/event_card.hpp"
#include "dispatcher/filter_panel.hpp"
#include "feed/feed_model.hpp"
#include "feed/live_updates.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/readstate/read_state.hpp>

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QResizeEvent>
#include <QShowEvent>
#include <QStyle>
#include <QLineEdit>
#include <QShortcut>
#include <QInputDialog>
#include <QMessageBox>
#include <QMenu>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace conduit::forms {

namespace {

bool contains(const std::vector<EntryKind>& kinds, EntryKind kind) {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// The panel restricts nothing: the store's whole-feed counter is the feed's.
bool restrictsNothing(const crm::FeedFilter& f) {
    return !f.project && !f.counterparty && !f.author && !f.subject && f.kinds.empty() && !f.sourceModule && !f.minImportance &&
           !f.from && !f.to && f.text.empty();
}

// A right that cannot be checked is not granted.
template <typename F>
bool guardedRight(F&& check) {
    try {
        return check();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

DispatcherWorkstation::DispatcherWorkstation(WorkstationContext context, QWidget* parent)
    : QWidget(parent), directory_(std::make_unique<DirectoryCache>(context.directory)), lang_(context.locale),
      reads_(context.readState), userEvents_(context.userEvents), changes_(context.changes), store_(context.store),
      access_(context.access), preview_(context.previewRecipients), clock_(context.clock),
      navigation_(context.navigation), me_(context.currentUser) {
    pool_.setMaxThreadCount(1);
    settings_ = context.settings;
    layout_ = new LayoutMemory(context.settings, me_.login.empty() ? std::to_string(me_.id) : me_.login, "dispatcher", this);
    readInitialRights();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    mainSplitter_ = splitter;
    layout->addWidget(splitter);
    createFilterPanel(splitter, context);
    // The feed over the card: titles get the full width, the card the rest of the height.
    auto* right = new QSplitter(Qt::Vertical, splitter);
    right->setObjectName(QStringLiteral("feedSplitter"));
    feedSplitter_ = right;
    splitter->addWidget(right);
    right->addWidget(createFeedPane(right));
    createCard(right, context.webEngine);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    right->setSizes({420, 300});
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 1000});
    if (access_) startRightsRecheck();
    connectFeed();
    connectLiveUpdates(context.live);
    connectTableActions();
    createShortcuts();
    model_->setFilter(filters_->filter());
    updateStatus();
    refreshUnreadCount();
}

void DispatcherWorkstation::readInitialRights() {
    if (!access_) return;
    // Once per workstation, before the feed's first page: every page, live fetch and card read
    // uses this scope. Rights that cannot be read show nothing until the recheck reads them.
    try {
        const Rights rights = readRights(*access_, me_.id);
        scope_ = rights.scope;
        creatable_ = rights.creatable;
    } catch (const std::exception&) {
        crm::AccessScope nothing;
        nothing.userId = me_.id;
        scope_ = nothing;
    }
}

void DispatcherWorkstation::createFilterPanel(QSplitter* splitter, const WorkstationContext& context) {
    filters_ = new FilterPanel(*directory_, context.store.kinds(), lang_, context.currentUser, context.modules);
    if (context.clock) filters_->setClock(context.clock);
    if (context.settings) {
        savedFilters_ = std::make_unique<SavedFilters>(*context.settings, context.currentUser.id);
        filters_->setSavedFilters(savedFilters_.get());
    }
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidget(filters_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Wide enough for the panel's own controls, the saved filters' names included.
    int panel = filters_->sizeHint().width();
    if (auto* saved = filters_->savedPicker()) {
        saved->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        const QMargins m = filters_->layout() ? filters_->layout()->contentsMargins() : QMargins();
        panel = std::max(panel, saved->parentWidget()->sizeHint().width() + m.left() + m.right());
    }
    panel += scroll->verticalScrollBar()->sizeHint().width() + 4;
    scroll->setMinimumWidth(std::max(240, panel));
    splitter->addWidget(scroll);
}

QWidget* DispatcherWorkstation::createFeedPane(QWidget* parent) {
    auto* feedPane = new QWidget(parent);
    auto* feedLayout = new QVBoxLayout(feedPane);
    feedLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QWidget(feedPane);
    auto* barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(0, 0, 0, 0);
    status_ = new QLabel(bar);
    barLayout->addWidget(status_, 1);
    buildActions(bar);
    feedLayout->addWidget(bar);
    model_ = new FeedModel(store_, *directory_, lang_, this);
    model_->setAccess(scope_);
    if (reads_) model_->setReadState(reads_, me_.id);
    feedLayout->addWidget(createFeedView(feedPane), 1);
    return feedPane;
}

QTableView* DispatcherWorkstation::createFeedView(QWidget* parent) {
    table_ = new QTableView(parent);
    table_->setObjectName(QStringLiteral("feedTable"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->setShowGrid(false);
    table_->setAlternatingRowColors(true);
    table_->setIconSize(QSize(16, 16));
    // Fixed row heights: the view never measures rows, so a long feed costs nothing to lay out.
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->verticalHeader()->hide();
    sizeColumns();
    return table_;
}

namespace {

// The widest of `texts` in `font`, capped (a column never takes the whole table by itself).
int widest(const QFont& font, const QStringList& texts, int cap) {
    const QFontMetrics fm(font);
    int w = 0;
    for (const auto& t : texts) w = std::max(w, fm.horizontalAdvance(t));
    return std::min(w, cap);
}

}  // namespace

void DispatcherWorkstation::sizeColumns() {
    auto* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    // Wide enough for the longest usual value of each column in bold (unread rows are bold, and
    // bold is wider), in the view's own font and the reader's date format.
    QFont bold = table_->font();
    bold.setBold(true);
    const int pad = 2 * table_->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table_) + 12;
    const int icon = table_->iconSize().width() + 6;
    QStringList times;
    for (int month : {1, 9, 11, 12}) times << formatTime(std::chrono::sys_days(std::chrono::year(2026) / month / 28) + std::chrono::hours(22) + std::chrono::minutes(58));
    QStringList kinds, codes, names;
    for (const auto& kind : store_.kinds().all()) kinds << QString::fromStdString(kind.name(lang_.locale()));
    for (const auto& p : directory_->projects()) codes << QString::fromStdString(p.code);
    for (const auto& c : directory_->counterparties()) names << QString::fromStdString(c.name);
    if (codes.isEmpty()) codes << QStringLiteral("P-2026-0000");
    if (names.isEmpty()) names << QStringLiteral("ООО «Щербаков и партнёры»");
    header->resizeSection(FeedModel::TimeColumn, widest(bold, times, 400) + pad);
    header->resizeSection(FeedModel::ImportanceColumn, 18 + 16);
    header->resizeSection(FeedModel::KindColumn, widest(bold, kinds, 260) + icon + pad);
    header->resizeSection(FeedModel::ProjectColumn, widest(bold, codes, 200) + pad);
    // The counterparty starts at a usual name's width and takes a share of any extra width up to
    // its widest name (shareExtraWidth); the title has the rest.
    counterpartyNatural_ = widest(bold, names, 420) + pad;
    counterpartyBase_ = std::min(counterpartyNatural_, QFontMetrics(bold).horizontalAdvance(QStringLiteral("ООО «Щербаков и партнёры»")) + pad);
    header->resizeSection(FeedModel::CounterpartyColumn, counterpartyBase_);
    table_->viewport()->installEventFilter(this);
}

void DispatcherWorkstation::shareExtraWidth(int oldWidth, int newWidth) {
    // A third of what the table gains (or loses) goes to the counterparty, between its default
    // and its widest name; the title, stretched last, takes the rest.
    if (oldWidth <= 0 || newWidth == oldWidth) return;
    auto* header = table_->horizontalHeader();
    const int now = header->sectionSize(FeedModel::CounterpartyColumn);
    const int wanted = std::clamp(now + (newWidth - oldWidth) / 3, counterpartyBase_, std::max(counterpartyBase_, counterpartyNatural_));
    if (wanted != now) header->resizeSection(FeedModel::CounterpartyColumn, wanted);
}

bool DispatcherWorkstation::eventFilter(QObject* watched, QEvent* event) {
    if (table_ && watched == table_->viewport() && event->type() == QEvent::Resize) {
        const auto* resize = static_cast<QResizeEvent*>(event);
        runGuarded(this, "feed resize", [&] { shareExtraWidth(resize->oldSize().width(), resize->size().width()); });
    }
    return QWidget::eventFilter(watched, event);
}

void DispatcherWorkstation::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    // After the first layout pass has sized the view, so the saved widths are the last word.
    if (!layoutRestored_) {
        layoutRestored_ = true;
        QTimer::singleShot(0, this, guarded(this, "restoring the layout", [this] { rememberLayout(); }));
    }
}

void DispatcherWorkstation::rememberLayout() {
    // Once the workstation is in its window: the window's geometry is the window's, not ours.
    layout_->track("columns", table_->horizontalHeader());
    layout_->track("splitter", mainSplitter_);
    layout_->track("feed-splitter", feedSplitter_);
    if (window() != this) layout_->trackWindow("window", this);
}

void DispatcherWorkstation::createCard(QSplitter* right, bool webEngine) {
    card_ = new EventCard(store_, *directory_, lang_, webEngine, right);
    card_->setObjectName(QStringLiteral("eventCard"));
    card_->setAccess(scope_);
    right->addWidget(card_);
    connect(card_, &EventCard::rendered, this, guarded(this, "event card shown", [this](std::int64_t id) { cardRendered(id); }));
}

void DispatcherWorkstation::startRightsRecheck() {
    rightsTimer_ = new QTimer(this);
    rightsTimer_->setInterval(kRightsRecheckMs);
    connect(rightsTimer_, &QTimer::timeout, this, guarded(this, "rights recheck", [this] { recheckRights(); }));
    rightsTimer_->start();
}

void DispatcherWorkstation::connectFeed() {
    connect(filters_, &FilterPanel::filterChanged, this, guarded(this, "filter changed", [this] {
        card_->clear();
        model_->setFilter(filters_->filter());
    }));
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            guarded(this, "feed selection", [this] { showCurrent(); }));
    connect(model_, &QAbstractItemModel::rowsAboutToBeInserted, this,
            guarded(this, "feed rows arriving", [this](const QModelIndex&, int first, int) { rememberScrollBeforeInsert(first); }));
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            guarded(this, "feed rows arrived", [this](const QModelIndex&, int first, int last) { keepViewAfterInsert(first, last); }));
    connect(model_, &QAbstractItemModel::modelReset, this, guarded(this, "feed reset", [this] {
        updateStatus();
        refreshUnreadCount();  // the counter counts what the new filter shows
    }));
    connect(model_, &FeedModel::pageLoaded, this, guarded(this, "feed page", [this] {
        updateStatus();
        if (!restrictsNothing(model_->filter())) refreshUnreadCount();
    }));
    connect(model_, &FeedModel::fetchFailed, this, guarded(this, "feed read failed", [this](const QString& message) {
        status_->setText(lang_.pick("Could not read the feed: ", "Не удалось прочитать ленту: ",
                                    "Nie udało się odczytać zdarzeń: ") + message.toHtmlEscaped());
    }));
}

void DispatcherWorkstation::connectLiveUpdates(LiveUpdates* live) {
    if (live) connect(live, &LiveUpdates::eventsWritten, model_, guarded(model_, "new events", [m = model_] { m->scheduleLiveRefresh(); }));
    connect(model_, &FeedModel::liveInserted, this, guarded(this, "unread counter", [this] { refreshUnreadCount(); }));
}

void DispatcherWorkstation::connectTableActions() {
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this,
            guarded(this, "feed context menu", [this](const QPoint& at) { contextMenu(at); }));
    // Double-click: the event's project card, or its counterparty's when it has no project.
    connect(table_, &QAbstractItemView::doubleClicked, this, guarded(this, "feed double-click", [this] { openSelected(); }));
    // A click is a deliberate look at the row: read now. The keyboard passing by is not.
    connect(table_, &QAbstractItemView::clicked, this, guarded(this, "feed click", [this] {
        autoSelected_ = false;  // the user's pick now, even of the row the workstation had chosen
        markCurrentRead();
    }));
    readTimer_ = new QTimer(this);
    readTimer_->setSingleShot(true);
    readTimer_->setInterval(kMarkReadDelayMs);
    connect(readTimer_, &QTimer::timeout, this, guarded(this, "marking read", [this] { markCurrentRead(); }));
}

void DispatcherWorkstation::createShortcuts() {
    auto add = [this](const QKeySequence& keys, QWidget* scope, const char* what, std::function<void()> fn) {
        auto* shortcut = new QShortcut(keys, scope);
        shortcut->setContext(scope == this ? Qt::WidgetWithChildrenShortcut : Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, guarded(this, what, std::move(fn)));
        return shortcut;
    };
    add(QKeySequence(Qt::Key_Return), table_, "Enter on the feed", [this] { openSelected(); });
    add(QKeySequence(Qt::Key_Enter), table_, "Enter on the feed", [this] { openSelected(); });
    add(QKeySequence(Qt::SHIFT | Qt::Key_F10), table_, "context menu key", [this] { showContextMenuForSelected(); });
    add(QKeySequence(Qt::Key_Menu), table_, "context menu key", [this] { showContextMenuForSelected(); });
    add(QKeySequence::Find, this, "search shortcut", [this] {
        if (auto* text = filters_->findChild<QLineEdit*>(QStringLiteral("filterText"))) {
            text->setFocus(Qt::ShortcutFocusReason);
            text->selectAll();
        }
    });
    add(QKeySequence(Qt::CTRL | Qt::Key_N), this, "new entry shortcut", [this] {
        if (newEntry_ && newEntry_->isVisible()) newEntry_->showMenu();
    });
    add(QKeySequence(Qt::CTRL | Qt::Key_P), this, "project card shortcut", [this] { openProjectOfSelected(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_K), this, "counterparty card shortcut", [this] { openCounterpartyOfSelected(); });
}

bool DispatcherWorkstation::openSelected() {
    markCurrentRead();
    return openProjectOfSelected() || openCounterpartyOfSelected();
}

void DispatcherWorkstation::showContextMenuForSelected() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) return;
    table_->scrollTo(current);
    const QRect cell = table_->visualRect(model_->index(current.row(), FeedModel::TitleColumn));
    contextMenu(QPoint(cell.left() + 8, cell.bottom()));
}

// New rows on top: the view stays still, the same rows where they were, once the user has picked
// a row or while they look further down (at the very top, before the user picked anything, the
// news simply show). The user's pick never jumps: Qt moves persistent indexes on insert.
void DispatcherWorkstation::rememberScrollBeforeInsert(int first) {
    const bool selected = table_->selectionModel()->currentIndex().isValid() && !autoSelected_;
    const int value = table_->verticalScrollBar()->value();
    scrollBeforeInsert_ = (first == 0 && model_->rowCount() > 0 && (selected || value > 0)) ? value : -1;
}

void DispatcherWorkstation::keepViewAfterInsert(int first, int last) {
    if (first == 0 && scrollBeforeInsert_ >= 0) {
        table_->doItemsLayout();  // the scroll bar's range must know the new rows first
        const int added = last - first + 1;
        const int step = table_->verticalScrollMode() == QAbstractItemView::ScrollPerItem ? 1 : table_->verticalHeader()->defaultSectionSize();
        table_->verticalScrollBar()->setValue(scrollBeforeInsert_ + added * step);
    }
    // Until the user picks a row (a click counts, also on the row already selected), the
    // workstation's own choice follows the newest event while the view is at the top.
    const bool follow = first == 0 && autoSelected_ && scrollBeforeInsert_ <= 0;
    scrollBeforeInsert_ = -1;
    if (follow) selectRow(0);
    else selectFirstRowIfNone();
    updateStatus();
}

void DispatcherWorkstation::buildActions(QWidget* bar) {
    auto* layout = static_cast<QHBoxLayout*>(bar->layout());
    if (reads_) {
        unread_ = new QLabel(bar);
        unread_->setObjectName(QStringLiteral("unreadCount"));
        unread_->setToolTip(lang_.pick("Unread events", "Непрочитанные события", "Nieprzeczytane zdarzenia"));
        layout->addWidget(unread_);
        markAll_ = new QPushButton(lang_.pick("Mark &all read", "Отметить &все прочитанными", "Oznacz &wszystkie jako przeczytane"), bar);
        markAll_->setObjectName(QStringLiteral("markAllRead"));
        connect(markAll_, &QPushButton::clicked, this, guarded(this, "mark all read", [this] { markAllReadAfterConfirm(); }));
        layout->addWidget(markAll_);
        undoAll_ = new QPushButton(lang_.pick("&Undo", "&Отменить", "&Cofnij"), bar);
        undoAll_->setObjectName(QStringLiteral("undoMarkAllRead"));
        undoAll_->setToolTip(lang_.pick("Unread again what \"Mark all read\" marked", "Вернуть непрочитанными отмеченные «Отметить все прочитанными»",
                                        "Przywróć jako nieprzeczytane to, co oznaczyło „Oznacz wszystkie jako przeczytane”"));
        undoAll_->hide();
        connect(undoAll_, &QPushButton::clicked, this, guarded(this, "undo mark all read", [this] { undoMarkAllRead(); }));
        layout->addWidget(undoAll_);
    }
    if (userEvents_) {
        newEntry_ = new QToolButton(bar);
        newEntry_->setObjectName(QStringLiteral("newEntry"));
        newEntry_->setText(lang_.pick("&New…", "&Создать…", "&Nowy…"));
        newEntry_->setToolTip(lang_.pick("New entry (Ctrl+N)", "Новая запись (Ctrl+N)", "Nowy wpis (Ctrl+N)"));
        newEntry_->setPopupMode(QToolButton::InstantPopup);
        newEntry_->setMenu(new QMenu(newEntry_));
        layout->addWidget(newEntry_);
        offerEntries();
    }
}

void DispatcherWorkstation::offerEntries() {
    std::vector<EntryKind> allowed;
    for (EntryKind kind : {EntryKind::Payment, EntryKind::CustomerNote, EntryKind::Measurement})
        if (mayCreate(kind)) allowed.push_back(kind);  // the forms hide what the user may not do
    if (allowed == offered_ && !newEntry_->menu()->isEmpty()) return;
    offered_ = allowed;
    QMenu* menu = newEntry_->menu();
    menu->clear();
    for (EntryKind kind : allowed) {
        const QString text = kind == EntryKind::Payment        ? lang_.pick("&Payment", "&Платёж", "&Płatność")
                             : kind == EntryKind::CustomerNote ? lang_.pick("Customer &note", "&Заметка о клиенте", "&Notatka o kliencie")
                                                               : lang_.pick("&Measurement / installation specifics",
                                                                            "З&амер / особенности монтажа", "Po&miar / szczegóły montażu");
        auto* action = menu->addAction(text, this, guarded(this, "new entry", [this, kind] { openEntry(kind); }));
        action->setObjectName(QStringLiteral("new.") + QString::fromLatin1(entryKindCode(kind)));
    }
    newEntry_->setVisible(!allowed.empty());
}

bool DispatcherWorkstation::mayCreate(EntryKind kind) const {
    return userEvents_ && (!access_ || contains(creatable_, kind));
}

void DispatcherWorkstation::contextMenu(const QPoint& at) {
    const QModelIndex index = table_->indexAt(at);
    if (!index.isValid()) return;
    table_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const auto id = selectedEventId();
    if (!id) return;
    // Edit and delete depend on the event itself: the menu waits for the card's off-thread load
    // of it instead of reading it here.
    if (changes_ && access_ && !(card_->eventId() == *id && card_->hasResult())) {
        pendingMenu_ = PendingMenu{*id, at};
        return;
    }
    showContextMenu(at);
}

void DispatcherWorkstation::cardRendered(std::int64_t eventId) {
    if (!pendingMenu_ || pendingMenu_->eventId != eventId) return;
    const QPoint at = pendingMenu_->at;
    pendingMenu_.reset();
    // Not from inside the card's own slot: the menu runs an event loop of its own.
    QTimer::singleShot(0, this, [this, at, eventId] {
        if (selectedEventId() == eventId) showContextMenu(at);
    });
}

void DispatcherWorkstation::showContextMenu(const QPoint& at) {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr;
    if (!row) return;
    QMenu menu(this);
    addNavigationActions(menu, *row);
    addEntryChangeActions(menu);
    addNewEntryActions(menu);
    if (!menu.isEmpty()) menu.exec(table_->viewport()->mapToGlobal(at));
}

void DispatcherWorkstation::addNavigationActions(QMenu& menu, const FeedModel::Row& row) {
    if (navigation_.openCounterparty && row.counterpartyId)
        menu.addAction(lang_.pick("Counterparty card", "Карточка контрагента", "Karta kontrahenta"), QKeySequence(Qt::CTRL | Qt::Key_K),
                       this, guarded(this, "counterparty card", [this] { openCounterpartyOfSelected(); }));
    if (navigation_.openProject && row.projectId)
        menu.addAction(lang_.pick("Project card", "Карточка проекта", "Karta projektu"), QKeySequence(Qt::CTRL | Qt::Key_P), this,
                       guarded(this, "project card", [this] { openProjectOfSelected(); }));
    // What the user wrote is never unread, so it cannot be marked so.
    if (reads_ && row.read && row.authorId != me_.id)
        menu.addAction(lang_.pick("Mark unread", "Отметить непрочитанным", "Oznacz jako nieprzeczytane"), this,
                       guarded(this, "mark unread", [this] { markSelectedUnread(); }));
}

void DispatcherWorkstation::addEntryChangeActions(QMenu& menu) {
    const bool mayEdit = mayEditSelected();
    const bool mayDelete = mayDeleteSelected();
    if (mayEdit || mayDelete) menu.addSeparator();
    if (mayEdit)
        menu.addAction(lang_.pick("Edit text…", "Изменить текст…", "Edytuj treść…"), this,
                       guarded(this, "edit text", [this] { editSelectedInDialog(); }));
    if (mayDelete)
        menu.addAction(lang_.pick("Delete…", "Удалить…", "Usuń…"), this, guarded(this, "delete entry", [this] { deleteSelectedAfterConfirm(); }));
}

void DispatcherWorkstation::addNewEntryActions(QMenu& menu) {
    if (mayCreate(EntryKind::CustomerNote) || mayCreate(EntryKind::Payment)) menu.addSeparator();
    if (mayCreate(EntryKind::CustomerNote))
        menu.addAction(lang_.pick("Customer note…", "Заметка о клиенте…", "Notatka o kliencie…"), this,
                       guarded(this, "new customer note", [this] { openEntry(EntryKind::CustomerNote); }));
    if (mayCreate(EntryKind::Payment))
        menu.addAction(lang_.pick("Payment…", "Платёж…", "Płatność…"), this, guarded(this, "new payment", [this] { openEntry(EntryKind::Payment); }));
}

DispatcherWorkstation::Rights DispatcherWorkstation::readRights(const crm::AccessControl& access, sdk::Id user) {
    Rights rights;
    rights.scope = access.scope(user);
    for (EntryKind kind : {EntryKind::Payment, EntryKind::CustomerNote, EntryKind::Measurement})
        if (access.mayCreate(user, entryKindCode(kind), 0)) rights.creatable.push_back(kind);
    return rights;
}

void DispatcherWorkstation::recheckRights() {
    if (!access_ || rightsInFlight_) return;
    rightsInFlight_ = true;
    const quint64 request = ++rightsRequest_;
    const crm::AccessControl* access = access_;
    pool_.start(guardedWork("rights recheck", [this, access, me = me_.id, request] {
        std::optional<Rights> rights;
        try {
            rights = readRights(*access, me);
        } catch (const std::exception&) {
            // The rules last read stay in force; the next recheck tries again.
        }
        QMetaObject::invokeMethod(this, guarded(this, "rights applied", [this, request, r = std::move(rights)]() mutable {
            rightsInFlight_ = false;
            if (r && request == rightsRequest_) applyRights(std::move(*r));
        }), Qt::QueuedConnection);
    }));
}

bool DispatcherWorkstation::applyCurrentRights() {
    if (!access_) return false;
    ++rightsRequest_;  // a recheck in flight read older rules than these
    try {
        return applyRights(readRights(*access_, me_.id));
    } catch (const std::exception&) {
        return false;  // the rules last read stay in force
    }
}

bool DispatcherWorkstation::applyRights(Rights fresh) {
    creatable_ = std::move(fresh.creatable);
    if (newEntry_) offerEntries();  // a right to create may have come or gone as well
    if (scope_ && *scope_ == fresh.scope) return false;
    scope_ = fresh.scope;
    model_->setAccess(scope_);
    card_->setAccess(scope_);
    model_->setFilter(model_->filter());  // read anew: rows may have become hidden or visible
    card_->clear();
    return true;
}

void DispatcherWorkstation::setRightsRecheckInterval(int ms) {
    if (rightsTimer_) rightsTimer_->setInterval(ms);
}

std::optional<crm::Event> DispatcherWorkstation::selectedEvent() const {
    const auto id = selectedEventId();
    if (!id || card_->eventId() != *id || !card_->hasResult()) return std::nullopt;
    return card_->event();
}

bool DispatcherWorkstation::mayEditSelected() const {
    if (!changes_ || !access_) return false;
    const auto e = selectedEvent();
    return e && guardedRight([&] { return access_->mayEdit(me_.id, *e); });
}

bool DispatcherWorkstation::mayDeleteSelected() const {
    if (!changes_ || !access_) return false;
    const auto e = selectedEvent();
    return e && guardedRight([&] { return access_->mayDelete(me_.id, *e); });
}

bool DispatcherWorkstation::editSelected(const std::string& text, QString* error) {
    const auto id = selectedEventId();
    if (!changes_ || !id) return false;
    try {
        const crm::Event changed = changes_->editText(me_.id, *id, text);
        model_->replaceEvent(changed);
        card_->reload();
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool DispatcherWorkstation::deleteSelected(QString* error) {
    const auto id = selectedEventId();
    if (!changes_ || !id) return false;
    try {
        changes_->remove(me_.id, *id);
        model_->removeEvent(*id);
        showCurrent();  // the row below moved up into the selection (or none is left)
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

void DispatcherWorkstation::editSelectedInDialog() {
    const auto e = selectedEvent();
    if (!e) return;
    QString text = QString::fromStdString(e->body);
    for (;;) {
        bool ok = false;
        text = QInputDialog::getMultiLineText(this, lang_.pick("Edit text", "Изменить текст", "Edytuj treść"),
                                              QString::fromStdString(e->title), text, &ok);
        if (!ok) return;
        QString error;
        if (editSelected(text.toStdString(), &error)) return;
        // Refused: say why and ask again with what was typed.
        QMessageBox::warning(this, lang_.pick("Not saved", "Не сохранено", "Nie zapisano"), error);
    }
}

void DispatcherWorkstation::deleteSelectedAfterConfirm() {
    const auto e = selectedEvent();
    if (!e) return;
    const auto answer = QMessageBox::question(
        this, lang_.pick("Delete", "Удалить", "Usuń"),
        lang_.pick("Delete this entry? It leaves every feed; the audit log keeps it.\n\n",
                   "Удалить запись? Она исчезнет из всех лент; журнал аудита её сохранит.\n\n",
                   "Usunąć wpis? Zniknie ze wszystkich list; dziennik audytu go zachowa.\n\n") +
            QString::fromStdString(e->title));
    if (answer != QMessageBox::Yes) return;
    QString error;
    if (!deleteSelected(&error)) QMessageBox::warning(this, lang_.pick("Not deleted", "Не удалено", "Nie usunięto"), error);
}

bool DispatcherWorkstation::openCounterpartyOfSelected() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr;
    if (!row || !row->counterpartyId || !navigation_.openCounterparty) return false;
    return navigate(navigation_.openCounterparty, row->counterpartyId);
}

bool DispatcherWorkstation::openProjectOfSelected() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr;
    if (!row || !row->projectId || !navigation_.openProject) return false;
    return navigate(navigation_.openProject, row->projectId);
}

bool DispatcherWorkstation::navigate(const std::function<void(sdk::Id)>& open, sdk::Id id) {
    // The host opens the card (and may build it now): whatever fails there stays out of Qt's
    // event loop, which cannot carry an exception.
    try {
        open(id);
    } catch (const std::exception& e) {
        status_->setText(lang_.pick("Could not open the card: ", "Не удалось открыть карточку: ", "Nie udało się otworzyć karty: ") +
                         QString::fromUtf8(e.what()).toHtmlEscaped());
    }
    return true;
}

QDialog* DispatcherWorkstation::openEntry(EntryKind kind) {
    if (!mayCreate(kind)) return nullptr;
    EntryPreset preset;
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr) {
        preset.counterparty = row->counterpartyId;
        preset.project = row->projectId;
    }
    return openEntryDialog(kind, EntryContext{*userEvents_, *directory_, lang_, me_, preview_, clock_}, preset, this);
}

void DispatcherWorkstation::markAllReadAfterConfirm() {
    if (!reads_) return;
    // How many: counted here (a bounded walk up the primary key) so the question says it.
    constexpr std::int64_t kAskCap = 100000;
    crm::UnreadCount count;
    try {
        count = reads_->unreadCountUpTo(me_.id, kAskCap, scope_ ? &*scope_ : nullptr);
    } catch (const std::exception&) {
        count.capped = false;
        count.count = -1;  // unknown: ask without a number
    }
    if (count.count == 0) return;
    const QString how = count.count < 0 ? QString()
                        : count.capped  ? QLocale(QString::fromStdString(lang_.locale())).toString(static_cast<qlonglong>(kAskCap)) + QStringLiteral("+")
                                        : QLocale(QString::fromStdString(lang_.locale())).toString(static_cast<qlonglong>(count.count));
    QMessageBox box(QMessageBox::Question, lang_.pick("Mark all read", "Отметить все прочитанными", "Oznacz wszystkie jako przeczytane"),
                    how.isEmpty() ? lang_.pick("Mark every event read?", "Отметить все события прочитанными?", "Oznaczyć wszystkie zdarzenia jako przeczytane?")
                                  : lang_.pick("Mark %1 unread events read?", "Отметить прочитанными непрочитанные события: %1?",
                                               "Oznaczyć jako przeczytane nieprzeczytane zdarzenia: %1?").arg(how),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("confirmMarkAllRead"));
    box.setInformativeText(lang_.pick("You can undo it right after.", "Сразу после этого можно отменить.", "Zaraz potem można to cofnąć."));
    auto* yes = box.addButton(lang_.pick("Mark read", "Отметить", "Oznacz"), QMessageBox::AcceptRole);
    auto* no = box.addButton(lang_.pick("Cancel", "Отмена", "Anuluj"), QMessageBox::RejectRole);
    box.setDefaultButton(no);
    box.setEscapeButton(no);
    box.exec();
    if (box.clickedButton() == yes) markAllRead();
}

void DispatcherWorkstation::markAllRead() {
    if (!reads_) return;
    model_->setAllLoadedRead();
    auto* reads = reads_;
    const sdk::Id me = me_.id;
    auto undo = std::make_shared<crm::ReadUndo>();
    pool_.start(guardedWork("mark all read", [reads, me, undo] {
        try {
            *undo = reads->markAllReadUndoable(me);
        } catch (const std::exception&) {
            // The counter below shows what the store has; the next click tries again.
        }
    }));
    undo_ = undo;
    if (undoAll_) undoAll_->show();
    refreshUnreadCount();
}

void DispatcherWorkstation::undoMarkAllRead() {
    if (!reads_ || !undo_) return;
    auto undo = std::move(undo_);
    undo_.reset();
    if (undoAll_) undoAll_->hide();
    auto* reads = reads_;
    // Behind the mark itself in the one-thread pool; the rows' marks are read anew afterwards.
    pool_.start(guardedWork("undo mark all read", [reads, undo] {
        try {
            if (undo->user) reads->undo(*undo);
        } catch (const std::exception&) {
        }
    }));
    pool_.waitForDone();
    const auto keep = selectedEventId();
    model_->setFilter(model_->filter());  // bold again where it was
    if (keep) {
        // Back on the same event once its page is there.
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(model_, &FeedModel::pageLoaded, this, guarded(this, "selection after undo", [this, keep, once] {
            disconnect(*once);
            if (const int row = model_->rowOf(*keep); row >= 0) selectRow(row);
        }));
    }
    refreshUnreadCount();
}

void DispatcherWorkstation::setMarkReadDelay(int ms) {
    if (readTimer_) readTimer_->setInterval(ms);
}

void DispatcherWorkstation::markSelectedUnread() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr;
    if (!reads_ || !row || row->authorId == me_.id) return;
    const std::int64_t id = row->id;
    if (readTimer_) readTimer_->stop();  // not read again by the dwell a moment later
    model_->setRowRead(current.row(), false);
    auto* reads = reads_;
    const sdk::Id me = me_.id;
    pool_.start(guardedWork("mark unread", [reads, me, id] {
        try {
            reads->markUnread(me, id);
        } catch (const std::exception&) {
        }
    }));
    refreshUnreadCount();
}

void DispatcherWorkstation::showUnreadLabel(const QString& label) {
    unread_->setText(lang_.pick("Unread: %1", "Непрочитанных: %1", "Nieprzeczytane: %1").arg(label));
    unread_->setProperty("count", label);
    emit unreadCountChanged(label);
}

void DispatcherWorkstation::refreshUnreadCount() {
    if (!reads_) return;
    // Under a filter the counter counts what the filter shows: the loaded rows' marks, exact once
    // the feed is loaded to its end, "at least" ("12+") before.
    if (!restrictsNothing(model_->filter())) {
        const int unread = model_->unreadLoaded();
        const bool all = model_->isComplete();
        const auto cap = crm::UnreadCount::kCap;
        const QString label = unread >= cap ? QString::number(cap - 1) + QStringLiteral("+")
                              : all         ? QString::number(unread)
                                            : QString::number(unread) + QStringLiteral("+");
        showUnreadLabel(label);
        return;
    }
    if (countInFlight_) {
        countAgain_ = true;  // one more count after the one running
        return;
    }
    countInFlight_ = true;
    auto* reads = reads_;
    const sdk::Id me = me_.id;
    // Queued behind any mark in the one-thread pool, so the count includes it.
    pool_.start(guardedWork("unread counter", [this, reads, me, scope = scope_] {
        QString label;
        try {
            label = QString::fromStdString(reads->unreadCount(me, scope ? &*scope : nullptr).label());
        } catch (const std::exception&) {
            label = QStringLiteral("?");
        }
        QMetaObject::invokeMethod(this, guarded(this, "unread counter", [this, label] {
            countInFlight_ = false;
            if (restrictsNothing(model_->filter())) showUnreadLabel(label);  // else a filter came meanwhile
            if (countAgain_) {
                countAgain_ = false;
                refreshUnreadCount();
            }
        }), Qt::QueuedConnection);
    }));
}

DispatcherWorkstation::~DispatcherWorkstation() {
    if (layoutRestored_) runGuarded(nullptr, "saving the layout", [this] { layout_->saveNow(); });  // while the views exist
    pool_.waitForDone();  // marks being written use the read state
    // Children that use the directory cache and the store go before the members do.
    delete card_;
    delete table_;
    delete model_;
    delete filters_;
}

std::optional<std::int64_t> DispatcherWorkstation::selectedEventId() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) return std::nullopt;
    return current.data(FeedModel::EventIdRole).toLongLong();
}

void DispatcherWorkstation::selectFirstRowIfNone() {
    if (model_->rowCount() == 0 || table_->selectionModel()->currentIndex().isValid()) return;
    selectRow(0);
}

void DispatcherWorkstation::selectRow(int row) {
    selecting_ = true;
    table_->selectionModel()->setCurrentIndex(model_->index(row, 0),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    selecting_ = false;
    autoSelected_ = true;
}

void DispatcherWorkstation::showCurrent() {
    auto id = selectedEventId();
    // The same event on another row (rows arrived above it) is no new pick.
    const bool sameEvent = id && card_->eventId() == *id;
    if (sameEvent) return;
    if (!selecting_) autoSelected_ = false;  // the user picked a row
    if (pendingMenu_ && pendingMenu_->eventId != id) pendingMenu_.reset();
    if (id) card_->showEventId(*id);
    else card_->clear();
    // A row counts as read once it stays selected a moment (the keyboard passing over rows
    // reads none of them), or at once when opened or clicked; the row the workstation selected
    // by itself does not count.
    if (readTimer_) {
        readTimer_->stop();
        if (reads_ && id && !selecting_) readTimer_->start();
    }
}

void DispatcherWorkstation::markCurrentRead() {
    if (readTimer_) readTimer_->stop();
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* row = current.isValid() ? model_->rowAt(current.row()) : nullptr;
    if (!reads_ || !row || row->read) return;
    model_->setRowRead(current.row(), true);
    auto* reads = reads_;
    const sdk::Id me = me_.id;
    const std::int64_t eventId = row->id;
    pool_.start(guardedWork("mark read", [reads, me, eventId] {
        try {
            reads->markRead(me, eventId);
        } catch (const std::exception&) {
            // Stays unread in the store: it shows bold again next time, nothing else lost.
        }
    }));
    refreshUnreadCount();
}

void DispatcherWorkstation::updateStatus() {
    const int n = model_->rowCount();
    QString text;
    if (model_->isBusy() && n == 0) text = lang_.pick("Loading…", "Загрузка…", "Wczytywanie…");
    else if (n == 0) text = lang_.pick("No events match the filter.", "Нет событий по фильтру.", "Brak zdarzeń spełniających filtr.");
    else if (model_->isComplete())
        text = lang_.pick("%1 events", "Событий: %1", "Zdarzeń: %1").arg(n);
    else
        text = lang_.pick("%1 newest events shown; scroll for more", "Показаны %1 последних событий; прокрутите, чтобы увидеть больше",
                          "Pokazano %1 najnowszych zdarzeń; przewiń, aby zobaczyć więcej").arg(n);
    status_->setText(QStringLiteral("<b>") + lang_.pick("Event feed", "Лента событий", "Zdarzenia").toHtmlEscaped() +
                     QStringLiteral("</b> — ") + text.toHtmlEscaped());
}

}  // namespace conduit::forms
