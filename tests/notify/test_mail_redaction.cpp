// What a recipient reads in mail is what their rights let them read in the feed: a dispatcher or a
// measurer is told about a payment without its amount, invoice number, text or files, finance reads
// it all; digests likewise. Due dates are calendar dates in every zone.
#include "notify_test_util.hpp"

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/notify/render.hpp>
#include <conduit/crm/timeline/event_text.hpp>

namespace notifytest {
namespace {

using notify::RecipientRole;
using notify::Timing;

constexpr const char* kInvoice = "FV/2026/0417";
constexpr const char* kFile = "potwierdzenie_przelewu.pdf";

// A prepayment as the payments adapter makes it: facts kept, stored text in Polish with the amount.
crm::Event prepayment(sdk::TimePoint when) {
    auto e = makeEvent("prepay", crm::kinds::kPrepaymentReceived, when, 1002, 102);
    e.sourceModule = "payments";
    e.amount = sdk::Money{12'360'00, "PLN"};
    e.invoiceNumber = kInvoice;
    crm::EventFacts f;
    f.set(crm::facts::kProject, "P-2026-0043 «Okna w domu»").set(crm::facts::kCounterparty, "Zażółć Gęślą");
    crm::storeWithText(e, f, crm::formatterFor(crm::Locale::of("pl"), crm::TimeZone::named("Europe/Warsaw")));
    e.body = "Przelew 12 360,00 PLN, tytuł " + std::string(kInvoice);
    e.attachments.push_back({kFile, "application/pdf", 0, {}, "%PDF-1.4\n1 0 obj\n%%EOF\n"});
    return e;
}

std::string everything(const sdk::MailMessage& m) {
    std::string all = m.subject + "\n" + m.textBody + "\n" + m.htmlBody;
    for (const auto& a : m.attachments) all += "\n" + a.fileName;
    return all;
}

// No trace of the amount in any spelling, nor of the invoice number or the file.
void expectNoPaymentDetails(const sdk::MailMessage& m) {
    const auto all = everything(m);
    for (const char* leak : {"360", "12\u00a0360", "12 360", kInvoice, kFile, "Przelew"})
        EXPECT_EQ(all.find(leak), std::string::npos) << leak << " in mail to " << m.to.at(0).address << ":\n" << all;
    EXPECT_TRUE(m.attachments.empty()) << m.to.at(0).address;
}

class MailRedactionTest : public NotifyTest {
protected:
    void SetUp() override {
        NotifyTest::SetUp();
        audit = std::make_unique<crm::AuditLog>(store->database());
        access = std::make_unique<crm::AccessControl>(*store, directory, *audit);
    }
    void TearDown() override {
        if (service) service->stop();
        service.reset();
        access.reset();
        audit.reset();
        NotifyTest::TearDown();
    }
    // Wired as the plugin entry wires it (plugin/crm_plugin.cpp).
    notify::NotificationService& start() {
        auto& svc = startService(mail);
        svc.setMayReceive([this](const notify::Recipient& r, const crm::Event& e) {
            return notify::Sender::defaultMayReceive(r, e, store->kinds()) &&
                   access->mayReceive(r.external ? crm::Recipient::contact(r.counterpartyId) : crm::Recipient::user(r.userId), e);
        });
        svc.setVisibleCopy([this](const notify::Recipient& r, const crm::Event& e) -> std::optional<crm::Event> {
            if (r.external) return e;
            return access->visibleCopy(r.userId, e);
        });
        return svc;
    }
    const sdk::MailMessage& mailTo(const std::vector<sdk::MailMessage>& sent, const std::string& address) {
        for (const auto& m : sent)
            if (m.to.at(0).address == address) return m;
        throw std::runtime_error("no mail to " + address);
    }

    RecordingMail mail;
    std::unique_ptr<crm::AuditLog> audit;
    std::unique_ptr<crm::AccessControl> access;
};

TEST_F(MailRedactionTest, APaymentMailShowsTheAmountOnlyToThoseWhoMaySeePaymentDetails) {
    auto& svc = start();
    auto r = rule("Wpłaty", {"payment.*"}, {user(11), user(14), dept("finance"), role(RecipientRole::CounterpartyContact)});
    r.attachFiles = true;
    svc.rules().add(r);
    write({prepayment(clock.now())});
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 4u) << report.error;
    const auto sent = mail.sent();

