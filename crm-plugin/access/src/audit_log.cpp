#include <conduit/crm/access/audit_log.hpp>

#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <soci/soci.h>

#include <algorithm>

namespace conduit::crm {
namespace {

constexpr const char* kWhat = "audit log";

std::string dump(const nlohmann::json& j) {
    // Invalid UTF-8 in a value (it should not get this far) is replaced rather than thrown.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse(const std::string& text, soci::indicator ind) {
    if (ind != soci::i_ok || text.empty()) return nullptr;
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
}

}  // namespace

nlohmann::json auditJson(const Event& e) {
    auto secs = [](sdk::TimePoint t) { return static_cast<long long>(t.time_since_epoch().count()); };
    nlohmann::json j = {{"id", e.id}, {"key", e.idempotencyKey}, {"occurredAt", secs(e.occurredAt)}, {"kind", e.kind},
                        {"authorId", e.authorId}, {"projectId", e.projectId}, {"counterpartyId", e.counterpartyId},
                        {"importance", static_cast<int>(e.importance)}, {"title", e.title}, {"body", e.body}};
    if (e.amount) j["amount"] = {{"minor", e.amount->minor}, {"currency", e.amount->currency}};
    if (!e.invoiceNumber.empty()) j["invoiceNumber"] = e.invoiceNumber;
    if (e.dueAt) j["dueAt"] = secs(*e.dueAt);
    for (const auto& s : e.subjects) j["subjects"].push_back({{"type", s.type.code()}, {"id", s.id}});
    auto& files = j["attachments"] = nlohmann::json::array();
    for (const auto& a : e.attachments)
        files.push_back({{"fileName", a.fileName}, {"mediaType", a.mediaType}, {"size", a.size ? a.size : static_cast<std::int64_t>(a.content.size())},
                         {"sha256", a.sha256}});
    return j;
}

std::int64_t AuditLog::recordAt(soci::session& s, sdk::TimePoint at, sdk::Id actor, const std::string& objectType,
                                const std::string& objectId, const std::string& action, const nlohmann::json& oldValue,
                                const nlohmann::json& newValue) {
    long long id = 0;
    s << "SELECT NEXT VALUE FOR CRM_AUDIT_SEQ FROM RDB$DATABASE", soci::into(id);
    std::tm now = rows::toTm(at);
    long long who = actor;
    std::string type = objectType.substr(0, 32), object = objectId.substr(0, 250), act = action.substr(0, 32);
    // SOCI's Firebird backend writes blobs only through soci::blob, closed before the commit.
    const std::string before = oldValue.is_null() ? std::string{} : dump(oldValue);
    const std::string after = newValue.is_null() ? std::string{} : dump(newValue);
    soci::blob oldBlob(s), newBlob(s);
    if (!before.empty()) oldBlob.append(before.data(), before.size());
    if (!after.empty()) newBlob.append(after.data(), after.size());
    soci::indicator iBefore = oldValue.is_null() ? soci::i_null : soci::i_ok;
    soci::indicator iAfter = newValue.is_null() ? soci::i_null : soci::i_ok;
    s << "INSERT INTO CRM_AUDIT (ID, AT_TIME, ACTOR_ID, OBJECT_TYPE, OBJECT_ID, ACTION_CODE, OLD_VALUE, NEW_VALUE)"
         " VALUES (:id, :at, :actor, :type, :object, :action, :old, :new)",
        soci::use(id), soci::use(now), soci::use(who), soci::use(type), soci::use(object), soci::use(act),
        soci::use(oldBlob, iBefore), soci::use(newBlob, iAfter);
    return id;
}

void AuditLog::recordCreatedEntries(soci::session& s, const std::vector<const Event*>& newEvents) {
    for (const Event* e : newEvents)
        if (isUserEntry(*e)) recordAt(s, e->recordedAt, e->authorId, "event", e->idempotencyKey, "create", nullptr, auditJson(*e));
}

std::int64_t AuditLog::record(sdk::Id actor, const std::string& objectType, const std::string& objectId,
                              const std::string& action, const nlohmann::json& oldValue, const nlohmann::json& newValue) {
    return inTransaction(db_, kWhat, [&](soci::session& s) { return record(s, actor, objectType, objectId, action, oldValue, newValue); });
}

namespace {

std::string blobText(soci::blob& b, soci::indicator ind) {
    std::string bytes;
    if (ind != soci::i_ok) return bytes;
    bytes.resize(b.get_len());
    if (!bytes.empty()) b.read(0, bytes.data(), bytes.size());
    return bytes;
}

// The values, one small read per row (blobs are read whole, one row at a time).
void readValues(soci::session& s, AuditEntry& entry) {
    long long key = entry.id;
    soci::blob oldBlob(s), newBlob(s);
    soci::indicator iOld = soci::i_null, iNew = soci::i_null;
    s << "SELECT OLD_VALUE, NEW_VALUE FROM CRM_AUDIT WHERE ID = :id", soci::use(key), soci::into(oldBlob, iOld),
        soci::into(newBlob, iNew);
    entry.oldValue = parse(blobText(oldBlob, iOld), iOld);
    entry.newValue = parse(blobText(newBlob, iNew), iNew);
}

std::vector<AuditEntry> query(Database& db, const std::string& condition, const std::vector<std::string>& texts,
                              const std::vector<long long>& ints, std::size_t limit, std::optional<std::int64_t> before,
                              const std::string& plan) {
    return inTransaction(db, kWhat, [&](soci::session& s) {
        std::vector<AuditEntry> out;
        std::string sql = "SELECT ID, AT_TIME, ACTOR_ID, OBJECT_TYPE, OBJECT_ID, ACTION_CODE FROM CRM_AUDIT A WHERE " +
                          condition + (before ? " AND A.ID < :before" : "") + plan + " ROWS :n";
        long long id = 0, actor = 0, beforeId = before.value_or(0), n = static_cast<long long>(std::clamp<std::size_t>(limit, 1, 1000));
        std::tm at{};
        std::string type, object, action;
        auto prep = (s.prepare << sql);
        for (std::size_t i = 0; i < texts.size(); ++i) prep, soci::use(texts[i], "t" + std::to_string(i));
        for (std::size_t i = 0; i < ints.size(); ++i) prep, soci::use(ints[i], "i" + std::to_string(i));
        if (before) prep, soci::use(beforeId, "before");
        prep, soci::use(n, "n");
        prep, soci::into(id), soci::into(at), soci::into(actor), soci::into(type), soci::into(object), soci::into(action);
        soci::statement st(prep);
        st.execute(false);
        while (st.fetch()) out.push_back({id, rows::toTimePoint(at), actor, type, object, action, nullptr, nullptr});
        for (auto& entry : out) readValues(s, entry);
        return out;
    });
}

}  // namespace

std::vector<AuditEntry> AuditLog::byObject(const std::string& objectType, const std::string& objectId, std::size_t limit,
                                           std::optional<std::int64_t> before) {
    return query(db_, "A.OBJECT_TYPE = :t0 AND A.OBJECT_ID = :t1", {objectType, objectId}, {}, limit, before,
                 " PLAN (A ORDER CRM_AUDIT_OBJECT) ORDER BY A.OBJECT_TYPE DESC, A.OBJECT_ID DESC, A.ID DESC");
}

std::vector<AuditEntry> AuditLog::byActor(sdk::Id actor, std::size_t limit, std::optional<std::int64_t> before) {
    return query(db_, "A.ACTOR_ID = :i0", {}, {static_cast<long long>(actor)}, limit, before,
                 " PLAN (A ORDER CRM_AUDIT_ACTOR) ORDER BY A.ACTOR_ID DESC, A.ID DESC");
}

}  // namespace conduit::crm
