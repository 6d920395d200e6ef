#include "dispatcher/dispatcher_workstation.hpp"

#include "dispatcher/event_card.hpp"
#include "dispatcher/filter_panel.hpp"
#include "feed/feed_model.hpp"
#include "feed/live_updates.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace conduit::forms {

DispatcherWorkstation::DispatcherWorkstation(WorkstationContext context, QWidget* parent)
    : QWidget(parent), directory_(std::make_unique<DirectoryCache>(context.directory)), lang_(context.locale) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);

    filters_ = new FilterPanel(*directory_, context.store.kinds(), lang_, context.currentUser, context.modules);
    if (context.settings) {
        savedFilters_ = std::make_unique<SavedFilters>(*context.settings, context.currentUser.id);
        filters_->setSavedFilters(savedFilters_.get());
    }
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidget(filters_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(240);
    splitter->addWidget(scroll);

    // The feed over the card: titles get the full width, the card the rest of the height.
    auto* right = new QSplitter(Qt::Vertical, splitter);
    splitter->addWidget(right);
    auto* feedPane = new QWidget(right);
    auto* feedLayout = new QVBoxLayout(feedPane);
    feedLayout->setContentsMargins(0, 0, 0, 0);
    status_ = new QLabel(feedPane);
    feedLayout->addWidget(status_);

    model_ = new FeedModel(context.store, *directory_, lang_, this);
    table_ = new QTableView(feedPane);
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
    auto* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    const QFontMetrics fm = table_->fontMetrics();
    const int pad = 14 + table_->iconSize().width();
    header->resizeSection(FeedModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("2026-01-05 09:39")) + 14);
    header->resizeSection(FeedModel::ImportanceColumn, 18 + 16);
    header->resizeSection(FeedModel::KindColumn, fm.horizontalAdvance(QStringLiteral("Materiały zarezerwowane")) + pad);
    header->resizeSection(FeedModel::ProjectColumn, fm.horizontalAdvance(QStringLiteral("P-2026-0000")) + 14);
    header->resizeSection(FeedModel::CounterpartyColumn, fm.horizontalAdvance(QStringLiteral("ООО «Щербаков и партнёры»")) + 14);
    feedLayout->addWidget(table_, 1);
    right->addWidget(feedPane);

    card_ = new EventCard(context.store, *directory_, lang_, context.webEngine, right);
    card_->setObjectName(QStringLiteral("eventCard"));
    right->addWidget(card_);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    right->setSizes({420, 300});
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 1000});

    connect(filters_, &FilterPanel::filterChanged, this, [this] {
        card_->clear();
        model_->setFilter(filters_->filter());
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DispatcherWorkstation::showCurrent);

    // New rows on top while the user looks further down: keep the same rows in view. (At the
    // very top the new rows simply show.) Selection follows its event by itself: Qt moves
    // persistent indexes on insert.
    connect(model_, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex&, int first, int) {
        scrollBeforeInsert_ = (first == 0 && model_->rowCount() > 0) ? table_->verticalScrollBar()->value() : -1;
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
        if (first == 0 && scrollBeforeInsert_ > 0) {
            table_->doItemsLayout();  // the scroll bar's range must know the new rows first
            const int added = last - first + 1;
            const int step = table_->verticalScrollMode() == QAbstractItemView::ScrollPerItem
                                 ? 1 : table_->verticalHeader()->defaultSectionSize();
            table_->verticalScrollBar()->setValue(scrollBeforeInsert_ + added * step);
        }
        // A selection the workstation made itself follows the newest event while the user looks
        // at the top; one the user made stays on its event.
        const bool follow = first == 0 && autoSelected_ && scrollBeforeInsert_ <= 0;
        scrollBeforeInsert_ = -1;
        if (follow) selectRow(0);
        else selectFirstRowIfNone();
        updateStatus();
    });
    connect(model_, &QAbstractItemModel::modelReset, this, &DispatcherWorkstation::updateStatus);
    connect(model_, &FeedModel::pageLoaded, this, &DispatcherWorkstation::updateStatus);
    connect(model_, &FeedModel::fetchFailed, this, [this](const QString& message) {
        status_->setText(lang_.pick("Could not read the feed: ", "Не удалось прочитать ленту: ",
                                    "Nie udało się odczytać zdarzeń: ") + message.toHtmlEscaped());
    });
    if (context.live) connect(context.live, &LiveUpdates::eventsWritten, model_, &FeedModel::scheduleLiveRefresh);

    model_->setFilter(filters_->filter());
    updateStatus();
}

DispatcherWorkstation::~DispatcherWorkstation() {
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
    if (!selecting_) autoSelected_ = false;  // the user picked a row
    if (auto id = selectedEventId()) card_->showEventId(*id);
    else card_->clear();
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
