#include "change_log.hpp"

namespace refhost {

sdk::ChangeStamp appendChange(soci::session& sql, std::string_view module, std::string_view changeType,
                              const std::string& entity, const Actor& by, const nlohmann::json& payload) {
    sdk::ChangeStamp stamp;
    stamp.module = std::string(module);
    stamp.entity = entity;
    stamp.at = by.at;
    stamp.userId = by.userId;
    long long seq = 0, version = 0;
    sql << "SELECT COALESCE(MAX(SEQ), 0) + 1 FROM HOST_CHANGE_LOG", soci::into(seq);
    sql << "SELECT COALESCE(MAX(VERSION), 0) + 1 FROM HOST_CHANGE_LOG WHERE MODULE = :m AND ENTITY = :e",
        soci::use(stamp.module), soci::use(stamp.entity), soci::into(version);
    stamp.seq = seq;
    stamp.version = version;
    std::string type(changeType);
    std::tm at = toTm(by.at);
    long long user = by.userId;
    std::string body = payload.dump();
    sql << "INSERT INTO HOST_CHANGE_LOG (SEQ, MODULE, CHANGE_TYPE, ENTITY, VERSION, AT_TS, USER_ID, PAYLOAD) "
           "VALUES (:seq, :m, :t, :e, :v, :at, :u, :p)",
        soci::use(seq), soci::use(stamp.module), soci::use(type), soci::use(stamp.entity), soci::use(version),
        soci::use(at), soci::use(user), soci::use(body);
    return stamp;
}

std::vector<ChangeRow> readChanges(HostDatabase& db, std::string_view module, std::int64_t cursor, std::size_t limit) {
    return db.read([&](soci::session& sql) {
        std::vector<ChangeRow> out;
        if (limit == 0) return out;
        std::string mod(module);
        long long after = cursor;
        long long rows = static_cast<long long>(limit);
        soci::rowset<soci::row> rs = (sql.prepare << "SELECT SEQ, CHANGE_TYPE, ENTITY, VERSION, AT_TS, USER_ID, PAYLOAD "
                                                     "FROM HOST_CHANGE_LOG WHERE MODULE = :m AND SEQ > :c "
                                                     "ORDER BY SEQ ROWS :n",
                                      soci::use(mod), soci::use(after), soci::use(rows));
        for (const soci::row& r : rs) {
            ChangeRow c;
            c.stamp.seq = r.get<long long>(0);
            c.changeType = r.get<std::string>(1);
            c.stamp.module = mod;
            c.stamp.entity = r.get<std::string>(2);
            c.stamp.version = r.get<long long>(3);
            c.stamp.at = timeFromTm(r.get<std::tm>(4));
            c.stamp.userId = r.get<long long>(5);
            c.payload = nlohmann::json::parse(r.get<std::string>(6));
            out.push_back(std::move(c));
        }
        return out;
    });
}

}  // namespace refhost
