// The overflow journal's format: every SDK payload type survives HostChange -> JSON line ->
// HostChange field by field, Russian and Polish texts included; broken lines are clear errors.
#include <host_change_json.hpp>
#include <overflow_journal.hpp>

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <tuple>

using namespace conduit;
using adapters::HostChange;

namespace {

using namespace std::chrono;
const sdk::Date kDay = sdk::Date{year{2026} / 3 / 14};

sdk::ChangeStamp stamp(const char* module, const std::string& entity, std::int64_t seq) {
    return {seq, module, entity, seq % 7 + 1, sdk::TimePoint{kDay} + hours{9} + seconds{seq}, 12};
}

// The SDK payloads have no operator==: compare every field.
auto fields(const sdk::MaterialsReservedForOrder& p) { return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.materials); }
auto fields(const sdk::PrepaymentRequired& p) { return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.amount, p.dueDate); }
auto fields(const sdk::ProductionLaunched& p) { return std::tie(p.stamp, p.orderId, p.projectId, p.counterpartyId, p.orderNumber, p.plannedFinish); }
auto fields(const sdk::CrewAssigned& p) { return std::tie(p.stamp, p.projectId, p.crewId, p.crewName, p.stage, p.date); }
auto fields(const sdk::StageEvent& p) { return std::tie(p.stamp, p.change, p.projectId, p.stage, p.plannedStart, p.plannedFinish, p.previousStart); }
auto fields(const sdk::InstallationPlanned& p) { return std::tie(p.stamp, p.projectId, p.crewId, p.date, p.previousDate); }
auto fields(const sdk::ProjectItemsReceived& p) { return std::tie(p.stamp, p.projectId, p.warehouseId, p.warehouseName, p.items, p.quantity); }
auto fields(const sdk::ProjectInvoiced& p) { return std::tie(p.stamp, p.projectId, p.warehouseId, p.invoiceNumber, p.warehouseName, p.kind); }
auto fields(const sdk::MaterialsReserved& p) { return std::tie(p.stamp, p.projectId, p.warehouseId, p.warehouseName, p.materials); }
auto fields(const sdk::PaymentRegistered& p) { return std::tie(p.stamp, p.paymentId, p.counterpartyId, p.projectId, p.amount, p.kind, p.document); }

bool same(const HostChange& a, const HostChange& b) {
    if (a.index() != b.index()) return false;
    return std::visit([&](const auto& x) { return fields(x) == fields(std::get<std::decay_t<decltype(x)>>(b)); }, a);
}

sdk::PaymentRegistered payment(sdk::ChangeStamp s, sdk::Id counterparty, sdk::Id project, std::int64_t minor,
                               const char* currency, sdk::PaymentKind kind, const char* document) {
    sdk::PaymentRegistered p;
    p.stamp = std::move(s);
    p.paymentId = p.stamp.seq;
    p.counterpartyId = counterparty;
    p.projectId = project;
    p.amount.minor = minor;
    p.amount.currency = currency;
    p.kind = kind;
    p.document = document;
    return p;
}

// One of each of the ten payload types, with non-ASCII texts and the optional fields set and unset.
std::vector<HostChange> samples() {
    std::vector<HostChange> out;
    out.emplace_back(sdk::MaterialsReservedForOrder{stamp("orders", "order:1", 1), 1, 42, 7,
                                                    "Profil PCV 70 mm — 24 mb; Okucia Roto NT — 6 kpl.; «Стеклопакет» 4/16/4"});
    sdk::PrepaymentRequired pre;
    pre.stamp = stamp("orders", "order:1", 2);
    pre.orderId = 1;
    pre.projectId = 42;
    pre.counterpartyId = 7;
    pre.amount.minor = -123'456'789'01;
    pre.amount.currency = "RUB";
    pre.dueDate = kDay + days{10};
    out.emplace_back(pre);
    out.emplace_back(sdk::ProductionLaunched{stamp("orders", "order:1", 3), 1, 42, 7, "ZAM/2026/000001", kDay + days{30}});
    out.emplace_back(sdk::CrewAssigned{stamp("scheduling", "project:42/crew", 4), 42, 3, "Ekipa montażowa 1 — Łódź",
                                       "installation", kDay});
    sdk::StageEvent moved{stamp("scheduling", "project:42/stage:production", 5), sdk::StageChange::Rescheduled, 42,
                          "production", kDay, kDay + days{5}, kDay - days{2}};
    out.emplace_back(moved);
    sdk::StageEvent finished = moved;
    finished.change = sdk::StageChange::Finished;
    finished.previousStart.reset();
    out.emplace_back(finished);
    out.emplace_back(sdk::InstallationPlanned{stamp("scheduling", "project:42/installation", 6), 42, 2, kDay, std::nullopt});
    out.emplace_back(sdk::InstallationPlanned{stamp("scheduling", "project:42/installation", 7), 42, 2, kDay + days{1}, kDay});
    out.emplace_back(sdk::ProjectItemsReceived{stamp("fg_warehouse", "receipt:9", 8), 42, 1,
                                               "Magazyn wyrobów gotowych Łódź", "Okna PCV — 6 szt.\n\"łuk\"\t", 6});
    out.emplace_back(sdk::ProjectInvoiced{stamp("multi_warehouse", "doc:3", 9), 42, 2, "WZ/2026/000002",
                                          "Склад материалов Калининград", "waybill"});
    out.emplace_back(sdk::MaterialsReserved{stamp("multi_warehouse", "reservation:4", 10), 42, 3,
                                            "Склад материалов Калининград", "Szyba zespolona 4/16/4 — 12 m² 😀"});
    out.emplace_back(payment(stamp("payments", "payment:5", 11), 7, 42, 370000, "PLN", sdk::PaymentKind::Prepayment,
                             "WB/2026/000001"));
    out.emplace_back(payment(stamp("payments", "payment:6", 12), 7, 0, 1, "EUR", sdk::PaymentKind::Final, ""));
    out.emplace_back(payment(stamp("payments", "payment:7", 13), 0, 0, 0, "PLN", sdk::PaymentKind::Other, "KP 17/2026"));
    return out;
}

}  // namespace

