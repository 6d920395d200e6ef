#include "feed/feed_model.hpp"

#include "common/event_look.hpp"

#include <conduit/crm/readstate/read_state.hpp>

#include <QFont>

#include <algorithm>

namespace conduit::forms {

namespace {

constexpr std::size_t kLivePage = 500;
// A burst bigger than this (a catch-up after downtime) is cheaper to show by refetching.
constexpr std::size_t kLiveCap = 5000;

bool newer(sdk::TimePoint at, std::int64_t id, const FeedModel::Row& than) {
    return at > than.occurredAt || (at == than.occurredAt && id > than.id);
}

FeedModel::Row toRow(const crm::Event& e) {
    FeedModel::Row r;
    r.id = e.id;
    r.occurredAt = e.occurredAt;
    r.when = formatWhen(e);
    r.importance = e.importance;
    r.kind = e.kind;
    r.sourceModule = e.sourceModule;
    r.projectId = e.projectId;
    r.counterpartyId = e.counterpartyId;
    r.authorId = e.authorId;
    r.title = eventTitle(e);
    r.attachments = static_cast<int>(e.attachments.size());
    return r;
}

QString describe(const std::exception& e) { return QString::fromUtf8(e.what()); }

}  // namespace

FeedModel::FeedModel(crm::EventStore& store, DirectoryCache& directory, Lang lang, QObject* parent)
    : QAbstractTableModel(parent), store_(store), directory_(directory), lang_(std::move(lang)) {
    pool_.setMaxThreadCount(1);
    liveTimer_.setSingleShot(true);
    liveTimer_.setInterval(200);
    connect(&liveTimer_, &QTimer::timeout, this, [this] {
        if (isBusy()) livePending_ = true;  // run once the fetch in flight is applied
        else startLiveFetch();
    });
}

FeedModel::~FeedModel() {
    ++generation_;
    pool_.clear();
    pool_.waitForDone();
}

void FeedModel::setFilter(crm::FeedFilter filter) {
    ++generation_;
    beginResetModel();
    filter_ = std::move(filter);
    rows_.clear();
    rows_.shrink_to_fit();
    cursor_.reset();
    exhausted_ = false;
    // Fetches of the old generation may still run; their results are dropped on arrival.
    pageInFlight_ = liveInFlight_ = livePending_ = false;
    endResetModel();
    startPageFetch();
}

void FeedModel::scheduleLiveRefresh() {
    // Not restarted by later calls: a steady stream still refreshes once per interval.
    if (!liveTimer_.isActive()) liveTimer_.start();
}

const FeedModel::Row* FeedModel::rowAt(int row) const {
    if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
    return &rows_[static_cast<std::size_t>(row)];
}

int FeedModel::rowOf(std::int64_t eventId) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == eventId) return static_cast<int>(i);
    return -1;
}

bool FeedModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !exhausted_ && !pageInFlight_;
}

void FeedModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent)) startPageFetch();
}

void FeedModel::startPageFetch() {
    pageInFlight_ = true;
    const quint64 generation = generation_;
    crm::FeedFilter filter = filter_;
    if (access_) filter.access = access_;  // the workstation's scope wins over whatever the filter had
    filter.textLocale = lang_.locale();    // found by the words this reader sees
    pool_.start([this, generation, filter = std::move(filter), after = cursor_, limit = pageSize_] {
        PageResult result;
        try {
            auto page = store_.feed(filter, after, limit);
            result.rows.reserve(page.events.size());
            for (const auto& e : page.events) result.rows.push_back(toRow(e));
            result.next = page.next;
            attachReadMarks(result.rows);
        } catch (const std::exception& e) {
            result.error = describe(e);
        }
        QMetaObject::invokeMethod(
            this, [this, generation, r = std::move(result)]() mutable { applyPage(generation, std::move(r)); },
            Qt::QueuedConnection);
    });
}

