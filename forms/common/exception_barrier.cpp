#include "common/exception_barrier.hpp"

#include <QMessageBox>
#include <QPointer>
#include <QThread>
#include <QCoreApplication>
#include <QWidget>

#include <atomic>
#include <cstdio>
#include <mutex>

namespace conduit::forms {

namespace {

struct Barrier {
    std::mutex mutex;
    sdk::ILogger* logger = nullptr;
    Lang lang{"en"};
    std::atomic<int> count{0};
    QPointer<QMessageBox> shown;  // GUI thread only: one message at a time, the rest only logged
};

Barrier& barrier() {
    static Barrier b;
    return b;
}

std::string describe(std::exception_ptr error) {
    try {
        if (error) std::rethrow_exception(error);
        return "unknown error";
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

void log(const std::string& line) noexcept {
    auto& b = barrier();
    try {
        sdk::ILogger* logger = nullptr;
        {
            std::lock_guard lock(b.mutex);
            logger = b.logger;
        }
        if (logger) {
            logger->log(sdk::LogLevel::Error, "crm.forms", line);  // hosts flush errors at once
            return;
        }
    } catch (...) {
        // The logger itself failed: stderr still tells.
    }
    std::fprintf(stderr, "crm.forms: %s\n", line.c_str());
    std::fflush(stderr);
}

QWidget* windowOf(QObject* context) {
    for (QObject* o = context; o; o = o->parent())
        if (auto* w = qobject_cast<QWidget*>(o)) return w->window();
    return nullptr;
}

void tellUser(QObject* context, const std::string& details) {
    auto& b = barrier();
    if (b.shown) return;  // one message at a time: a storm stays in the log
    QWidget* parent = windowOf(context);
    if (!parent) return;
    Lang lang{"en"};
    {
        std::lock_guard lock(b.mutex);
        lang = b.lang;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, lang.pick("Something went wrong", "Что-то пошло не так", "Coś poszło nie tak"),
                                lang.pick("The last action could not be completed. The window keeps working; the details are in the log.",
                                          "Последнее действие не выполнено. Окно продолжает работать; подробности — в журнале.",
                                          "Nie udało się wykonać ostatniej czynności. Okno działa dalej; szczegóły są w dzienniku."),
                                QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("crmErrorMessage"));
    box->setDetailedText(QString::fromStdString(details));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    b.shown = box;
    box->show();
}

}  // namespace

void setBarrierLogger(sdk::ILogger* logger) {
    auto& b = barrier();
    std::lock_guard lock(b.mutex);
    b.logger = logger;
}

void setBarrierLanguage(const Lang& lang) {
    auto& b = barrier();
    std::lock_guard lock(b.mutex);
    b.lang = lang;
}

int escapedCount() noexcept { return barrier().count.load(); }

void reportEscaped(QObject* context, const char* what, std::exception_ptr error) noexcept {
    barrier().count.fetch_add(1);
    std::string line;
    try {
        line = std::string(what ? what : "?") + ": " + describe(error);
    } catch (...) {
        line = "an exception escaped (no memory to describe it)";
    }
    log(line);
    try {
        const bool guiThread = QCoreApplication::instance() && QThread::currentThread() == QCoreApplication::instance()->thread();
        if (context && guiThread) tellUser(context, line);
    } catch (...) {
        log("the error message could not be shown");
    }
}

}  // namespace conduit::forms
