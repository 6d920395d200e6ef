// The counterparty card and the project card: everything about one customer or one project at a
// glance (payments, projects with statuses, notes, events tied to no project, due dates,
// attachments, calls with recordings), with links to the related cards.
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"
#include "entry/entry_form.hpp"

#include <conduit/crm/timeline/card_data.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <QString>
#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QTextBrowser;
class QVBoxLayout;

namespace conduit::crm {
class AccessControl;
}

namespace conduit::forms {

class PartyPicker;

// The card's figures come from the core (crm::loadCardData); the forms only render them.
using CardScope = crm::CardSubject;
using crm::CardData;
using crm::kCardScan;
using crm::loadCardData;

// Directory facts shown in the card's head, resolved on the GUI thread.
struct CardHead {
    CardScope scope = CardScope::Counterparty;
    sdk::Id id = 0;
    std::optional<sdk::Counterparty> counterparty;  // the counterparty, or the project's customer
    std::optional<sdk::Project> project;            // project card
    std::vector<sdk::Project> projects;             // counterparty card: its projects
    QString managerName, measurerName;
};

// The card as HTML (QTextBrowser's subset). Every text from users or the host is escaped. Links:
// "crm:counterparty/ID", "crm:project/ID".
QString renderEntityCard(const CardHead& head, const CardData& data, DirectoryCache& directory,
                         const crm::EventKindRegistry& kinds, const Lang& lang, sdk::TimePoint now);

class EntityCard : public QWidget {
    Q_OBJECT
public:
    EntityCard(CardScope scope, crm::EventStore& store, DirectoryCache& directory, Lang lang, sdk::User currentUser,
               Navigation navigation, crm::UserEvents* userEvents, PreviewRecipients preview, QWidget* parent = nullptr);
    ~EntityCard() override;  // waits for a load in flight

    // The current user's rights (null: none enforced): the card reads with their scope from now
    // on and offers only the entries they may create; rights that cannot be read show and offer
    // nothing. Reloads the entity shown.
    void setAccessControl(crm::AccessControl* access);
    // The host's clock for "upcoming" due dates and new entries (default: the system clock).
    void setClock(std::function<sdk::TimePoint()> clock) { clock_ = std::move(clock); }
    // The entry button for `kind`, null when the card offers none (no UserEvents, or no right).
    QPushButton* entryButton(EntryKind kind) const;
    // Offers "Follow" for the entity shown: the user's own mail about it (notify/preferences.hpp).
    void setMailPreferences(crm::notify::MailPreferences* preferences);
    QPushButton* followButton() const { return followButton_; }

    void showEntity(sdk::Id id);
    void reload();
    CardScope scope() const { return scope_; }
    sdk::Id entityId() const { return id_; }
    const QString& html() const { return html_; }
    QTextBrowser* view() const { return view_; }
    PartyPicker* picker() const { return picker_; }
    // Follows a card link the way a click does ("crm:project/12", "crm:open/EVENT/N",
    // "crm:save/EVENT/N" for an attachment).
    void followLink(const QUrl& url);
    // Where "Save as…" writes (default: the file dialog; "" cancels) and how "Open" shows a
    // file (default: the desktop's application for it).
    void setSaveChooser(std::function<QString(const QString& suggested)> choose) { chooseSave_ = std::move(choose); }
    void setFileOpener(std::function<bool(const QUrl&)> open) { openFile_ = std::move(open); }
    // The line under the card that says where a file went or why it did not.
    QLabel* fileStatus() const { return fileStatus_; }
    QDialog* openEntry(EntryKind kind);

signals:
    void rendered(sdk::Id id);
    // An attachment was written to `path` (error empty), or could not be (error in the user's language).
    void fileDone(const QString& path, const QString& error);

private:
    void createPicker(QHBoxLayout* bar);
    void createEntryButtons(QHBoxLayout* bar);
    void createView(QVBoxLayout* layout);
    crm::SubjectRef subject() const;
    void showFollowing();                    // the button as the stored follows say
    void setFollowing(bool following);       // the user's click
    bool mayCreate(EntryKind kind) const;
    CardHead resolveHead(std::vector<sdk::Id>& projectIds);  // directory facts, GUI thread
    void startLoad(quint64 request, CardHead head, std::vector<sdk::Id> projectIds);
    void apply(quint64 request, CardHead head, std::optional<CardData> data, QString error);
    const crm::Attachment* attachmentOf(std::int64_t eventId, int index) const;
    void fileAction(bool open, std::int64_t eventId, int index);
    // Off the GUI thread: the bytes through the core with the viewer's rights, then the file.
    void writeAttachment(const crm::Attachment& attachment, const std::optional<crm::AccessScope>& access, const QString& path, bool open);
    void fileWritten(const QString& path, const QString& error, bool open);

    CardScope scope_;
    crm::EventStore& store_;
    DirectoryCache& directory_;
    Lang lang_;
    sdk::User me_;
    Navigation navigation_;
    crm::UserEvents* userEvents_;
    PreviewRecipients preview_;
    std::function<sdk::TimePoint()> clock_;
    sdk::TimePoint now() const { return clock_ ? clock_() : store_.now(); }
    crm::AccessControl* accessControl_ = nullptr;
    std::optional<crm::AccessScope> access_;
    bool rightsUnknown_ = false;  // the rights could not be read: nothing is shown or offered
    std::vector<std::pair<EntryKind, QPushButton*>> entryButtons_;
    PartyPicker* picker_ = nullptr;
    QHBoxLayout* bar_ = nullptr;
    crm::notify::MailPreferences* preferences_ = nullptr;
    QPushButton* followButton_ = nullptr;
    QTextBrowser* view_ = nullptr;
    sdk::Id id_ = 0;
    quint64 request_ = 0;  // only the latest request's result is shown
    QString html_;
    std::optional<CardData> data_;  // what the card shows: its attachments' metadata
    std::function<QString(const QString&)> chooseSave_;
    std::function<bool(const QUrl&)> openFile_;
    QLabel* fileStatus_ = nullptr;
    QThreadPool pool_;
    QThreadPool files_;  // attachment reads and writes, apart from loads (a reload does not drop them)
};

}  // namespace conduit::forms