void FeedModel::applyPage(quint64 generation, PageResult result) {
    if (generation != generation_) return;
    pageInFlight_ = false;
    if (!result.error.isEmpty()) {
        // Not marked exhausted: the view asks again on the next scroll.
        emit fetchFailed(result.error);
    } else {
        cursor_ = result.next;
        exhausted_ = !result.next;
        if (!result.rows.empty()) {
            const int first = static_cast<int>(rows_.size());
            beginInsertRows({}, first, first + static_cast<int>(result.rows.size()) - 1);
            rows_.insert(rows_.end(), std::make_move_iterator(result.rows.begin()),
                         std::make_move_iterator(result.rows.end()));
            endInsertRows();
        }
        emit pageLoaded(static_cast<int>(result.rows.size()));
    }
    if (livePending_) {
        livePending_ = false;
        startLiveFetch();
    }
}

void FeedModel::startLiveFetch() {
    if (rows_.empty()) {
        // Nothing shown yet (an empty feed or the first page still to come): the first page
        // itself brings the newest events.
        if (!pageInFlight_) {
            exhausted_ = false;
            cursor_.reset();
            startPageFetch();
        }
        return;
    }
    liveInFlight_ = true;
    const quint64 generation = generation_;
    const Row top = rows_.front();
    crm::FeedFilter filter = filter_;
    if (access_) filter.access = access_;
    if (!filter.from || *filter.from < top.occurredAt) filter.from = top.occurredAt;
    pool_.start([this, generation, filter, top] {
        LiveResult result;
        try {
            std::optional<crm::FeedCursor> after;
            for (;;) {
                auto page = store_.feed(filter, after, kLivePage);
                bool reachedTop = false;
                for (const auto& e : page.events) {
                    // Newest first: everything after the first non-newer event is shown already.
                    if (!newer(e.occurredAt, e.id, top)) {
                        reachedTop = true;
                        break;
                    }
                    result.rows.push_back(toRow(e));
                }
                if (reachedTop || !page.next) break;
                if (result.rows.size() >= kLiveCap) {
                    result.overflow = true;
                    break;
                }
                after = page.next;
            }
            attachReadMarks(result.rows);
        } catch (const std::exception& e) {
            result.error = describe(e);
        }
        QMetaObject::invokeMethod(
            this, [this, generation, r = std::move(result)]() mutable { applyLive(generation, std::move(r)); },
            Qt::QueuedConnection);
    });
}

void FeedModel::applyLive(quint64 generation, LiveResult result) {
    if (generation != generation_) return;
    liveInFlight_ = false;
    if (!result.error.isEmpty()) {
        emit fetchFailed(result.error);
    } else if (result.overflow) {
        setFilter(filter_);
        return;
    } else if (!result.rows.empty() && (rows_.empty() || newer(result.rows.back().occurredAt, result.rows.back().id, rows_.front()))) {
        const int n = static_cast<int>(result.rows.size());
        beginInsertRows({}, 0, n - 1);
        rows_.insert(rows_.begin(), std::make_move_iterator(result.rows.begin()), std::make_move_iterator(result.rows.end()));
        endInsertRows();
        emit liveInserted(n);
    }
    if (livePending_) {
        livePending_ = false;
        startLiveFetch();
    }
}

void FeedModel::attachReadMarks(std::vector<Row>& rows) const {
    if (!reads_ || rows.empty()) return;
    std::vector<std::int64_t> ids;
    ids.reserve(rows.size());
    for (const auto& r : rows) ids.push_back(r.id);
    try {
        const auto read = reads_->readAmong(user_, ids);
        for (auto& r : rows) r.read = read.count(r.id) > 0;
    } catch (const std::exception&) {
        // Unknown read state shows as read: the feed itself matters more than the marks.
    }
}

void FeedModel::setRowRead(int row, bool read) {
    if (row < 0 || row >= static_cast<int>(rows_.size()) || rows_[static_cast<std::size_t>(row)].read == read) return;
    rows_[static_cast<std::size_t>(row)].read = read;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole, ReadRole});
}

