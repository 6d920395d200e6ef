#include "dispatcher/event_card.hpp"

#include "common/event_look.hpp"
#include "common/pdf_preview.hpp"

#include <conduit/crm/timeline/event_text.hpp>
#include <conduit/crm/timeline/stage.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QWebEngineSettings>
#include <QWebEngineView>

#include <unistd.h>

namespace conduit::forms {

namespace {

QString esc(const QString& s) { return s.toHtmlEscaped(); }
QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString dataUrl(const char* mediaType, const QByteArray& bytes) {
    return QStringLiteral("data:%1;base64,%2").arg(QLatin1String(mediaType), QString::fromLatin1(bytes.toBase64()));
}

constexpr const char* kPageHead = R"(<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
body{font-family:"DejaVu Sans",Lato,sans-serif;font-size:13px;color:#202124;margin:0;padding:14px;background:#fff}
.card{border-left:6px solid %1;padding:4px 0 4px 14px}
.kind{color:#5f6368;font-size:12px;margin-bottom:6px}
.kind img{width:20px;height:20px;vertical-align:middle;margin-right:6px;border-radius:4px}
h1{font-size:18px;margin:2px 0 10px;font-weight:600;overflow-wrap:anywhere}
table.facts{border-collapse:collapse;margin:4px 0 12px}
table.facts td{padding:3px 14px 3px 0;vertical-align:top;overflow-wrap:anywhere}
table.facts td.k{color:#5f6368;white-space:nowrap}
.imp{display:inline-block;padding:0 7px;border-radius:9px;color:#fff;background:%1;font-size:12px}
.body{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7f9;padding:10px 12px;border-radius:6px;line-height:1.45}
h2{font-size:13px;color:#5f6368;margin:16px 0 6px;font-weight:600}
ul.att{list-style:none;padding:0;margin:0}
ul.att li{padding:6px 0;border-top:1px solid #eceff1}
.meta{color:#5f6368;font-size:12px}
img.inline{display:block;max-width:100%;max-height:360px;margin-top:6px;border:1px solid #dadce0;border-radius:4px}
.extra{font-family:"DejaVu Sans Mono",monospace;font-size:11px;white-space:pre-wrap;overflow-wrap:anywhere;color:#5f6368}
.message{color:#5f6368;padding:30px;text-align:center}
</style></head><body>)";

}  // namespace

bool isInlineImageType(const std::string& mediaType) {
    return mediaType == "image/png" || mediaType == "image/jpeg" || mediaType == "image/gif" || mediaType == "image/webp";
}

QString renderMessageCard(const QString& message) {
    return QString::fromUtf8(kPageHead).arg(QStringLiteral("#dadce0")) + QStringLiteral("<div class=\"message\">") +
           esc(message) + QStringLiteral("</div></body></html>");
}

// What the event's extra holds beyond its facts (those are read in the title and text above),
// one "key: value" per line; extra that is not a JSON object is shown as stored.
static QString extraDetails(const crm::Event& e) {
    if (e.extra.empty()) return {};
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(e.extra));
    if (!doc.isObject()) return QString::fromStdString(e.extra);
    QStringList lines;
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == QLatin1String("facts")) continue;
        const QJsonValue v = it.value();
        const QString text = v.isString() ? v.toString()
                             : v.isDouble() ? QString::number(v.toDouble())
                             : v.isBool()   ? QString::fromLatin1(v.toBool() ? "true" : "false")
                             : QString::fromUtf8((v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject())).toJson(QJsonDocument::Compact));
        lines << it.key() + QStringLiteral(": ") + text;
    }
    return lines.join(QLatin1Char('\n'));
}

QString renderEventCard(const crm::Event& e, const CardContext& c) {
    const Lang& lang = c.lang;
    const QString colour = importanceColor(e.importance).name();
    QString h = QString::fromUtf8(kPageHead).arg(colour);
    h += QStringLiteral("<div class=\"card\">");

    h += QStringLiteral("<div class=\"kind\">");
    if (!c.kindIconPng.isEmpty()) h += QStringLiteral("<img alt=\"\" src=\"%1\">").arg(dataUrl("image/png", c.kindIconPng));
    h += esc(c.kindName.isEmpty() ? QString::fromStdString(e.kind) : c.kindName) + QStringLiteral("</div>");
    const auto text = crm::eventText(e, reader());  // title and body from one rendering
    h += QStringLiteral("<h1>") + esc(text.title) + QStringLiteral("</h1>");

    QString facts;
    auto fact = [&](const QString& key, const QString& valueHtml) {
        facts += QStringLiteral("<tr><td class=\"k\">") + esc(key) + QStringLiteral("</td><td>") + valueHtml +
                 QStringLiteral("</td></tr>");
    };
    fact(lang.pick("When", "Когда", "Kiedy"), esc(formatTime(e.occurredAt)));
    fact(lang.pick("Importance", "Важность", "Ważność"),
         QStringLiteral("<span class=\"imp\">") + esc(importanceName(e.importance, lang)) + QStringLiteral("</span>"));
    if (!c.projectLabel.isEmpty()) fact(lang.pick("Project", "Проект", "Projekt"), esc(c.projectLabel));
    if (!c.counterpartyName.isEmpty()) fact(lang.pick("Counterparty", "Контрагент", "Kontrahent"), esc(c.counterpartyName));
    if (e.amount) fact(lang.pick("Amount", "Сумма", "Kwota"), QStringLiteral("<b>") + esc(formatMoney(*e.amount, lang)) + QStringLiteral("</b>"));
    if (e.startDate || e.endDate) {
        QString span = e.startDate ? formatDate(*e.startDate) : QString();
        if (e.endDate && e.endDate != e.startDate) span += QStringLiteral(" – ") + formatDate(*e.endDate);
        fact(lang.pick("Dates", "Даты", "Daty"), esc(span));
    }
    if (e.dueAt) fact(lang.pick("Due", "Срок", "Termin"), QStringLiteral("<b>") + esc(formatDue(e)) + QStringLiteral("</b>"));
    if (!e.crewName.empty() || e.crewId) fact(lang.pick("Crew", "Бригада", "Ekipa"), esc(e.crewName.empty() ? "#" + std::to_string(e.crewId) : e.crewName));
    if (!e.stage.empty()) fact(lang.pick("Stage", "Этап", "Etap"), esc(crm::stageName(e.stage, lang.locale())));
    if (!e.invoiceNumber.empty()) fact(lang.pick("Invoice", "Накладная", "Dokument"), esc(e.invoiceNumber));
    fact(lang.pick("Author", "Автор", "Autor"), esc(c.authorName.isEmpty() ? lang.pick("system", "система", "system") : c.authorName));
    if (!c.moduleLabel.isEmpty()) fact(lang.pick("Source", "Источник", "Źródło"), esc(c.moduleLabel));
    h += QStringLiteral("<table class=\"facts\">") + facts + QStringLiteral("</table>");

    const std::string& body = c.fullBody ? *c.fullBody : text.body;
    if (!body.empty()) h += QStringLiteral("<div class=\"body\">") + esc(body) + QStringLiteral("</div>");

    QString items;
    for (const auto& a : e.attachments) {
        if (c.fullBody && a.fileName == "body.txt") continue;  // shown above as the body
        QString li = QStringLiteral("<li><b>") + esc(a.fileName) + QStringLiteral("</b> <span class=\"meta\">") +
                     esc(QString::fromStdString(a.mediaType) + QStringLiteral(" · ") + formatSize(a.size)) +
                     QStringLiteral("</span>");
        if (auto img = c.images.find(a.sha256); img != c.images.end() && isInlineImageType(a.mediaType)) {
            // The media type was checked against a fixed list, so it cannot break out of the URL.
            li += QStringLiteral("<img class=\"inline\" alt=\"%1\" src=\"%2\">")
                      .arg(esc(a.fileName),
                           dataUrl(a.mediaType.c_str(), QByteArray(img->second.data(), static_cast<qsizetype>(img->second.size()))));
        } else if (auto pv = c.previews.find(a.sha256); pv != c.previews.end()) {
            li += QStringLiteral("<img class=\"inline\" alt=\"%1\" src=\"%2\">").arg(esc(a.fileName), dataUrl("image/png", pv->second));
        }
        items += li + QStringLiteral("</li>");
    }
    if (!items.isEmpty())
        h += QStringLiteral("<h2>") + esc(lang.pick("Attachments", "Вложения", "Załączniki")) + QStringLiteral("</h2><ul class=\"att\">") +
             items + QStringLiteral("</ul>");
    if (const QString more = extraDetails(e); !more.isEmpty())
        h += QStringLiteral("<h2>") + esc(lang.pick("Details", "Подробности", "Szczegóły")) +
             QStringLiteral("</h2><div class=\"extra\">") + esc(more) + QStringLiteral("</div>");
    h += QStringLiteral("</div></body></html>");
    return h;
}

bool webEngineUsable() {
    if (qEnvironmentVariable("CONDUIT_FORMS_WEBENGINE") == QLatin1String("0")) return false;
    if (::geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX")) return false;
    return true;
}

EventCard::EventCard(crm::EventStore& store, DirectoryCache& directory, Lang lang, bool useWebEngine, QWidget* parent)
    : QWidget(parent), store_(store), directory_(directory), lang_(std::move(lang)) {
    pool_.setMaxThreadCount(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (useWebEngine) {
        web_ = new QWebEngineView(this);
        // The card is static: no scripts even if escaping ever failed, no navigation away.
        web_->settings()->setAttribute(QWebEngineSettings::JavascriptEnabled, false);
        web_->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
        web_->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
        web_->setContextMenuPolicy(Qt::NoContextMenu);
        layout->addWidget(web_);
    } else {
        text_ = new QTextBrowser(this);
        text_->setOpenLinks(false);
        layout->addWidget(text_);
    }
    clear();
}

EventCard::~EventCard() {
    ++request_;
    pool_.clear();
    pool_.waitForDone();
}

void EventCard::clear() {
    ++request_;
    eventId_ = 0;
    hasResult_ = false;
    event_.reset();
    setHtml(renderMessageCard(lang_.pick("Select an event to see it here.", "Выберите событие, чтобы увидеть его здесь.",
                                         "Wybierz zdarzenie, aby je tu zobaczyć.")));
}

void EventCard::showEventId(std::int64_t id) {
    if (id == eventId_ && !html_.isEmpty()) return;
    startLoad(id);
}

void EventCard::reload() {
    if (eventId_) startLoad(eventId_);
}

namespace {

// Small images and a PDF's first page inline, and the full body when it overflowed into
// body.txt; within the page's size budget. Worker thread.
template <typename Content>
void loadInlineAttachments(const crm::Event& event, Content&& content, std::optional<std::string>& fullBody,
                           std::map<std::string, std::string>& images, std::map<std::string, QByteArray>& previews) {
    std::int64_t inlined = 0;
    int previewCount = 0;
    for (const auto& a : event.attachments) {
        // Measurement sheets: the first page as a picture (the sheet itself stays a file).
        if (a.mediaType == "application/pdf" && a.size <= kMaxPreviewPdfBytes && previewCount < kMaxPreviewsPerCard &&
            !previews.count(a.sha256)) {
            auto pdf = content(a.sha256);
            QByteArray png = pdf ? pdfFirstPagePng(*pdf) : QByteArray();
            if (!png.isEmpty() && inlined + png.size() <= kMaxInlineTotalBytes) {
                inlined += png.size();
                ++previewCount;
                previews.emplace(a.sha256, std::move(png));
            }
            continue;
        }
        const bool body = a.fileName == "body.txt" && a.size <= 256 * 1024;
        const bool image = isInlineImageType(a.mediaType) && a.size <= kMaxInlineImageBytes &&
                           inlined + a.size <= kMaxInlineTotalBytes && !images.count(a.sha256);
        if (!body && !image) continue;
        auto bytes = content(a.sha256);
        if (!bytes) continue;
        if (body) {
            fullBody = std::move(*bytes);
        } else {
            inlined += a.size;
            images.emplace(a.sha256, std::move(*bytes));
        }
    }
}

}  // namespace

void EventCard::startLoad(std::int64_t id) {
    if (id != eventId_) event_.reset();
    eventId_ = id;
    hasResult_ = false;
    const quint64 request = ++request_;
    pool_.clear();  // a card nobody waits for any more need not load
    pool_.start([this, request, id, access = access_] {
        Loaded loaded;
        // Scoped reads whenever a scope is set: the store decides what this viewer sees.
        auto content = [&](const std::string& sha) {
            return access ? store_.attachmentContent(sha, *access) : store_.attachmentContent(sha);
        };
        try {
            loaded.event = access ? store_.event(id, *access) : store_.event(id);
            if (loaded.event) loadInlineAttachments(*loaded.event, content, loaded.fullBody, loaded.images, loaded.previews);
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        // Queued to this card: Qt drops it when the card is gone, apply() when a newer load began.
        QMetaObject::invokeMethod(
            this, [this, request, l = std::move(loaded)]() mutable { apply(request, std::move(l)); }, Qt::QueuedConnection);
    });
}

void EventCard::apply(quint64 request, Loaded loaded) {
    if (request != request_) return;
    hasResult_ = true;
    event_ = loaded.event;
    try {
        if (!loaded.error.isEmpty())
            setHtml(renderMessageCard(lang_.pick("Could not read the event: ", "Не удалось прочитать событие: ",
                                                 "Nie udało się odczytać zdarzenia: ") + loaded.error));
        else if (!loaded.event)
            setHtml(renderMessageCard(lang_.pick("This event no longer exists.", "Этого события больше нет.",
                                                 "To zdarzenie już nie istnieje.")));
        else
            setHtml(render(*loaded.event, loaded));
    } catch (const std::exception& e) {
        setHtml(renderMessageCard(QString::fromUtf8(e.what())));  // never out of the event loop
    }
    emit rendered(eventId_);
}

QString EventCard::render(const crm::Event& e, Loaded& loaded) {
    CardContext c;
    c.lang = lang_;
    if (auto kind = store_.kinds().find(e.kind)) {
        c.kindName = QString::fromStdString(kind->name(lang_.locale()));
        c.kindIconPng = kindIconPng(kind->icon);
    }
    c.projectLabel = directory_.projectLabel(e.projectId);
    c.counterpartyName = directory_.counterpartyName(e.counterpartyId);
    c.authorName = directory_.userName(e.authorId);
    if (!e.sourceModule.empty()) c.moduleLabel = moduleName(e.sourceModule, lang_);
    c.fullBody = std::move(loaded.fullBody);
    c.images = std::move(loaded.images);
    c.previews = std::move(loaded.previews);
    return renderEventCard(e, c);
}

void EventCard::setHtml(const QString& html) {
    html_ = html;
    if (web_) web_->setHtml(html, QUrl(QStringLiteral("about:blank")));
    else text_->setHtml(html);
}

}  // namespace conduit::forms
