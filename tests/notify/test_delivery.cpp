// The sender end to end: events -> outbox -> the reference host's real mail client -> a real SMTP
// server (aiosmtpd) -> Python's email parser. Server down then up, a 550 for one recipient, back-off
// to a limit, the right to receive checked at send time, two senders on one database.
#include "notify_test_util.hpp"

#include <conduit/crm/foundation/sha256.hpp>

#include <set>
#include <thread>

namespace notifytest {
namespace {

using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using notify::OutboxStatus;
using notify::RecipientRole;

class DeliveryTest : public NotifyTest {
protected:
    QuietLogger logger;
    conduit::test::TempDir mailDir{"conduit-notify-mail"};
};

std::string pdfBytes() {
    std::string b = "%PDF-1.4\n";
    for (int i = 0; i < 3000; ++i) b += static_cast<char>((i * 31 + 7) % 256);
    return b + "\n%%EOF\n";
}

TEST_F(DeliveryTest, MessagesArriveInTheRecipientsLanguageWithAttachmentsAndStableIds) {
    SmtpServer server;
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Клиенту о производстве", {"order.production_launched"}, {role(RecipientRole::CounterpartyContact)}));
    auto sheet = rule("Arkusz pomiaru dla kierownika", {"note.measurement"}, {role(RecipientRole::ProjectManager)});
    sheet.attachFiles = true;
    svc.rules().add(sheet);

    auto ru = makeEvent("launch-ru", "order.production_launched", clock.now(), 1001, 101);
    ru.title = "Заказ №42 «Окна в офис» запущен <срочно> & в цех";
    auto pl = makeEvent("launch-pl", "order.production_launched", clock.now(), 1002, 102);
    pl.title = "Zamówienie «Okna w domu» w produkcji — żółć";
    auto note = makeEvent("measure", "note.measurement", clock.now(), 1002, 102);
    note.title = "Pomiar: Łódź, Piotrkowska 1";
    note.body = "Проём 1200×1500, подоконник узкий. Uwaga: schody.";
    note.attachments.push_back({"pomiar_okien.pdf", "application/pdf", 0, {}, pdfBytes()});
    write({ru, pl, note});

    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 3u) << report.error;
    const auto mails = server.waitForMessages(3);
    ASSERT_EQ(mails.size(), 3u);

    std::map<std::string, nlohmann::json> byRecipient;
    for (const auto& m : mails) {
        ASSERT_EQ(m.recipients.size(), 1u);
        byRecipient[m.recipients[0]] = checkMime(m.emlFile);
    }
    const auto& jr = byRecipient.at("f.shcherbakov@sever.example");
    EXPECT_EQ(jr["subject"], "Заказ запущен в производство: " + ru.title);
    EXPECT_EQ(jr["to"][0]["name"], "Щербаков Фёдор");
    EXPECT_NE(jr["text"].get<std::string>().find("P-2026-0042 «Окна в офис»"), std::string::npos);
    // Event text is escaped in HTML, intact in plain text.
    EXPECT_NE(jr["html"].get<std::string>().find("&lt;срочно&gt; &amp; в цех"), std::string::npos);
    EXPECT_EQ(jr["html"].get<std::string>().find("<срочно>"), std::string::npos);
    EXPECT_NE(jr["text"].get<std::string>().find("<срочно> & в цех"), std::string::npos);
    EXPECT_TRUE(jr["defects"].empty()) << jr["defects"];

    const auto& jp = byRecipient.at("zazolc@klient.example");
    EXPECT_EQ(jp["subject"], "Zamówienie skierowane do produkcji: " + pl.title);
    EXPECT_EQ(jp["to"][0]["name"], "Zażółć Gęślą");
    EXPECT_NE(jp["text"].get<std::string>().find("Otrzymujesz tę wiadomość"), std::string::npos);

    const auto& jm = byRecipient.at("s.petrov@zavod.example");  // the manager reads Russian
    EXPECT_EQ(jm["subject"], "Особенности замера и монтажа: " + note.title);
    ASSERT_EQ(jm["attachments"].size(), 1u);
    EXPECT_EQ(jm["attachments"][0]["filename"], "pomiar_okien.pdf");
    EXPECT_EQ(jm["attachments"][0]["sha256"], crm::sha256Hex(pdfBytes()));
    EXPECT_NE(jm["text"].get<std::string>().find("Проём 1200×1500"), std::string::npos);
    // The customers' mails carry no attachment (their rule does not say so).
    EXPECT_TRUE(jr["attachments"].empty());