void FeedModel::replaceEvent(const crm::Event& e) {
    const int row = rowOf(e.id);
    if (row < 0) return;
    auto& r = rows_[static_cast<std::size_t>(row)];
    const bool read = r.read;
    r = toRow(e);
    r.read = read;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void FeedModel::removeEvent(std::int64_t eventId) {
    const int row = rowOf(eventId);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    rows_.erase(rows_.begin() + row);
    endRemoveRows();
}

int FeedModel::unreadLoaded() const {
    return static_cast<int>(std::count_if(rows_.begin(), rows_.end(), [](const Row& r) { return !r.read; }));
}

void FeedModel::setAllLoadedRead() {
    for (auto& r : rows_) r.read = true;
    if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::FontRole, ReadRole});
}

const FeedModel::KindLook& FeedModel::kindLook(const std::string& code) const {
    const QString key = QString::fromStdString(code);
    if (auto it = kinds_.find(key); it != kinds_.end()) return *it;
    KindLook look;
    if (auto kind = store_.kinds().find(code)) {
        look.name = QString::fromStdString(kind->name(lang_.locale()));
        look.icon = kindIcon(kind->icon);
    } else {
        look.name = key;  // a kind from a plugin not loaded here: its code is still informative
        look.icon = kindIcon(code);
    }
    return *kinds_.insert(key, look);
}

int FeedModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int FeedModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant FeedModel::data(const QModelIndex& index, int role) const {
    const Row* r = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!r) return {};
    switch (role) {
    case EventIdRole: return QVariant::fromValue<qint64>(r->id);
    case ImportanceRole: return static_cast<int>(r->importance);
    case KindCodeRole: return QString::fromStdString(r->kind);
    case ReadRole: return r->read;
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return r->when;
        case ImportanceColumn: return {};  // a colour square says it; the name is the tooltip
        case KindColumn: return kindLook(r->kind).name;
        case ProjectColumn: return directory_.projectCode(r->projectId);
        case CounterpartyColumn: return directory_.counterpartyName(r->counterpartyId);
        case TitleColumn: return r->title;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == ImportanceColumn) return importanceIcon(r->importance);
        if (index.column() == KindColumn) return kindLook(r->kind).icon;
        if (index.column() == TitleColumn && r->attachments > 0) return kindIcon("attachment");
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ImportanceColumn) return importanceName(r->importance, lang_);
        if (index.column() == KindColumn) return kindLook(r->kind).name;
        if (index.column() == ProjectColumn) return directory_.projectLabel(r->projectId);
        if (index.column() == TitleColumn || index.column() == CounterpartyColumn)
            return data(index, Qt::DisplayRole);
        return {};
    case Qt::BackgroundRole:
        if (r->importance == crm::Importance::Critical) return QColor(0xfd, 0xe8, 0xe8);
        if (r->importance == crm::Importance::High) return QColor(0xfe, 0xf6, 0xe0);
        return {};
    case Qt::FontRole:
        if (!r->read || (r->importance == crm::Importance::Critical && index.column() == TitleColumn)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default: return {};
    }
}

QVariant FeedModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == ImportanceColumn && role == Qt::DisplayRole) return QStringLiteral("!");
    switch (section) {
    case TimeColumn: return lang_.pick("Time", "Время", "Czas");
    case ImportanceColumn: return lang_.pick("Importance", "Важность", "Ważność");
    case KindColumn: return lang_.pick("Kind", "Вид", "Rodzaj");
    case ProjectColumn: return lang_.pick("Project", "Проект", "Projekt");
    case CounterpartyColumn: return lang_.pick("Counterparty", "Контрагент", "Kontrahent");
    case TitleColumn: return lang_.pick("Title", "Заголовок", "Tytuł");
    }
    return {};
}

}  // namespace conduit::forms
