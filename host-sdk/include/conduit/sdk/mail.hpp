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

// SDK 1.2: one header field a plugin adds to a message (threading, "auto-generated", a list id).
struct MailHeader {
    std::string name;   // RFC 5322 field name: printable ASCII without ':' or space, e.g. "References"
    // UTF-8, unfolded. The client folds it at spaces and writes each run of words with non-ASCII
    // characters as RFC 2047 encoded-words, so non-ASCII text belongs in unstructured text or a
    // display phrase, never inside <...> or quotes. CR and LF never start a new field.
    std::string value;
};
using MailHeaders = std::vector<MailHeader>;

// SDK 1.2: a mail client that takes extra header fields per message (HostServices::mailHeaders).
// The fields the client writes itself (Date, From, Sender, To, Cc, Bcc, Subject, Message-ID,
// MIME-Version, Content-*, and trace fields) are not taken, nor a name given twice: such a field
// is left out and logged, and the message still goes.
class IMailHeaderClient {
public:
    virtual ~IMailHeaderClient() = default;
    // As IMailClient::sendBatch; headers[i] belongs to messages[i] (a shorter list: no extra fields).
    virtual std::vector<SendResult> sendBatch(const std::vector<MailMessage>& messages,
                                              const std::vector<MailHeaders>& headers) = 0;
};

}  // namespace conduit::sdk
