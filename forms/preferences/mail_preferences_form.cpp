#include "preferences/mail_preferences_form.hpp"

#include "common/event_look.hpp"
#include "common/exception_barrier.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conduit::forms {

using crm::notify::Delivery;
using crm::notify::MailFamily;

namespace {

constexpr int kAsTheRulesSay = -1;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QTableWidgetItem* cell(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

}  // namespace

MailPreferencesForm::MailPreferencesForm(MailPreferencesContext context, Lang lang, QWidget* parent)
    : QWidget(parent), ctx_(std::move(context)), lang_(lang), user_(ctx_.me.id) {
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(lang_.pick("My mail from the CRM", "Моя почта из CRM", "Moja poczta z CRM")), this);
    layout->addWidget(title);
    if (ctx_.choosesOthers) {
        auto* row = new QHBoxLayout;
        row->addWidget(new QLabel(lang_.pick("Whose mail:", "Чья почта:", "Czyja poczta:"), this));
        userBox_ = new QComboBox(this);
        for (const auto& u : ctx_.directory.users()) userBox_->addItem(qs(u.fullName.empty() ? u.login : u.fullName), QVariant::fromValue<qlonglong>(u.id));
        userBox_->setCurrentIndex(userBox_->findData(QVariant::fromValue<qlonglong>(user_)));
        row->addWidget(userBox_, 1);
        layout->addLayout(row);
        connect(userBox_, &QComboBox::currentIndexChanged, this, guarded(this, "mail preferences: whose", [this] {
                    showUser(userBox_->currentData().toLongLong());
                }));
    }
    buildFamilies(this);
    buildFollows(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    layout->addWidget(status_);
    layout->addStretch(1);
    loadChoices();
    loadFollows();
}

void MailPreferencesForm::buildFamilies(QWidget* box) {
    const auto reader = crm::Locale::of(lang_.locale());
    auto* form = new QFormLayout;
    for (auto family : crm::notify::mailFamilies()) {
        auto* combo = new QComboBox(box);
        combo->addItem(lang_.pick("As the rules say", "Как в правилах", "Jak w regułach"), kAsTheRulesSay);
        for (auto d : {Delivery::AtOnce, Delivery::Digest, Delivery::Never}) combo->addItem(qs(crm::notify::deliveryName(d, reader)), static_cast<int>(d));
        form->addRow(qs(crm::notify::familyName(family, reader)), combo);
        boxes_.emplace_back(family, combo);
        connect(combo, &QComboBox::currentIndexChanged, this,
                guarded(this, "mail preferences: choose", [this, family](int index) { choose(family, index); }));
    }
    static_cast<QVBoxLayout*>(layout())->addLayout(form);
    auto* hint = new QLabel(lang_.pick("High and critical events come at once even when a family goes into the digest; "
                                       "“never” still shows them in the feed.",
                                       "Важные и критические события приходят сразу, даже если семейство идёт в сводку; "
                                       "«никогда» оставляет их в ленте.",
                                       "Zdarzenia ważne i krytyczne przychodzą od razu, nawet gdy rodzina idzie do podsumowania; "
                                       "„nigdy” zostawia je w kanale zdarzeń."),
                            box);
    hint->setWordWrap(true);
    hint->setStyleSheet(QStringLiteral("color: #666"));
    layout()->addWidget(hint);
}

void MailPreferencesForm::buildFollows(QWidget* box) {
    layout()->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(lang_.pick("Followed and unfollowed", "Отслеживаемое", "Obserwowane")), box));
    follows_ = new QTableWidget(0, 3, box);
    follows_->setHorizontalHeaderLabels({lang_.pick("What", "Что", "Co"), lang_.pick("Mail", "Почта", "Poczta"),
                                         lang_.pick("Since", "С", "Od")});
    follows_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    follows_->verticalHeader()->hide();
    follows_->setSelectionBehavior(QAbstractItemView::SelectRows);
    follows_->setSelectionMode(QAbstractItemView::SingleSelection);
    follows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout()->addWidget(follows_);
    toggle_ = new QPushButton(box);
    layout()->addWidget(toggle_);
    connect(follows_, &QTableWidget::itemSelectionChanged, this, [this] { updateToggle(); });
    connect(follows_, &QTableWidget::cellDoubleClicked, this, guarded(this, "mail preferences: open", [this](int row, int) { openSubject(row); }));
    connect(toggle_, &QPushButton::clicked, this, guarded(this, "mail preferences: follow", [this] { toggleSelectedFollow(); }));
}

void MailPreferencesForm::showUser(sdk::Id user) {
    user_ = user;
    status_->clear();
    loadChoices();
    loadFollows();
}

void MailPreferencesForm::loadChoices() {
    std::map<MailFamily, Delivery> chosen;
    try {
        chosen = ctx_.preferences.of(user_);
    } catch (const std::exception& e) {
        showProblem(e);
    }
    loading_ = true;
    for (auto& [family, combo] : boxes_) {
        const auto it = chosen.find(family);
        combo->setCurrentIndex(combo->findData(it == chosen.end() ? kAsTheRulesSay : static_cast<int>(it->second)));
    }
    loading_ = false;
}

