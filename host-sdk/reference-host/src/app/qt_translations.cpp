#include "qt_translations.hpp"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace refhost {

QString installQtTranslations(QCoreApplication& app, const HostText& text) {
    const QLocale locale(text.qtLocaleName());
    QLocale::setDefault(locale);
    if (text.language() == HostLanguage::En) return {};
    // Owned by the application: it must live as long as any widget may ask for a translation.
    auto* translator = new QTranslator(&app);
    const QString folder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    if (!translator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), folder)) {
        delete translator;
        return {};
    }
    QCoreApplication::installTranslator(translator);
    return translator->filePath();
}

}  // namespace refhost
