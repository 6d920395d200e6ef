// The dispatcher's filter panel: project, counterparty and author pickers, kinds, source module,
// importance, date range with presets, free text and "only what concerns me", as one FeedFilter.
#pragma once

#include "common/directory_cache.hpp"
#include "common/lang.hpp"
#include "dispatcher/saved_filters.hpp"

#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/timeline/feed.hpp>

#include <conduit/sdk/directory.hpp>

#include <QWidget>

#include <functional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QFormLayout;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace conduit::forms {

class PartyPicker;

class FilterPanel : public QWidget {
    Q_OBJECT
public:
    enum class Period { All, Today, Week, Month, Custom };

    FilterPanel(DirectoryCache& directory, const crm::EventKindRegistry& kinds, Lang lang, sdk::User currentUser,
                std::vector<std::string> modules, QWidget* parent = nullptr);

    // The filter the controls describe now ("now" for the presets from the clock).
    crm::FeedFilter filter() const;
    // For tests and the demo's fixed history: what "today" is.
    // The host's clock for the presets and the custom range's starting dates (default: system).
    void setClock(std::function<sdk::TimePoint()> now);
    void clearAll();  // every control back to "no restriction"; one filterChanged

    // Programmatic control, same effect as the user's (tests use these).
    PartyPicker* projectPicker() const { return project_; }
    PartyPicker* counterpartyPicker() const { return counterparty_; }
    PartyPicker* authorPicker() const { return author_; }
    void setKinds(const std::vector<std::string>& codes);
    void setModule(const std::string& module);  // empty: any
    void setMinImportance(std::optional<crm::Importance> importance);
    void setPeriod(Period period);
    void setCustomRange(QDate from, QDate toInclusive);
    void setText(const QString& text);  // debounced like typing; see textDebounce()
    void setOnlyMine(bool on);
    QTimer* textDebounce() const { return textTimer_; }

    // The controls as a value (saved filters), and back: one filterChanged.
    FilterState state() const;
    void applyState(const FilterState& state);

    // Shows the "saved filters" row (select, save, delete) over this user's saved filters.
    // Null: the row stays hidden.
    void setSavedFilters(SavedFilters* saved);
    QComboBox* savedPicker() const { return saved_; }
    void saveCurrentAs(const QString& name);   // the "Save…" button asks for the name
    void selectSaved(const QString& name);     // applies it
    void deleteSelectedSaved();

signals:
    void filterChanged();

private:
    void createSavedFiltersRow(QVBoxLayout* outer);
    void createTextSearch(QFormLayout* form);
    void createPickers(QFormLayout* form, const QString& any);
    void counterpartyChanged();  // narrows the projects to its own
    void createOnlyMine(QFormLayout* form);
    void createPeriod(QFormLayout* form);
    void createImportance(QFormLayout* form, const QString& any);
    void createModule(QFormLayout* form, const std::vector<std::string>& modules, const QString& any);
    void createKinds(QVBoxLayout* outer, const crm::EventKindRegistry& kinds);
    void connectChanges(QPushButton* clear);
    void changed();
    void periodChanged();

    DirectoryCache& directory_;
    Lang lang_;
    sdk::User me_;
    std::function<sdk::TimePoint()> now_;
    bool quiet_ = false;  // clearAll(): one signal for many control changes

    PartyPicker* project_ = nullptr;
    PartyPicker* counterparty_ = nullptr;
    PartyPicker* author_ = nullptr;
    QListWidget* kinds_ = nullptr;
    QComboBox* module_ = nullptr;
    QComboBox* importance_ = nullptr;
    QComboBox* period_ = nullptr;
    QDateEdit* from_ = nullptr;
    QDateEdit* to_ = nullptr;
    QLineEdit* text_ = nullptr;
    QTimer* textTimer_ = nullptr;
    QCheckBox* mine_ = nullptr;
    SavedFilters* savedFilters_ = nullptr;
    QWidget* savedRow_ = nullptr;
    QComboBox* saved_ = nullptr;
    QPushButton* deleteSaved_ = nullptr;
    void reloadSaved(const QString& select);
};

}  // namespace conduit::forms
