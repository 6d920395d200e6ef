// The dispatcher's feed as a lazy table model: keyset pages of the store's feed fetched off the
// GUI thread as the view scrolls, and events newer than the top row inserted live at the top.
#pragma once

#include "common/directory_cache.hpp"
#include "common/lang.hpp"

#include <conduit/crm/timeline/event_store.hpp>

namespace conduit::crm {
class ReadState;
}

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QThreadPool>
#include <QTimer>

#include <optional>
#include <vector>

namespace conduit::forms {

class FeedModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ImportanceColumn, KindColumn, ProjectColumn, CounterpartyColumn, TitleColumn, ColumnCount };
    enum Role { EventIdRole = Qt::UserRole + 1, ImportanceRole, KindCodeRole, ReadRole };

    // What the model keeps per row: enough to draw it. The card loads the whole event by id.
    struct Row {
        std::int64_t id = 0;
        sdk::TimePoint occurredAt{};
        QString when;  // occurredAt as the reader reads it (a date alone when typed as a date)
        crm::Importance importance = crm::Importance::Normal;
        std::string kind;
        std::string sourceModule;
        sdk::Id projectId = 0, counterpartyId = 0, authorId = 0;
        QString title;
        int attachments = 0;
        bool read = true;  // for the workstation's user; unread rows are bold
    };

    FeedModel(crm::EventStore& store, DirectoryCache& directory, Lang lang, QObject* parent = nullptr);
    ~FeedModel() override;  // waits for a fetch in flight (it uses the store)

    // Replaces the filter: the rows go, the first page is fetched anew.
    void setFilter(crm::FeedFilter filter);
    const crm::FeedFilter& filter() const { return filter_; }
    void setPageSize(std::size_t rows) { pageSize_ = rows; }
    // Rows fetched from now on carry this user's read marks (looked up with each page, off the
    // GUI thread). Null: every row reads as read.
    void setReadState(crm::ReadState* reads, sdk::Id user) { reads_ = reads; user_ = user; }
    // The row's look only; the caller records the mark in ReadState.
    void setRowRead(int row, bool read);
    // An event edited or deleted from this workstation: its row changes or goes in place, no
    // refetch (scroll and selection stay). Nothing when the event is not loaded.
    void replaceEvent(const crm::Event& e);
    void removeEvent(std::int64_t eventId);
    void setAllLoadedRead();
    int unreadLoaded() const;  // rows loaded that are unread
    std::size_t pageSize() const { return pageSize_; }
    // Whose eyes the feed is read with: every page and live fetch from now on carries this scope
    // in FeedFilter::access (hidden events never arrive, payment details come redacted).
    // nullopt: no restriction. Call setFilter() afterwards to refetch what is shown.
    void setAccess(std::optional<crm::AccessScope> scope) { access_ = std::move(scope); }
    const std::optional<crm::AccessScope>& access() const { return access_; }

    // New events were written somewhere: look for ones newer than the top row, soon (calls
    // within the coalescing interval share one query).
    void scheduleLiveRefresh();
    void setLiveInterval(int ms) { liveTimer_.setInterval(ms); }

    const Row* rowAt(int row) const;
    int rowOf(std::int64_t eventId) const;  // -1 when not loaded
    bool isBusy() const { return pageInFlight_ || liveInFlight_; }
    bool isComplete() const { return exhausted_; }  // the last page is loaded

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void pageLoaded(int rows);        // a page was appended (rows: how many)
    void liveInserted(int rows);      // newer events were inserted at the top
    void fetchFailed(const QString& message);

private:
    struct PageResult {
        std::vector<Row> rows;
        std::optional<crm::FeedCursor> next;
        QString error;
    };
    struct LiveResult {
        std::vector<Row> rows;  // newest first, all newer than the top row at query time
        bool overflow = false;  // more than the live cap arrived: refetch from scratch
        QString error;
    };

    void startPageFetch();
    void startLiveFetch();
    void applyPage(quint64 generation, PageResult result);
    void applyLive(quint64 generation, LiveResult result);
    struct KindLook {
        QString name;
        QIcon icon;
    };
    const KindLook& kindLook(const std::string& code) const;

    void attachReadMarks(std::vector<Row>& rows) const;  // worker thread

    crm::EventStore& store_;
    crm::ReadState* reads_ = nullptr;
    sdk::Id user_ = 0;
    DirectoryCache& directory_;
    Lang lang_;
    crm::FeedFilter filter_;
    std::optional<crm::AccessScope> access_;
    std::size_t pageSize_ = 200;
    std::vector<Row> rows_;
    std::optional<crm::FeedCursor> cursor_;
    bool exhausted_ = false;
    bool pageInFlight_ = false, liveInFlight_ = false, livePending_ = false;
    quint64 generation_ = 0;  // bumped by setFilter: results of older generations are dropped
    QTimer liveTimer_;
    mutable QHash<QString, KindLook> kinds_;
    QThreadPool pool_;  // one thread: fetches run in order, and the destructor can wait for them
};

}  // namespace conduit::forms
