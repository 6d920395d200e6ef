#include "qt_translations.hpp"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace refhost {
namespace {

const QString kTranslatorName = QStringLiteral("refhost.qt-translation");
const char* const kCatalogues[] = {"qtbase", "qtwebengine"};

}  // namespace

QStringList installQtTranslations(QCoreApplication& app, const HostText& text) {
    const QLocale locale(text.qtLocaleName());
    QLocale::setDefault(locale);
    // Another language replaces the one installed before rather than stacking on it.
    for (auto* previous : app.findChildren<QTranslator*>(kTranslatorName, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(previous);
        delete previous;
    }
    QStringList loaded;
    if (text.language() == HostLanguage::En) return loaded;
    const QString folder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    for (const char* catalogue : kCatalogues) {
        // Owned by the application: it must live as long as any widget may ask for a translation.
        auto* translator = new QTranslator(&app);
        translator->setObjectName(kTranslatorName);
        if (!translator->load(locale, QString::fromLatin1(catalogue), QStringLiteral("_"), folder)) {
            delete translator;
            continue;
        }
        QCoreApplication::installTranslator(translator);
        loaded << translator->filePath();
    }
    return loaded;
}

}  // namespace refhost
