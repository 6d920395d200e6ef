// The card of a catalogue company or person: contacts and tax ids, its people by hierarchy level
// (or a person's companies), relations both ways, certifications, commercial terms, memorable
// dates and the latest events of its timeline; read off the GUI thread, as the reader may see it.
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/parties/catalogue.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <optional>

class QDialog;
class QLabel;
class QLineEdit;
class QTextBrowser;
class QUrl;

namespace conduit::forms {

struct PartyCardContext {
    crm::parties::Catalogue& catalogue;
    crm::EventStore& store;
    DirectoryCache& directory;  // the owner's name (GUI thread)
    sdk::User me;
    crm::AccessControl* access = nullptr;  // null: the timeline unrestricted
    Navigation navigation;                 // links to the host counterparty's card
    std::function<sdk::TimePoint()> clock; // empty: the system clock
    sdk::ISettings* settings = nullptr;    // where the card keeps the party this user saw last
};

// What one card shows, read together on the worker thread.
struct PartyCardData {
    struct Member {  // a company's person, or a person's company
        crm::parties::Employment job;
        std::string name;
    };
    struct Linked {  // a relation seen from this party
        crm::parties::PartyRelation relation;
        bool fromSide = true;
        std::int64_t otherId = 0;
        std::string otherName;
    };
    std::optional<crm::parties::Party> party;
    std::vector<Member> members;
    std::vector<crm::parties::HierarchyLevel> levels;
    std::vector<Linked> relations;
    std::vector<crm::parties::Certification> certifications;
    crm::parties::PartnerStatus status = crm::parties::PartnerStatus::None;
    std::vector<crm::Event> events;
};

class PartyCard : public QWidget {
    Q_OBJECT
public:
    PartyCard(PartyCardContext context, Lang lang, QWidget* parent = nullptr);
    ~PartyCard() override;  // waits for a read in progress

    void showParty(std::int64_t id);  // the catalogue id (an alias shows its survivor)
    std::int64_t partyId() const { return id_; }
    // The first company or person the typed words find (the line above the card), off the GUI thread.
    void findAndShow(const QString& words);
    // What the card opens on when no party is named: the one this user saw last, else the
    // catalogue's first company.
    void showStart();

    QTextBrowser* view() const { return view_; }
    QLineEdit* findLine() const { return find_; }
    const QString& html() const { return html_; }
    // The editor of a party the card shows (its "edit…" link); the card reads again when it closes.
    QDialog* edit(std::int64_t id);

signals:
    void rendered();  // after each card (or its error) is shown

private:
    struct Outcome {
        PartyCardData data;
        QString error;
    };
    void load(std::function<Outcome()> work);  // on the worker; the newest answer is shown
    Outcome read(std::int64_t id) const;
    Outcome firstFound(const crm::parties::CatalogueFilter& filter, const QString& nothing) const;
    std::string lastShownKey() const;
    QString errorText(const std::exception& error) const;
    void present(quint64 generation, const Outcome& outcome);
    void follow(const QUrl& link);
    sdk::Date today() const;

    PartyCardContext ctx_;
    Lang lang_;
    std::optional<crm::AccessScope> scope_;
    QLineEdit* find_ = nullptr;
    QTextBrowser* view_ = nullptr;
    QString html_;
    std::int64_t id_ = 0;
    QThreadPool pool_;
    quint64 generation_ = 0;
};

// The card's HTML (separate so that it reads as the page it is).
QString partyCardHtml(const PartyCardData& data, DirectoryCache& directory, const Lang& lang, sdk::Date today);

}  // namespace conduit::forms
