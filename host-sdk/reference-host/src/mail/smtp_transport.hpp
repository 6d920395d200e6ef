// SMTP delivery through libcurl: one session = one easy handle, so consecutive messages share the
// server connection until a transaction fails. Turns curl results and replies into per-recipient outcomes.
#pragma once

#include "host_mail_client.hpp"

#include <string>
#include <vector>

namespace refhost {

struct SmtpDelivery {
    sdk::SendStatus status = sdk::SendStatus::Accepted;  // worst of the recipients
    std::string detail;
    std::vector<sdk::RecipientResult> recipients;  // same order as the envelope recipients
    long newConnections = 0;                       // connections curl opened for this message
    bool unreachable = false;                      // no server reply at all: connect/resolve failed
    bool failed = false;         // the transaction did not complete: the connection's state is unknown
    bool outOfSequence = false;  // a 503 (bad sequence of commands): the session's fault, not the message's
};

class SmtpSession {
public:
    explicit SmtpSession(const SmtpSettings& settings);
    ~SmtpSession();
    SmtpSession(const SmtpSession&) = delete;
    SmtpSession& operator=(const SmtpSession&) = delete;

    // One transaction (MAIL FROM, RCPT TO..., DATA) over the session's connection; recipients and
    // sender must already be valid addresses. After a failed transaction the next one starts on a
    // new connection; a 503 is retried there (kSequenceRetries times) and never reported permanent.
    SmtpDelivery deliver(const std::string& mailFrom, const std::vector<std::string>& recipients,
                         const std::string& bytes);

    static constexpr int kSequenceRetries = 2;

private:
    void configure();
    void reopen();
    SmtpDelivery attempt(const std::string& mailFrom, const std::vector<std::string>& recipients,
                         const std::string& bytes);

    SmtpSettings settings_;
    void* curl_ = nullptr;  // CURL*, kept out of the header
    bool suspect_ = false;  // the last transaction failed: its connection must not carry the next
};

// Rank used to pick "the worst" status: Accepted < TemporaryFailure < PermanentFailure.
int severity(sdk::SendStatus status);

}  // namespace refhost
