// HostMailClient end to end: SMTP against a real server process (smtp_sink.py) and the .eml
// outbox, every received message read back by Python's email package.
#include "mail_test_util.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>

using namespace mailtest;
using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using Status = sdk::SendStatus;

namespace {

refhost::MailSettings emlSettings(const std::filesystem::path& outbox) {
    refhost::MailSettings settings;
    settings.outboxDir = outbox;
    return settings;
}

sdk::MailMessage simple(const std::string& id, std::vector<sdk::MailAddress> to, const std::string& subject = "Test") {
    sdk::MailMessage m;
    m.messageId = id;
    m.to = std::move(to);
    m.subject = subject;
    m.textBody = "Body of " + id + "\n";
    return m;
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    if (!std::filesystem::exists(dir)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// The fields a reader sees, without what legitimately differs between two renderings.
nlohmann::json readerView(nlohmann::json j) {
    // "fields" holds the raw Date and the multipart boundaries, which differ between renderings.
    for (const char* volatileField : {"date", "raw_headers", "max_line_length", "fields"}) j.erase(volatileField);
    return j;
}

void expectUnicodeSample(const nlohmann::json& j, const sdk::MailMessage& m) {
    EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
    EXPECT_EQ(j["subject"], "Монтаж окон: Щербаков Фёдор");
    EXPECT_EQ(j["message_id"], "<" + m.messageId + "@conduit.local>");
    EXPECT_EQ(j["from"][0]["name"], "Józef Łukasiewicz");
    EXPECT_EQ(j["from"][0]["address"], "jozef@example.pl");
    ASSERT_EQ(j["to"].size(), 2u);
    EXPECT_EQ(j["to"][0]["name"], "Zażółć gęślą jaźń");
    EXPECT_EQ(j["to"][0]["address"], "zazolc@example.pl");
    EXPECT_EQ(j["to"][1]["name"], "Щербаков Фёдор");
    EXPECT_EQ(j["cc"][0]["address"], "biuro@example.pl");
    EXPECT_EQ(j["text"], m.textBody);
    EXPECT_EQ(j["html"], m.htmlBody);
    ASSERT_EQ(j["attachments"].size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(j["attachments"][i]["filename"], m.attachments[i].fileName);
        EXPECT_EQ(j["attachments"][i]["content_type"], m.attachments[i].mediaType);
        EXPECT_EQ(j["attachments"][i]["size"], m.attachments[i].content.size());
        EXPECT_EQ(j["attachments"][i]["hex"], hex(m.attachments[i].content));
    }
    EXPECT_TRUE(j["ascii_only"]);
    EXPECT_EQ(j["bare_line_breaks"], 0);
    EXPECT_LE(j["max_line_length"].get<int>(), 78);
}

}  // namespace

TEST(MailSmtp, UnicodeMessageWithAttachmentsArrivesIntact) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    const auto m = unicodeSample("smtp-unicode-1");

    const auto result = client.send(m);
    ASSERT_EQ(result.status, Status::Accepted) << result.detail;
    ASSERT_EQ(result.recipients.size(), 3u);
    for (const auto& r : result.recipients) EXPECT_EQ(r.status, Status::Accepted) << r.address;

    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].mailFrom, "jozef@example.pl");
    EXPECT_EQ(mails[0].recipients,
              (std::vector<std::string>{"zazolc@example.pl", "fedor@example.ru", "biuro@example.pl"}));
    expectUnicodeSample(checkMime(mails[0].emlFile), m);
    EXPECT_TRUE(filesIn(outbox.path()).empty());
    EXPECT_TRUE(logger.warnings().empty());
}

TEST(MailSmtp, LongMixedCyrillicSubjectRoundTrips) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    std::string subject;
    const std::vector<std::string> pieces{"Замер", " ", "okien", " ", "Щербаков", " 12/03 ", "ёжик", ": "};
    for (std::size_t i = 0, chars = 0; chars < 300; ++i) {
        const std::string& piece = pieces[i % pieces.size()];
        for (std::size_t k = 0; k < piece.size() && chars < 300;) {
            const auto c = static_cast<unsigned char>(piece[k]);
            const std::size_t len = c < 0x80 ? 1 : 2;  // Latin and Cyrillic only
            subject += piece.substr(k, len);
            k += len;
            ++chars;
        }
    }
    ASSERT_EQ(client.send(simple("long-subject", {{"jan@example.pl", ""}}, subject)).status, Status::Accepted);
    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    const auto j = checkMime(mails[0].emlFile);
    EXPECT_EQ(j["subject"], subject);
    EXPECT_LE(j["max_line_length"].get<int>(), 78);
}

