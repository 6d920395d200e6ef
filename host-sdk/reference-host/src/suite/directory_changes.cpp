#include "directory_changes.hpp"

#include "change_log.hpp"

#include <soci/soci.h>

namespace refhost {

namespace {

constexpr const char* kModule = "directory";

const char* kindCode(sdk::DirectoryChangeKind kind) {
    switch (kind) {
        case sdk::DirectoryChangeKind::Added: return "added";
        case sdk::DirectoryChangeKind::Changed: return "changed";
        case sdk::DirectoryChangeKind::Removed: return "removed";
    }
    return "changed";
}

sdk::DirectoryChangeKind kindFrom(const std::string& code) {
    if (code == "added") return sdk::DirectoryChangeKind::Added;
    if (code == "removed") return sdk::DirectoryChangeKind::Removed;
    return sdk::DirectoryChangeKind::Changed;
}

}  // namespace

std::vector<sdk::DirectoryChange> HostDirectoryChanges::changesSince(std::int64_t cursor, std::size_t limit) const {
    std::vector<sdk::DirectoryChange> out;
    for (auto& row : readChanges(db_, kModule, cursor, limit)) {
        sdk::DirectoryChange c;
        c.stamp = row.stamp;
        c.entity = sdk::DirectoryEntity::Counterparty;
        c.kind = kindFrom(row.changeType);
        c.id = row.payload.value("id", sdk::Id{0});
        out.push_back(std::move(c));
    }
    return out;
}

std::int64_t HostDirectoryChanges::lastSeq() const {
    return db_.read([](soci::session& sql) {
        long long seq = 0;
        sql << "SELECT COALESCE(MAX(SEQ), 0) FROM HOST_CHANGE_LOG WHERE MODULE = 'directory'", soci::into(seq);
        return static_cast<std::int64_t>(seq);
    });
}

std::optional<sdk::CommercialTerms> HostDirectoryChanges::commercialTerms(sdk::Id id) const {
    return db_.read([id](soci::session& sql) -> std::optional<sdk::CommercialTerms> {
        std::string kind, habit;
        long long cp = id;
        soci::indicator ind = soci::i_null;
        sql << "SELECT KIND, PAYMENT_HABIT FROM HOST_COUNTERPARTIES WHERE ID = :id", soci::use(cp), soci::into(kind, ind), soci::into(habit);
        if (ind != soci::i_ok) return std::nullopt;
        long long ordered = 0;
        std::string currency = "PLN";
        soci::indicator curInd = soci::i_null;
        sql << "SELECT COALESCE(SUM(O.AMOUNT_MINOR), 0), MAX(O.CURRENCY) FROM HOST_ORDERS O JOIN HOST_PROJECTS P ON P.ID = O.PROJECT_ID "
               "WHERE P.COUNTERPARTY_ID = :id",
            soci::use(cp), soci::into(ordered), soci::into(currency, curInd);
        if (curInd != soci::i_ok) currency = "PLN";
        sdk::CommercialTerms t;
        t.turnoverThisYear = sdk::Money{ordered, currency};
        t.paymentTermDays = habit == "prompt" ? 14 : habit == "late" ? 30 : 7;
        if (kind == "company") {
            t.discountBasisPoints = static_cast<int>(id % 4) * 150;  // 0 .. 4.5 %
            t.creditLimit = sdk::Money{habit == "never" ? 0 : 5'000'000, currency};
        }
        return t;
    });
}

std::uint64_t HostDirectoryChanges::subscribe(std::function<void(const sdk::DirectoryChange&)> changed) {
    std::lock_guard lock(mutex_);
    subscribers_[nextId_] = std::move(changed);
    return nextId_++;
}

void HostDirectoryChanges::unsubscribe(std::uint64_t subscription) {
    std::lock_guard lock(mutex_);
    subscribers_.erase(subscription);
}

void HostDirectoryChanges::tell(const sdk::DirectoryChange& change) {
    std::lock_guard lock(mutex_);  // unsubscribe() waits for a call in progress
    for (auto& [id, fn] : subscribers_) fn(change);
}

void HostDirectoryChanges::recordCounterparty(HostTransaction& tx, sdk::DirectoryChangeKind kind, sdk::Id id, const Actor& by) {
    sdk::DirectoryChange change;
    change.kind = kind;
    change.id = id;
    change.stamp = appendChange(tx.sql(), kModule, kindCode(kind), "counterparty:" + std::to_string(id), by, {{"id", id}});
    tx.onCommit([this, change] { tell(change); });
}

void renameCounterparty(HostTransaction& tx, HostDirectoryChanges& changes, sdk::Id id, const std::string& name, const Actor& by) {
    long long cp = id;
    tx.sql() << "UPDATE HOST_COUNTERPARTIES SET NAME = :n WHERE ID = :id", soci::use(name), soci::use(cp);
    changes.recordCounterparty(tx, sdk::DirectoryChangeKind::Changed, id, by);
}

void moveCounterparty(HostTransaction& tx, HostDirectoryChanges& changes, sdk::Id id, const std::string& city,
                      const std::string& address, const Actor& by) {
    long long cp = id;
    tx.sql() << "UPDATE HOST_COUNTERPARTIES SET CITY = :c, ADDRESS = :a WHERE ID = :id", soci::use(city), soci::use(address), soci::use(cp);
    changes.recordCounterparty(tx, sdk::DirectoryChangeKind::Changed, id, by);
}

}  // namespace refhost
