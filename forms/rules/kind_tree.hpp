// The kinds of event a notification rule listens to, ticked in a tree of modules and their kinds
// by their names: a module's tick is its pattern ("payment.*"), "All events" is "*".
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/timeline/event_kind.hpp>

#include <QTreeWidget>

#include <string>
#include <vector>

namespace conduit::forms {

// A module's name by the first word of its kinds' codes ("payment" -> "Płatności").
QString kindGroupName(const std::string& group, const Lang& lang);
// Patterns as a reader reads them: "Płatności (wszystkie), Zaplanowano montaż".
QString kindsSummary(const std::vector<std::string>& patterns, const crm::EventKindRegistry& kinds, const Lang& lang);

class KindTree : public QTreeWidget {
    Q_OBJECT
public:
    KindTree(const crm::EventKindRegistry& kinds, Lang lang, QWidget* parent = nullptr);

    // Ticks what the patterns cover; a pattern the registry does not know gets its own ticked
    // line under its module, so saving never drops it.
    void setPatterns(const std::vector<std::string>& patterns);
    std::vector<std::string> patterns() const;

    // The line of a pattern ("*", "payment.*", "payment.received"); null when there is none.
    QTreeWidgetItem* itemFor(const std::string& pattern) const;

signals:
    void changed();

private:
    QTreeWidgetItem* groupItem(const std::string& group);
    QTreeWidgetItem* addLine(QTreeWidgetItem* parent, const QString& text, const std::string& pattern);
    void onItemChanged(QTreeWidgetItem* item);
    void cascade(QTreeWidgetItem* item);

    Lang lang_;
    QTreeWidgetItem* all_ = nullptr;
    bool updating_ = false;
};

}  // namespace conduit::forms
