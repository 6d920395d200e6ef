// The host's mail client as a plugin sees it: hand over a message, learn whether it was accepted.
// Delivery, queues and credentials are the host's business.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace conduit::sdk {

struct MailAddress {
    std::string address;      // "jan.kowalski@example.pl"
    std::string displayName;  // UTF-8, may be empty; the client encodes it (RFC 2047)
};

struct MailAttachment {
    std::string fileName;   // UTF-8
    std::string mediaType;  // "application/pdf"
    std::string content;    // raw bytes
};

struct MailMessage {
    std::string messageId;  // stable per notification, without angle brackets; the client adds one if empty
    MailAddress from;       // empty address: the host's default sender
    std::vector<MailAddress> to, cc;
    std::string subject;    // UTF-8
    std::string textBody;   // UTF-8 plain text
    std::string htmlBody;   // UTF-8 HTML, may be empty
    std::vector<MailAttachment> attachments;
};

enum class SendStatus { Accepted, TemporaryFailure, PermanentFailure };

struct RecipientResult {
    std::string address;
    SendStatus status = SendStatus::Accepted;
    std::string detail;  // server reply or error text
};

struct SendResult {
    SendStatus status = SendStatus::Accepted;  // worst of the recipients' results
    std::string detail;
    std::vector<RecipientResult> recipients;   // may be empty when the failure is not per recipient
};

class IMailClient {
public:
    virtual ~IMailClient() = default;
    virtual SendResult send(const MailMessage& message) = 0;
    // Several messages over one connection where the transport allows it; one result per message.
    virtual std::vector<SendResult> sendBatch(const std::vector<MailMessage>& messages) = 0;
};

}  // namespace conduit::sdk