TEST(MailEml, OutboxFileParsesLikeTheSmtpCopy) {
    SmtpServer server;
    TempDir smtpOutbox, emlOutbox;
    RecordingLogger logger;
    const auto m = unicodeSample("same-message-7");
    refhost::HostMailClient viaSmtp(smtpSettings(server, smtpOutbox.path()), logger);
    refhost::HostMailClient viaEml(emlSettings(emlOutbox.path() / "outbox"), logger);

    ASSERT_EQ(viaSmtp.send(m).status, Status::Accepted);
    const auto result = viaEml.send(m);
    ASSERT_EQ(result.status, Status::Accepted) << result.detail;

    const auto files = filesIn(emlOutbox.path() / "outbox");
    ASSERT_EQ(files.size(), 1u);  // no temporary file left behind
    EXPECT_TRUE(std::regex_match(files[0].filename().string(),
                                 std::regex(R"(\d{8}T\d{6}\.\d{6}Z-same-message-7_conduit\.local\.eml)")))
        << files[0];
    const auto fromFile = checkMime(files[0]);
    expectUnicodeSample(fromFile, m);
    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(readerView(fromFile), readerView(checkMime(mails[0].emlFile)));
}

TEST(MailEml, MessageWithoutIdGetsAUniqueFile) {
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(emlSettings(outbox.path()), logger);
    const auto results = client.sendBatch({simple("", {{"a@example.pl", ""}}), simple("", {{"a@example.pl", ""}})});
    for (const auto& r : results) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto files = filesIn(outbox.path());
    ASSERT_EQ(files.size(), 2u);
    const auto first = checkMime(files[0]), second = checkMime(files[1]);
    EXPECT_NE(first["message_id"], second["message_id"]);
    EXPECT_TRUE(std::regex_match(first["message_id"].get<std::string>(), std::regex(R"(<[0-9a-f.]+@conduit\.local>)")));
}

TEST(MailSmtp, BatchOfFiftyUsesOneConnection) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    std::vector<sdk::MailMessage> batch;
    for (int i = 0; i < 50; ++i)
        batch.push_back(simple("batch-" + std::to_string(i), {{"user" + std::to_string(i) + "@example.pl", "Użytkownik"}},
                               "Wiadomość " + std::to_string(i)));

    const auto results = client.sendBatch(batch);
    ASSERT_EQ(results.size(), 50u);
    for (const auto& r : results) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto mails = server.waitForMessages(50);
    ASSERT_EQ(mails.size(), 50u);
    EXPECT_EQ(server.sessionCount(), 1);
    for (std::size_t i = 0; i < mails.size(); ++i) {
        EXPECT_EQ(mails[i].session, 1);
        EXPECT_EQ(mails[i].recipients, std::vector<std::string>{"user" + std::to_string(i) + "@example.pl"});
    }
    EXPECT_EQ(checkMime(mails[49].emlFile)["subject"], "Wiadomość 49");
}

TEST(MailSmtp, ServerDownIsATemporaryFailureQuickly) {
    TempDir outbox;
    RecordingLogger logger;
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress("127.0.0.1:" + std::to_string(conduit::test::unusedLocalPort()));
    settings.smtp->user = "crm";
    settings.smtp->password = "s3cret-Pa55";
    settings.smtp->connectTimeoutSeconds = 3;
    settings.outboxDir = outbox.path() / "outbox";
    refhost::HostMailClient client(settings, logger);

    const auto start = std::chrono::steady_clock::now();
    const auto single = client.send(simple("down-1", {{"jan@example.pl", ""}}));
    const auto batch = client.sendBatch({simple("down-2", {{"a@example.pl", ""}}), simple("down-3", {{"b@example.pl", ""}}),
                                         simple("down-4", {{"c@example.pl", ""}})});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

    EXPECT_EQ(single.status, Status::TemporaryFailure);
    EXPECT_FALSE(single.detail.empty());
    ASSERT_EQ(single.recipients.size(), 1u);
    EXPECT_EQ(single.recipients[0].status, Status::TemporaryFailure);
    for (const auto& r : batch) EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
    EXPECT_FALSE(std::filesystem::exists(settings.outboxDir));  // no silent fallback to files
    EXPECT_EQ(logger.warnings().size(), 4u);
    for (const auto& line : logger.all()) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
}

