#include "smtp_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

namespace refhost {

namespace {

struct Reply {
    long code = 0;
    std::string text;
};

// What one transfer needs in its callbacks: the bytes to upload, and the server's replies as
// libcurl's debug stream shows them. libcurl reports only the last reply code, so the reply to
// each RCPT TO is read here: curl sends one command at a time (no PIPELINING) and a command's
// reply is the next final reply line ("250 ..."), whatever arrives in how many chunks.
struct Transfer {
    std::string_view bytes;
    std::size_t offset = 0;

    std::string inBuffer;
    std::string lastCommand;      // verb of the last command sent: "MAIL", "RCPT", "DATA", ...
    std::string pendingRecipient;  // RCPT TO awaiting its reply
    std::map<std::string, Reply> recipientReplies;
    Reply lastReply;
    Reply lastReplyToCommand;      // reply to lastCommand (what a failure is about)
    bool closing = false;          // QUIT/RSET sent: its reply says nothing about the message

    void commandSent(std::string_view line);
    void replyLine(std::string_view line);
    void replyData(std::string_view data);
};

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void Transfer::commandSent(std::string_view line) {
    // AUTH lines carry credentials: only the verb is looked at, nothing is stored or logged.
    const auto verbEnd = line.find_first_of(" :\r\n");
    const std::string verb = upper(line.substr(0, verbEnd));
    // After a failed command libcurl says QUIT (or RSET) itself: keep the failed command and its
    // reply, or every refusal would look like a "221 Bye" to QUIT (and be retried forever).
    if (verb == "QUIT" || verb == "RSET") {
        closing = true;
        return;
    }
    closing = false;
    lastCommand = verb;
    pendingRecipient.clear();
    lastReplyToCommand = {};
    if (lastCommand != "RCPT") return;
    const auto open = line.find('<'), close = line.find('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        pendingRecipient = lower(line.substr(open + 1, close - open - 1));
}

void Transfer::replyLine(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    const bool hasCode = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                         std::isdigit(static_cast<unsigned char>(line[1])) &&
                         std::isdigit(static_cast<unsigned char>(line[2]));
    if (!hasCode || (line.size() > 3 && line[3] != ' ')) return;  // "250-" continuation lines
    lastReply = {std::stol(std::string(line.substr(0, 3))), std::string(line)};
    if (!closing) lastReplyToCommand = lastReply;
    if (!pendingRecipient.empty()) {
        recipientReplies[pendingRecipient] = lastReply;
        pendingRecipient.clear();
    }
}

void Transfer::replyData(std::string_view data) {
    inBuffer.append(data);
    std::size_t newline;
    while ((newline = inBuffer.find('\n')) != std::string::npos) {
        replyLine(std::string_view(inBuffer).substr(0, newline + 1));
        inBuffer.erase(0, newline + 1);
    }
}

int onDebug(CURL*, curl_infotype type, char* data, size_t size, void* userp) {
    auto& transfer = *static_cast<Transfer*>(userp);
    if (type == CURLINFO_HEADER_OUT) transfer.commandSent({data, size});
    if (type == CURLINFO_HEADER_IN) transfer.replyData({data, size});
    return 0;
}

size_t onRead(char* buffer, size_t size, size_t count, void* userp) {
    auto& transfer = *static_cast<Transfer*>(userp);
    const std::size_t n = std::min(size * count, transfer.bytes.size() - transfer.offset);
    std::memcpy(buffer, transfer.bytes.data() + transfer.offset, n);
    transfer.offset += n;
    return n;
}

// 503 "bad sequence of commands" (e.g. "nested MAIL command" after a transaction the server did
// not close) says the session is out of step, whatever the message: never permanent.
constexpr long kBadSequence = 503;

sdk::SendStatus statusOfCode(long code) {
    if (code >= 200 && code < 400) return sdk::SendStatus::Accepted;
    if (code == kBadSequence) return sdk::SendStatus::TemporaryFailure;
    return code >= 500 && code < 600 ? sdk::SendStatus::PermanentFailure : sdk::SendStatus::TemporaryFailure;
}

// A 5xx only condemns the message when it answers the message's own commands. A 5xx to the
// greeting, EHLO, STARTTLS or AUTH is the host's configuration or the server's state: retrying
// later (after someone fixes it) must stay possible, so those are temporary.
sdk::SendStatus statusOfFailure(const Transfer& transfer) {
    static const std::string messageCommands[] = {"MAIL", "RCPT", "DATA"};
    const bool aboutMessage = std::find(std::begin(messageCommands), std::end(messageCommands),
                                        transfer.lastCommand) != std::end(messageCommands);
    // 530: authentication required, i.e. no login configured: the host's configuration again.
    if (transfer.lastReplyToCommand.code == 530 || transfer.lastReplyToCommand.code == kBadSequence)
        return sdk::SendStatus::TemporaryFailure;
    if (aboutMessage && transfer.lastReplyToCommand.code >= 500 && transfer.lastReplyToCommand.code < 600)
        return sdk::SendStatus::PermanentFailure;
    return sdk::SendStatus::TemporaryFailure;
}

std::string failureDetail(CURLcode rc, const char* errorBuffer, const Transfer& transfer) {
    std::string detail = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
    if (!transfer.lastReplyToCommand.text.empty() && transfer.lastReplyToCommand.code >= 400)
        detail += " (server: " + transfer.lastReplyToCommand.text + ")";
    return detail;
}

std::string urlOf(const SmtpSettings& settings) {
    const bool ipv6 = settings.host.find(':') != std::string::npos;
    const std::string host = ipv6 ? "[" + settings.host + "]" : settings.host;
    return "smtp://" + host + ":" + std::to_string(settings.port);
}

void globalInitOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    });
}

}  // namespace

