// The dispatcher workstation: filter panel, the live feed table and the selected event's card,
// side by side. The plugin registers it as the form "crm.dispatcher".
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"
#include "entry/entry_form.hpp"
#include "feed/feed_model.hpp"

#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/directory.hpp>

#include <QPoint>
#include <QThreadPool>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QDialog;
class QLabel;
class QMenu;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;
class QToolButton;

namespace conduit::forms {

class EventCard;
class FilterPanel;
class SavedFilters;
class LiveUpdates;

struct WorkstationContext {
    crm::EventStore& store;
    const sdk::IDirectory& directory;
    std::string locale = "pl";          // "ru", "pl", "en"
    sdk::User currentUser;
    std::vector<std::string> modules;   // host modules present (the source-module filter)
    LiveUpdates* live = nullptr;        // null: no live refresh
    bool webEngine = true;              // false: the card renders in a plain QTextBrowser
    // Optional (null / empty: the feature is off).
    sdk::ISettings* settings = nullptr;          // saved filters
    crm::UserEvents* userEvents = nullptr;       // "New payment / note / measurement" actions
    crm::UserEventChanges* changes = nullptr;    // "Edit…" / "Delete…" of entries (needs access)
    crm::ReadState* readState = nullptr;         // bold unread rows, unread counter, mark read on open
    PreviewRecipients previewRecipients;         // "Will be notified" in the entry dialogs
    Navigation navigation;                       // jump to counterparty / project cards
    // Rights (null: no restriction): the feed and the card read with the user's scope, computed
    // once here; "New…" offers only the kinds the user may create.
    crm::AccessControl* access = nullptr;
    std::function<sdk::TimePoint()> clock;       // the host's clock (empty: the system clock)
};

class LayoutMemory;

class DispatcherWorkstation : public QWidget {
    Q_OBJECT
public:
    // A row the keyboard passes is not read; one that stays selected this long is.
    static constexpr int kMarkReadDelayMs = 1500;

    explicit DispatcherWorkstation(WorkstationContext context, QWidget* parent = nullptr);
    ~DispatcherWorkstation() override;

    FeedModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    FilterPanel* filters() const { return filters_; }
    EventCard* card() const { return card_; }
    std::optional<std::int64_t> selectedEventId() const;

    // Read state (when a ReadState was given): the counter's text ("12", "99+"), empty when off.
    // Under a filter it counts the filtered feed's unread rows ("3", or "3+" while more may come).
    QLabel* unreadLabel() const { return unread_; }
    QPushButton* markAllReadButton() const { return markAll_; }
    QPushButton* undoMarkAllReadButton() const { return undoAll_; }  // shown after "mark all read"
    void markAllRead();               // now, keeping what it changed for Undo
    void markAllReadAfterConfirm();   // the button: asks first, with how many
    void undoMarkAllRead();
    void setMarkReadDelay(int ms);
    void markSelectedUnread();
    void refreshUnreadCount();  // off the GUI thread; the label changes when it is back
    // Jumps: to the card of the selected event's counterparty or project (Navigation).
    bool openCounterpartyOfSelected();
    bool openProjectOfSelected();
    // Enter or a double-click: the selected event counts as read, its project card opens (its
    // counterparty's when it has no project).
    bool openSelected();
    // Shift+F10 or the Menu key: the context menu of the selected row, under it.
    void showContextMenuForSelected();
    LayoutMemory* layoutMemory() const { return layout_; }
    // Entry dialogs (when UserEvents was given and the user may create the kind), preset from
    // the selected event. Null when not offered.
    QDialog* openEntry(EntryKind kind);
    bool mayCreate(EntryKind kind) const;  // as the rights last read say
    // The "New…" button (null without UserEvents; hidden while the user may create nothing); its
    // menu's actions are named "new.<kind code>" and follow the rights (applyCurrentRights).
    QToolButton* newEntryButton() const { return newEntry_; }
    // What people entered (notes, payments registered by hand) can be corrected or deleted by
    // whoever the rights allow (UserEventChanges and AccessControl given). The selected event,
    // judged on the card's copy of it (false until the card has loaded it):
    bool mayEditSelected() const;
    bool mayDeleteSelected() const;
    // Replace its text / soft-delete it; the row and the card follow at once. False with the
    // reason in the user's language (refused by rights, empty text, gone meanwhile).
    bool editSelected(const std::string& text, QString* error = nullptr);
    bool deleteSelected(QString* error = nullptr);
    // The context menu's actions: ask for the text (kept when refused) / for a confirmation.
    void editSelectedInDialog();
    void deleteSelectedAfterConfirm();

