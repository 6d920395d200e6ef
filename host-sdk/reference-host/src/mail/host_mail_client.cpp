#include "host_mail_client.hpp"

#include "eml_outbox.hpp"
#include "mime.hpp"
#include "smtp_transport.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <stdexcept>

namespace refhost {

namespace {

constexpr std::string_view kComponent = "mail";

// A message checked and addressed, before any transport sees it.
struct Prepared {
    std::string messageId;  // without brackets, as rendered
    sdk::MailAddress from;
    std::vector<sdk::RecipientResult> recipients;  // To then Cc, in the caller's order
    std::vector<std::string> envelope;             // distinct valid recipient addresses
    std::optional<sdk::SendResult> settled;        // decided without the transport
};

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const char* statusName(sdk::SendStatus status) {
    switch (status) {
        case sdk::SendStatus::Accepted: return "accepted";
        case sdk::SendStatus::TemporaryFailure: return "temporary failure";
        case sdk::SendStatus::PermanentFailure: return "permanent failure";
    }
    return "?";
}

sdk::SendResult summarise(std::vector<sdk::RecipientResult> recipients, const std::string& acceptedDetail) {
    sdk::SendResult result;
    result.detail = acceptedDetail;
    for (const auto& r : recipients) {
        if (severity(r.status) <= severity(result.status)) continue;
        result.status = r.status;
        result.detail = r.detail;
    }
    result.recipients = std::move(recipients);
    return result;
}

void addRecipients(Prepared& p, const std::vector<sdk::MailAddress>& list) {
    for (const auto& mailbox : list) {
        if (auto problem = mime::addressProblem(mailbox.address)) {
            p.recipients.push_back({mailbox.address, sdk::SendStatus::PermanentFailure, "invalid recipient address: " + *problem});
            continue;
        }
        p.recipients.push_back({mailbox.address, sdk::SendStatus::Accepted, {}});
        const bool seen = std::any_of(p.envelope.begin(), p.envelope.end(),
                                      [&](const std::string& e) { return lower(e) == lower(mailbox.address); });
        if (!seen) p.envelope.push_back(mailbox.address);
    }
}

Prepared prepare(const sdk::MailMessage& message, const MailSettings& settings) {
    Prepared p;
    p.messageId = mime::resolveMessageId(message.messageId, settings.messageIdDomain);
    p.from = mime::effectiveFrom(message.from, settings.defaultFrom);
    if (auto problem = mime::addressProblem(p.from.address)) {
        p.settled = sdk::SendResult{sdk::SendStatus::PermanentFailure, "invalid sender address: " + *problem, {}};
        return p;
    }
    addRecipients(p, message.to);
    addRecipients(p, message.cc);
    if (p.envelope.empty()) {
        const std::string why = p.recipients.empty() ? "no recipients" : "no valid recipient";
        p.settled = summarise(std::move(p.recipients), why);
        if (p.settled->status == sdk::SendStatus::Accepted) p.settled->status = sdk::SendStatus::PermanentFailure;
    }
    return p;
}

// Copies the transport's per-address outcome onto every valid recipient entry (duplicates included).
sdk::SendResult merge(Prepared& p, const SmtpDelivery& delivery) {
    for (auto& r : p.recipients) {
        if (r.status != sdk::SendStatus::Accepted) continue;  // refused before sending
        for (const auto& d : delivery.recipients) {
            if (lower(d.address) != lower(r.address)) continue;
            r.status = d.status;
            r.detail = d.detail;
            break;
        }
    }
    return summarise(std::move(p.recipients), delivery.detail);
}

sdk::SendResult allRecipients(Prepared& p, sdk::SendStatus status, const std::string& detail) {
    for (auto& r : p.recipients)
        if (r.status == sdk::SendStatus::Accepted) r = {r.address, status, detail};
    return summarise(std::move(p.recipients), detail);
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void badAddress(const std::string& given, const std::string& why) {
    throw std::invalid_argument("SMTP server '" + given + "': " + why + " (expected HOST:PORT, e.g. localhost:2525)");
}

int parsePort(const std::string& given, const std::string& text) {
    if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        badAddress(given, "port must be a number");
    const int port = std::stoi(text);
    if (port < 1 || port > 65535) badAddress(given, "port must be between 1 and 65535");
    return port;
}

}  // namespace

SmtpSettings parseSmtpAddress(const std::string& hostPort) {
    std::string text = trimmed(hostPort);
    if (text.rfind("smtp://", 0) == 0) text.erase(0, 7);
    if (!text.empty() && text.back() == '/') text.pop_back();
    SmtpSettings settings;
    std::string portText;
    if (!text.empty() && text.front() == '[') {  // [IPv6]:port
        const auto close = text.find(']');
        if (close == std::string::npos) badAddress(hostPort, "missing ']'");
        settings.host = text.substr(1, close - 1);
        const std::string rest = text.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') badAddress(hostPort, "unexpected text after ']'");
        if (!rest.empty()) portText = rest.substr(1);
        else portText = "25";
    } else {
        const auto colon = text.find(':');
        if (colon != std::string::npos && text.find(':', colon + 1) != std::string::npos)
            badAddress(hostPort, "an IPv6 address needs brackets, e.g. [::1]:25");
        settings.host = text.substr(0, colon);
        portText = colon == std::string::npos ? "25" : text.substr(colon + 1);
    }
    if (settings.host.empty()) badAddress(hostPort, "host is empty");
    if (settings.host.find_first_of(" \t\r\n/@") != std::string::npos) badAddress(hostPort, "host contains invalid characters");
    settings.port = parsePort(hostPort, portText);
    return settings;
}

struct HostMailClient::Impl {
    MailSettings settings;
    sdk::ILogger& logger;
    std::mutex mutex;