TEST(HostChangeJson, EveryPayloadTypeRoundTripsFieldByField) {
    const auto all = samples();
    std::set<std::size_t> types;
    for (const auto& change : all) {
        types.insert(change.index());
        const auto line = adapters::toJsonLine(change);
        EXPECT_EQ(line.find('\n'), std::string::npos) << line;
        const auto back = adapters::parseJsonLine(line);
        EXPECT_TRUE(same(change, back)) << line;
        EXPECT_EQ(adapters::toJsonLine(back), line);
    }
    EXPECT_EQ(types.size(), std::variant_size_v<HostChange>) << "a payload type has no sample";
}

TEST(HostChangeJson, TextsStayReadableUtf8) {
    const auto line = adapters::toJsonLine(samples()[9]);
    EXPECT_NE(line.find("Склад материалов Калининград"), std::string::npos) << line;
    EXPECT_NE(line.find("\"type\":\"ProjectInvoiced\""), std::string::npos) << line;
}

TEST(HostChangeJson, InvalidUtf8IsReplacedNotThrown) {
    const auto p = payment(stamp("payments", "payment:1", 1), 7, 0, 100, "PLN", sdk::PaymentKind::Other, "KP \xff\xfe 1");
    std::string line;
    ASSERT_NO_THROW(line = adapters::toJsonLine(HostChange{p}));
    const auto back = std::get<sdk::PaymentRegistered>(adapters::parseJsonLine(line));
    EXPECT_EQ(back.document, "KP \xEF\xBF\xBD\xEF\xBF\xBD 1");
}

TEST(HostChangeJson, BrokenLinesAreClearErrors) {
    EXPECT_THROW(adapters::parseJsonLine("{\"type\":\"PaymentRegistered\",\"stamp\":"), adapters::JournalFormatError);
    EXPECT_THROW(adapters::parseJsonLine("{\"type\":\"Teleported\"}"), adapters::JournalFormatError);
    EXPECT_THROW(adapters::parseJsonLine("[1,2]"), adapters::JournalFormatError);
    try {
        auto j = adapters::toJson(samples()[1]);
        j.erase("amount");
        adapters::hostChangeFromJson(j);
        FAIL() << "a missing field was accepted";
    } catch (const adapters::JournalFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("amount"), std::string::npos) << e.what();
    }
    auto j = adapters::toJson(samples()[4]);
    j["change"] = "exploded";
    EXPECT_THROW(adapters::hostChangeFromJson(j), adapters::JournalFormatError);
}

TEST(OverflowJournal, AppendsTakesAllAndSurvivesACutLastLine) {
    conduit::test::TempDir dir{"journal"};
    const auto file = dir / "crm-journal" / "overflow.jsonl";
    const auto all = samples();
    {
        adapters::OverflowJournal journal(file);
        EXPECT_EQ(journal.pending(), 0u);
        EXPECT_FALSE(std::filesystem::exists(file)) << "nothing is created before the first overflow";
        for (const auto& c : all) ASSERT_TRUE(journal.append(c));
        EXPECT_EQ(journal.pending(), all.size());
    }
    // A later run finds the file (e.g. after a kill -9 that also cut the last line).
    { std::ofstream(file, std::ios::app) << "{\"type\":\"PaymentRegis"; }
    adapters::OverflowJournal journal(file);
    EXPECT_EQ(journal.pending(), all.size() + 1);
    auto taken = journal.takeAll();
    EXPECT_EQ(taken.unreadable, 1u);
    ASSERT_EQ(taken.changes.size(), all.size());
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_TRUE(same(all[i], taken.changes[i])) << i;
    EXPECT_EQ(journal.pending(), 0u);
    EXPECT_FALSE(std::filesystem::exists(file));
    ASSERT_TRUE(journal.append(all[0]));  // usable again after takeAll
    EXPECT_EQ(journal.takeAll().changes.size(), 1u);
}
