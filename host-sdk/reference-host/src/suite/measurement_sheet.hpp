// A small but valid PDF measurement sheet, as a measurer's tablet would produce: what the
// simulator attaches to installation specifics so the demo has real sheets to preview and mail.
#pragma once

#include <string>
#include <vector>

namespace refhost {

struct SheetOpening {
    int widthMm = 0, heightMm = 0;
    std::string kind;  // "window", "balcony door"
};

// One A4 page of text (the PDF core fonts cover ASCII only: the sheet's labels are English,
// names and notes stay in the CRM event). Hand-written: a few objects and a cross-reference table.
std::string measurementSheetPdf(const std::string& projectCode, const std::string& date,
                                const std::vector<SheetOpening>& openings);

}  // namespace refhost
