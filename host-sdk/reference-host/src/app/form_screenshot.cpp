#include "form_screenshot.hpp"

#include <QApplication>
#include <QDialog>
#include <QEventLoop>
#include <QPixmap>
#include <QTimer>

#include <algorithm>

namespace refhost {
namespace {

// A dialog the form showed on top of the window (the newest one), else the window itself.
QWidget* whatIsSeen(MainWindow& window) {
    if (auto* modal = QApplication::activeModalWidget()) return modal;
    QWidget* seen = &window;
    for (auto* w : QApplication::topLevelWidgets())
        if (w != &window && w->isVisible() && qobject_cast<QDialog*>(w)) seen = w;
    return seen;
}

void wait(std::chrono::milliseconds span) {
    QEventLoop settle;
    QTimer::singleShot(span, &settle, &QEventLoop::quit);
    settle.exec();
}

}  // namespace

bool hasForm(const MainWindow& window, const std::string& formId) {
    const auto ids = window.formIds();
    return std::find(ids.begin(), ids.end(), formId) != ids.end();
}

std::vector<std::string> describedFormIds(const MainWindow& window) {
    std::vector<std::string> out;
    for (const auto& id : window.formIds()) {
        const auto title = window.formTitle(id);
        out.push_back(title.empty() ? id : id + " (" + title + ")");
    }
    return out;
}

ScreenshotResult saveFormScreenshot(MainWindow& window, const std::string& formId, const std::filesystem::path& file,
                                    std::chrono::milliseconds settle) {
    ScreenshotResult result;
    window.show();  // offscreen when headless
    if (!formId.empty()) {
        if (!hasForm(window, formId)) {
            result.error = window.text().unknownForm(formId, describedFormIds(window));
            return result;
        }
        if (!window.openForm(formId)) {
            result.error = window.text().formNotOpened(formId);
            return result;
        }
    }
    wait(settle);
    result.pictured = whatIsSeen(window);
    result.saved = result.pictured->grab().save(QString::fromStdString(file.string()), "PNG");
    return result;
}

}  // namespace refhost
