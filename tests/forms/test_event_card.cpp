// The detail card: user text is escaped, structured fields and attachments are shown, small
// images inline, and the pane follows the table's selection.
#include <common/pdf_preview.hpp>

#include <QBuffer>
#include <QPainter>
#include <QPdfWriter>
#include "forms_test_util.hpp"

#include <dispatcher/dispatcher_workstation.hpp>
#include <dispatcher/event_card.hpp>

#include <common/event_look.hpp>

#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTableView>

using namespace conduit;
using namespace conduit::forms;
using namespace conduit::forms::testing;

namespace {

std::string pngBytes() {
    QImage img(4, 4, QImage::Format_RGB32);
    img.fill(Qt::red);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    img.save(&buffer, "PNG");
    return bytes.toStdString();
}

crm::Attachment attachment(const std::string& name, const std::string& type, std::string content, const std::string& sha) {
    crm::Attachment a;
    a.fileName = name;
    a.mediaType = type;
    a.size = static_cast<std::int64_t>(content.size());
    a.sha256 = sha;
    a.content = std::move(content);
    return a;
}

TEST(EventCardHtml, ScriptInANoteRendersAsText) {
    crm::Event e = makeEvent("x", at(2026, 1, 5), "note.customer");
    e.title = "<script>alert(1)</script>";
    e.body = "Клиент: <script>alert(1)</script> & \"кавычки\" <img src=x onerror=alert(2)>";
    e.crewName = "<b>crew</b>";
    e.attachments.push_back(attachment("<svg onload=alert(3)>.pdf", "application/pdf", "", "00"));
    CardContext c;
    c.lang = Lang("ru");
    c.kindName = "<i>kind</i>";
    c.projectLabel = "P-1 · <script>x()</script>";
    c.counterpartyName = "ООО «Ромашка» <a href='javascript:alert(4)'>";
    c.authorName = "Łukasz </td></tr><script>";
    const QString html = renderEventCard(e, c);
    EXPECT_FALSE(html.contains("<script", Qt::CaseInsensitive));
    EXPECT_FALSE(html.contains("<img src=x"));
    EXPECT_FALSE(html.contains("<svg"));
    EXPECT_FALSE(html.contains("<a href"));
    EXPECT_FALSE(html.contains("<b>crew"));
    EXPECT_FALSE(html.contains("<i>kind"));
    EXPECT_TRUE(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(html.contains(QString::fromUtf8("Клиент: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;кавычки&quot;")));
    EXPECT_TRUE(html.contains(QString::fromUtf8("Łukasz &lt;/td&gt;&lt;/tr&gt;&lt;script&gt;")));
    // Scripts are forbidden by the page itself too.
    EXPECT_TRUE(html.contains("Content-Security-Policy"));
    EXPECT_TRUE(html.contains("default-src 'none'"));
}

TEST(EventCardHtml, ShowsStructuredFieldsInTheLanguage) {
    crm::Event e = makeEvent("p", at(2026, 1, 5, 9, 30), "payment.received");
    e.title = "Wpłynęła płatność";
    e.amount = sdk::Money{1234567, "PLN"};
    e.startDate = std::chrono::sys_days(std::chrono::year(2026) / 1 / 7);
    e.endDate = std::chrono::sys_days(std::chrono::year(2026) / 1 / 9);
    e.dueAt = crm::dueOn(std::chrono::sys_days(std::chrono::year(2026) / 1 / 10));  // a due date is a date
    e.importance = crm::Importance::Critical;
    e.stage = "installation";
    CardContext c;
    c.lang = Lang("pl");
    c.kindName = QString::fromUtf8("Wpłynęła płatność");
    c.projectLabel = "P-2026-0001 · Okna";
    c.counterpartyName = QString::fromUtf8("Żaluzja-Pol");
    const QString html = renderEventCard(e, c);
    EXPECT_TRUE(html.contains(QString::fromUtf8("12\u00a0345,67\u00a0zł")));
    EXPECT_TRUE(html.contains("07.01.2026 – 09.01.2026"));
    EXPECT_TRUE(html.contains("<b>10.01.2026</b>")) << html.toStdString();
    EXPECT_FALSE(html.contains("10.01.2026, ")) << "a due date has no hour";
    EXPECT_TRUE(html.contains(QString::fromUtf8("Kwota")));
    EXPECT_TRUE(html.contains(QString::fromUtf8("Krytyczna")));
    EXPECT_TRUE(html.contains(QString::fromUtf8("Żaluzja-Pol")));
    EXPECT_TRUE(html.contains("#dc2626"));  // the critical colour strip
    EXPECT_TRUE(html.contains(QString::fromUtf8("montaż"))) << "stage codes are shown in the user's language";
    Lang en("en");
    EXPECT_EQ(formatMoney({-5, "EUR"}, en), QString::fromUtf8("-€0.05"));
    EXPECT_EQ(formatMoney({123456789, "RUB"}, en), QString::fromUtf8("RUB\u00a01,234,567.89"));
}

TEST(EventCardHtml, SmallRasterImagesInlineOthersListed) {
    crm::Event e = makeEvent("a", at(2026, 1, 5), "note.measurement");
    e.attachments.push_back(attachment("фото.png", "image/png", pngBytes(), "aa"));
    e.attachments.push_back(attachment("drawing.svg", "image/svg+xml", "<svg/>", "bb"));
    e.attachments.push_back(attachment("Arkusz pomiaru.pdf", "application/pdf", std::string(300 * 1024, 'x'), "cc"));
    CardContext c;
    c.images["aa"] = e.attachments[0].content;
    c.images["bb"] = e.attachments[1].content;  // offered, yet never inlined: SVG can script
    const QString html = renderEventCard(e, c);
    EXPECT_TRUE(html.contains("src=\"data:image/png;base64,"));
    EXPECT_FALSE(html.contains("data:image/svg"));
    EXPECT_TRUE(html.contains(QString::fromUtf8("Arkusz pomiaru.pdf")));
    EXPECT_TRUE(html.contains(QStringLiteral("application/pdf · ") + formatSize(300 * 1024)));  // the one size format
    EXPECT_TRUE(html.contains("drawing.svg"));
}

class CardTest : public FormsTest {};

TEST_F(CardTest, PaneFollowsSelectionAndEscapesStoredNotes) {
    auto note = makeEvent("evil", at(2026, 1, 5, 10), "note.customer");
    note.title = "Заметка <script>alert(1)</script>";
    note.body = "Klient prosi: <script>alert(1)</script>";
    note.counterpartyId = 7;
    note.attachments.push_back(attachment("zdjęcie.png", "image/png", pngBytes(), ""));
    auto other = makeEvent("plain", at(2026, 1, 5, 11), "payment.received");
    other.amount = sdk::Money{50000, "RUB"};
    write({note, other});

    WorkstationContext context{*store, directory};
    context.locale = "ru";
    context.webEngine = false;
    DispatcherWorkstation w(std::move(context));
    w.resize(1200, 700);
    w.show();
    ASSERT_TRUE(settle(*w.model()));
    ASSERT_EQ(w.model()->rowCount(), 2);
    // The newest (the payment) is selected on open.
    ASSERT_TRUE(waitFor([&] { return w.card()->html().contains(QString::fromUtf8("500,00\u00a0₽")); }));

    w.table()->selectionModel()->setCurrentIndex(w.model()->index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    ASSERT_TRUE(waitFor([&] { return w.card()->html().contains(QString::fromUtf8("Заметка")); }));
    const QString html = w.card()->html();
    EXPECT_FALSE(html.contains("<script", Qt::CaseInsensitive));
    EXPECT_TRUE(html.contains("Klient prosi: &lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(html.contains(QString::fromStdString(directory.counterparty(7)->name).toHtmlEscaped()));
    EXPECT_TRUE(html.contains("data:image/png;base64,"));  // the photo, loaded from the store
    EXPECT_TRUE(html.contains(QString::fromUtf8("Заметка о клиенте")));
}

TEST_F(CardTest, LongBodyShownWhole) {
    auto e = makeEvent("long", at(2026, 1, 5), "note.project");
    std::string body;
    for (int i = 0; i < 300; ++i) body += "Строка " + std::to_string(i) + "; ";
    body += "КОНЕЦ";
    e.body = body;
    write({e});
    const auto id = store->feed({}).events.at(0).id;
    DirectoryCache names(directory);
    EventCard card(*store, names, Lang("ru"), false);
    QSignalSpy rendered(&card, &EventCard::rendered);
    card.showEventId(id);
    ASSERT_TRUE(rendered.wait(5000));
    EXPECT_TRUE(card.html().contains(QString::fromUtf8("КОНЕЦ")));  // from body.txt, past the column's 1000 characters
}

TEST(WebEngineChoice, RespectsTheSwitch) {
    qputenv("CONDUIT_FORMS_WEBENGINE", "0");
    EXPECT_FALSE(webEngineUsable());
}

}  // namespace

// A measurement sheet (a real PDF written by Qt) is previewed as a picture of its first page; a
// file that only claims to be a PDF is listed without one.
TEST_F(CardTest, MeasurementSheetPdfPreviewed) {
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        QPainter painter(&writer);
        painter.setFont(QFont("DejaVu Sans", 24));
        painter.drawText(QRect(0, 0, writer.width(), 2000), Qt::AlignCenter, QString::fromUtf8("Arkusz pomiaru — окно 1450×1200"));
        painter.drawRect(QRect(500, 2500, writer.width() - 1000, 4000));
    }
    ASSERT_TRUE(pdf.startsWith("%PDF-"));
    EXPECT_FALSE(pdfFirstPagePng(pdf.toStdString()).isEmpty());
    EXPECT_TRUE(pdfFirstPagePng("%PDF-1.4 broken").isEmpty());
    EXPECT_TRUE(pdfFirstPagePng("not a pdf").isEmpty());

    auto e = makeEvent("sheet", at(2026, 1, 6), "note.measurement");
    e.attachments.push_back({"arkusz.pdf", "application/pdf", 0, {}, pdf.toStdString()});
    e.attachments.push_back({"fake.pdf", "application/pdf", 0, {}, "%PDF-1.4 broken"});
    write({e});
    const auto id = store->feed({}).events.at(0).id;
    DirectoryCache names(directory);
    EventCard card(*store, names, Lang("pl"), false);
    QSignalSpy rendered(&card, &EventCard::rendered);
    card.showEventId(id);
    ASSERT_TRUE(rendered.wait(10000));
    EXPECT_EQ(card.html().count("data:image/png;base64,"), 2) << "the kind badge and one page preview";
    EXPECT_TRUE(card.html().contains("fake.pdf"));
}
