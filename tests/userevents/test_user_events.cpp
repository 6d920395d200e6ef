// Hand-made events: validation with messages in the user's language, measurement sheets checked
// by their bytes, hostile file names, one event per request, and a round trip through a real store.
#include <conduit/crm/entries/user_events.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <test_support.hpp>

#include <memory_directory.hpp>

#include <gtest/gtest.h>

#include <map>

using namespace conduit;
using crm::ValidationError;

namespace {

class Directory : public test::MemoryDirectory {
public:
    Directory() {
        add(sdk::Counterparty{7, sdk::CounterpartyKind::Person, "Щербаков Фёдор"});
        add(sdk::Counterparty{8, sdk::CounterpartyKind::Company, "Okna Łódź Sp. z o.o."});
        add(sdk::Project{42, "P-2026-0042", "Okna, salon", 8});
    }
};

struct Collected {
    std::vector<crm::Event> events;
    crm::UserEvents::Submit submit() {
        return [this](crm::Event e) {
            events.push_back(std::move(e));
            return true;
        };
    }
};

const sdk::TimePoint kAt = sdk::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 3 / 14}};
const std::string kPdf = std::string("%PDF-1.4\n") + std::string("\0\x01\xff binary", 10) + "\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, '\0');

template <class F>
std::string refusal(F&& f, std::string* field = nullptr) {
    try {
        f();
    } catch (const ValidationError& e) {
        if (field) *field = e.field;
        return e.what();
    }
    return {};
}

}  // namespace

TEST(UserEvents, PaymentIsValidatedWithMessagesInTheUsersLanguage) {
    Directory dir;
    Collected out;
    crm::UserEvents pl(out.submit(), dir, "pl"), ru(out.submit(), dir, "ru");
    crm::PaymentEntry p;
    p.requestId = "req-1";
    p.authorId = 5;
    p.counterpartyId = 7;
    p.amount.minor = 0;
    p.paidAt = kAt;
    p.document = "KP/1";
    std::string field;
    EXPECT_EQ(refusal([&] { pl.registerPayment(p); }, &field), "Kwota musi być większa od zera");
    EXPECT_EQ(field, "amount");
    EXPECT_EQ(refusal([&] { ru.registerPayment(p); }), "Сумма должна быть больше нуля");
    p.amount.minor = -100;
    EXPECT_FALSE(refusal([&] { pl.registerPayment(p); }).empty());
    p.amount.minor = 150000;
    p.amount.currency = "zł";
    EXPECT_EQ(refusal([&] { pl.registerPayment(p); }, &field), "Nieprawidłowy kod waluty: zł");
    p.amount.currency = "PLN";
    p.counterpartyId = 999;
    EXPECT_EQ(refusal([&] { pl.registerPayment(p); }, &field), "Nieznany kontrahent: #999");
    EXPECT_EQ(field, "counterparty");
    p.counterpartyId = 7;
    p.projectId = 42;  // belongs to counterparty 8
    EXPECT_EQ(refusal([&] { pl.registerPayment(p); }, &field), "Projekt należy do innego kontrahenta: P-2026-0042");
    p.projectId = 0;
    p.note = std::string("zła \xC3\x28 sekwencja");
    EXPECT_EQ(refusal([&] { pl.registerPayment(p); }, &field), "Tekst zawiera niedozwolone znaki (nie UTF-8)");
    EXPECT_TRUE(out.events.empty()) << "nothing is submitted when an entry is refused";

    p.note = "Wpłata gotówką w biurze";
    const auto e = pl.registerPayment(p);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(e.kind, "payment.received");
    EXPECT_EQ(e.counterpartyId, 7);
    EXPECT_EQ(e.amount->minor, 150000);
    EXPECT_EQ(e.title, "Płatność od Щербаков Фёдор");
    EXPECT_EQ(e.idempotencyKey, crm::idempotencyKey("user", "payment:req-1", 1));
}

TEST(UserEvents, CustomerNoteNeedsTextAndAKnownCounterparty) {
    Directory dir;
    Collected out;
    crm::UserEvents en(out.submit(), dir, "en");
    crm::CustomerNote n{"req-2", 5, 8, 42, "   \n ", kAt};
    EXPECT_EQ(refusal([&] { en.addCustomerNote(n); }), "The note is empty");
    n.text = "Klient prosi o kontakt tylko po 16:00.\nDzwonić na numer stacjonarny.";
    const auto e = en.addCustomerNote(n);
    EXPECT_EQ(e.kind, "note.customer");
    EXPECT_EQ(e.title, "Klient prosi o kontakt tylko po 16:00.");
    EXPECT_EQ(e.body, n.text);
    EXPECT_EQ(e.projectId, 42);
    n.requestId.clear();
    EXPECT_EQ(refusal([&] { en.addCustomerNote(n); }), "Missing request id");
}

