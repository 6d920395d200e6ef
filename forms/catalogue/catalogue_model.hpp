// The catalogue list's rows: pages of Catalogue::find fetched off the GUI thread, in order, the
// next page when the view scrolls to the end; a new filter drops what older fetches bring.
#pragma once

#include "common/lang.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <QAbstractTableModel>
#include <QThreadPool>

#include <optional>
#include <vector>

namespace conduit::forms {

class CatalogueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Kind, Roles, Region, Category, Source, ColumnCount };

    CatalogueModel(crm::parties::Catalogue& catalogue, sdk::Id user, Lang lang, QObject* parent = nullptr);
    ~CatalogueModel() override;

    void setFilter(const crm::parties::CatalogueFilter& filter);
    const crm::parties::CatalogueRow* rowAt(int row) const;
    bool loading() const { return inFlight_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    // After each page: how many rows are shown, whether more exist, and an error in the user's
    // language (empty when the page came).
    void pageLoaded(int rows, bool more, const QString& error);

private:
    struct Page {
        crm::parties::CataloguePage page;
        QString error;
    };
    void fetch(std::optional<crm::parties::CatalogueCursor> after);
    void apply(quint64 generation, Page page);

    crm::parties::Catalogue& catalogue_;
    sdk::Id user_;
    Lang lang_;
    crm::parties::CatalogueFilter filter_;
    std::vector<crm::parties::CatalogueRow> rows_;
    std::optional<crm::parties::CatalogueCursor> next_;
    bool inFlight_ = false;
    quint64 generation_ = 0;  // bumped by setFilter: pages of older generations are dropped
    QThreadPool pool_;        // one thread: fetches run in order, the destructor waits for them
};

}  // namespace conduit::forms
