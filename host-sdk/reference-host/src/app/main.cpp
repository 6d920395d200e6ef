// conduit-host: the reference production suite. Loads plugins from a folder, plays the workload
// simulator, and shows its main window (or runs headless, printing what happened).
#include "form_screenshot.hpp"
#include "host_logger.hpp"
#include "host_settings.hpp"
#include "main_window.hpp"
#include "qt_translations.hpp"
#include "sign_in_dialog.hpp"
#include "workstation_user.hpp"

#include <host_mail_client.hpp>
#include <directory_changes.hpp>
#include <reference_suite.hpp>
#include <simulator.hpp>

#include <conduit/sdk/firebird_file.hpp>
#include <conduit/sdk/action_registry.hpp>
#include <conduit/sdk/plugin_manager.hpp>

#include "action_command.hpp"

#include <CLI/CLI.hpp>

#include <QApplication>
#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

namespace sdk = conduit::sdk;
using namespace std::chrono_literals;

namespace {

struct Options {
    std::filesystem::path plugins;
    std::filesystem::path data;
    bool headless = false;
    int days = 30;
    std::uint64_t seed = 1;
    std::string smtp;
    std::filesystem::path screenshot;
    int paceMs = -1;  // per simulated day; default: 0 headless, 150 with a window
    std::string locale = "pl";
    std::vector<std::string> modules;
    std::string user;  // login; empty: the first dispatcher
    std::string form;  // opened on start and pictured by --screenshot
    refhost::ActionCommand action;  // run once instead of the simulation, when named
};

// Set when the person signs in as someone else: the command line the suite restarts with.
struct Relaunch {
    std::vector<std::string> arguments;
    std::string locale;
};

std::filesystem::path defaultDataDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "conduit-demo";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".local" / "share" / "conduit-demo";
    return std::filesystem::temp_directory_path() / "conduit-demo";
}

bool haveDisplay() {
    const char* x = std::getenv("DISPLAY");
    const char* w = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

std::atomic<bool> g_stop{false};

// SIGTERM/SIGINT are blocked in every thread and taken by one waiting thread. Firebird's client
// library would otherwise handle them itself and shut its engine down under the host (open
// statements become invalid, a later detach spins); this way the host stops in its own order.
void takeStopSignals() {
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any thread exists: all inherit it
    std::thread([] {
        for (int n = 0;; ++n) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            if (n > 0) std::_Exit(130);  // a second signal: the user insists
            g_stop = true;
        }
    }).detach();
}

// The person at the workstation: --user LOGIN, or the suite's first dispatcher; nullopt for a
// login the host does not have.
std::optional<sdk::User> signedInUser(refhost::ReferenceSuite& suite, const std::string& login) {
    if (login.empty()) return suite.currentUser();
    return refhost::findUserByLogin(suite.directory(), login);
}

// Suite → Sign in as…: the chosen login, or empty when the person keeps the current one.
std::string chooseUser(refhost::MainWindow& window, const sdk::IDirectory& directory, const sdk::User& me) {
    refhost::SignInDialog dialog(directory.users(), directory.departments(), me.login, window.text(), &window);
    if (dialog.exec() != QDialog::Accepted) return {};
    const auto login = dialog.selectedLogin();
    return login == me.login ? std::string() : login;
}

}  // namespace

int run(int argc, char** argv, Relaunch& relaunch);

int main(int argc, char** argv) {
    takeStopSignals();
    Relaunch again;
    const int rc = run(argc, argv, again);
    // Every connection is closed by now (the suite and the plugins are gone).
    sdk::shutdownFirebird();
    if (rc == 0 && !again.arguments.empty()) {
        const std::string reason = refhost::relaunch(again.arguments);
        std::cerr << refhost::HostText(again.locale).restartFailed(reason).toStdString() << std::endl;
        return 1;
    }
    return rc;
}