TEST(UserEvents, MeasurementSheetsAreCheckedByTheirBytesNotTheirNames) {
    Directory dir;
    Collected out;
    crm::UserEvents pl(out.submit(), dir, "pl", {.maxAttachmentBytes = 1024, .maxAttachments = 2});
    crm::MeasurementNote m{"req-3", 6, 42, "Okno 3: nadproże krzywe, potrzebna listwa 2 cm", {}, kAt};
    m.sheets = {{"szkic.pdf", "", 0, "", "MZ\x90\0 not a pdf at all"}};
    EXPECT_EQ(refusal([&] { pl.addMeasurementNote(m); }), "Dozwolone są tylko pliki PDF, JPEG, PNG i TIFF: szkic.pdf");
    m.sheets = {{"big.pdf", "", 0, "", kPdf + std::string(2000, 'x')}};
    EXPECT_EQ(refusal([&] { pl.addMeasurementNote(m); }), "Plik jest za duży: big.pdf");
    m.sheets = {{"a.pdf", "", 0, "", kPdf}, {"b.pdf", "", 0, "", kPdf}, {"c.pdf", "", 0, "", kPdf}};
    EXPECT_EQ(refusal([&] { pl.addMeasurementNote(m); }), "Za dużo załączników: 3 > 2");
    m.sheets = {{"../../etc/passwd\r\n.pdf", "", 0, "", kPdf}, {"C:\\skany\\zdjęcie okna.png", "", 0, "", kPng}};
    const auto e = pl.addMeasurementNote(m);
    ASSERT_EQ(e.attachments.size(), 2u);
    EXPECT_EQ(e.attachments[0].fileName, "passwd__.pdf");
    EXPECT_EQ(e.attachments[0].mediaType, "application/pdf");
    EXPECT_EQ(e.attachments[1].fileName, "zdjęcie okna.png");
    EXPECT_EQ(e.attachments[1].mediaType, "image/png");
    EXPECT_EQ(e.counterpartyId, 8) << "taken from the project";
    EXPECT_EQ(e.kind, "note.measurement");
}

TEST(UserEvents, FileNamesAndUtf8) {
    EXPECT_EQ(crm::safeFileName("..."), "attachment");
    EXPECT_EQ(crm::safeFileName("/"), "attachment");
    EXPECT_EQ(crm::safeFileName(".hidden"), "hidden");
    EXPECT_EQ(crm::safeFileName("a\x01<b>|c?.tif"), "a__b__c_.tif");
    EXPECT_LE(crm::safeFileName(std::string(150, 'x') + std::string(40, ' ') + "Ж.pdf" + std::string(100, 'y')).size(), 200u);
    EXPECT_TRUE(crm::isValidUtf8("Zażółć gęślą jaźń — Съешь же ещё этих мягких булок 😀"));
    EXPECT_FALSE(crm::isValidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(crm::isValidUtf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(crm::isValidUtf8("abc\xE2\x82"));       // truncated
    EXPECT_FALSE(crm::isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    EXPECT_EQ(crm::sniffSheetMediaType(std::string("II*\0rest", 8)), "image/tiff");
    EXPECT_EQ(crm::sniffSheetMediaType("\xFF\xD8\xFF\xE0"), "image/jpeg");
    EXPECT_EQ(crm::sniffSheetMediaType("GIF89a"), std::nullopt);
}

TEST(UserEvents, RoundTripThroughARealStoreOncePerRequest) {
    test::TempDir dir;
    Directory directory;
    sdk::DatabaseLocation where;
    where.file = dir / "crm.fdb";
    auto store = crm::EventStore::open(where);
    crm::UserEvents ru([&](crm::Event e) { return store->writer().submit(std::move(e)); }, directory, "ru");
    crm::MeasurementNote m{"req-9", 6, 42, "Замер: проём 1450×1520, подоконник Ł-образный", {{"лист замера.pdf", "", 0, "", kPdf}}, kAt};
    ru.addMeasurementNote(m);
    ru.addMeasurementNote(m);  // saved twice (double click, retry): still one event
    ASSERT_TRUE(store->writer().flush());
    crm::FeedFilter f;
    f.project = 42;
    const auto page = store->feed(f);
    ASSERT_EQ(page.events.size(), 1u);
    const auto& stored = page.events[0];
    EXPECT_EQ(stored.body, m.text);
    ASSERT_EQ(stored.attachments.size(), 1u);
    EXPECT_EQ(stored.attachments[0].fileName, "лист замера.pdf");
    EXPECT_EQ(store->attachmentContent(stored.attachments[0].sha256), kPdf);

    store->writer().stop();
    EXPECT_THROW(ru.addCustomerNote({"req-10", 5, 7, 0, "после остановки", kAt}), std::runtime_error);
}