TEST(MailSmtp, RefusedRecipientIsPermanentOthersDelivered) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {"ghost@example.pl"}});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);

    const auto result = client.send(
        simple("partly-refused", {{"jan@example.pl", "Jan"}, {"ghost@example.pl", "Duch"}, {"ewa@example.pl", "Ewa"}}));
    EXPECT_EQ(result.status, Status::PermanentFailure);
    ASSERT_EQ(result.recipients.size(), 3u);
    EXPECT_EQ(result.recipients[0].status, Status::Accepted);
    EXPECT_EQ(result.recipients[1].status, Status::PermanentFailure);
    EXPECT_NE(result.recipients[1].detail.find("550 5.1.1 no such user"), std::string::npos) << result.recipients[1].detail;
    EXPECT_EQ(result.recipients[2].status, Status::Accepted);

    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].recipients, (std::vector<std::string>{"jan@example.pl", "ewa@example.pl"}));
    const auto warnings = logger.warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("ghost@example.pl"), std::string::npos);
}

TEST(MailSmtp, FullyRefusedMessageDoesNotStopTheBatch) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {"ghost@example.pl"}});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);

    const auto results = client.sendBatch({simple("ok-1", {{"jan@example.pl", ""}}),
                                           simple("refused", {{"ghost@example.pl", ""}}),
                                           simple("ok-2", {{"ewa@example.pl", ""}})});
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].status, Status::Accepted);
    EXPECT_EQ(results[1].status, Status::PermanentFailure);
    EXPECT_NE(results[1].recipients.at(0).detail.find("550"), std::string::npos);
    EXPECT_EQ(results[2].status, Status::Accepted) << results[2].detail;
    const auto mails = server.waitForMessages(2);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[1].recipients, std::vector<std::string>{"ewa@example.pl"});
}

TEST(MailSmtp, HeaderInjectionInSubjectCreatesNoHeader) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    auto m = simple("injection", {{"jan@example.pl", "Jan\r\nBcc: evil2@x"}}, "x\r\nBcc: evil@x");
    m.attachments = {{"a.txt\r\nBcc: evil3@x", "text/plain", "abc"}};

    ASSERT_EQ(client.send(m).status, Status::Accepted);
    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].recipients, std::vector<std::string>{"jan@example.pl"});
    const auto j = checkMime(mails[0].emlFile);
    for (const auto& name : j["header_names"]) EXPECT_NE(name, "bcc");
    EXPECT_EQ(j["subject"], "x Bcc: evil@x");
    EXPECT_EQ(j["to"][0]["name"], "Jan Bcc: evil2@x");
    EXPECT_EQ(j["attachments"][0]["filename"], "a.txt Bcc: evil3@x");
    EXPECT_EQ(j["defects"].size(), 0u) << j["defects"].dump();
}

TEST(MailSmtp, ExtraHeaderFieldsArriveAndARefusedOneIsLoggedNotFatal) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    sdk::IMailHeaderClient& withHeaders = client;  // what HostServices::mailHeaders hands a plugin
    const std::vector<sdk::MailMessage> batch{simple("threaded-1", {{"jan@example.pl", ""}}),
                                              simple("plain-2", {{"jan@example.pl", ""}})};
    const std::vector<sdk::MailHeaders> headers{
        {{"Auto-Submitted", "auto-generated"}, {"References", "<project-5.crm@conduit.local>"}, {"From", "evil@x"}}};

    const auto results = withHeaders.sendBatch(batch, headers);
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto mails = server.waitForMessages(2);
    ASSERT_EQ(mails.size(), 2u);
    const auto first = checkMime(mails[0].emlFile), second = checkMime(mails[1].emlFile);
    EXPECT_EQ(first["fields"]["auto-submitted"], nlohmann::json::array({"auto-generated"}));
    EXPECT_EQ(first["fields"]["references"], nlohmann::json::array({"<project-5.crm@conduit.local>"}));
    EXPECT_EQ(first["from"].size(), 1u);
    EXPECT_EQ(first["from"][0]["address"], "crm@conduit.local");
    EXPECT_FALSE(second["fields"].contains("auto-submitted")) << "the second message has no fields of its own";
    const auto warnings = logger.warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "message <threaded-1@conduit.local> sent without a header field: header 'From' is written by "
                           "the mail client itself");
}

