// A picture of a PDF's first page (measurement sheets in the event card), rendered with Qt PDF.
// Safe on a worker thread; never runs anything the document contains.
#pragma once

#include <QByteArray>

#include <string>

namespace conduit::forms {

// PNG bytes of page 1 scaled to `widthPx`; empty when the bytes are not a readable PDF.
QByteArray pdfFirstPagePng(const std::string& pdf, int widthPx = 520);

constexpr std::int64_t kMaxPreviewPdfBytes = 8 * 1024 * 1024;  // bigger sheets are listed, not drawn
constexpr int kMaxPreviewsPerCard = 3;

}  // namespace conduit::forms