    // Message-IDs: one per notification, stored in its row.
    std::set<std::string> ids;
    for (const auto& [to, j] : byRecipient) ids.insert(j["message_id"].get<std::string>());
    EXPECT_EQ(ids.size(), 3u);
    for (const auto& row : svc.outbox().rows()) {
        EXPECT_EQ(row.status, OutboxStatus::Sent);
        EXPECT_EQ(row.messageId, "notify-" + std::to_string(row.id) + ".test@conduit.local");
        EXPECT_TRUE(ids.count("<" + row.messageId + ">")) << row.messageId;
        EXPECT_EQ(row.sentAt, clock.now());
    }
    // Nothing is sent twice.
    EXPECT_EQ(svc.runOnce(clock.now()).sent.claimed, 0u);
}

TEST_F(DeliveryTest, ServerDownThenUpDeliversLaterAndLosesNothing) {
    SwitchableMail mail;
    mail.use(smtpClient("127.0.0.1:" + std::to_string(conduit::test::unusedLocalPort()), mailDir.path(), logger));
    auto& svc = startService(mail);
    svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    std::vector<crm::Event> events;
    for (int i = 0; i < 5; ++i) events.push_back(makeEvent("pay-" + std::to_string(i), "payment.received", clock.now(), 1001, 101));
    write(events);

    auto report = svc.runOnce(clock.now());
    // Five fail in a row without a reply: the breaker stops the batch, the other five wait untried.
    EXPECT_EQ(report.sent.retrying, 5u) << report.error;
    EXPECT_EQ(report.sent.deferred, 5u);
    EXPECT_TRUE(report.sent.breakerOpen);
    for (const auto& row : svc.outbox().rows()) {
        EXPECT_EQ(row.status, OutboxStatus::Pending);
        EXPECT_LE(row.attempts, 1);
        EXPECT_EQ(row.nextAttemptAt, clock.now() + 60s);  // back-off: retryBase, and the breaker's pause
        EXPECT_FALSE(row.lastError.empty());
    }
    // Still down a minute later: the back-off doubles (the row's, and the breaker's).
    clock.advance(60s);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.retrying, 5u);
    EXPECT_EQ(svc.outbox().rows().front().nextAttemptAt, clock.now() + 120s);
    // Not due yet: nothing is tried.
    clock.advance(60s);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.claimed, 0u);

    SmtpServer server;
    mail.use(smtpClient(server.hostPort(), mailDir.path(), logger));
    clock.advance(61s);
    report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 10u) << report.error;
    const auto mails = server.waitForMessages(10);
    EXPECT_EQ(mails.size(), 10u);
    std::multiset<std::string> to;
    for (const auto& m : mails) to.insert(m.recipients.at(0));
    EXPECT_EQ(to.count("s.petrov@zavod.example"), 5u);
    EXPECT_EQ(to.count("a.nowak@fabryka.example"), 5u);
    for (const auto& row : svc.outbox().rows()) EXPECT_EQ(row.status, OutboxStatus::Sent);
}

TEST_F(DeliveryTest, A550ForOneRecipientFailsThatOneOnceAndDeliversTheOthers) {
    SmtpServerOptions options;
    options.rejectRecipients = {"a.nowak@fabryka.example"};
    SmtpServer server(options);
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Płatności", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    svc.rules().add(rule("Сбои — диспетчеру", {"notification.failed"}, {dept("dispatch")}));
    auto paid = makeEvent("pay-550", "payment.prepayment_received", clock.now(), 1002, 102);
    write({paid});

    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 1u) << report.error;
    EXPECT_EQ(report.sent.failed, 1u);
    ASSERT_EQ(server.waitForMessages(1).size(), 1u);
    EXPECT_EQ(server.messages()[0].recipients, std::vector<std::string>{"s.petrov@zavod.example"});
    ASSERT_TRUE(store->writer().flush(10s));  // the failure event and its own notification row
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].recipient.address, "m.ivanova@zavod.example");
    EXPECT_EQ(rows[2].status, OutboxStatus::Pending);
    EXPECT_EQ(rows[1].recipient.address, "a.nowak@fabryka.example");
    EXPECT_EQ(rows[1].status, OutboxStatus::Failed);
    EXPECT_NE(rows[1].lastError.find("550"), std::string::npos) << rows[1].lastError;

    // The failure is an event in the feed, tied to the same project and counterparty...
    auto failed = feedOfKind("notification.failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].projectId, 1002);
    EXPECT_EQ(failed[0].counterpartyId, 102);
    EXPECT_NE(failed[0].body.find("a.nowak@fabryka.example"), std::string::npos);
    EXPECT_EQ(failed[0].title.rfind("Notification not delivered: ", 0), 0u) << failed[0].title;
    EXPECT_EQ(failed[0].importance, crm::Importance::High);
    // ... which itself notifies the dispatcher (one more mail), and only once.
    report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 1u) << report.error;
    ASSERT_EQ(server.waitForMessages(2).size(), 2u);
    EXPECT_EQ(server.messages()[1].recipients, std::vector<std::string>{"m.ivanova@zavod.example"});
    clock.advance(1h);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.claimed, 0u);
    ASSERT_TRUE(store->writer().flush(10s));
    EXPECT_EQ(feedOfKind("notification.failed").size(), 1u);
}

