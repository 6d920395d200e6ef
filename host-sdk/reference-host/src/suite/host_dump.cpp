#include "host_dump.hpp"

#include <cstdio>

namespace refhost {
namespace {

struct DumpedTable {
    const char* name;
    const char* query;  // every column, ordered by the primary key
};

constexpr DumpedTable kTables[] = {
    {"HOST_META", "SELECT * FROM HOST_META ORDER BY ID"},
    {"HOST_DEPARTMENTS", "SELECT * FROM HOST_DEPARTMENTS ORDER BY ID"},
    {"HOST_USERS", "SELECT * FROM HOST_USERS ORDER BY ID"},
    {"HOST_COUNTERPARTIES", "SELECT * FROM HOST_COUNTERPARTIES ORDER BY ID"},
    {"HOST_PROJECTS", "SELECT * FROM HOST_PROJECTS ORDER BY ID"},
    {"HOST_ORDERS", "SELECT * FROM HOST_ORDERS ORDER BY ID"},
    {"HOST_CREWS", "SELECT * FROM HOST_CREWS ORDER BY ID"},
    {"HOST_WAREHOUSES", "SELECT * FROM HOST_WAREHOUSES ORDER BY ID"},
    {"HOST_PAYMENTS", "SELECT * FROM HOST_PAYMENTS ORDER BY ID"},
    {"HOST_STAGES", "SELECT * FROM HOST_STAGES ORDER BY PROJECT_ID, STAGE"},
    {"HOST_CREW_ASSIGNMENTS", "SELECT * FROM HOST_CREW_ASSIGNMENTS ORDER BY ID"},
    {"HOST_INSTALLATIONS", "SELECT * FROM HOST_INSTALLATIONS ORDER BY PROJECT_ID"},
    {"HOST_RECEIPTS", "SELECT * FROM HOST_RECEIPTS ORDER BY ID"},
    {"HOST_STOCK_DOCUMENTS", "SELECT * FROM HOST_STOCK_DOCUMENTS ORDER BY ID"},
    {"HOST_RESERVATIONS", "SELECT * FROM HOST_RESERVATIONS ORDER BY ID"},
    {"HOST_CHANGE_LOG", "SELECT * FROM HOST_CHANGE_LOG ORDER BY SEQ"},
    {"HOST_SIM_STATE", "SELECT * FROM HOST_SIM_STATE ORDER BY ID"},
};

std::string cell(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null) return "NULL";
    switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_integer: return std::to_string(r.get<int>(i));
    case soci::dt_long_long: return std::to_string(r.get<long long>(i));
    case soci::dt_unsigned_long_long: return std::to_string(r.get<unsigned long long>(i));
    case soci::dt_double: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", r.get<double>(i));
        return buf;
    }
    case soci::dt_date: {
        const std::tm tm = r.get<std::tm>(i);
        char buf[80];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec);
        return buf;
    }
    default: return "?";
    }
}

}  // namespace

std::string dumpHostData(HostDatabase& db) {
    return db.read([](soci::session& sql) {
        std::string out;
        for (const auto& table : kTables) {
            out += "== ";
            out += table.name;
            out += '\n';
            soci::rowset<soci::row> rs = (sql.prepare << table.query);
            for (const auto& r : rs) {
                for (std::size_t i = 0; i < r.size(); ++i) {
                    if (i) out += " | ";
                    out += r.get_properties(i).get_name() + "=" + cell(r, i);
                }
                out += '\n';
            }
        }
        return out;
    });
}

}  // namespace refhost
