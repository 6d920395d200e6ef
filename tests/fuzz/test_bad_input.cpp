// Bad input on real parts: SQL- and HTML-looking text in every free-text field round-trips exactly
// through a real embedded store and is escaped in the event card; over-long fields lose nothing;
// invalid UTF-8 from the host is replaced, not lost; hostile attachment names are made safe.
#include <conduit/crm/access/access_control.hpp>
#include <dispatcher/event_card.hpp>
#include <event_mapping.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/entries/user_events.hpp>

#include <memory_directory.hpp>
#include <test_support.hpp>

#include <gtest/gtest.h>

#include <chrono>

using namespace conduit;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> kHostile = {
    "Robert'); DROP TABLE CRM_EVENT; --",
    "' OR '1'='1' /* Щ */ --",
    "\"; DELETE FROM CRM_AUDIT WHERE 1=1; --",
    "<script>alert('Łódź')</script>",
    "<img src=x onerror=alert(document.cookie)>",
    "</td></tr></table><iframe src=\"javascript:alert(1)\"></iframe>",
    "Заказчик «Рога & Копыта» <b>жирный</b> &amp; &lt;",
    "${jndi:ldap://x} {{7*7}} %s%n \\x00",
};

sdk::DatabaseLocation embeddedAt(const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Embedded;
    where.file = file;
    return where;
}

class BadInput : public ::testing::Test {
protected:
    void SetUp() override { store = crm::EventStore::open(embeddedAt(dir / "crm.fdb")); }
    void flush() { ASSERT_TRUE(store->writer().flush(10s)) << store->counts().writer.lastError; }
    test::TempDir dir{"conduit-badinput"};
    std::unique_ptr<crm::EventStore> store;
};

// The first `bytes` bytes, shortened to a character boundary.
std::string cutUtf8(const std::string& s, std::size_t bytes) {
    if (s.size() <= bytes) return s;
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
    return s.substr(0, bytes);
}

crm::Event hostileEvent(std::size_t i, const std::string& text) {
    crm::Event e;
    e.idempotencyKey = "bad|" + std::to_string(i) + "|" + cutUtf8(text, 20) + "|v1";
    e.occurredAt = sdk::TimePoint(std::chrono::seconds(1773057600 + static_cast<long>(i)));
    e.kind = "payment.received";
    e.sourceModule = "payments";
    e.projectId = 42;
    e.counterpartyId = 8;
    e.title = text;
    e.body = text + "\n" + text;
    e.amount = sdk::Money{123'45, "PLN"};
    e.crewName = cutUtf8(text, 100);
    e.stage = cutUtf8(text, 50);
    e.invoiceNumber = cutUtf8(text, 60);
    e.extra = nlohmann::json{{"note", text}}.dump();
    return e;
}

std::string card(const crm::Event& e) {
    forms::CardContext ctx;
    ctx.kindName = QString::fromStdString(e.kind);
    ctx.projectLabel = QString::fromStdString(e.title);
    ctx.counterpartyName = QString::fromStdString(e.body);
    ctx.authorName = QString::fromStdString(e.crewName);
    return forms::renderEventCard(e, ctx).toStdString();
}

}  // namespace

