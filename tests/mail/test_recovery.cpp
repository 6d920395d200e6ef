// The SMTP client against servers that misbehave after a failure (smtp_sink.py's scripted modes):
// one refused message must not take the rest of the batch with it, and a 503 is never permanent.
#include "mail_test_util.hpp"

#include <smtp_transport.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace mailtest;
using conduit::test::SmtpServer;
using conduit::test::SmtpServerOptions;
using Status = sdk::SendStatus;

namespace {

sdk::MailMessage simple(const std::string& id, std::vector<sdk::MailAddress> to) {
    sdk::MailMessage m;
    m.messageId = id;
    m.to = std::move(to);
    m.subject = "Wiadomość " + id;
    m.textBody = "Body of " + id + "\n";
    return m;
}

std::size_t countContaining(const std::vector<std::string>& lines, const std::string& part) {
    return static_cast<std::size_t>(
        std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; }));
}

// The subjects the server received, read by Python's email package.
std::vector<std::string> receivedSubjects(const SmtpServer& server, std::size_t expected) {
    std::vector<std::string> subjects;
    for (const auto& mail : server.waitForMessages(expected)) subjects.push_back(checkMime(mail.emlFile)["subject"]);
    return subjects;
}

}  // namespace

TEST(MailRecovery, HandlerErrorForOneRecipientFailsOnlyItsMessages) {
    SmtpServer server(SmtpServerOptions{.raiseForRecipients = {"broken@example.pl"}});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    std::vector<sdk::MailMessage> batch;
    for (int i = 0; i < 12; ++i)
        batch.push_back(simple("m" + std::to_string(i), {{i % 3 == 1 ? "broken@example.pl" : "user" + std::to_string(i) + "@example.pl", ""}}));

    const auto results = client.sendBatch(batch);
    ASSERT_EQ(results.size(), batch.size());
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (i % 3 == 1) {
            EXPECT_EQ(results[i].status, Status::PermanentFailure) << i << ": " << results[i].detail;
            EXPECT_NE(results[i].detail.find("500"), std::string::npos) << results[i].detail;
            continue;
        }
        EXPECT_EQ(results[i].status, Status::Accepted) << i << ": " << results[i].detail;
        expected.push_back(batch[i].subject);
    }
    EXPECT_EQ(receivedSubjects(server, expected.size()), expected);
    const auto replies = server.failureReplies();
    EXPECT_EQ(countContaining(replies, ": 500 Error: (RuntimeError)"), 4u);
    // No message after a failed one was offered on the failed connection.
    EXPECT_EQ(countContaining(replies, ": 503"), 0u) << replies.size();
}

TEST(MailRecovery, ServerAnswering503AfterAFailureIsRecovered) {
    SmtpServer server(SmtpServerOptions{.rejectRecipients = {"ghost@example.pl"}, .stickyFailure = true});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    // The first message completes for jan (the transaction succeeds), but its 550 for ghost makes
    // this server answer the next MAIL on that connection with 503.
    const auto results = client.sendBatch({simple("partly", {{"jan@example.pl", ""}, {"ghost@example.pl", ""}}),
                                           simple("next-1", {{"ewa@example.pl", ""}}),
                                           simple("next-2", {{"olga@example.pl", ""}})});
    ASSERT_EQ(results.size(), 3u);
    ASSERT_EQ(results[0].recipients.size(), 2u);
    EXPECT_EQ(results[0].recipients[0].status, Status::Accepted);
    EXPECT_EQ(results[0].recipients[1].status, Status::PermanentFailure);
    EXPECT_EQ(results[1].status, Status::Accepted) << results[1].detail;
    EXPECT_EQ(results[2].status, Status::Accepted) << results[2].detail;
    EXPECT_EQ(receivedSubjects(server, 3), (std::vector<std::string>{"Wiadomość partly", "Wiadomość next-1", "Wiadomość next-2"}));
    EXPECT_GE(countContaining(server.failureReplies(), ": 503 5.5.1"), 1u);
    EXPECT_GE(server.sessionCount(), 2);
}

TEST(MailRecovery, OutOfTheBlue503IsRetriedOnAFreshConnection) {
    SmtpServer server(SmtpServerOptions{.badSequenceEvery = 2});
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    std::vector<sdk::MailMessage> batch;
    for (int i = 0; i < 6; ++i) batch.push_back(simple("s" + std::to_string(i), {{"user" + std::to_string(i) + "@example.pl", ""}}));

    const auto results = client.sendBatch(batch);
    for (const auto& r : results) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    const auto subjects = receivedSubjects(server, batch.size());
    ASSERT_EQ(subjects.size(), batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(subjects[i], batch[i].subject);
    EXPECT_GE(countContaining(server.failureReplies(), ": 503"), 2u);
}

TEST(MailRecovery, PersistentBadSequenceIsTemporaryNeverPermanent) {
    SmtpServer server(SmtpServerOptions{.badSequenceEvery = 1});  // every MAIL: 503
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    const auto result = client.send(simple("never", {{"jan@example.pl", ""}}));
    EXPECT_EQ(result.status, Status::TemporaryFailure) << result.detail;
    // The first try and kSequenceRetries more, each on its own connection: bounded.
    EXPECT_EQ(server.sessionCount(), 1 + refhost::SmtpSession::kSequenceRetries);
}

TEST(MailRecovery, TemporaryRefusalAtStartIsTemporaryAndPassesLater) {
    SmtpServer server(SmtpServerOptions{.tempFailFirstSeconds = 3});
    const auto started = std::chrono::steady_clock::now();
    TempDir outbox;
    RecordingLogger logger;
    refhost::HostMailClient client(smtpSettings(server, outbox.path()), logger);
    const auto early = client.sendBatch({simple("e1", {{"a@example.pl", ""}}), simple("e2", {{"b@example.pl", ""}})});
    ASSERT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3)) << "machine too slow for this test";
    for (const auto& r : early) {
        EXPECT_EQ(r.status, Status::TemporaryFailure) << r.detail;
        EXPECT_NE(r.detail.find("451"), std::string::npos) << r.detail;
    }
    std::this_thread::sleep_until(started + std::chrono::milliseconds(3300));
    const auto later = client.sendBatch({simple("e1", {{"a@example.pl", ""}}), simple("e2", {{"b@example.pl", ""}})});
    for (const auto& r : later) EXPECT_EQ(r.status, Status::Accepted) << r.detail;
    EXPECT_EQ(receivedSubjects(server, 2), (std::vector<std::string>{"Wiadomość e1", "Wiadomość e2"}));
}
