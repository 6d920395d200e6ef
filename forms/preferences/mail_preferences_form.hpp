// A person's say in their own mail: per family of events at once, in the daily digest or never,
// and what they follow or unfollowed. Every change goes through the core's MailPreferences.
#pragma once

#include "common/directory_cache.hpp"
#include "common/forms_context.hpp"
#include "common/lang.hpp"

#include <conduit/crm/notify/preferences.hpp>

#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace conduit::forms {

struct MailPreferencesContext {
    crm::notify::MailPreferences& preferences;
    DirectoryCache& directory;
    sdk::User me;
    // An administrator may choose whose mail they set; everyone else sees their own only. The
    // core refuses what this does not cover.
    bool choosesOthers = false;
    Navigation navigation;  // a double click on a followed project or counterparty opens its card
};

class MailPreferencesForm : public QWidget {
    Q_OBJECT
public:
    MailPreferencesForm(MailPreferencesContext context, Lang lang, QWidget* parent = nullptr);

    void showUser(sdk::Id user);  // whose choices are shown (administrators)
    sdk::Id shownUser() const { return user_; }

    QComboBox* deliveryBox(crm::notify::MailFamily family) const;  // data: -1 as the rules say, else Delivery
    QComboBox* userBox() const { return userBox_; }                // null unless choosesOthers
    QTableWidget* followsTable() const { return follows_; }
    QPushButton* followToggle() const { return toggle_; }
    QLabel* status() const { return status_; }
    // As a click on the button under the follows: unfollow what is followed, follow again what was unfollowed.
    bool toggleSelectedFollow();

private:
    void buildFamilies(QWidget* box);
    void buildFollows(QWidget* box);
    void loadChoices();
    void loadFollows();
    void choose(crm::notify::MailFamily family, int index);
    QString followState(bool following) const;
    QString subjectName(const crm::SubjectRef& subject);
    void openSubject(int row);
    void updateToggle();
    void showProblem(const std::exception& error);

    MailPreferencesContext ctx_;
    Lang lang_;
    sdk::Id user_ = 0;
    std::vector<std::pair<crm::notify::MailFamily, QComboBox*>> boxes_;
    std::vector<crm::notify::Follow> shownFollows_;
    QComboBox* userBox_ = nullptr;
    QTableWidget* follows_ = nullptr;
    QPushButton* toggle_ = nullptr;
    QLabel* status_ = nullptr;
    bool loading_ = false;  // the boxes are being filled: not a user's choice
};

}  // namespace conduit::forms
