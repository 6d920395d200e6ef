// The reference host's window as people meet it (offscreen): Qt's own dialogs and the host's own
// texts in pl/ru/en, the signed-in user of every role, the sign-in dialog, --form screenshots.
#include "host_test_support.hpp"

#include "form_screenshot.hpp"
#include "host_text.hpp"
#include "main_window.hpp"
#include "qt_translations.hpp"
#include "sign_in_dialog.hpp"
#include "simulator.hpp"
#include "workstation_user.hpp"

#include <conduit/crm/access/roles.hpp>

#include <gtest/gtest.h>

#include <QApplication>
#include <QCalendarWidget>
#include <QDialogButtonBox>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QPointer>

#include <set>

using namespace hosttest;
using conduit::test::TempDir;
using namespace std::chrono_literals;

namespace {

class QtEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
        static int argc = 1;
        static char name[] = "host_app_tests";
        static char* argv[] = {name, nullptr};
        app_ = std::make_unique<QApplication>(argc, argv);
    }
    void TearDown() override { app_.reset(); }

private:
    std::unique_ptr<QApplication> app_;
};
[[maybe_unused]] static auto* const kQtEnvironment = ::testing::AddGlobalTestEnvironment(new QtEnvironment);

// Installs the language for one test and goes back to English after it.
struct Language {
    explicit Language(const char* locale) : text(locale) { installQtTranslations(*qApp, text); }
    ~Language() { installQtTranslations(*qApp, refhost::HostText("en")); }
    refhost::HostText text;
};
using refhost::installQtTranslations;

QString buttonText(QMessageBox::StandardButton which) {
    QMessageBox box;
    box.setStandardButtons(QMessageBox::Ok | QMessageBox::Cancel | QMessageBox::Yes | QMessageBox::No);
    return box.button(which)->text();
}

// A suite of the seed data in a temporary folder, with a few simulated days (projects and their
// managers exist then).
struct SeededSuite {
    TempDir dir{"host-app"};
    QuietLogger logger;
    std::unique_ptr<refhost::ReferenceSuite> suite = openSuite(dir.path(), logger);
    sdk::IDirectory& directory() { return suite->directory(); }
};

QMenu* topMenu(refhost::MainWindow& w, int index) { return w.menuBar()->actions().at(index)->menu(); }

}  // namespace

TEST(QtTranslations, DebiansCataloguesAreTheOnesLoaded) {
    const auto loaded = installQtTranslations(*qApp, refhost::HostText("ru"));
    installQtTranslations(*qApp, refhost::HostText("en"));
    ASSERT_EQ(loaded.size(), 2) << loaded.join(", ").toStdString();
    EXPECT_TRUE(loaded[0].endsWith("/qtbase_ru.qm")) << loaded[0].toStdString();
    EXPECT_TRUE(loaded[1].endsWith("/qtwebengine_ru.qm")) << loaded[1].toStdString();
}

TEST(QtTranslations, StandardButtonsReadPolishUnderPl) {
    Language pl("pl");
    EXPECT_EQ(buttonText(QMessageBox::Cancel), QString::fromUtf8("&Anuluj").remove('&'));
    EXPECT_EQ(buttonText(QMessageBox::Yes).remove('&'), QString::fromUtf8("Tak"));
    EXPECT_EQ(buttonText(QMessageBox::No).remove('&'), QString::fromUtf8("Nie"));
}

TEST(QtTranslations, StandardButtonsReadRussianUnderRu) {
    Language ru("ru");
    EXPECT_EQ(buttonText(QMessageBox::Cancel).remove('&'), QString::fromUtf8("Отмена"));
    EXPECT_EQ(buttonText(QMessageBox::Yes).remove('&'), QString::fromUtf8("Да"));
    EXPECT_EQ(buttonText(QMessageBox::No).remove('&'), QString::fromUtf8("Нет"));
    QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    EXPECT_EQ(buttons.button(QDialogButtonBox::Cancel)->text().remove('&'), QString::fromUtf8("Отмена"));
}

TEST(QtTranslations, TheFileDialogIsTranslatedToo) {
    Language pl("pl");
    EXPECT_NE(QCoreApplication::translate("QFileDialog", "File &name:"), QStringLiteral("File &name:"));
    Language ru("ru");
    EXPECT_NE(QCoreApplication::translate("QFileDialog", "File &name:"), QStringLiteral("File &name:"));
}

TEST(QtTranslations, EnglishStaysEnglishAndSwitchingBackRemovesTheCatalogue) {
    { Language pl("pl"); }
    EXPECT_TRUE(installQtTranslations(*qApp, refhost::HostText("en")).isEmpty());
    EXPECT_EQ(buttonText(QMessageBox::Cancel).remove('&'), QStringLiteral("Cancel"));
}

