// The reference host's built-in mail client: SMTP through libcurl when a server is configured,
// otherwise each message becomes an .eml file in an outbox folder.
#pragma once

#include <conduit/sdk/mail.hpp>
#include <conduit/sdk/services.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace refhost {

namespace sdk = conduit::sdk;

struct SmtpSettings {
    std::string host;
    int port = 25;
    std::string user, password;  // AUTH when user is set
    bool startTls = false;       // STARTTLS required when true
    std::filesystem::path caFile;  // PEM CA bundle to verify the server with; empty: the system's
    long timeoutSeconds = 30;        // whole transaction of one message, and each server reply
    long connectTimeoutSeconds = 10;
};

struct MailSettings {
    std::optional<SmtpSettings> smtp;   // none: write .eml files
    std::filesystem::path outboxDir;    // where .eml files go
    sdk::MailAddress defaultFrom{"crm@conduit.local", "Conduit CRM"};
    std::string messageIdDomain = "conduit.local";
};

// Parses "HOST:PORT" (as given to --smtp). Throws std::invalid_argument with a clear message.
SmtpSettings parseSmtpAddress(const std::string& hostPort);

// Also the SDK 1.2 client with extra header fields (HostServices::mailHeaders): a field it refuses
// (mime::checkHeaders) is left out with a warning in the log, the message still goes.
class HostMailClient : public sdk::IMailClient, public sdk::IMailHeaderClient {
public:
    HostMailClient(MailSettings settings, sdk::ILogger& logger);
    ~HostMailClient() override;
    sdk::SendResult send(const sdk::MailMessage& message) override;
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages) override;
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages,
                                           const std::vector<sdk::MailHeaders>& headers) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// RFC 5322 / MIME rendering of a message (used for both SMTP and .eml), CRLF line endings.
std::string renderMime(const sdk::MailMessage& message, const sdk::MailAddress& defaultFrom,
                       const std::string& messageIdDomain, const sdk::MailHeaders& headers = {});

}  // namespace refhost
