// The reference host's own wording in Russian, Polish and English: menus, tabs, the status bar,
// the sign-in dialog and the errors a person reads. The host keeps its own table (no plugin's).
#pragma once

#include <conduit/sdk/directory.hpp>

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace refhost {

enum class HostLanguage { En, Ru, Pl };

// "ru", "ru_RU", "ru-RU" → Russian, "pl…" → Polish; anything else reads English.
HostLanguage hostLanguageOf(std::string_view locale);

class HostText {
public:
    explicit HostText(std::string_view locale = "en") : language_(hostLanguageOf(locale)) {}

    // Literals are UTF-8 source text; one call per visible string keeps the three side by side.
    QString pick(const char* en, const char* ru, const char* pl) const {
        return QString::fromUtf8(language_ == HostLanguage::Ru ? ru : language_ == HostLanguage::Pl ? pl : en);
    }
    HostLanguage language() const { return language_; }
    // The language code ("ru", "pl", "en") and the locale the workstation's widgets follow
    // (the same as the CRM's formatter: en_GB for English).
    std::string code() const;
    QString qtLocaleName() const;

    QString suiteTitle() const;
    QString homeTab() const;
    QString homeText() const;
    QString suiteMenu() const;
    QString signInAction() const;
    QString quitAction() const;

    // A department by its code in this language (the host's own name when the code is not one
    // of the company's).
    QString departmentName(const conduit::sdk::Department& department) const;
    // "Signed in: Anna Nowak (a.nowak) · Dispatch department"
    QString signedIn(const conduit::sdk::User& user, const QString& department) const;
    QString windowTitle(const conduit::sdk::User& user) const;

    QString simulatedDay(int day, long long steps) const;
    // A plugin action run from the command line.
    QString cannotRead(const std::string& what, const std::string& reason) const;
    QString fileTooLarge(const std::string& path, std::uintmax_t megabytes, std::uintmax_t limit) const;
    QString notAField(const std::string& text) const;
    QString noActionProvider(const std::string& action) const;
    QString simulationFinished() const;

    // The sign-in dialog.
    QString signInTitle() const;
    QString signInHint() const;
    QString signInButton() const;
    QString nameColumn() const;
    QString loginColumn() const;
    QString departmentColumn() const;

    // Errors of the command line, each naming what exists instead.
    QString unknownUser(const std::string& login, const std::vector<std::string>& logins) const;
    QString unknownForm(const std::string& id, const std::vector<std::string>& ids) const;
    QString noForms() const;
    QString formNotOpened(const std::string& id) const;
    QString restartFailed(const std::string& reason) const;

private:
    HostLanguage language_;
};

}  // namespace refhost
