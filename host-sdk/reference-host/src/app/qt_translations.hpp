// Qt's own wording and formats in the workstation's language: the standard buttons, the file
// dialog and the calendar from Debian's qt6-translations-l10n, dates and numbers by its locale.
#pragma once

#include "host_text.hpp"

#include <QStringList>

class QCoreApplication;

namespace refhost {

// Installs qtbase_<language> (and qtwebengine_<language>, for the web views' menus) from Qt's
// translations folder and makes the workstation's locale (pl_PL, ru_RU, en_GB) the default of
// every widget. Call before the first widget exists: Qt reads both when a widget is built.
// Returns the catalogues loaded: none for English, or when the package is missing (Qt's own
// English stays). A second call replaces the first one's catalogues.
QStringList installQtTranslations(QCoreApplication& app, const HostText& text);

}  // namespace refhost