TEST_F(DeliveryTest, TemporaryFailuresBackOffThenFailForGood) {
    SmtpServerOptions options;
    options.tempFailRecipients = {"s.petrov@zavod.example"};
    SmtpServer server(options);
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    notify::NotifyOptions o;
    o.sender.maxAttempts = 3;
    auto& svc = startService(*mail, false, o);
    svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager)}));
    write({makeEvent("pay-450", "payment.received", clock.now(), 1001, 101)});

    EXPECT_EQ(svc.runOnce(clock.now()).sent.retrying, 1u);
    EXPECT_EQ(svc.outbox().rows()[0].nextAttemptAt, clock.now() + 60s);
    clock.advance(60s);
    EXPECT_EQ(svc.runOnce(clock.now()).sent.retrying, 1u);
    EXPECT_EQ(svc.outbox().rows()[0].nextAttemptAt, clock.now() + 120s);
    clock.advance(120s);
    const auto last = svc.runOnce(clock.now());
    EXPECT_EQ(last.sent.failed, 1u);
    const auto row = svc.outbox().rows()[0];
    EXPECT_EQ(row.status, OutboxStatus::Failed);
    EXPECT_EQ(row.attempts, 3);
    EXPECT_NE(row.lastError.find("gave up after 3 attempts"), std::string::npos) << row.lastError;
    EXPECT_NE(row.lastError.find("450"), std::string::npos) << row.lastError;
    ASSERT_TRUE(store->writer().flush(10s));
    EXPECT_EQ(feedOfKind("notification.failed").size(), 1u);
    EXPECT_TRUE(server.messages().empty());
}

TEST_F(DeliveryTest, TheRightToReceiveIsCheckedAgainAtSendTime) {
    SmtpServer server;
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    std::atomic<bool> financeMaySee{true};
    svc.setMayReceive([&](const notify::Recipient& r, const crm::Event& e) {
        if (r.userId == 12 && !financeMaySee) return false;
        return notify::Sender::defaultMayReceive(r, e, store->kinds());
    });
    svc.rules().add(rule("Платежи", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    write({makeEvent("pay-r", "payment.received", clock.now(), 1001, 101)});
    financeMaySee = false;  // the right was withdrawn after the row was written
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.sent.sent, 1u);
    EXPECT_EQ(report.sent.skipped, 1u);
    ASSERT_EQ(server.waitForMessages(1).size(), 1u);
    EXPECT_EQ(server.messages()[0].recipients, std::vector<std::string>{"s.petrov@zavod.example"});
    const auto rows = svc.outbox().rows();
    EXPECT_EQ(rows[1].status, OutboxStatus::Skipped);
}

TEST_F(DeliveryTest, TwoSendersOnOneDatabaseSendEachNotificationOnce) {
    SmtpServer server;
    auto mail = smtpClient(server.hostPort(), mailDir.path(), logger);
    auto& svc = startService(*mail);
    svc.rules().add(rule("Все платежи", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")}));
    std::vector<crm::Event> events;
    for (int i = 0; i < 30; ++i)
        events.push_back(makeEvent("many-" + std::to_string(i), "payment.received", clock.now(), i % 2 ? 1001 : 1002));
    write(events);

    // Two "workstations": own connections, own mail clients, racing for the same rows.
    auto mailB = smtpClient(server.hostPort(), mailDir.path(), logger);
    crm::Database dbA(where(), 2), dbB(where(), 2);
    notify::SenderOptions a, b;
    a.installation = b.installation = "test";
    a.instanceId = "ws-a";
    b.instanceId = "ws-b";
    a.batchSize = b.batchSize = 7;
    notify::Sender senderA(dbA, *store, *mail, svc.resolver(), a), senderB(dbB, *store, *mailB, svc.resolver(), b);
    std::atomic<std::size_t> sentA{0}, sentB{0};
    std::thread ta([&] { for (int i = 0; i < 5; ++i) sentA += senderA.runOnce(clock.now()).sent; });
    std::thread tb([&] { for (int i = 0; i < 5; ++i) sentB += senderB.runOnce(clock.now()).sent; });
    ta.join();
    tb.join();
    EXPECT_EQ(sentA + sentB, 60u);
    const auto mails = server.waitForMessages(60);
    ASSERT_EQ(mails.size(), 60u);
    std::set<std::string> ids;
    for (const auto& m : mails) {
        const auto data = m.data();
        const auto at = data.find("Message-ID: ");
        ASSERT_NE(at, std::string::npos);
        ids.insert(data.substr(at, data.find("\r\n", at) - at));
    }
    EXPECT_EQ(ids.size(), 60u);  // no notification twice
    for (const auto& row : svc.outbox().rows(notify::OutboxFilter{}, 0, 1000)) EXPECT_EQ(row.status, OutboxStatus::Sent);
}

}  // namespace
}  // namespace notifytest
