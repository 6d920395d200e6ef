#include "catalogue/catalogue_model.hpp"

#include "catalogue/party_words.hpp"

#include <QMetaObject>

namespace conduit::forms {

using namespace crm::parties;

CatalogueModel::CatalogueModel(Catalogue& catalogue, sdk::Id user, Lang lang, QObject* parent)
    : QAbstractTableModel(parent), catalogue_(catalogue), user_(user), lang_(lang) {
    pool_.setMaxThreadCount(1);
}

CatalogueModel::~CatalogueModel() { pool_.waitForDone(); }

void CatalogueModel::setFilter(const CatalogueFilter& filter) {
    beginResetModel();
    filter_ = filter;
    filter_.after.reset();
    rows_.clear();
    next_.reset();
    ++generation_;
    inFlight_ = false;
    endResetModel();
    fetch(std::nullopt);
}

void CatalogueModel::fetch(std::optional<CatalogueCursor> after) {
    inFlight_ = true;
    auto filter = filter_;
    filter.after = std::move(after);
    const auto generation = generation_;
    pool_.start([this, filter, generation] {
        Page result;
        try {
            result.page = catalogue_.find(user_, filter);
        } catch (const CatalogueError& e) {
            result.error = QString::fromStdString(describe(e, crm::Locale::of(lang_.locale())));
        } catch (const std::exception&) {
            result.error = lang_.pick("The catalogue cannot be read now; try again in a moment.",
                                      "Каталог сейчас недоступен; повторите через минуту.",
                                      "Katalogu nie można teraz odczytać; spróbuj za chwilę.");
        }
        // Queued to this model's thread; dropped by Qt if the model is gone by then.
        QMetaObject::invokeMethod(this, [this, generation, result = std::move(result)]() mutable { apply(generation, std::move(result)); },
                                  Qt::QueuedConnection);
    });
}

void CatalogueModel::apply(quint64 generation, Page result) {
    if (generation != generation_) return;
    inFlight_ = false;
    if (result.error.isEmpty() && !result.page.rows.empty()) {
        const int first = static_cast<int>(rows_.size());
        beginInsertRows({}, first, first + static_cast<int>(result.page.rows.size()) - 1);
        rows_.insert(rows_.end(), result.page.rows.begin(), result.page.rows.end());
        endInsertRows();
    }
    next_ = result.error.isEmpty() ? result.page.next : next_;
    emit pageLoaded(static_cast<int>(rows_.size()), next_.has_value(), result.error);
}

const CatalogueRow* CatalogueModel::rowAt(int row) const {
    return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)] : nullptr;
}

int CatalogueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int CatalogueModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CatalogueModel::data(const QModelIndex& index, int role) const {
    const auto* r = rowAt(index.row());
    if (!r || role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Name: return QString::fromStdString(r->name);
        case Kind: return partyKindText(r->kind, lang_);
        case Roles: return partyRolesText(r->roles, lang_);
        case Region: return QString::fromStdString(r->region);
        case Category: return QString::fromStdString(r->category);
        case Source:
            if (r->removedInHost) return lang_.pick("removed in the host", "удалён в учётной системе", "usunięty w systemie");
            return r->hostId ? lang_.pick("host", "учётная система", "system") : lang_.pick("CRM", "CRM", "CRM");
    }
    return {};
}

QVariant CatalogueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Name: return lang_.pick("Name", "Название", "Nazwa");
        case Kind: return lang_.pick("Kind", "Вид", "Rodzaj");
        case Roles: return lang_.pick("Roles", "Роли", "Role");
        case Region: return lang_.pick("Region", "Регион", "Region");
        case Category: return lang_.pick("Category", "Категория", "Kategoria");
        case Source: return lang_.pick("Kept in", "Источник", "Źródło");
    }
    return {};
}

bool CatalogueModel::canFetchMore(const QModelIndex& parent) const { return !parent.isValid() && next_ && !inFlight_; }

void CatalogueModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent)) fetch(next_);
}

}  // namespace conduit::forms