    // The dispatcher (ru) and the measurer (pl): told who paid, not how much.
    for (const char* address : {"m.ivanova@zavod.example", "p.zielinski@fabryka.example"}) {
        const auto& m = mailTo(sent, address);
        expectNoPaymentDetails(m);
        EXPECT_NE(m.subject.find("Zażółć Gęślą"), std::string::npos) << m.subject;
    }
    EXPECT_NE(mailTo(sent, "p.zielinski@fabryka.example").subject.find("Przedpłata od Zażółć Gęślą"), std::string::npos);

    // Finance reads it all, with the file.
    const auto& finance = mailTo(sent, "a.nowak@fabryka.example");
    EXPECT_NE(finance.subject.find("12\u00a0360,00"), std::string::npos) << finance.subject;
    EXPECT_NE(finance.textBody.find(kInvoice), std::string::npos) << finance.textBody;
    ASSERT_EQ(finance.attachments.size(), 1u);
    EXPECT_EQ(finance.attachments[0].fileName, kFile);

    // The customer's own payment is theirs to read.
    const auto& customer = mailTo(sent, "zazolc@klient.example");
    EXPECT_NE(customer.textBody.find(kInvoice), std::string::npos) << customer.textBody;
}

TEST_F(MailRedactionTest, ADigestShowsPaymentAmountsOnlyToThoseWhoMaySeePaymentDetails) {
    auto& svc = start();
    auto r = rule("Podsumowanie wpłat", {"payment.*"}, {user(11), user(14), dept("finance")}, Timing::Digest);
    r.digestHour = 8;
    svc.rules().add(r);
    clock.set(at(2026, 3, 2, 10, 0));
    write({prepayment(clock.now())});
    clock.set(at(2026, 3, 3, 7, 0));  // 08:00 in Warsaw
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.digest.digests, 3u) << report.error;
    EXPECT_EQ(report.sent.sent, 3u) << report.error;
    const auto sent = mail.sent();
    for (const char* address : {"m.ivanova@zavod.example", "p.zielinski@fabryka.example"}) {
        const auto& m = mailTo(sent, address);
        expectNoPaymentDetails(m);
        EXPECT_NE(m.textBody.find("Zażółć Gęślą"), std::string::npos) << m.textBody;
    }
    EXPECT_NE(mailTo(sent, "a.nowak@fabryka.example").textBody.find("12\u00a0360,00"), std::string::npos)
        << mailTo(sent, "a.nowak@fabryka.example").textBody;
}

// A prepayment due on 6 March 2026 (a calendar date), reminded the evening before in New York
// (already 6 March in UTC) and just after midnight in Warsaw.
TEST(DueDateMail, AReminderReadsTheSameCalendarDueDateInEveryZoneWithoutAnHour) {
    Directory directory;
    crm::EventKindRegistry kinds;
    auto e = makeEvent("due", crm::kinds::kOrderPrepaymentRequired, at(2026, 3, 1, 9, 30), 1002, 102);
    e.title = "Wymagana przedpłata";
    e.dueAt = crm::dueOn(std::chrono::sys_days(std::chrono::year(2026) / 3 / 6));
    notify::OutboxRow row;
    row.recipient.address = "a.nowak@fabryka.example";
    row.recipient.language = "pl";
    row.timing = Timing::Reminder;
    row.offsetMinutes = -1440;
    struct Case {
        const char* zone;
        sdk::TimePoint now;
        const char* words;
    };
    for (const Case& c : {Case{"America/New_York", at(2026, 3, 6, 1, 0), "Przypomnienie (za 1 dni)"},
                          Case{"Europe/Warsaw", at(2026, 3, 5, 23, 30), "Przypomnienie (termin mija dziś)"}}) {
        const notify::RenderContext context{kinds, directory, c.now, "Reguła", crm::TimeZone::named(c.zone)};
        const auto m = notify::renderEvent(row, e, context);
        EXPECT_EQ(m.subject.rfind(c.words, 0), 0u) << c.zone << ": " << m.subject;
        EXPECT_NE(m.text.find("Termin: 6 marca 2026\n"), std::string::npos) << c.zone << ":\n" << m.text;
        EXPECT_EQ(m.text.find("5 marca"), std::string::npos) << c.zone << ":\n" << m.text;
        EXPECT_EQ(m.text.find("00:00"), std::string::npos) << c.zone << ":\n" << m.text;
        EXPECT_EQ(m.text.find("Po terminie"), std::string::npos) << c.zone << ":\n" << m.text;
    }
}

}  // namespace
}  // namespace notifytest
