// HostMailClient with STARTTLS against a real server that requires it (smtp_sink.py with a
// certificate made for the test by the openssl tool): encrypted and authenticated delivery when
// the server is trusted; an untrusted certificate or a server without STARTTLS is a temporary
// failure, and nothing goes out in clear text.
#include "mail_test_util.hpp"

#include <gtest/gtest.h>

using namespace mailtest;
using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using Status = sdk::SendStatus;

namespace {

// A self-signed certificate for 127.0.0.1, valid for a day.
struct TestCertificate {
    TempDir dir{"conduit-tls"};
    std::filesystem::path cert = dir / "cert.pem", key = dir / "key.pem";
    TestCertificate() {
        conduit::test::runCapture({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                   key.string(), "-out", cert.string(), "-days", "1", "-subj", "/CN=Conduit test SMTP",
                                   "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
    }
};

SmtpServerOptions tlsServer(const TestCertificate& c) {
    SmtpServerOptions options;
    options.tlsCert = c.cert;
    options.tlsKey = c.key;
    options.authUser = "crm-sender";
    options.authPassword = "s3cret-Pass";
    return options;
}

refhost::MailSettings tlsClient(const SmtpServer& server, const std::filesystem::path& ca) {
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress(server.hostPort());
    settings.smtp->startTls = true;
    settings.smtp->caFile = ca;
    settings.smtp->user = "crm-sender";
    settings.smtp->password = "s3cret-Pass";
    settings.smtp->timeoutSeconds = 10;
    settings.smtp->connectTimeoutSeconds = 5;
    return settings;
}

std::vector<sdk::MailMessage> batchOf(int n) {
    std::vector<sdk::MailMessage> batch;
    for (int i = 0; i < n; ++i) {
        auto m = unicodeSample("tls-" + std::to_string(i));
        batch.push_back(m);
    }
    return batch;
}

}  // namespace

TEST(MailStartTls, TrustedServerGetsTheBatchEncryptedAndAuthenticatedOnOneConnection) {
    TestCertificate certificate;
    SmtpServer server(tlsServer(certificate));
    RecordingLogger logger;
    refhost::HostMailClient client(tlsClient(server, certificate.cert), logger);
    const auto batch = batchOf(3);
    for (const auto& r : client.sendBatch(batch)) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto mails = server.waitForMessages(3);
    ASSERT_EQ(mails.size(), 3u);
    // One connection: aiosmtpd starts a new SMTP session after STARTTLS (the client says EHLO
    // again), so the sink counts 2, and all three messages travel in the second.
    EXPECT_EQ(server.sessionCount(), 2);
    for (const auto& m : mails) {
        EXPECT_EQ(m.session, 2);
        EXPECT_TRUE(m.tls) << "delivered without STARTTLS";
        EXPECT_EQ(m.authUser, "crm-sender");
    }
    const auto parsed = checkMime(mails[2].emlFile);
    EXPECT_EQ(parsed["subject"], batch[2].subject);
    EXPECT_EQ(parsed["attachments"].size(), 2u);
}

TEST(MailStartTls, UntrustedCertificateIsTemporaryAndNothingIsSent) {
    TestCertificate certificate, other;  // the client trusts another certificate
    SmtpServer server(tlsServer(certificate));
    RecordingLogger logger;
    refhost::HostMailClient client(tlsClient(server, other.cert), logger);
    const auto results = client.sendBatch(batchOf(2));
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
    EXPECT_NE(results[0].detail.find("certificate"), std::string::npos) << results[0].detail;
    EXPECT_TRUE(server.messages().empty());
}

TEST(MailStartTls, ServerWithoutStartTlsGetsNothingInClearText) {
    SmtpServer server;  // plain: offers no STARTTLS
    RecordingLogger logger;
    auto settings = tlsClient(server, {});
    settings.smtp->user.clear();
    refhost::HostMailClient client(settings, logger);
    const auto results = client.sendBatch(batchOf(2));
    for (const auto& r : results) EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
    EXPECT_TRUE(server.messages().empty()) << "sent in clear text although STARTTLS was required";
}
