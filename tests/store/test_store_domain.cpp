#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/sha256.hpp>

#include <gtest/gtest.h>

#include <set>

using namespace conduit::crm;

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(IdempotencyKey, DerivedFromSourceAndStable) {
    EXPECT_EQ(idempotencyKey("payments", "payment:42", 3), "payments|payment:42|v3");
    EXPECT_NE(idempotencyKey("payments", "payment:42", 3), idempotencyKey("payments", "payment:42", 4));
    conduit::sdk::ChangeStamp stamp;
    stamp.module = "orders";
    stamp.entity = "order:7";
    stamp.version = 2;
    EXPECT_EQ(idempotencyKey(stamp), "orders|order:7|v2");
}

TEST(IdempotencyKey, LongKeysFitTheColumnAndStayUnique) {
    const std::string entity(400, 'x');
    const auto a = idempotencyKey("scheduling", entity + "a", 1);
    const auto b = idempotencyKey("scheduling", entity + "b", 1);
    EXPECT_LE(a.size(), kMaxKeyBytes);
    EXPECT_NE(a, b);
    const std::string cyrillic = "проект:" + std::string(300, 'x') + "ж";
    EXPECT_LE(idempotencyKey("orders", "ззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззззз" + cyrillic, 1).size(), kMaxKeyBytes);
}

TEST(EventKindRegistry, BuiltinsHaveThreeLanguagesAndIcons) {
    EventKindRegistry registry;
    const auto all = registry.all();
    EXPECT_GE(all.size(), 20u);
    for (const auto& k : all) {
        EXPECT_TRUE(EventKindRegistry::isValidCode(k.code)) << k.code;
        EXPECT_FALSE(k.nameRu.empty()) << k.code;
        EXPECT_FALSE(k.namePl.empty()) << k.code;
        EXPECT_FALSE(k.nameEn.empty()) << k.code;
        EXPECT_FALSE(k.icon.empty()) << k.code;
    }
    for (const char* code : {"payment.received", "schedule.crew_assigned", "schedule.stage_planned", "warehouse.fg_received",
                             "warehouse.invoice_posted", "warehouse.materials_reserved", "order.production_launched",
                             "note.customer", "note.measurement"})
        EXPECT_TRUE(registry.contains(code)) << code;
    const auto payment = registry.find("payment.received");
    ASSERT_TRUE(payment);
    EXPECT_EQ(payment->name("ru"), "Поступил платёж");
    EXPECT_EQ(payment->name("pl"), "Wpłynęła płatność");
    EXPECT_EQ(payment->name("de"), "Payment received");
}

TEST(EventKindRegistry, PluginsAddKindsAndConflictsAreRefused) {
    EventKindRegistry registry;
    EventKind tender{"tender.submitted", "Тендер подан", "Przetarg złożony", "Tender submitted", "tender", Importance::High};
    registry.add(tender);
    registry.add(tender);  // identical: no-op
    EXPECT_TRUE(registry.contains("tender.submitted"));
    tender.nameEn = "Other";
    EXPECT_THROW(registry.add(tender), std::invalid_argument);
    EXPECT_THROW(registry.add({"Tender", "", "", "", "", Importance::Low}), std::invalid_argument);
    EXPECT_THROW(registry.add({"tender", "", "", "", "", Importance::Low}), std::invalid_argument);
    EXPECT_THROW(registry.add({"tender..x", "", "", "", "", Importance::Low}), std::invalid_argument);
}