void MailPreferencesForm::choose(MailFamily family, int index) {
    if (loading_) return;
    auto* combo = deliveryBox(family);
    const int data = combo->itemData(index).toInt();
    const std::optional<Delivery> delivery = data == kAsTheRulesSay ? std::nullopt : std::optional(static_cast<Delivery>(data));
    try {
        ctx_.preferences.set(ctx_.me.id, user_, family, delivery);
        const auto reader = crm::Locale::of(lang_.locale());
        status_->setText(lang_.pick("Saved: %1 — %2.", "Сохранено: %1 — %2.", "Zapisano: %1 — %2.")
                             .arg(qs(crm::notify::familyName(family, reader)), combo->itemText(index)));
    } catch (const std::exception& e) {
        showProblem(e);
        loadChoices();  // back to what is stored
    }
}

void MailPreferencesForm::loadFollows() {
    shownFollows_.clear();
    try {
        shownFollows_ = ctx_.preferences.follows(user_);
    } catch (const std::exception& e) {
        showProblem(e);
    }
    follows_->setRowCount(static_cast<int>(shownFollows_.size()));
    for (std::size_t i = 0; i < shownFollows_.size(); ++i) {
        const auto& f = shownFollows_[i];
        const int row = static_cast<int>(i);
        follows_->setItem(row, 0, cell(subjectName(f.subject)));
        follows_->setItem(row, 1, cell(followState(f.following)));
        follows_->setItem(row, 2, cell(f.changedAt == sdk::TimePoint{} ? QString() : formatTime(f.changedAt)));
    }
    updateToggle();
}

QString MailPreferencesForm::followState(bool following) const {
    return following ? lang_.pick("followed: in the digest", "отслеживается: в сводке", "obserwowane: w podsumowaniu")
                     : lang_.pick("unfollowed: urgent mail only", "не отслеживается: только срочное", "nieobserwowane: tylko pilne");
}

QString MailPreferencesForm::subjectName(const crm::SubjectRef& subject) {
    if (subject.type == crm::subject_types::project)
        return lang_.pick("Project %1", "Проект %1", "Projekt %1").arg(ctx_.directory.projectLabel(subject.id));
    if (subject.type == crm::subject_types::counterparty)
        return lang_.pick("Counterparty %1", "Контрагент %1", "Kontrahent %1").arg(ctx_.directory.counterpartyName(subject.id));
    return QStringLiteral("%1 #%2").arg(qs(std::string(subject.type.code()))).arg(subject.id);
}

void MailPreferencesForm::openSubject(int row) {
    if (row < 0 || row >= static_cast<int>(shownFollows_.size())) return;
    const auto& subject = shownFollows_[static_cast<std::size_t>(row)].subject;
    if (subject.type == crm::subject_types::project && ctx_.navigation.openProject) ctx_.navigation.openProject(subject.id);
    if (subject.type == crm::subject_types::counterparty && ctx_.navigation.openCounterparty) ctx_.navigation.openCounterparty(subject.id);
}

void MailPreferencesForm::updateToggle() {
    const int row = follows_->currentRow();
    const bool any = row >= 0 && row < static_cast<int>(shownFollows_.size()) && !follows_->selectedItems().isEmpty();
    toggle_->setEnabled(any);
    const bool following = any && shownFollows_[static_cast<std::size_t>(row)].following;
    toggle_->setText(!any || following ? lang_.pick("Stop following", "Перестать следить", "Przestań obserwować")
                                       : lang_.pick("Follow again", "Снова следить", "Obserwuj ponownie"));
}

// The change is an event the writer commits a moment later: the row shows what was chosen rather
// than reading the follows back before that.
bool MailPreferencesForm::toggleSelectedFollow() {
    const int row = follows_->currentRow();
    if (row < 0 || row >= static_cast<int>(shownFollows_.size())) return false;
    auto& f = shownFollows_[static_cast<std::size_t>(row)];
    try {
        ctx_.preferences.follow(ctx_.me.id, user_, f.subject, !f.following);
    } catch (const std::exception& e) {
        showProblem(e);
        return false;
    }
    f.following = !f.following;
    follows_->item(row, 1)->setText(followState(f.following));
    status_->setText(f.following ? lang_.pick("Followed again.", "Снова отслеживается.", "Znowu obserwowane.")
                                 : lang_.pick("No longer followed.", "Больше не отслеживается.", "Już nieobserwowane."));
    updateToggle();
    return true;
}

QComboBox* MailPreferencesForm::deliveryBox(MailFamily family) const {
    for (const auto& [f, combo] : boxes_)
        if (f == family) return combo;
    return nullptr;
}

void MailPreferencesForm::showProblem(const std::exception& error) {
    const auto reader = crm::Locale::of(lang_.locale());
    if (const auto* p = dynamic_cast<const crm::notify::PreferenceError*>(&error)) {
        status_->setText(qs(crm::notify::describe(*p, reader)));
        return;
    }
    status_->setText(lang_.pick("Your mail settings cannot be read or saved now; try again in a moment.",
                                "Настройки почты сейчас недоступны; повторите через минуту.",
                                "Ustawień poczty nie można teraz odczytać ani zapisać; spróbuj za chwilę."));
}

}  // namespace conduit::forms
