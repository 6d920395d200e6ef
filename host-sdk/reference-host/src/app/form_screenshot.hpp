// --form ID --screenshot FILE: opens a registered form and saves a PNG of what a person then
// sees, the main window with that form, or the dialog the form brought up on its own.
#pragma once

#include "main_window.hpp"

#include <chrono>
#include <filesystem>
#include <string>

namespace refhost {

struct ScreenshotResult {
    bool saved = false;
    QString error;      // in the workstation's language when the form is unknown
    QWidget* pictured = nullptr;  // the window that was saved
};

// An empty `formId` pictures the window as it stands. Forms load their data and render asynchronously: `settle` is how long they get before the
// picture is taken.
ScreenshotResult saveFormScreenshot(MainWindow& window, const std::string& formId, const std::filesystem::path& file,
                                    std::chrono::milliseconds settle);

bool hasForm(const MainWindow& window, const std::string& formId);
// "crm.dispatcher (Dispatcher), crm.project (Project), …": what --form accepts here.
std::vector<std::string> describedFormIds(const MainWindow& window);

}  // namespace refhost
