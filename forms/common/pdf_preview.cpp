#include "common/pdf_preview.hpp"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QPdfDocument>
#include <QTemporaryFile>

namespace conduit::forms {

QByteArray pdfFirstPagePng(const std::string& pdf, int widthPx) {
    if (pdf.rfind("%PDF-", 0) != 0) return {};
    // load(fileName) is synchronous (load(QIODevice*) reports readiness later through signals).
    QTemporaryFile file;
    if (!file.open()) return {};
    file.write(pdf.data(), static_cast<qint64>(pdf.size()));
    file.flush();
    QPdfDocument doc;
    if (doc.load(file.fileName()) != QPdfDocument::Error::None || doc.pageCount() < 1) return {};
    const QSizeF points = doc.pagePointSize(0);
    if (points.width() <= 0 || points.height() <= 0) return {};
    const QSize size(widthPx, static_cast<int>(widthPx * points.height() / points.width()));
    QImage image = doc.render(0, size.boundedTo(QSize(widthPx, widthPx * 3)));
    if (image.isNull()) return {};
    // Transparent pages look black on some viewers: flatten onto white.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    {
        QPainter painter(&flat);
        painter.drawImage(0, 0, image);
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    flat.save(&buffer, "PNG");
    return png;
}

}  // namespace conduit::forms