TEST(QtTranslations, DateWidgetsFollowTheWorkstationsLocale) {
    {
        Language pl("pl");
        EXPECT_EQ(QLocale().name(), QStringLiteral("pl_PL"));
        EXPECT_EQ(QLocale().dayName(1), QString::fromUtf8("poniedziałek"));
        QCalendarWidget calendar;
        EXPECT_EQ(calendar.locale().name(), QStringLiteral("pl_PL"));
        EXPECT_EQ(calendar.firstDayOfWeek(), Qt::Monday);
        EXPECT_EQ(QLocale().toString(12345.5, 'f', 2), QString::fromUtf8("12\u00a0345,50"));
    }
    {
        Language ru("ru");
        EXPECT_EQ(QLocale().name(), QStringLiteral("ru_RU"));
        EXPECT_EQ(QLocale().dayName(1), QString::fromUtf8("понедельник"));
    }
    Language en("en");
    EXPECT_EQ(QLocale().name(), QStringLiteral("en_GB"));  // the CRM's English formats are en_GB too
    EXPECT_EQ(QCalendarWidget().firstDayOfWeek(), Qt::Monday);
}

TEST(HostTexts, TheWindowsOwnTextsAreInEachLanguage) {
    const char* locales[] = {"en", "ru", "pl"};
    std::set<QString> menus, homes, tabs;
    for (const char* locale : locales) {
        Language lang(locale);
        refhost::MainWindow w(lang.text);
        menus.insert(topMenu(w, 0)->title());
        auto* tabsWidget = w.findChild<QTabWidget*>();
        ASSERT_NE(tabsWidget, nullptr);
        tabs.insert(tabsWidget->tabText(0));
        homes.insert(qobject_cast<QLabel*>(tabsWidget->widget(0))->text());
    }
    EXPECT_EQ(menus, (std::set<QString>{"&Suite", QString::fromUtf8("&Система"), "&Pakiet"}));
    EXPECT_EQ(tabs, (std::set<QString>{"Home", QString::fromUtf8("Главная"), "Start"}));
    EXPECT_EQ(homes.size(), 3u);
    EXPECT_EQ(refhost::HostText("pl").suiteTitle(), QString::fromUtf8("Pakiet referencyjny Conduit"));
    EXPECT_EQ(refhost::HostText("ru_RU").signInAction(), QString::fromUtf8("&Войти как…"));
    EXPECT_EQ(refhost::HostText("xx").quitAction(), QStringLiteral("&Quit"));  // unknown reads English
}

TEST(HostTexts, StatusBarAndSimulationLinesAreTranslated) {
    const refhost::HostText pl("pl"), ru("ru");
    EXPECT_EQ(pl.simulatedDay(3, 70), QString::fromUtf8("Symulowany dzień 3, kroków: 70"));
    EXPECT_EQ(ru.simulatedDay(3, 70), QString::fromUtf8("Смоделирован день 3, шагов: 70"));
    EXPECT_EQ(ru.simulationFinished(), QString::fromUtf8("Моделирование завершено"));
    const sdk::Department finance{2, "finance", "Dział finansowy"};
    EXPECT_EQ(ru.departmentName(finance), QString::fromUtf8("Финансовый отдел"));
    EXPECT_EQ(refhost::HostText("en").departmentName(finance), QStringLiteral("Finance department"));
    // A department outside the company's list keeps the host's own name.
    EXPECT_EQ(ru.departmentName({9, "partners", "Partnerzy"}), QStringLiteral("Partnerzy"));
}

TEST(MainWindowMenus, SuiteAndPluginMenusHaveMnemonics) {
    refhost::MainWindow w(refhost::HostText("pl"));
    w.addForm({"demo.form", "Demo", "CRM/Stanowisko dyspozytora", false, [](QWidget* p) { return new QLabel("x", p); }});
    w.addForm({"demo.other", "Other", "CRM/Karta projektu", false, [](QWidget* p) { return new QLabel("y", p); }});
    ASSERT_EQ(w.menuBar()->actions().size(), 2);
    EXPECT_EQ(w.menuBar()->actions().at(0)->text(), QStringLiteral("&Pakiet"));
    EXPECT_EQ(w.menuBar()->actions().at(1)->text(), QStringLiteral("&CRM"));
    const auto items = topMenu(w, 1)->actions();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items.at(0)->text(), QStringLiteral("&Stanowisko dyspozytora"));
    EXPECT_EQ(items.at(1)->text(), QStringLiteral("&Karta projektu"));
    // The first free letter when the first one is taken; a label with its own '&' stays.
    QMenu menu;
    menu.addAction(QStringLiteral("&Pakiet"));
    EXPECT_EQ(refhost::withMnemonic(QStringLiteral("Pomiar"), menu.actions()), QStringLiteral("P&omiar"));
    EXPECT_EQ(refhost::withMnemonic(QStringLiteral("Oak && Glass"), menu.actions()), QStringLiteral("Oak && Glass"));
}

