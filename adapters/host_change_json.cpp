#include "host_change_json.hpp"

#include <array>
#include <type_traits>

namespace conduit::adapters {
namespace {

using nlohmann::json;

// Each payload lists its fields once; encoding and decoding both walk that list, so a field
// added to a payload and to its list round-trips without further code.
template <class F> void fields(sdk::ChangeStamp& s, F&& f) {
    f("seq", s.seq); f("module", s.module); f("entity", s.entity); f("version", s.version);
    f("at", s.at); f("userId", s.userId);
}
template <class F> void fields(sdk::MaterialsReservedForOrder& p, F&& f) {
    f("stamp", p.stamp); f("orderId", p.orderId); f("projectId", p.projectId); f("counterpartyId", p.counterpartyId);
    f("materials", p.materials);
}
template <class F> void fields(sdk::PrepaymentRequired& p, F&& f) {
    f("stamp", p.stamp); f("orderId", p.orderId); f("projectId", p.projectId); f("counterpartyId", p.counterpartyId);
    f("amount", p.amount); f("dueDate", p.dueDate);
}
template <class F> void fields(sdk::ProductionLaunched& p, F&& f) {
    f("stamp", p.stamp); f("orderId", p.orderId); f("projectId", p.projectId); f("counterpartyId", p.counterpartyId);
    f("orderNumber", p.orderNumber); f("plannedFinish", p.plannedFinish);
}
template <class F> void fields(sdk::CrewAssigned& p, F&& f) {
    f("stamp", p.stamp); f("projectId", p.projectId); f("crewId", p.crewId); f("crewName", p.crewName);
    f("stage", p.stage); f("date", p.date);
}
template <class F> void fields(sdk::StageEvent& p, F&& f) {
    f("stamp", p.stamp); f("change", p.change); f("projectId", p.projectId); f("stage", p.stage);
    f("plannedStart", p.plannedStart); f("plannedFinish", p.plannedFinish); f("previousStart", p.previousStart);
}
template <class F> void fields(sdk::InstallationPlanned& p, F&& f) {
    f("stamp", p.stamp); f("projectId", p.projectId); f("crewId", p.crewId); f("date", p.date);
    f("previousDate", p.previousDate);
}
template <class F> void fields(sdk::ProjectItemsReceived& p, F&& f) {
    f("stamp", p.stamp); f("projectId", p.projectId); f("warehouseId", p.warehouseId);
    f("warehouseName", p.warehouseName); f("items", p.items); f("quantity", p.quantity);
}
template <class F> void fields(sdk::ProjectInvoiced& p, F&& f) {
    f("stamp", p.stamp); f("projectId", p.projectId); f("warehouseId", p.warehouseId);
    f("invoiceNumber", p.invoiceNumber); f("warehouseName", p.warehouseName); f("kind", p.kind);
}
template <class F> void fields(sdk::MaterialsReserved& p, F&& f) {
    f("stamp", p.stamp); f("projectId", p.projectId); f("warehouseId", p.warehouseId);
    f("warehouseName", p.warehouseName); f("materials", p.materials);
}
template <class F> void fields(sdk::PaymentRegistered& p, F&& f) {
    f("stamp", p.stamp); f("paymentId", p.paymentId); f("counterpartyId", p.counterpartyId);
    f("projectId", p.projectId); f("amount", p.amount); f("kind", p.kind); f("document", p.document);
}

// Type tags, in HostChange's alternative order.
constexpr std::array<const char*, std::variant_size_v<HostChange>> kTypes = {
    "MaterialsReservedForOrder", "PrepaymentRequired", "ProductionLaunched", "CrewAssigned", "StageEvent",
    "InstallationPlanned", "ProjectItemsReceived", "ProjectInvoiced", "MaterialsReserved", "PaymentRegistered"};

constexpr std::array<const char*, 4> kStageChanges = {"planned", "rescheduled", "started", "finished"};
constexpr std::array<const char*, 3> kPaymentKinds = {"prepayment", "final", "other"};

template <class E, std::size_t N>
E enumFrom(const json& j, const std::array<const char*, N>& names) {
    const auto text = j.get<std::string>();
    for (std::size_t i = 0; i < N; ++i)
        if (text == names[i]) return static_cast<E>(i);
    throw JournalFormatError("unknown value \"" + text + "\"");
}

json encode(const std::string& v) { return v; }
json encode(std::int64_t v) { return v; }
json encode(int v) { return v; }
json encode(const sdk::Money& m) { return json{{"minor", m.minor}, {"currency", m.currency}}; }
json encode(sdk::Date d) { return d.time_since_epoch().count(); }         // days since 1970-01-01
json encode(sdk::TimePoint t) { return t.time_since_epoch().count(); }    // seconds since epoch
json encode(const std::optional<sdk::Date>& d) { return d ? encode(*d) : json(nullptr); }
json encode(sdk::StageChange c) { return kStageChanges.at(static_cast<std::size_t>(c)); }
json encode(sdk::PaymentKind k) { return kPaymentKinds.at(static_cast<std::size_t>(k)); }
json encode(const sdk::ChangeStamp& s);

// Whole numbers only: a float such as 1e104 converted to an integer is undefined behaviour
// (found by tests/fuzz/fuzz_host_change_json).
std::int64_t integer(const json& j) {
    if (!j.is_number_integer()) throw JournalFormatError("expected a whole number, got " + j.dump().substr(0, 40));
    return j.get<std::int64_t>();
}

void decode(const json& j, std::string& v) { v = j.get<std::string>(); }
void decode(const json& j, std::int64_t& v) { v = integer(j); }
void decode(const json& j, int& v) { v = static_cast<int>(integer(j)); }
void decode(const json& j, sdk::Money& m) {
    m.minor = integer(j.at("minor"));
    m.currency = j.at("currency").get<std::string>();
}
void decode(const json& j, sdk::Date& d) { d = sdk::Date{std::chrono::days{integer(j)}}; }
void decode(const json& j, sdk::TimePoint& t) { t = sdk::TimePoint{std::chrono::seconds{integer(j)}}; }
void decode(const json& j, std::optional<sdk::Date>& d) {
    if (j.is_null()) {
        d.reset();
        return;
    }
    sdk::Date v{};
    decode(j, v);
    d = v;
}
void decode(const json& j, sdk::StageChange& c) { c = enumFrom<sdk::StageChange>(j, kStageChanges); }
void decode(const json& j, sdk::PaymentKind& k) { k = enumFrom<sdk::PaymentKind>(j, kPaymentKinds); }
void decode(const json& j, sdk::ChangeStamp& s);

template <class T>
json encodeFields(const T& value) {
    json out = json::object();
    fields(const_cast<T&>(value), [&](const char* name, const auto& member) { out[name] = encode(member); });
    return out;
}
template <class T>
void decodeFields(const json& j, T& value) {
    fields(value, [&](const char* name, auto& member) {
        const auto it = j.find(name);
        if (it == j.end()) throw JournalFormatError(std::string("missing field \"") + name + "\"");
        try {
            decode(*it, member);
        } catch (const json::exception& e) {
            throw JournalFormatError(std::string("field \"") + name + "\": " + e.what());
        }
    });
}

json encode(const sdk::ChangeStamp& s) { return encodeFields(s); }
void decode(const json& j, sdk::ChangeStamp& s) { decodeFields(j, s); }

template <std::size_t I = 0>
HostChange decodeAlternative(std::size_t index, const json& j) {
    if constexpr (I < std::variant_size_v<HostChange>) {
        if (index == I) {
            std::variant_alternative_t<I, HostChange> payload;
            decodeFields(j, payload);
            return HostChange{std::in_place_index<I>, std::move(payload)};
        }
        return decodeAlternative<I + 1>(index, j);
    } else {
        throw JournalFormatError("unknown payload type");
    }
}

}  // namespace

nlohmann::json toJson(const HostChange& change) {
    auto out = std::visit([](const auto& payload) { return encodeFields(payload); }, change);
    out["type"] = kTypes[change.index()];
    return out;
}

HostChange hostChangeFromJson(const nlohmann::json& j) {
    if (!j.is_object()) throw JournalFormatError("journal entry is not a JSON object");
    const auto type = j.find("type");
    if (type == j.end() || !type->is_string()) throw JournalFormatError("journal entry without a type");
    const auto name = type->get<std::string>();
    for (std::size_t i = 0; i < kTypes.size(); ++i)
        if (name == kTypes[i]) return decodeAlternative(i, j);
    throw JournalFormatError("unknown payload type \"" + name + "\"");
}

std::string toJsonLine(const HostChange& change) {
    return toJson(change).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HostChange parseJsonLine(std::string_view line) {
    json j;
    try {
        j = json::parse(line);
    } catch (const json::exception& e) {
        throw JournalFormatError(std::string("not JSON: ") + e.what());
    }
    return hostChangeFromJson(j);
}

}  // namespace conduit::adapters
