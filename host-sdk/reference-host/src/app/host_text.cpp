#include "host_text.hpp"

#include <QStringList>

namespace refhost {
namespace {

struct DepartmentWords {
    const char* code;
    const char* en;
    const char* ru;
    const char* pl;
};
constexpr DepartmentWords kDepartments[] = {
    {"dispatch", "Dispatch department", "Диспетчерская служба", "Dział dyspozytorski"},
    {"finance", "Finance department", "Финансовый отдел", "Dział finansowy"},
    {"orders", "Order department", "Отдел заказов", "Dział zamówień"},
    {"measurement", "Measurement department", "Отдел замеров", "Dział pomiarów"},
    {"production", "Production", "Производство", "Produkcja"},
    {"sales", "Sales department", "Отдел продаж", "Dział sprzedaży"},
    {"management", "Management board", "Руководство", "Zarząd"},
    {"admin", "IT administration", "ИТ-администрирование", "Administracja IT"},
};

QString joined(const std::vector<std::string>& items) {
    QStringList out;
    for (const auto& i : items) out << QString::fromStdString(i);
    return out.join(QStringLiteral(", "));
}

}  // namespace

HostLanguage hostLanguageOf(std::string_view locale) {
    const auto language = locale.substr(0, 2);
    if (language == "ru" || language == "RU") return HostLanguage::Ru;
    if (language == "pl" || language == "PL") return HostLanguage::Pl;
    return HostLanguage::En;
}

std::string HostText::code() const {
    return language_ == HostLanguage::Ru ? "ru" : language_ == HostLanguage::Pl ? "pl" : "en";
}

QString HostText::qtLocaleName() const {
    return language_ == HostLanguage::Ru ? QStringLiteral("ru_RU")
           : language_ == HostLanguage::Pl ? QStringLiteral("pl_PL")
                                           : QStringLiteral("en_GB");
}

QString HostText::suiteTitle() const {
    return pick("Conduit reference suite", "Эталонный комплекс Conduit", "Pakiet referencyjny Conduit");
}
QString HostText::homeTab() const { return pick("Home", "Главная", "Start"); }
QString HostText::homeText() const {
    return pick("Reference production suite.\nPlugins add their forms to the menus above.",
                "Эталонный производственный комплекс.\nПлагины добавляют свои формы в меню выше.",
                "Referencyjny pakiet produkcyjny.\nWtyczki dodają swoje formularze do menu powyżej.");
}
QString HostText::suiteMenu() const { return pick("&Suite", "&Система", "&Pakiet"); }
QString HostText::signInAction() const { return pick("&Sign in as…", "&Войти как…", "&Zaloguj jako…"); }
QString HostText::quitAction() const { return pick("&Quit", "В&ыход", "Za&kończ"); }

QString HostText::departmentName(const conduit::sdk::Department& department) const {
    for (const auto& d : kDepartments)
        if (department.code == d.code) return pick(d.en, d.ru, d.pl);
    return QString::fromStdString(department.name.empty() ? department.code : department.name);
}

QString HostText::signedIn(const conduit::sdk::User& user, const QString& department) const {
    const QString who = QString::fromStdString(user.fullName) + QStringLiteral(" (") +
                        QString::fromStdString(user.login) + QStringLiteral(")");
    const QString line = pick("Signed in: %1", "Вы вошли как: %1", "Zalogowany: %1").arg(who);
    return department.isEmpty() ? line : line + QStringLiteral(" · ") + department;
}

QString HostText::windowTitle(const conduit::sdk::User& user) const {
    return suiteTitle() + QStringLiteral(" — ") + QString::fromStdString(user.fullName);
}

QString HostText::simulatedDay(int day, long long steps) const {
    return pick("Simulated day %1, %2 steps", "Смоделирован день %1, шагов: %2", "Symulowany dzień %1, kroków: %2")
        .arg(day)
        .arg(steps);
}
QString HostText::simulationFinished() const {
    return pick("Simulation finished", "Моделирование завершено", "Symulacja zakończona");
}

QString HostText::signInTitle() const { return pick("Sign in as", "Войти как", "Zaloguj jako"); }
QString HostText::signInHint() const {
    return pick("The suite restarts for the chosen person; the simulation continues where it stopped.",
                "Комплекс перезапустится для выбранного сотрудника; моделирование продолжится с того же места.",
                "Pakiet uruchomi się ponownie dla wybranej osoby; symulacja będzie kontynuowana od miejsca zatrzymania.");
}
QString HostText::signInButton() const { return pick("Sign in", "Войти", "Zaloguj"); }
QString HostText::nameColumn() const { return pick("Name", "Имя", "Imię i nazwisko"); }
QString HostText::loginColumn() const { return pick("Login", "Логин", "Login"); }
QString HostText::departmentColumn() const { return pick("Department", "Отдел", "Dział"); }

QString HostText::unknownUser(const std::string& login, const std::vector<std::string>& logins) const {
    return pick("No user with the login \"%1\". Users: %2.", "Нет пользователя с логином «%1». Пользователи: %2.",
                "Brak użytkownika o loginie „%1”. Użytkownicy: %2.")
        .arg(QString::fromStdString(login), joined(logins));
}

QString HostText::unknownForm(const std::string& id, const std::vector<std::string>& ids) const {
    if (ids.empty()) return noForms();
    return pick("No form \"%1\" for this user. Forms: %2.", "Нет формы «%1» для этого пользователя. Формы: %2.",
                "Brak formularza „%1” dla tego użytkownika. Formularze: %2.")
        .arg(QString::fromStdString(id), joined(ids));
}

QString HostText::cannotRead(const std::string& what, const std::string& reason) const {
    return pick("Cannot read %1%2", "Не удаётся прочитать %1%2", "Nie można odczytać %1%2")
        .arg(QString::fromStdString(what), reason.empty() ? QString() : ": " + QString::fromStdString(reason));
}

QString HostText::fileTooLarge(const std::string& path, std::uintmax_t megabytes, std::uintmax_t limit) const {
    return pick("%1: %2 MB, more than the %3 MB a contact file may have", "%1: %2 МБ, больше допустимых для файла контактов %3 МБ",
                "%1: %2 MB, więcej niż dopuszczalne dla pliku kontaktów %3 MB")
        .arg(QString::fromStdString(path))
        .arg(static_cast<qulonglong>(megabytes))
        .arg(static_cast<qulonglong>(limit));
}

QString HostText::notAField(const std::string& text) const {
    return pick("Not NAME=VALUE: %1", "Не в виде ИМЯ=ЗНАЧЕНИЕ: %1", "Nie w postaci NAZWA=WARTOŚĆ: %1").arg(QString::fromStdString(text));
}

QString HostText::noActionProvider(const std::string& action) const {
    return pick("No plugin offers the action %1", "Ни один плагин не предлагает действие %1", "Żadna wtyczka nie oferuje akcji %1")
        .arg(QString::fromStdString(action));
}

QString HostText::noForms() const {
    return pick("No plugin has registered a form.", "Ни один плагин не зарегистрировал форму.",
                "Żadna wtyczka nie zarejestrowała formularza.");
}

QString HostText::formNotOpened(const std::string& id) const {
    return pick("The form \"%1\" could not be opened (see the log).", "Не удалось открыть форму «%1» (см. журнал).",
                "Nie udało się otworzyć formularza „%1” (zob. dziennik).")
        .arg(QString::fromStdString(id));
}

QString HostText::restartFailed(const std::string& reason) const {
    return pick("Cannot restart the suite: %1", "Не удалось перезапустить комплекс: %1",
                "Nie można ponownie uruchomić pakietu: %1")
        .arg(QString::fromStdString(reason));
}

}  // namespace refhost
