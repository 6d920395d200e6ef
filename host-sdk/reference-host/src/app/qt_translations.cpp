#include "qt_translations.hpp"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace refhost {

namespace {

const QString kTranslatorName = QStringLiteral("refhost.qtbase");

}  // namespace

QString installQtTranslations(QCoreApplication& app, const HostText& text) {
    const QLocale locale(text.qtLocaleName());
    QLocale::setDefault(locale);
    // Another language replaces the one installed before rather than stacking on it.
    if (auto* previous = app.findChild<QTranslator*>(kTranslatorName, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(previous);
        delete previous;
    }
    if (text.language() == HostLanguage::En) return {};
    // Owned by the application: it must live as long as any widget may ask for a translation.
    auto* translator = new QTranslator(&app);
    translator->setObjectName(kTranslatorName);
    const QString folder = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    if (!translator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), folder)) {
        delete translator;
        return {};
    }
    QCoreApplication::installTranslator(translator);
    return translator->filePath();
}

}  // namespace refhost