TEST_F(BadInput, SqlAndHtmlLookingTextRoundTripsExactlyAndIsEscapedInTheCard) {
    std::vector<crm::Event> written;
    for (std::size_t i = 0; i < kHostile.size(); ++i) {
        written.push_back(hostileEvent(i, kHostile[i]));
        ASSERT_TRUE(store->writer().submit(written.back()));
    }
    flush();
    EXPECT_EQ(store->counts().writer.failed, 0u);
    const auto page = store->feed({});
    ASSERT_EQ(page.events.size(), kHostile.size());
    for (const auto& w : written) {
        const auto it = std::find_if(page.events.begin(), page.events.end(), [&](const crm::Event& e) { return e.idempotencyKey == w.idempotencyKey; });
        ASSERT_NE(it, page.events.end()) << w.title;
        EXPECT_EQ(it->title, w.title);
        EXPECT_EQ(it->body, w.body);
        EXPECT_EQ(it->crewName, w.crewName);
        EXPECT_EQ(it->stage, w.stage);
        EXPECT_EQ(it->invoiceNumber, w.invoiceNumber);
        EXPECT_EQ(it->extra, w.extra);
        // Searching for the text finds its own event: the text is a bound value, never SQL.
        crm::FeedFilter f;
        f.text = w.title;
        const auto found = store->feed(f).events;
        ASSERT_GE(found.size(), 1u) << w.title;
        EXPECT_TRUE(std::any_of(found.begin(), found.end(), [&](const crm::Event& e) { return e.id == it->id; }));

        const std::string html = card(*it);
        for (const char* raw : {"<script", "<img src=x", "<iframe", "<b>жирный", "onerror=alert(document.cookie)>"})
            EXPECT_EQ(html.find(raw), std::string::npos) << raw << " in the card of " << w.title;
    }
    // The tables are all still there.
    EXPECT_EQ(store->feed({}).events.size(), kHostile.size());
    // ... and the card shows the text, escaped.
    for (const auto& e : page.events)
        if (e.title == kHostile[3]) {
            EXPECT_NE(card(e).find("&lt;script&gt;alert("), std::string::npos);
        }
}

TEST_F(BadInput, UserEntriesWithHostileTextRoundTripThroughTheStore) {
    test::MemoryDirectory dir;
    dir.add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "<b>Okna</b> Łódź'; --"});
    dir.add(sdk::Project{42, "P-'42'", "<script>x</script>", 8});
    crm::UserEvents user([this](crm::Event e) { return store->writer().submit(std::move(e)); }, dir, "pl");
    std::vector<crm::Event> made;
    for (std::size_t i = 0; i < kHostile.size(); ++i) {
        crm::CustomerNote n{"note-" + std::to_string(i), 101, 8, 42, kHostile[i] + "\nдалее: " + kHostile[i],
                            sdk::TimePoint(std::chrono::seconds(1773057600 + static_cast<long>(i)))};
        made.push_back(user.addCustomerNote(n));
        crm::PaymentEntry p{"pay-" + std::to_string(i), 103, 8, 42, {100 + static_cast<std::int64_t>(i), "PLN"}};
        p.paidAt = sdk::TimePoint(std::chrono::seconds(1773060000 + static_cast<long>(i)));
        p.document = p.note = kHostile[i];
        made.push_back(user.registerPayment(p));
    }
    flush();
    for (const auto& m : made) {
        const auto page = store->feed({.text = cutUtf8(m.title, 30)}).events;
        const auto it = std::find_if(page.begin(), page.end(), [&](const crm::Event& e) { return e.idempotencyKey == m.idempotencyKey; });
        ASSERT_NE(it, page.end()) << m.title;
        EXPECT_EQ(it->body, m.body);
        EXPECT_EQ(it->title, m.title);
    }
}

TEST_F(BadInput, OverLongFieldsAreKeptWholeOrCutVisiblyNeverRefused) {
    crm::Event e = hostileEvent(0, "x");
    e.title = std::string(2000, 'T') + "Ж";
    e.body = "Начало " + std::string(100'000, 'b') + " конец";
    e.crewName = std::string(150, 'c');
    e.stage = std::string(80, 's');
    e.invoiceNumber = std::string(90, 'i');
    ASSERT_TRUE(store->writer().submit(e));
    flush();
    const auto stored = store->feed({}).events;
    ASSERT_EQ(stored.size(), 1u) << "an over-long field cost the whole event: " << store->counts().writer.lastError;
    EXPECT_EQ(stored[0].title.substr(0, 100), std::string(100, 'T'));
    ASSERT_FALSE(stored[0].attachments.empty());
    EXPECT_EQ(stored[0].attachments.back().fileName, "body.txt");
    EXPECT_EQ(store->attachmentContent(stored[0].attachments.back().sha256), e.body);  // nothing lost
}

TEST_F(BadInput, InvalidUtf8FromTheHostIsReplacedNotLost) {
    test::MemoryDirectory dir;
    dir.add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "Okna \xff\xfe Łódź"});
    sdk::PaymentRegistered p;
    p.stamp = {1, "payments", "payment:1", 1, sdk::TimePoint(std::chrono::seconds(1773057600)), 0};
    p.paymentId = 1;
    p.counterpartyId = 8;
    p.amount = {500'00, "PLN"};
    p.document = "FV/\xc3\x28/\xed\xa0\x80/1";  // broken sequence, a surrogate
    const auto e = adapters::toEvent(adapters::HostChange{p}, {dir, "pl"});
    ASSERT_TRUE(store->writer().submit(e));
    flush();
    const auto stored = store->feed({}).events;
    ASSERT_EQ(stored.size(), 1u) << "invalid UTF-8 cost the event: " << store->counts().writer.lastError;
    EXPECT_TRUE(crm::isValidUtf8(stored[0].title));
    EXPECT_TRUE(crm::isValidUtf8(stored[0].body));
    EXPECT_NE(stored[0].title.find("Łódź"), std::string::npos);  // the valid rest is kept
}