int run(int argc, char** argv, Relaunch& relaunch) {
    const std::vector<std::string> arguments(argv, argv + argc);  // before Qt takes its own out
    Options opt;
    CLI::App cli{"conduit-host: the reference production suite that hosts Conduit CRM"};
    cli.add_option("--plugins", opt.plugins, "folder with plugin libraries")->required();
    cli.add_option("--data", opt.data, "data folder (databases, outbox, logs)");
    cli.add_flag("--headless", opt.headless, "run without a window, print what happened, exit when done");
    cli.add_option("--days", opt.days, "simulate until day N of the data folder's history")->check(CLI::Range(0, 3650));
    cli.add_option("--seed", opt.seed, "workload seed (deterministic)");
    cli.add_option("--smtp", opt.smtp, "HOST:PORT of an SMTP server (default: .eml files in DATA/outbox)");
    cli.add_option("--screenshot", opt.screenshot,
                   "save a PNG of the main window (or of --form) once the simulation ends");
    cli.add_option("--pace-ms", opt.paceMs, "wall-clock milliseconds per simulated day");
    cli.add_option("--locale", opt.locale, "workstation language: ru, pl, en")->check(CLI::IsMember({"ru", "pl", "en"}));
    cli.add_option("--modules", opt.modules, "host modules present (default: all five)");
    cli.add_option("--user", opt.user, "sign in as this login of the host's users (default: the first dispatcher)");
    cli.add_option("--form", opt.form,
                   "open the form a plugin registered under ID (e.g. crm.dispatcher, crm.project, "
                   "crm.entry.payment, crm.notification-rules); an unknown ID lists the ones this user has");
    cli.add_option("--action", opt.action.action,
                   "run this plugin action once as --user, print its outcome and exit (no simulation); "
                   "./conduit import and export use it");
    cli.add_option("--field", opt.action.fields, "NAME=VALUE of the --action request (repeatable)");
    cli.add_option("--field-from-file", opt.action.fieldsFromFiles,
                   "NAME=PATH: the field's value is the file's first line (a password file)");
    cli.add_option("--file", opt.action.files, "a file handed to the --action (repeatable)");
    CLI11_PARSE(cli, argc, argv);

    if (!haveDisplay()) opt.headless = true;
    if (opt.headless && !std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (opt.data.empty()) opt.data = defaultDataDir();
    if (opt.paceMs < 0) opt.paceMs = opt.headless ? 0 : 150;
    std::filesystem::create_directories(opt.data);

    // Qt WebEngine in a plugin needs shared GL contexts, set before QApplication exists.
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    const refhost::HostText text(opt.locale);
    refhost::installQtTranslations(app, text);  // before the first widget

    // An action run from the command line prints its outcome; the log file keeps the rest.
    refhost::HostLogger logger(opt.data / "logs" / "host.log", !opt.action.action.empty());
    const auto log = [&](sdk::LogLevel l, const std::string& m) { logger.log(l, "host", m); };
    log(sdk::LogLevel::Info, "data folder " + opt.data.string() + (opt.headless ? " (headless)" : ""));

    try {
        refhost::HostSettings settings(opt.data / "settings.json");
        refhost::SuiteOptions suiteOptions{opt.data / "host.fdb"};
        if (!opt.modules.empty()) suiteOptions.modules = {opt.modules.begin(), opt.modules.end()};
        refhost::ReferenceSuite suite(suiteOptions, logger);

        refhost::MailSettings mailSettings;
        mailSettings.outboxDir = opt.data / "outbox";
        if (!opt.smtp.empty()) mailSettings.smtp = refhost::parseSmtpAddress(opt.smtp);
        refhost::HostMailClient mail(mailSettings, logger);

        refhost::MainWindow window(text);
        const auto signedIn = signedInUser(suite, opt.user);
        if (!signedIn) {
            // The console and host.log both say it, in the workstation's language.
            log(sdk::LogLevel::Error, text.unknownUser(opt.user, refhost::loginsOf(suite.directory())).toStdString());
            return 2;
        }
        const sdk::User me = *signedIn;
        window.setSignedIn(me, refhost::departmentOf(suite.directory(), me, text));
        log(sdk::LogLevel::Info, "signed in: " + me.login);

        refhost::Simulator simulator(suite, opt.seed);
        sdk::ActionRegistry actions;  // what plugins offer the host (and its simulator)
        sdk::HostServices services{
            .host = {.name = "Conduit reference suite", .version = "1.0", .locale = opt.locale,
                     .dataDir = opt.data, .headless = opt.headless},
            .modules = suite.modules(),
            .mail = mail,
            .forms = window,
            .directory = suite.directory(),
            .currentUser = me,
            .database = {.kind = sdk::DatabaseLocation::Kind::Embedded, .file = opt.data / "crm.fdb"},
            .settings = settings,
            .logger = logger,
            .actions = &actions,
            // Plugins schedule by the simulated calendar (reminders before due dates, digests).
            .clock = [&simulator] { return simulator.now(); },
            .mailHeaders = &mail,  // threading, Auto-Submitted and List-Id in the CRM's mail
            .directoryChanges = &suite.directoryChanges(),  // counterparties added, renamed, moved
        };

        sdk::PluginManager plugins(logger);
        plugins.loadFolder(opt.plugins);
        plugins.startAll(services);
        log(sdk::LogLevel::Info, std::to_string(plugins.startedCount()) + " plugin(s) running");
        if (!opt.action.action.empty()) {
            constexpr std::uintmax_t kMaxActionFile = 256u * 1024 * 1024;
            const int rc = refhost::runActionCommand(opt.action, actions, me.id, kMaxActionFile, text, std::cout, std::cerr);
            plugins.stopAll();
            logger.flush();
            return rc;
        }
        if (opt.form == "list") {  // the registered forms, one per line, and nothing else
            for (const auto& line : refhost::describedFormIds(window)) std::cout << line << "\n";
            std::cout.flush();
            plugins.stopAll();
            logger.flush();
            return 0;
        }
        if (!opt.form.empty() && !refhost::hasForm(window, opt.form)) {
            log(sdk::LogLevel::Error, text.unknownForm(opt.form, refhost::describedFormIds(window)).toStdString());
            plugins.stopAll();
            logger.flush();
            return 2;
        }
        if (!opt.form.empty() && !opt.headless) window.openForm(opt.form);
        // Another person signs in by restarting the suite with --user: the plugin reads
        // HostServices::currentUser once, at start, and builds on it (which forms it registers,
        // rights, caches, saved filters, the simulator's actions in flight). A fresh process gets
        // exactly what a start as that person gets, with nothing of the previous user left in
        // memory; nothing is lost, as the data folder keeps the databases and the simulator
        // resumes where it stopped. Stopping and restarting plugins in-process would need every
        // plugin to be safely restartable and the simulator paused around it.
        if (!opt.headless)
            window.setSignInHandler([&] {
                if (auto login = chooseUser(window, suite.directory(), me); !login.empty()) {
                    relaunch = {refhost::relaunchArguments(arguments, login, opt.data), text.code()};
                    log(sdk::LogLevel::Info, "signing in as " + login + ": the suite restarts");
                    QApplication::quit();
                }
            });

        simulator.useActions(&actions);
        simulator.exportTo(opt.data / "exports");
        refhost::SimulationSummary summary;
        std::exception_ptr simError;
        std::thread worker([&] {
            try {
                summary = simulator.runUntilDay(
                    opt.days,
                    [&](const refhost::SimulationProgress& p) {
                        QMetaObject::invokeMethod(&window, [&window, p] {
                            window.setStatus(window.text().simulatedDay(p.day, p.steps));
                        });
                        if (opt.paceMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(opt.paceMs));
                    },
                    &g_stop);
            } catch (...) {
                simError = std::current_exception();
            }
            QMetaObject::invokeMethod(&app, [&] {
                if (simError) {
                    try {
                        std::rethrow_exception(simError);
                    } catch (const std::exception& e) {
                        log(sdk::LogLevel::Error, std::string("simulation stopped: ") + e.what());
                    }
                } else {
                    std::string acts;
                    for (auto& [name, n] : summary.actions) acts += " " + name + "=" + std::to_string(n);
                    std::string entries;
                    for (auto& [name, n] : summary.entries)
                        entries += (entries.empty() ? "" : ", ") + name + " " + std::to_string(n);
                    if (!entries.empty()) log(sdk::LogLevel::Info, "staff entries through plugin actions: " + entries);
                    if (!summary.lastRefusal.empty())
                        log(sdk::LogLevel::Warning, "last refused entry: " + summary.lastRefusal);
                    log(sdk::LogLevel::Info, "simulated days " + std::to_string(summary.fromDay + 1) + ".." +
                                                 std::to_string(summary.toDay) + ": " +
                                                 std::to_string(summary.stepsPlayed) + " steps;" + acts);
                }
                if (!opt.screenshot.empty()) {
                    const auto shot = refhost::saveFormScreenshot(window, opt.form, opt.screenshot, 1500ms);
                    if (shot.saved)
                        log(sdk::LogLevel::Info, "screenshot saved to " + opt.screenshot.string() +
                                                     (opt.form.empty() ? "" : " (form " + opt.form + ")"));
                    else
                        log(sdk::LogLevel::Error, "could not save screenshot to " + opt.screenshot.string() +
                                                      (shot.error.isEmpty() ? "" : ": " + shot.error.toStdString()));
                }
                if (opt.headless || g_stop) QApplication::quit();
                else window.setStatus(text.simulationFinished());
            });
        });

        // SIGTERM/SIGINT with a window: stop the simulation, then quit.
        QTimer stopWatch;
        QObject::connect(&stopWatch, &QTimer::timeout, [&] {
            if (g_stop && !opt.headless) QApplication::quit();
        });
        stopWatch.start(200);
        if (!opt.headless) window.show();
        // Whatever escapes an event handler still ends in the orderly stop below (the simulator
        // joined, plugins stopped, the log flushed), never in terminate() past a joinable thread.
        int rc = 1;
        try {
            rc = app.exec();
        } catch (const std::exception& e) {
            log(sdk::LogLevel::Error, std::string("the window stopped on an error: ") + e.what());
        } catch (...) {
            log(sdk::LogLevel::Error, "the window stopped on an unknown error");
        }
        g_stop = true;
        worker.join();

        plugins.stopAll();  // plugins go before the host's own modules, in reverse order
        logger.flush();
        return simError ? 1 : rc;
    } catch (const std::exception& e) {
        log(sdk::LogLevel::Error, std::string("cannot start: ") + e.what());
        return 1;
    }
}
