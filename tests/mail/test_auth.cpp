// HostMailClient with SMTP AUTH against a real server that requires it (smtp_sink.py --auth on
// aiosmtpd): the right login is used once per batch connection; a wrong or missing login is the
// host's configuration problem, so it stays a temporary failure (fixed config -> delivered later).
#include "mail_test_util.hpp"

#include <gtest/gtest.h>

using namespace mailtest;
using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using Status = sdk::SendStatus;

namespace {

SmtpServerOptions requiringAuth() {
    SmtpServerOptions options;
    options.authUser = "crm-sender";
    options.authPassword = "s3cret-Pass";
    return options;
}

refhost::MailSettings settingsFor(const SmtpServer& server, const std::string& user, const std::string& password) {
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress(server.hostPort());
    settings.smtp->user = user;
    settings.smtp->password = password;
    settings.smtp->timeoutSeconds = 10;
    settings.smtp->connectTimeoutSeconds = 5;
    return settings;
}

std::vector<sdk::MailMessage> batchOf(int n) {
    std::vector<sdk::MailMessage> batch;
    for (int i = 0; i < n; ++i) {
        sdk::MailMessage m;
        m.messageId = "auth-" + std::to_string(i);
        m.to = {{"kierownik" + std::to_string(i) + "@example.pl", "Kierownik Łukasz"}};
        m.subject = "Платёж получен №" + std::to_string(i);
        m.textBody = "Оплата по заказу " + std::to_string(i) + "\n";
        batch.push_back(m);
    }
    return batch;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& l : lines)
        if (l.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(MailAuth, BatchAuthenticatesOnceOnOneConnection) {
    SmtpServer server(requiringAuth());
    RecordingLogger logger;
    refhost::HostMailClient client(settingsFor(server, "crm-sender", "s3cret-Pass"), logger);
    const auto results = client.sendBatch(batchOf(5));
    for (const auto& r : results) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto mails = server.waitForMessages(5);
    ASSERT_EQ(mails.size(), 5u);
    EXPECT_EQ(server.sessionCount(), 1);
    for (const auto& m : mails) EXPECT_EQ(m.authUser, "crm-sender");
    EXPECT_EQ(checkMime(mails[4].emlFile)["subject"], "Платёж получен №4");
}

TEST(MailAuth, WrongPasswordIsTemporaryAndTheLogNeverShowsIt) {
    SmtpServer server(requiringAuth());
    RecordingLogger logger;
    refhost::HostMailClient client(settingsFor(server, "crm-sender", "wrong-Pass-123"), logger);
    const auto results = client.sendBatch(batchOf(3));
    ASSERT_EQ(results.size(), 3u);
    for (const auto& r : results) {
        EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
        EXPECT_EQ(r.detail.find("wrong-Pass-123"), std::string::npos) << r.detail;
    }
    EXPECT_NE(results[0].detail.find("535"), std::string::npos) << "the server's refusal is named: " << results[0].detail;
    EXPECT_TRUE(server.messages().empty());
    EXPECT_TRUE(mentions(logger.warnings(), "temporary failure"));
    for (const auto& line : logger.all()) EXPECT_EQ(line.find("wrong-Pass-123"), std::string::npos) << line;

    // Configuration fixed: the same messages go through.
    refhost::HostMailClient fixed(settingsFor(server, "crm-sender", "s3cret-Pass"), logger);
    for (const auto& r : fixed.sendBatch(batchOf(3))) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    EXPECT_EQ(server.waitForMessages(3).size(), 3u);
}

TEST(MailAuth, MissingLoginWhereTheServerRequiresOneIsTemporary) {
    SmtpServer server(requiringAuth());
    RecordingLogger logger;
    refhost::HostMailClient client(settingsFor(server, "", ""), logger);
    const auto results = client.sendBatch(batchOf(2));
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
    // The server's own words, not only curl's summary ("MAIL failed: 530").
    EXPECT_NE(results[0].detail.find("530 5.7.0 Authentication required"), std::string::npos) << results[0].detail;
    EXPECT_TRUE(server.messages().empty());
}