TEST(SignedInUser, EveryRoleHasASeededUserWithALogin) {
    SeededSuite s;
    std::set<conduit::crm::Role> covered;
    for (const auto& u : s.directory().users()) {
        ASSERT_FALSE(u.login.empty()) << u.fullName;
        const auto d = s.directory().department(u.departmentId);
        ASSERT_TRUE(d) << u.login;
        if (auto role = conduit::crm::roleOfDepartment(d->code)) covered.insert(*role);
    }
    // Project managers are the simulator's staff who manage projects.
    refhost::Simulator(*s.suite, 1).runUntilDay(2);
    for (const auto& p : s.directory().projects())
        if (s.directory().user(p.managerUserId)) covered.insert(conduit::crm::Role::ProjectManager);
    for (auto role : conduit::crm::allRoles()) {
        if (role == conduit::crm::Role::Client) continue;  // external clients are not staff
        EXPECT_TRUE(covered.count(role)) << conduit::crm::roleCode(role);
    }
}

TEST(SignedInUser, LoginPicksTheUserAndTheStatusBarNamesThemAndTheirDepartment) {
    SeededSuite s;
    const refhost::HostText ru("ru");
    for (const char* login : {"a.nowak", "m.kaminska", "z.kozlowska", "l.wozniak", "p.wisniewski", "k.kowalczyk",
                              "s.krawczyk", "admin"}) {
        const auto user = refhost::findUserByLogin(s.directory(), login);
        ASSERT_TRUE(user) << login;
        EXPECT_EQ(user->login, login);
        refhost::MainWindow w(ru);
        const auto department = refhost::departmentOf(s.directory(), *user, ru);
        w.setSignedIn(*user, department);
        const auto shown = w.statusBar()->findChildren<QLabel*>();
        bool found = false;
        for (auto* label : shown) found = found || label->text() == w.signedInText();
        EXPECT_TRUE(found) << "the status bar holds the signed-in line";
        EXPECT_TRUE(w.signedInText().contains(QString::fromStdString(user->fullName))) << login;
        EXPECT_TRUE(w.signedInText().contains(QString::fromStdString(user->login))) << login;
        EXPECT_TRUE(w.signedInText().contains(department)) << login;
        EXPECT_FALSE(department.isEmpty()) << login;
        EXPECT_TRUE(w.signedInText().startsWith(QString::fromUtf8("Вы вошли как: "))) << w.signedInText().toStdString();
        EXPECT_TRUE(w.windowTitle().contains(QString::fromStdString(user->fullName)));
    }
    EXPECT_EQ(refhost::departmentOf(s.directory(), *refhost::findUserByLogin(s.directory(), "admin"), ru),
              QString::fromUtf8("ИТ-администрирование"));
    EXPECT_FALSE(refhost::findUserByLogin(s.directory(), "nobody"));
    const auto error = ru.unknownUser("nobody", refhost::loginsOf(s.directory()));
    EXPECT_TRUE(error.contains("nobody") && error.contains("m.kaminska") && error.contains(QString::fromUtf8("Нет пользователя")))
        << error.toStdString();
}

TEST(SignInDialog, ListsEveryUserWithNameLoginAndDepartment) {
    SeededSuite s;
    Language pl("pl");
    const auto users = s.directory().users();
    refhost::SignInDialog dialog(users, s.directory().departments(), "l.wozniak", pl.text);
    ASSERT_EQ(dialog.list()->topLevelItemCount(), static_cast<int>(users.size()));
    for (int i = 0; i < dialog.list()->topLevelItemCount(); ++i) {
        const auto* item = dialog.list()->topLevelItem(i);
        EXPECT_EQ(item->text(0).toStdString(), users[i].fullName);
        EXPECT_EQ(item->text(1).toStdString(), users[i].login);
        EXPECT_EQ(item->text(2), refhost::departmentOf(s.directory(), users[i], pl.text));
    }
    EXPECT_EQ(dialog.selectedLogin(), "l.wozniak") << "the current user is highlighted";
    dialog.list()->setCurrentItem(dialog.list()->topLevelItem(2));
    EXPECT_EQ(dialog.selectedLogin(), users[2].login);
    auto* buttons = dialog.findChild<QDialogButtonBox*>();
    ASSERT_NE(buttons, nullptr);
    EXPECT_EQ(buttons->button(QDialogButtonBox::Ok)->text(), QStringLiteral("Zaloguj"));
    EXPECT_EQ(buttons->button(QDialogButtonBox::Cancel)->text().remove('&'), QStringLiteral("Anuluj"));
    EXPECT_EQ(dialog.list()->headerItem()->text(2), QString::fromUtf8("Dział"));
}

