#include "rules/kind_tree.hpp"

#include <conduit/crm/foundation/kind_pattern.hpp>

#include <QHeaderView>

#include <algorithm>

namespace conduit::forms {

namespace {

constexpr int kPatternRole = Qt::UserRole;

std::string groupOf(const std::string& codeOrPattern) { return codeOrPattern.substr(0, codeOrPattern.find('.')); }

// The host's business modules first, in the order work flows, then the CRM's own kinds.
int groupRank(const std::string& group) {
    static const char* order[] = {"order", "schedule", "warehouse", "payment", "note"};
    for (int i = 0; i < 5; ++i)
        if (group == order[i]) return i;
    return group == "mail" || group == "notification" ? 7 : 6;
}

std::string patternOf(const QTreeWidgetItem* item) { return item->data(0, kPatternRole).toString().toStdString(); }

// "payment." (the older spelling of a prefix) reads as "payment.*".
std::string normalised(const std::string& pattern) {
    if (auto p = crm::KindPattern::parse(pattern)) return p->text();
    return pattern;
}

}  // namespace

QString kindGroupName(const std::string& group, const Lang& l) {
    if (group == "order") return l.pick("Orders", "Заказы", "Zamówienia");
    if (group == "schedule") return l.pick("Scheduling", "Планирование", "Planowanie");
    if (group == "warehouse") return l.pick("Warehouses", "Склады", "Magazyny");
    if (group == "payment") return l.pick("Payments", "Платежи", "Płatności");
    if (group == "note") return l.pick("Notes", "Заметки", "Notatki");
    if (group == "party") return l.pick("Catalogue: companies and people", "Каталог: компании и контакты", "Katalog: firmy i osoby");
    if (group == "mail") return l.pick("Mail", "Почта", "Poczta");
    if (group == "notification") return l.pick("Notifications", "Уведомления", "Powiadomienia");
    return QString::fromStdString(group);  // a later module's kinds: its own word
}

QString kindsSummary(const std::vector<std::string>& patterns, const crm::EventKindRegistry& kinds, const Lang& l) {
    QStringList parts;
    for (const auto& raw : patterns) {
        const auto p = normalised(raw);
        if (p == "*") parts << l.pick("All events", "Все события", "Wszystkie zdarzenia");
        else if (p.size() > 2 && p.ends_with(".*") && p.find('.') == p.size() - 2)
            parts << kindGroupName(p.substr(0, p.size() - 2), l) + l.pick(" (all)", " (все)", " (wszystkie)");
        else if (auto k = kinds.find(p)) parts << QString::fromStdString(k->name(l.locale()));
        else parts << QString::fromStdString(p);
    }
    return parts.join(QStringLiteral(", "));
}

KindTree::KindTree(const crm::EventKindRegistry& kinds, Lang lang, QWidget* parent) : QTreeWidget(parent), lang_(std::move(lang)) {
    setObjectName(QStringLiteral("ruleKinds"));
    setHeaderHidden(true);
    setColumnCount(1);
    setUniformRowHeights(true);
    updating_ = true;
    all_ = addLine(nullptr, lang_.pick("All events", "Все события", "Wszystkie zdarzenia"), "*");
    for (const auto& k : kinds.all()) addLine(groupItem(groupOf(k.code)), QString::fromStdString(k.name(lang_.locale())), k.code);
    auto groups = all_->takeChildren();
    std::stable_sort(groups.begin(), groups.end(), [](const QTreeWidgetItem* a, const QTreeWidgetItem* b) {
        return groupRank(groupOf(patternOf(a))) < groupRank(groupOf(patternOf(b)));
    });
    all_->addChildren(groups);
    updating_ = false;
    expandItem(all_);
    connect(this, &QTreeWidget::itemChanged, this, &KindTree::onItemChanged);
}

QTreeWidgetItem* KindTree::addLine(QTreeWidgetItem* parent, const QString& text, const std::string& pattern) {
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(0, text);
    item->setData(0, kPatternRole, QString::fromStdString(pattern));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    item->setCheckState(0, Qt::Unchecked);
    return item;
}

QTreeWidgetItem* KindTree::groupItem(const std::string& group) {
    const std::string pattern = group + ".*";
    for (int i = 0; i < all_->childCount(); ++i)
        if (patternOf(all_->child(i)) == pattern) return all_->child(i);
    return addLine(all_, kindGroupName(group, lang_), pattern);
}

QTreeWidgetItem* KindTree::itemFor(const std::string& pattern) const {
    const auto wanted = normalised(pattern);
    if (wanted == "*") return all_;
    for (int i = 0; i < all_->childCount(); ++i) {
        auto* g = all_->child(i);
        if (patternOf(g) == wanted) return g;
        for (int j = 0; j < g->childCount(); ++j)
            if (patternOf(g->child(j)) == wanted) return g->child(j);
    }
    return nullptr;
}

// A ticked module (or "All events") covers everything under it: those lines show ticked and
// cannot be unticked one by one; unticking the module frees them again, unticked.
void KindTree::cascade(QTreeWidgetItem* item) {
    const bool on = item->checkState(0) == Qt::Checked;
    for (int i = 0; i < item->childCount(); ++i) {
        auto* child = item->child(i);
        child->setCheckState(0, on ? Qt::Checked : Qt::Unchecked);
        child->setDisabled(on);
        cascade(child);
    }
}

void KindTree::onItemChanged(QTreeWidgetItem* item) {
    if (updating_) return;
    updating_ = true;
    cascade(item);
    updating_ = false;
    emit changed();
}

void KindTree::setPatterns(const std::vector<std::string>& patterns) {
    updating_ = true;
    all_->setCheckState(0, Qt::Unchecked);
    cascade(all_);
    for (const auto& raw : patterns) {
        const auto p = normalised(raw);
        auto* item = itemFor(p);
        if (!item && p == groupOf(p) + ".*") item = groupItem(groupOf(p));  // a module the registry has no kinds of
        if (!item) item = addLine(groupItem(groupOf(p)), QString::fromStdString(p), p);
        item->setCheckState(0, Qt::Checked);
    }
    // Modules first, then "All events": the widest tick wins.
    for (int i = 0; i < all_->childCount(); ++i)
        if (all_->child(i)->checkState(0) == Qt::Checked) cascade(all_->child(i));
    if (all_->checkState(0) == Qt::Checked) cascade(all_);
    for (int i = 0; i < all_->childCount(); ++i) {
        auto* g = all_->child(i);
        bool any = g->checkState(0) == Qt::Checked;
        for (int j = 0; j < g->childCount(); ++j) any = any || g->child(j)->checkState(0) == Qt::Checked;
        g->setExpanded(any && g->checkState(0) != Qt::Checked);  // what was picked one by one is in view
    }
    updating_ = false;
}

std::vector<std::string> KindTree::patterns() const {
    if (all_->checkState(0) == Qt::Checked) return {"*"};
    std::vector<std::string> out;
    for (int i = 0; i < all_->childCount(); ++i) {
        const auto* g = all_->child(i);
        if (g->checkState(0) == Qt::Checked) {
            out.push_back(patternOf(g));
            continue;
        }
        for (int j = 0; j < g->childCount(); ++j)
            if (g->child(j)->checkState(0) == Qt::Checked) out.push_back(patternOf(g->child(j)));
    }
    return out;
}

}  // namespace conduit::forms