TEST(BadInputNames, HostileAttachmentNamesAreMadeSafe) {
    struct Case { std::string in, out; };
    const std::vector<Case> cases = {
        {"../../etc/passwd", "passwd"},
        {"..\\..\\Windows\\System32\\drivers\\etc\\hosts", "hosts"},
        {"C:\\Users\\Ян\\pomiar.pdf", "pomiar.pdf"},
        {std::string("szkic\0.pdf", 10), "szkic_.pdf"},
        {"a\x1b[31mred\r\n.pdf", "a_[31mred__.pdf"},
        {"...hidden", "hidden"},
        {"name. . .", "name"},
        {"/", "attachment"},
        {"", "attachment"},
        {"pomiar\xe2\x80\xae" "fdp.exe", "pomiar_fdp.exe"},  // U+202E turns the name around on screen
        {"Zamówienie: \"1\" <ok>|?*.pdf", "Zamówienie_ _1_ _ok____.pdf"},
    };
    for (const auto& c : cases) EXPECT_EQ(crm::safeFileName(c.in), c.out) << c.in;
    const auto longName = crm::safeFileName(std::string(150, 'a') + std::string(100, '.') + "pdf");
    EXPECT_LE(longName.size(), 200u);
    EXPECT_NE(longName.back(), '.');
}

TEST_F(BadInput, HostileAttachmentNamesRoundTripSafelyThroughTheStore) {
    test::MemoryDirectory dir;
    dir.add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "Okna"});
    dir.add(sdk::Project{42, "P-42", "Salon", 8});
    crm::UserEvents user([this](crm::Event e) { return store->writer().submit(std::move(e)); }, dir, "ru");
    crm::MeasurementNote m{"m1", 105, 42, "Замер", {}, sdk::TimePoint(std::chrono::seconds(1773057600))};
    const std::string pdf = "%PDF-1.4\n%%EOF\n";
    m.sheets.push_back({"../../../tmp/evil.pdf", "", 0, "", pdf});
    m.sheets.push_back({"<script>alert(1)</script>.pdf", "", 0, "", pdf + " "});
    m.sheets.push_back({"evil.exe", "", 0, "", "MZ\x90\x00"});
    try {
        user.addMeasurementNote(m);
        ADD_FAILURE() << "an .exe passed as a measurement sheet";
    } catch (const crm::ValidationError& e) {
        EXPECT_EQ(e.field, "attachment");
        EXPECT_NE(std::string(e.what()).find("Допускаются только PDF"), std::string::npos);
    }
    m.sheets.pop_back();
    user.addMeasurementNote(m);
    flush();
    const auto stored = store->feed({}).events;
    ASSERT_EQ(stored.size(), 1u);
    ASSERT_EQ(stored[0].attachments.size(), 2u);
    EXPECT_EQ(stored[0].attachments[0].fileName, "evil.pdf");
    EXPECT_EQ(stored[0].attachments[1].fileName, "script_.pdf");  // the last path component, '<>' replaced
    const std::string html = card(stored[0]);
    EXPECT_EQ(html.find("<script"), std::string::npos);
}
