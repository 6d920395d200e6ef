// SMTP delivery through libcurl: one session = one easy handle, so consecutive messages share the
// server connection. Turns curl results and the server's replies into per-recipient outcomes.
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
};

class SmtpSession {
public:
    explicit SmtpSession(const SmtpSettings& settings);
    ~SmtpSession();
    SmtpSession(const SmtpSession&) = delete;
    SmtpSession& operator=(const SmtpSession&) = delete;

    // One transaction (MAIL FROM, RCPT TO..., DATA) over the session's connection; recipients and
    // sender must already be valid addresses.
    SmtpDelivery deliver(const std::string& mailFrom, const std::vector<std::string>& recipients,
                         const std::string& bytes);

private:
    void configure();

    SmtpSettings settings_;
    void* curl_ = nullptr;  // CURL*, kept out of the header
};

// Rank used to pick "the worst" status: Accepted < TemporaryFailure < PermanentFailure.
int severity(sdk::SendStatus status);

}  // namespace refhost