int severity(sdk::SendStatus status) {
    switch (status) {
        case sdk::SendStatus::Accepted: return 0;
        case sdk::SendStatus::TemporaryFailure: return 1;
        case sdk::SendStatus::PermanentFailure: return 2;
    }
    return 2;
}

SmtpSession::SmtpSession(const SmtpSettings& settings) : settings_(settings) {
    globalInitOnce();
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    configure();
}

SmtpSession::~SmtpSession() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

// A new easy handle rather than CURLOPT_FRESH_CONNECT: that one leaves the old connection in the
// handle's cache, where a later transfer could pick it up again; cleanup closes it (QUIT).
void SmtpSession::reopen() {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    configure();
}

// A server that refused a message mid-transaction may still hold its envelope and answer the
// next MAIL with 503 (aiosmtpd does, after a handler error at DATA): so a failed transaction
// never shares its connection with the next one, and a 503 is retried on a fresh connection.
SmtpDelivery SmtpSession::deliver(const std::string& mailFrom, const std::vector<std::string>& recipients,
                                  const std::string& bytes) {
    SmtpDelivery delivery;
    long connections = 0;
    for (int retry = 0;; ++retry) {
        if (suspect_) reopen();
        delivery = attempt(mailFrom, recipients, bytes);
        connections += delivery.newConnections;
        suspect_ = delivery.failed;
        if (!delivery.outOfSequence || retry >= kSequenceRetries) break;
    }
    delivery.newConnections = connections;
    return delivery;
}

void SmtpSession::configure() {
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_setopt(curl, CURLOPT_URL, urlOf(settings_).c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a multi-threaded host
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, settings_.connectTimeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings_.timeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, settings_.timeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, onRead);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, onDebug);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // the debug callback only runs in verbose mode
    // Spelled ALLLOWFAILS up to curl 8.1 (Debian 12 ships 7.88); the number is the same.
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
    if (settings_.startTls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!settings_.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.caFile.c_str());
    if (!settings_.user.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
    }
}

SmtpDelivery SmtpSession::attempt(const std::string& mailFrom, const std::vector<std::string>& recipients,
                                  const std::string& bytes) {
    CURL* curl = static_cast<CURL*>(curl_);
    Transfer transfer;
    transfer.bytes = bytes;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_slist* rcpt = nullptr;
    for (const auto& r : recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
    const std::string from = "<" + mailFrom + ">";
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));

    const CURLcode rc = curl_easy_perform(curl);

    SmtpDelivery delivery;
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &delivery.newConnections);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    curl_slist_free_all(rcpt);

    delivery.failed = rc != CURLE_OK;
    // Only a transaction that did not complete is repeated: a recipient already accepted would get a copy.
    delivery.outOfSequence = delivery.failed &&
                             (transfer.lastReplyToCommand.code == kBadSequence ||
                              std::any_of(transfer.recipientReplies.begin(), transfer.recipientReplies.end(),
                                         [](const auto& r) { return r.second.code == kBadSequence; }));
    delivery.unreachable = rc != CURLE_OK && transfer.lastReply.code == 0 &&
                           (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                            rc == CURLE_OPERATION_TIMEDOUT);
    const sdk::SendStatus transferStatus = rc == CURLE_OK ? sdk::SendStatus::Accepted : statusOfFailure(transfer);
    delivery.detail = rc == CURLE_OK ? transfer.lastReply.text : failureDetail(rc, errorBuffer, transfer);
    for (const auto& r : recipients) {
        sdk::RecipientResult result{r, transferStatus, delivery.detail};
        // A recipient the server refused keeps its own reply; the others share the transfer's fate.
        if (auto it = transfer.recipientReplies.find(lower(r));
            it != transfer.recipientReplies.end() && statusOfCode(it->second.code) != sdk::SendStatus::Accepted)
            result = {r, statusOfCode(it->second.code), it->second.text};
        if (severity(result.status) > severity(delivery.status)) delivery.status = result.status;
        delivery.recipients.push_back(std::move(result));
    }
    if (delivery.status != sdk::SendStatus::Accepted && rc == CURLE_OK)
        delivery.detail = "some recipients were refused; accepted for the others: " + delivery.detail;
    return delivery;
}

}  // namespace refhost