TEST(MailSmtp, InvalidAddressFailsWithoutNetwork) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);

    const auto allBad = client.send(simple("bad-only", {{"no-at-sign", ""}, {"a b@example.pl", ""}}));
    EXPECT_EQ(allBad.status, Status::PermanentFailure);
    ASSERT_EQ(allBad.recipients.size(), 2u);
    EXPECT_NE(allBad.recipients[0].detail.find("invalid recipient address"), std::string::npos);
    EXPECT_NE(allBad.recipients[1].detail.find("space"), std::string::npos);
    auto badSender = simple("bad-sender", {{"jan@example.pl", ""}});
    badSender.from = {"crm@@conduit.local", ""};
    EXPECT_EQ(client.send(badSender).status, Status::PermanentFailure);
    EXPECT_EQ(server.sessionCount(), 0);  // nothing went to the network

    const auto mixed = client.send(simple("mixed", {{"evil@x\r\nRCPT TO:<more@x>", ""}, {"jan@example.pl", ""}}));
    EXPECT_EQ(mixed.recipients.at(0).status, Status::PermanentFailure);
    EXPECT_EQ(mixed.recipients.at(1).status, Status::Accepted);
    const auto mails = server.waitForMessages(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].recipients, std::vector<std::string>{"jan@example.pl"});
    EXPECT_EQ(checkMime(mails[0].emlFile)["to"].size(), 1u);
}

TEST(MailSmtp, SendIsSafeFromManyThreads) {
    SmtpServer server;
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    std::vector<std::thread> threads;
    std::atomic<int> accepted{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i)
                if (client.send(simple("t" + std::to_string(t) + "-" + std::to_string(i), {{"jan@example.pl", ""}})).status ==
                    Status::Accepted)
                    ++accepted;
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(accepted, 20);
    EXPECT_EQ(server.waitForMessages(20).size(), 20u);
}

TEST(MailSmtp, DeferredRecipientIsTemporary) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {"ghost@example.pl"}, .tempFailRecipients = {"busy@example.pl"}});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);

    const auto deferred = client.send(simple("deferred", {{"busy@example.pl", ""}, {"jan@example.pl", ""}}));
    EXPECT_EQ(deferred.status, Status::TemporaryFailure);
    EXPECT_EQ(deferred.recipients.at(0).status, Status::TemporaryFailure);
    EXPECT_NE(deferred.recipients.at(0).detail.find("450"), std::string::npos);
    EXPECT_EQ(deferred.recipients.at(1).status, Status::Accepted);
    // Deferred and refused together: the worst (permanent) is the message's status.
    const auto both = client.send(simple("both", {{"busy@example.pl", ""}, {"ghost@example.pl", ""}}));
    EXPECT_EQ(both.status, Status::PermanentFailure);
    EXPECT_EQ(both.recipients.at(0).status, Status::TemporaryFailure);
    EXPECT_EQ(both.recipients.at(1).status, Status::PermanentFailure);
    EXPECT_EQ(server.waitForMessages(1).size(), 1u);
}

// A server that takes the connection and never says a word: the client must give up on its own.
TEST(MailSmtp, SilentServerTimesOutAsTemporary) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 8), 0);  // the kernel completes the handshake; nobody answers
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);

    TempDir outbox;
    RecordingLogger logger;
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));
    settings.smtp->timeoutSeconds = 2;
    settings.outboxDir = outbox.path();
    refhost::HostMailClient client(settings, logger);

    const auto start = std::chrono::steady_clock::now();
    const auto results = client.sendBatch({simple("silent-1", {{"jan@example.pl", ""}}), simple("silent-2", {{"ewa@example.pl", ""}})});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ::close(listener);
    EXPECT_LT(elapsed, std::chrono::seconds(6));  // one timeout, not one per message
    for (const auto& r : results) EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
}
