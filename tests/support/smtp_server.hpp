// A real SMTP server for tests (tests/mail/smtp_sink.py on aiosmtpd) in a child process: started on
// a free port, stopped in the destructor; every received message is there to inspect.
#pragma once

#include "test_support.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace conduit::test {

using namespace std::chrono_literals;

// Debian's interpreter: it has python3-aiosmtpd, the first python3 on PATH may not.
std::filesystem::path systemPython();

// Runs argv (no shell) and returns its stdout; stderr passes through to the test's output.
// Throws std::runtime_error if it runs longer than timeout (it is killed) or exits non-zero.
std::string runCapture(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 30s);

// A port on 127.0.0.1 that nothing listens on (bound, then released).
int unusedLocalPort();

struct ReceivedMail {
    int number = 0;                       // 1, 2, ... in arrival order
    int session = 0;                      // SMTP session (connection) that carried it, from 1
    std::string mailFrom;                 // envelope MAIL FROM
    std::vector<std::string> recipients;  // envelope RCPT TO the server accepted
    std::string authUser;                 // the AUTH login of its session, empty without AUTH
    bool tls = false;                     // its session ran STARTTLS
    std::filesystem::path emlFile;        // the DATA bytes exactly as received
    std::string data() const;
};

struct SmtpServerOptions {
    std::vector<std::string> rejectRecipients;    // answered "550 5.1.1 no such user" at RCPT TO
    std::vector<std::string> tempFailRecipients;  // answered "450 4.2.1 mailbox busy, try later"
    std::chrono::milliseconds startTimeout = 20s;
    int port = 0;                     // 0: a free port; set: that one (a "restarted" server)
    std::string authUser, authPassword;  // set: AUTH PLAIN/LOGIN required (without TLS) with these
    std::filesystem::path tlsCert, tlsKey;  // set: STARTTLS offered and required (PEM files)
    std::filesystem::path script;               // empty: <source>/tests/mail/smtp_sink.py
    // Scripted misbehaviour (smtp_sink.py's --raise-for, --tempfail-first, --sticky-failure,
    // --bad-sequence-every): a handler error at DATA for these recipients (500, then 503 to the next
    // MAIL unless RSET); 451 to MAIL for the first seconds; 503 after any failure until RSET;
    // 503 to every K-th MAIL of a session.
    std::vector<std::string> raiseForRecipients;
    double tempFailFirstSeconds = 0;
    bool stickyFailure = false;
    int badSequenceEvery = 0;
};

class SmtpServer {
public:
    explicit SmtpServer(SmtpServerOptions options = {});  // throws when it does not come up in time
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    std::string host() const { return "127.0.0.1"; }
    int port() const { return port_; }
    std::string hostPort() const { return host() + ":" + std::to_string(port_); }  // for --smtp
    const std::filesystem::path& folder() const { return dir_.path(); }

    std::vector<ReceivedMail> messages() const;  // complete messages so far, in arrival order
    // Polls until at least count messages arrived or the timeout passed; returns what is there.
    std::vector<ReceivedMail> waitForMessages(std::size_t count, std::chrono::milliseconds timeout = 10s) const;
    int sessionCount() const;  // connections that said EHLO/HELO (a bare TCP probe does not count)
    std::vector<std::string> failureReplies() const;  // every 4xx/5xx sent: "session S: REPLY"

    void stop();  // SIGTERM, then SIGKILL after 5 s; idempotent
    void kill();  // SIGKILL at once, as a crash (connections die without a reply); idempotent

private:
    void waitForPort(std::chrono::steady_clock::time_point deadline) const;

    TempDir dir_{"conduit-smtp"};
    pid_t pid_ = -1;
    int stdoutFd_ = -1;
    int port_ = 0;
};

}  // namespace conduit::test
