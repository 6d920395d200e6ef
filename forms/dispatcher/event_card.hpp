// The detail pane: one event as a readable HTML card (title, kind, time, project, counterparty,
// amount, dates, body, attachments with small images inline), shown in Qt WebEngine.
// renderEventCard() is pure so tests check the HTML (and its escaping) without a browser.
#pragma once

#include "common/directory_cache.hpp"
#include "common/lang.hpp"

#include <conduit/crm/timeline/event_store.hpp>

#include <QByteArray>
#include <QString>
#include <QThreadPool>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

class QTextBrowser;
class QWebEngineView;

namespace conduit::forms {

// Everything the card shows that is not in the event itself, resolved by the caller.
struct CardContext {
    Lang lang{"en"};
    QString kindName;                 // localized; the code when the kind is unknown
    QByteArray kindIconPng;           // inlined as a data: URL; empty: no icon
    QString projectLabel, counterpartyName, authorName, moduleLabel;
    std::optional<std::string> fullBody;           // body.txt of an overflowing body, when loaded
    std::map<std::string, std::string> images;     // sha256 -> bytes of small images shown inline
    std::map<std::string, QByteArray> previews;    // sha256 -> PNG preview (e.g. a PDF's first page)
};

// The card as a complete HTML page. Every text that came from a user or a host is escaped; the
// page also forbids scripts (Content-Security-Policy) in case a future edit forgets to escape.
QString renderEventCard(const crm::Event& event, const CardContext& context);
// A page with one line of text (nothing selected, the event is gone, a read failed).
QString renderMessageCard(const QString& message);

// Images that may be inlined: raster formats only (an SVG can carry script).
bool isInlineImageType(const std::string& mediaType);
constexpr std::int64_t kMaxInlineImageBytes = 512 * 1024;
constexpr std::int64_t kMaxInlineTotalBytes = 1200 * 1024;  // setHtml() refuses pages over 2 MB

// True unless CONDUIT_FORMS_WEBENGINE=0, or the process runs as root without
// QTWEBENGINE_DISABLE_SANDBOX (Chromium refuses to start its sandbox as root).
bool webEngineUsable();

// Shows one event, loading it (and its small attachments) off the GUI thread.
class EventCard : public QWidget {
    Q_OBJECT
public:
    EventCard(crm::EventStore& store, DirectoryCache& directory, Lang lang, bool useWebEngine, QWidget* parent = nullptr);
    ~EventCard() override;  // waits for a load in flight (it uses the store)

    void showEventId(std::int64_t id);
    void reload();  // the event shown, read again (after it was edited)
    void clear();
    // Whose eyes the card reads with (AccessControl::scope): a hidden event shows as gone, a
    // payment without its details, attachments only when the details are visible. nullopt: all.
    void setAccess(std::optional<crm::AccessScope> scope) { access_ = std::move(scope); }

    std::int64_t eventId() const { return eventId_; }
    // The answer for eventId() has arrived (the event, or that it is gone or unreadable).
    bool hasResult() const { return hasResult_; }
    // The event shown, as this viewer may see it (meaningful once hasResult()); nullopt when it is
    // gone or could not be read.
    const std::optional<crm::Event>& event() const { return event_; }
    const QString& html() const { return html_; }  // what was last handed to the view
    bool usesWebEngine() const { return web_ != nullptr; }

signals:
    void rendered(std::int64_t eventId);  // the card of eventId was handed to the view

private:
    struct Loaded {
        std::optional<crm::Event> event;
        std::optional<std::string> fullBody;
        std::map<std::string, std::string> images;
        std::map<std::string, QByteArray> previews;
        QString error;
    };
    void startLoad(std::int64_t id);
    void apply(quint64 request, Loaded loaded);
    QString render(const crm::Event& e, Loaded& loaded);
    void setHtml(const QString& html);

    crm::EventStore& store_;
    DirectoryCache& directory_;
    Lang lang_;
    QWebEngineView* web_ = nullptr;
    QTextBrowser* text_ = nullptr;
    std::optional<crm::AccessScope> access_;
    std::int64_t eventId_ = 0;
    bool hasResult_ = false;
    std::optional<crm::Event> event_;
    quint64 request_ = 0;  // only the latest request's result is shown
    QString html_;
    QThreadPool pool_;
};

}  // namespace conduit::forms
