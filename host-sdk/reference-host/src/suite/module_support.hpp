// What the five module implementations share: running an operation in its own transaction,
// and the JSON shapes of money and dates inside change-log payloads.
#pragma once

#include "change_log.hpp"
#include "host_database.hpp"

#include <optional>

namespace refhost {

// Runs `op(tx)` in a transaction of its own and commits it (signals follow the commit).
template <class Op>
auto inOwnTransaction(HostDatabase& db, Op&& op) {
    HostTransaction tx(db);
    auto result = op(tx);
    tx.commit();
    return result;
}

inline nlohmann::json moneyJson(const sdk::Money& m) { return {{"minor", m.minor}, {"currency", m.currency}}; }
inline sdk::Money moneyFrom(const nlohmann::json& j) {
    return sdk::Money{j.at("minor").get<std::int64_t>(), j.at("currency").get<std::string>()};
}
inline nlohmann::json dateJson(sdk::Date d) { return isoDate(d); }
inline sdk::Date dateFrom(const nlohmann::json& j) { return parseIsoDate(j.get<std::string>()); }
inline nlohmann::json optionalDateJson(const std::optional<sdk::Date>& d) {
    return d ? nlohmann::json(isoDate(*d)) : nlohmann::json(nullptr);
}
inline std::optional<sdk::Date> optionalDateFrom(const nlohmann::json& j) {
    if (j.is_null()) return std::nullopt;
    return parseIsoDate(j.get<std::string>());
}

// Year of a moment, for document numbers such as "FV/2026/000042".
inline int yearOf(sdk::TimePoint t) {
    return int(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)}.year());
}
std::string documentNumber(const char* prefix, sdk::TimePoint at, sdk::Id id);

}  // namespace refhost
