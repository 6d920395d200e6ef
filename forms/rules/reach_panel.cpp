#include "rules/reach_panel.hpp"


#include <conduit/crm/notify/rules.hpp>

#include <QHeaderView>
#include <QLabel>
#include <QMetaObject>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conduit::forms {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QTableWidgetItem* cell(const QString& text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(align);
    return item;
}

}  // namespace

ReachPanel::ReachPanel(RuleReach reach, Lang lang, QWidget* parent)
    : QWidget(parent), reach_(std::move(reach)), lang_(lang), reader_(crm::Locale::of(lang.locale())) {
    pool_.setMaxThreadCount(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(lang_.pick("<b>Who it would have reached in the last 30 days</b>",
                                        "<b>Кому оно написало бы за последние 30 дней</b>",
                                        "<b>Do kogo trafiłaby w ostatnich 30 dniach</b>"),
                             this);
    layout->addWidget(title);
    auto* caption = new QLabel(lang_.pick("Counted from the stored events, before each person's own mail choices and rights.",
                                          "По сохранённым событиям, без учёта личных настроек почты и прав.",
                                          "Z zapisanych zdarzeń, przed osobistymi ustawieniami poczty i uprawnieniami."),
                               this);
    caption->setWordWrap(true);
    caption->setStyleSheet(QStringLiteral("color: #666"));
    layout->addWidget(caption);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    table_ = new QTableWidget(0, 3, this);
    table_->setHorizontalHeaderLabels({lang_.pick("Person", "Кто", "Osoba"), lang_.pick("Mails", "Писем", "Wiadomości"),
                                       lang_.pick("Events", "Событий", "Zdarzeń")});
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(table_, 1);
    countButton_ = new QPushButton(lang_.pick("Count for the rule as edited", "Посчитать для правила в форме", "Policz dla reguły z formularza"),
                                   this);
    layout->addWidget(countButton_);
    connect(countButton_, &QPushButton::clicked, this, &ReachPanel::countRequested);
}

ReachPanel::~ReachPanel() { pool_.waitForDone(); }

void ReachPanel::clear() {
    ++generation_;
    counting_ = false;
    summary_->clear();
    table_->setRowCount(0);
}

void ReachPanel::count(const crm::notify::Rule& rule) {
    const auto generation = ++generation_;
    counting_ = true;
    summary_->setText(lang_.pick("Counting…", "Считаю…", "Liczę…"));
    pool_.start([this, rule, generation] {
        Outcome outcome;
        try {
            outcome.report = reach_(rule);
        } catch (const std::exception&) {
            outcome.error = lang_.pick("The mails cannot be counted now (the CRM database does not answer); try again in a moment.",
                                       "Письма сейчас не посчитать (база CRM не отвечает); повторите через минуту.",
                                       "Nie można teraz policzyć wiadomości (baza CRM nie odpowiada); spróbuj za chwilę.");
        }
        // Queued to the panel's thread; dropped by Qt if the panel is gone by then.
        QMetaObject::invokeMethod(this, [this, generation, outcome = std::move(outcome)] { show(generation, outcome); },
                                  Qt::QueuedConnection);
    });
}

void ReachPanel::show(quint64 generation, const Outcome& outcome) {
    if (generation != generation_) return;  // the form changed since
    counting_ = false;
    table_->setRowCount(0);
    if (!outcome.error.isEmpty()) {
        summary_->setText(outcome.error);
        emit counted();
        return;
    }
    const auto& people = outcome.report.people;
    table_->setRowCount(static_cast<int>(people.size()));
    for (std::size_t i = 0; i < people.size(); ++i) {
        const auto& p = people[i];
        const int row = static_cast<int>(i);
        QString who = qs(p.recipient.name.empty() ? p.recipient.address : p.recipient.name);
        if (!p.recipient.address.empty() && !p.recipient.name.empty()) who += QStringLiteral(" <%1>").arg(qs(p.recipient.address));
        table_->setItem(row, 0, cell(who));
        table_->setItem(row, 1, cell(QString::number(p.mails), Qt::AlignRight | Qt::AlignVCenter));
        table_->setItem(row, 2, cell(QString::number(p.events), Qt::AlignRight | Qt::AlignVCenter));
    }
    summary_->setText(summaryOf(outcome.report));
    emit counted();
}

QString ReachPanel::summaryOf(const crm::notify::ReachReport& report) const {
    QString text;
    if (report.people.empty()) {
        text = lang_.pick("In the last 30 days this rule would have sent no mail (%1 events read).",
                          "За последние 30 дней это правило не отправило бы ни одного письма (прочитано событий: %1).",
                          "W ostatnich 30 dniach ta reguła nie wysłałaby żadnej wiadomości (odczytano zdarzeń: %1).")
                   .arg(report.eventsScanned);
    } else {
        const auto& top = report.people.front();
        const QString name = qs(top.recipient.name.empty() ? top.recipient.address : top.recipient.name);
        const QString mails = qs(crm::notify::mailsText(top.mails, reader_));
        text = lang_.pick("This rule would have sent %1 %2 in the last 30 days; %3 people in all.",
                          "За последние 30 дней это правило отправило бы: %1 — %2; всего адресатов: %3.",
                          "W ostatnich 30 dniach ta reguła wysłałaby: %1 — %2; łącznie odbiorców: %3.")
                   .arg(name, mails)
                   .arg(report.people.size());
    }
    if (report.capped)
        text += QLatin1Char(' ') + lang_.pick("Counted over the newest %1 events only.", "Учтены только последние %1 событий.",
                                              "Policzono tylko najnowsze %1 zdarzeń.")
                                       .arg(report.eventsScanned);
    return text;
}

}  // namespace conduit::forms