    Impl(MailSettings s, sdk::ILogger& l) : settings(std::move(s)), logger(l) {}
    std::vector<sdk::SendResult> sendAll(const std::vector<sdk::MailMessage>& messages,
                                         const std::vector<sdk::MailHeaders>& headers = {});
    // The message's extra fields (by its place in the batch), each refused one logged.
    sdk::MailHeaders extraFields(const Prepared& p, const std::vector<sdk::MailMessage>& messages,
                                 const sdk::MailMessage& message, const std::vector<sdk::MailHeaders>& headers);
    sdk::SendResult viaSmtp(Prepared& p, const std::string& bytes, std::optional<SmtpSession>& session,
                            std::optional<std::string>& unreachable);
    sdk::SendResult viaOutbox(Prepared& p, const std::string& bytes);
    void report(const Prepared& p, const sdk::SendResult& result);
};

sdk::SendResult HostMailClient::Impl::viaSmtp(Prepared& p, const std::string& bytes,
                                              std::optional<SmtpSession>& session,
                                              std::optional<std::string>& unreachable) {
    // Once the server proved unreachable, the rest of the batch fails at once instead of each
    // message waiting out its own connect timeout.
    if (unreachable) return allRecipients(p, sdk::SendStatus::TemporaryFailure, *unreachable);
    try {
        if (!session) session.emplace(*settings.smtp);
        const SmtpDelivery delivery = session->deliver(p.from.address, p.envelope, bytes);
        if (delivery.unreachable) unreachable = "not attempted, server unreachable: " + delivery.detail;
        return merge(p, delivery);
    } catch (const std::exception& e) {
        return allRecipients(p, sdk::SendStatus::TemporaryFailure, e.what());
    }
}

sdk::SendResult HostMailClient::Impl::viaOutbox(Prepared& p, const std::string& bytes) {
    try {
        const auto path = writeEml(settings.outboxDir, p.messageId, bytes);
        for (auto& r : p.recipients)
            if (r.status == sdk::SendStatus::Accepted) r.detail = "written to " + path.string();
        return summarise(std::move(p.recipients), "written to " + path.string());
    } catch (const std::exception& e) {
        return allRecipients(p, sdk::SendStatus::TemporaryFailure, std::string("cannot write to the outbox: ") + e.what());
    }
}

void HostMailClient::Impl::report(const Prepared& p, const sdk::SendResult& result) {
    if (result.status == sdk::SendStatus::Accepted) {
        logger.log(sdk::LogLevel::Debug, kComponent, "message <" + p.messageId + "> accepted: " + result.detail);
        return;
    }
    if (result.recipients.empty())
        logger.log(sdk::LogLevel::Warning, kComponent,
                   "message <" + p.messageId + ">: " + statusName(result.status) + ": " + result.detail);
    for (const auto& r : result.recipients) {
        if (r.status == sdk::SendStatus::Accepted) continue;
        logger.log(sdk::LogLevel::Warning, kComponent,
                   "message <" + p.messageId + "> to " + mime::sanitizeHeaderText(r.address) + ": " +
                       statusName(r.status) + ": " + r.detail);
    }
}

sdk::MailHeaders HostMailClient::Impl::extraFields(const Prepared& p, const std::vector<sdk::MailMessage>& messages,
                                                   const sdk::MailMessage& message,
                                                   const std::vector<sdk::MailHeaders>& headers) {
    const auto index = static_cast<std::size_t>(&message - messages.data());
    if (index >= headers.size()) return {};
    auto checked = mime::checkHeaders(headers[index]);
    for (const auto& why : checked.refused)
        logger.log(sdk::LogLevel::Warning, kComponent, "message <" + p.messageId + "> sent without a header field: " + why);
    return std::move(checked.accepted);
}

std::vector<sdk::SendResult> HostMailClient::Impl::sendAll(const std::vector<sdk::MailMessage>& messages,
                                                           const std::vector<sdk::MailHeaders>& headers) {
    std::lock_guard lock(mutex);
    std::optional<SmtpSession> session;  // one easy handle, hence one connection, per batch
    std::optional<std::string> unreachable;
    std::vector<sdk::SendResult> results;
    results.reserve(messages.size());
    for (const auto& message : messages) {
        Prepared p = prepare(message, settings);
        sdk::SendResult result;
        if (p.settled) {
            result = std::move(*p.settled);
        } else {
            const std::string bytes = mime::render(message, p.from, p.messageId, std::chrono::system_clock::now(),
                                                   extraFields(p, messages, message, headers));
            result = settings.smtp ? viaSmtp(p, bytes, session, unreachable) : viaOutbox(p, bytes);
        }
        report(p, result);
        results.push_back(std::move(result));
    }
    return results;
}

HostMailClient::HostMailClient(MailSettings settings, sdk::ILogger& logger)
    : impl_(std::make_unique<Impl>(std::move(settings), logger)) {}

HostMailClient::~HostMailClient() = default;

sdk::SendResult HostMailClient::send(const sdk::MailMessage& message) { return impl_->sendAll({message}).front(); }

std::vector<sdk::SendResult> HostMailClient::sendBatch(const std::vector<sdk::MailMessage>& messages) {
    return impl_->sendAll(messages);
}

std::vector<sdk::SendResult> HostMailClient::sendBatch(const std::vector<sdk::MailMessage>& messages,
                                                       const std::vector<sdk::MailHeaders>& headers) {
    return impl_->sendAll(messages, headers);
}

std::string renderMime(const sdk::MailMessage& message, const sdk::MailAddress& defaultFrom,
                       const std::string& messageIdDomain, const sdk::MailHeaders& headers) {
    return mime::render(message, mime::effectiveFrom(message.from, defaultFrom),
                        mime::resolveMessageId(message.messageId, messageIdDomain), std::chrono::system_clock::now(),
                        headers);
}

}  // namespace refhost
