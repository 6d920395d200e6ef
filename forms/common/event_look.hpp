// How events look in every form: importance colours and names, kind icons drawn from the kind's
// icon name, module names, time and money formats. One place so the table and the card agree.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <QColor>
#include <QDate>
#include <QIcon>
#include <QString>

#include <string>

namespace conduit::forms {

QColor importanceColor(crm::Importance importance);
QString importanceName(crm::Importance importance, const Lang& lang);
// A small square in the importance colour (the table's importance column).
QIcon importanceIcon(crm::Importance importance);

// The kind's icon: a coloured badge with a glyph, drawn once per icon name and cached. The core
// names icons freedesktop-style; drawing them keeps the plugin free of image resources.
QIcon kindIcon(const std::string& iconName);
// The same badge as PNG bytes (the HTML card inlines it as a data: URL).
QByteArray kindIconPng(const std::string& iconName, int size = 32);

// "payments" -> "Платежи" / "Płatności" / "Payments"; unknown modules as they are.
QString moduleName(const std::string& module, const Lang& lang);

// Local time of the workstation, "2026-01-05 14:30".
// The workstation's reader: the language and the installation's time zone every time, date,
// amount and event text of the forms is shown in. Set once when the forms are registered.
void setReader(const crm::Locale& locale, const crm::TimeZone& zone);
const crm::Formatter& reader();

// The event's title and body as the reader reads them (rendered from its facts).
QString eventTitle(const crm::Event& e);
QString eventBody(const crm::Event& e);

// Calendar days as the installation's clocks show them: "today" at `now`, and the instant a
// day begins (date presets and pickers select whole local days, daylight saving included).
QDate localToday(sdk::TimePoint now);
sdk::TimePoint startOfLocalDay(const QDate& day);

QString formatTime(sdk::TimePoint t);  // "12.01.2026, 14:30" in the installation's zone
QString formatDate(sdk::Date d);          // a calendar date: never shifted by a zone, never an hour
// When the event happened as the reader reads it: its date alone when it was typed as a date
// (crm::occurredOn), otherwise the moment in the installation's zone.
QString formatWhen(const crm::Event& e);
// The event's due date as the calendar date it is ("06.02.2026" in every zone); "" without one.
QString formatDue(const crm::Event& e);
// Integer minor units with the language's separators: "12 345,67 PLN" (ru, pl), "12,345.67 PLN" (en).
QString formatMoney(const sdk::Money& money, const Lang& lang);
// An event's amount, "" when it has none or the reader's rights emptied it: the one way a form
// shows Event::amount (never dereferenced unchecked).
QString formatAmount(const crm::Event& e, const Lang& lang);
// A file size in the reader's language and units ("640 bytes", "1,5 KB", "1,2 МБ"): the one
// size format of every form (QLocale::formattedDataSize, base 1024).
QString formatSize(std::int64_t bytes);
// A project status or a language code named in the reader's language (crm::projectStatusName,
// crm::languageName).
QString statusName(const std::string& status, const Lang& lang);
QString languageName(const std::string& tag, const Lang& lang);

}  // namespace conduit::forms