TEST(SignIn, TheRestartKeepsEveryOptionAndTheDataFolderAndReplacesTheUser) {
    // --form was the first person's choice: the next one may not have that form.
    const std::vector<std::string> given{"/x/conduit-host", "--plugins", "p", "--user", "a.nowak", "--locale", "ru",
                                         "--user=j.smith", "--form", "crm.notification-rules", "--days", "30"};
    EXPECT_EQ(refhost::relaunchArguments(given, "admin", "/data/demo"),
              (std::vector<std::string>{"/x/conduit-host", "--plugins", "p", "--locale", "ru", "--days", "30", "--data",
                                        "/data/demo", "--user", "admin"}));
    const std::vector<std::string> withData{"host", "--data=/d", "--form=crm.project", "--plugins", "p"};
    EXPECT_EQ(refhost::relaunchArguments(withData, "l.wozniak", "/d"),
              (std::vector<std::string>{"host", "--plugins", "p", "--data", "/d", "--user", "l.wozniak"}));
}

TEST(FormScreenshot, AnUnknownIdIsRefusedNamingTheFormsThereAre) {
    TempDir dir("host-shot");
    refhost::MainWindow w(refhost::HostText("pl"));
    w.addForm({"demo.card", "Karta", "CRM/Karta", false, [](QWidget* p) { return new QLabel("card", p); }});
    w.addForm({"demo.feed", "Lista", "CRM/Lista", false, [](QWidget* p) { return new QLabel("feed", p); }});
    const auto r = refhost::saveFormScreenshot(w, "demo.nope", dir / "x.png", 0ms);
    EXPECT_FALSE(r.saved);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.png"));
    EXPECT_TRUE(r.error.contains(QString::fromUtf8("Brak formularza „demo.nope”"))) << r.error.toStdString();
    EXPECT_TRUE(r.error.contains("demo.card (Karta)") && r.error.contains("demo.feed (Lista)")) << r.error.toStdString();
    // A form that fails to build says so, not "unknown".
    w.addForm({"demo.broken", "Zepsuty", "CRM/Zepsuty", false, [](QWidget*) -> QWidget* { return nullptr; }});
    const auto broken = refhost::saveFormScreenshot(w, "demo.broken", dir / "y.png", 0ms);
    EXPECT_FALSE(broken.saved);
    EXPECT_TRUE(broken.error.contains(QString::fromUtf8("Nie udało się otworzyć"))) << broken.error.toStdString();
}

TEST(FormScreenshot, SavesAPngOfTheWindowWithThatFormInFront) {
    TempDir dir("host-shot");
    refhost::MainWindow w(refhost::HostText("ru"));
    w.addForm({"demo.feed", "Feed", "CRM/Feed", true, [](QWidget* p) { return new QLabel("feed", p); }});
    w.addForm({"demo.card", "Card", "CRM/Card", false, [](QWidget* p) { return new QLabel("card", p); }});
    const auto file = dir / "card.png";
    const auto r = refhost::saveFormScreenshot(w, "demo.card", file, 0ms);
    ASSERT_TRUE(r.saved) << r.error.toStdString();
    EXPECT_EQ(r.pictured, &w);
    EXPECT_TRUE(w.isFormOpen("demo.card"));
    EXPECT_EQ(w.findChild<QTabWidget*>()->currentWidget(), w.formWidget("demo.card"));
    QImage png(QString::fromStdString(file.string()), "PNG");
    ASSERT_FALSE(png.isNull());
    EXPECT_EQ(png.size(), w.size() * w.devicePixelRatio());
}

TEST(FormScreenshot, ADialogTheFormBringsUpIsPicturedOnItsOwn) {
    TempDir dir("host-shot");
    refhost::MainWindow w(refhost::HostText("en"));
    QPointer<QDialog> dialog;
    w.addForm({"demo.dialog", "Entry", "CRM/Entry", false, [&dialog](QWidget* p) {
                   auto* tab = new QLabel("tab", p);
                   dialog = new QDialog(tab);
                   dialog->resize(400, 300);
                   dialog->show();
                   return tab;
               }});
    const auto file = dir / "dialog.png";
    const auto r = refhost::saveFormScreenshot(w, "demo.dialog", file, 0ms);
    ASSERT_TRUE(r.saved) << r.error.toStdString();
    ASSERT_TRUE(dialog);
    EXPECT_EQ(r.pictured, dialog.data());
    QImage png(QString::fromStdString(file.string()), "PNG");
    EXPECT_EQ(png.size(), dialog->size() * dialog->devicePixelRatio());
}