    // Rights changed (here or on another workstation, see AccessControl's recheck): the user's
    // scope is computed again and, when it differs, the feed is read anew with it and the card
    // follows. Every kRightsRecheckMs the workstation does this by itself, reading the rights off
    // the GUI thread; applyCurrentRights() reads them here and now. True when the scope changed.
    static constexpr int kRightsRecheckMs = 5000;
    bool applyCurrentRights();
    void setRightsRecheckInterval(int ms);

signals:
    void unreadCountChanged(const QString& label);

protected:
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // What the rights allow this user, read together (any thread; throws what AccessControl throws).
    struct Rights {
        crm::AccessScope scope;
        std::vector<EntryKind> creatable;
    };
    static Rights readRights(const crm::AccessControl& access, sdk::Id user);
    void readInitialRights();
    void recheckRights();            // off the GUI thread; applied when it is back
    bool applyRights(Rights fresh);  // true when the scope changed

    void createFilterPanel(QSplitter* splitter, const WorkstationContext& context);
    QWidget* createFeedPane(QWidget* parent);
    QTableView* createFeedView(QWidget* parent);
    void sizeColumns();
    void shareExtraWidth(int oldWidth, int newWidth);  // between the counterparty and the title
    void rememberLayout();                             // restore and keep, per user
    void createShortcuts();
    void markCurrentRead();                            // the current row, now
    void showUnreadLabel(const QString& label);
    void createCard(QSplitter* right, bool webEngine);
    void startRightsRecheck();
    void connectFeed();
    void connectLiveUpdates(LiveUpdates* live);
    void connectTableActions();
    void rememberScrollBeforeInsert(int first);
    void keepViewAfterInsert(int first, int last);

    void buildActions(QWidget* bar);
    void offerEntries();  // the "New…" menu: the kinds the user may create now
    void contextMenu(const QPoint& at);
    void cardRendered(std::int64_t eventId);
    void showContextMenu(const QPoint& at);
    void addNavigationActions(QMenu& menu, const FeedModel::Row& row);
    void addEntryChangeActions(QMenu& menu);
    void addNewEntryActions(QMenu& menu);
    bool navigate(const std::function<void(sdk::Id)>& open, sdk::Id id);
    void updateStatus();
    void selectFirstRowIfNone();
    void selectRow(int row);  // programmatic: the selection then follows new rows on top
    void showCurrent();
    // The selected event as this user may see it: the card's copy, once the card has it.
    std::optional<crm::Event> selectedEvent() const;

    std::unique_ptr<DirectoryCache> directory_;
    std::unique_ptr<SavedFilters> savedFilters_;
    Lang lang_;
    FeedModel* model_ = nullptr;
    FilterPanel* filters_ = nullptr;
    QTableView* table_ = nullptr;
    EventCard* card_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* unread_ = nullptr;
    QPushButton* markAll_ = nullptr;
    QPushButton* undoAll_ = nullptr;
    QTimer* readTimer_ = nullptr;  // the dwell before the current row counts as read
    std::shared_ptr<crm::ReadUndo> undo_;
    LayoutMemory* layout_ = nullptr;
    sdk::ISettings* settings_ = nullptr;
    QSplitter* mainSplitter_ = nullptr;
    QSplitter* feedSplitter_ = nullptr;
    bool layoutRestored_ = false;
    int counterpartyBase_ = 0, counterpartyNatural_ = 0;  // the column's default and its widest name
    crm::ReadState* reads_ = nullptr;
    crm::UserEvents* userEvents_ = nullptr;
    crm::UserEventChanges* changes_ = nullptr;
    crm::EventStore& store_;
    crm::AccessControl* access_ = nullptr;
    std::optional<crm::AccessScope> scope_;  // the user's, computed once (null: no restriction)
    QToolButton* newEntry_ = nullptr;
    QTimer* rightsTimer_ = nullptr;
    std::vector<EntryKind> creatable_;  // what the rights last read allow
    std::vector<EntryKind> offered_;    // in the "New…" menu
    quint64 rightsRequest_ = 0;         // only the latest rights read is applied
    bool rightsInFlight_ = false;
    // A right-click waiting for the card to load its event (edit and delete depend on it).
    struct PendingMenu {
        std::int64_t eventId = 0;
        QPoint at;
    };
    std::optional<PendingMenu> pendingMenu_;
    PreviewRecipients preview_;
    std::function<sdk::TimePoint()> clock_;  // the host's, for the entry dialogs
    Navigation navigation_;
    sdk::User me_;
    bool countInFlight_ = false, countAgain_ = false;
    QThreadPool pool_;  // read-state writes and counts, in order; waited for on destruction
    int scrollBeforeInsert_ = -1;  // the scroll bar's value when rows are about to go on top
    bool selecting_ = false;       // selectRow() in progress
    bool autoSelected_ = false;    // the current row was chosen by the workstation, not the user
};

}  // namespace conduit::forms
