// What the mail tests share: the independent MIME checker (tests/mail/mime_check.py), a logger
// that remembers lines, the Russian/Polish sample message, and client settings for a test server.
#pragma once

#include "smtp_server.hpp"
#include "test_support.hpp"

#include <host_mail_client.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace mailtest {

namespace sdk = conduit::sdk;
using conduit::test::TempDir;

// The host's mail client against a test SMTP server, with short timeouts and `outbox` for copies.
inline refhost::MailSettings smtpSettings(const conduit::test::SmtpServer& server, const std::filesystem::path& outbox) {
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress(server.hostPort());
    settings.smtp->timeoutSeconds = 10;
    settings.smtp->connectTimeoutSeconds = 5;
    settings.outboxDir = outbox;
    return settings;
}

// Python's email package reads the message; see mime_check.py for the fields.
inline nlohmann::json checkMime(const std::filesystem::path& eml) {
    const auto script = conduit::test::sourceDir() / "tests/mail/mime_check.py";
    return nlohmann::json::parse(
        conduit::test::runCapture({conduit::test::systemPython().string(), script.string(), eml.string()}));
}

inline nlohmann::json checkMimeBytes(const std::string& bytes) {
    TempDir dir("conduit-mime");
    const auto file = dir / "message.eml";
    std::ofstream(file, std::ios::binary) << bytes;
    return checkMime(file);
}

inline std::string hex(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

class RecordingLogger : public sdk::ILogger {
public:
    void log(sdk::LogLevel level, std::string_view, std::string_view message) override {
        std::lock_guard lock(mutex_);
        if (level >= sdk::LogLevel::Warning) warnings_.emplace_back(message);
        all_.emplace_back(message);
    }
    std::vector<std::string> warnings() const {
        std::lock_guard lock(mutex_);
        return warnings_;
    }
    std::vector<std::string> all() const {
        std::lock_guard lock(mutex_);
        return all_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> warnings_, all_;
};

inline std::string allByteValues() {
    std::string bytes = "%PDF-1.4\n";
    for (int round = 0; round < 3; ++round)
        for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
    return bytes + "\n%%EOF\n";
}

inline std::string pngLikeBlob() {
    std::string bytes("\x89PNG\r\n\x1a\n", 8);
    for (int i = 0; i < 1000; ++i) bytes += static_cast<char>((i * 37 + 11) % 256);
    return bytes;
}

inline sdk::MailMessage unicodeSample(const std::string& messageId = "sample-1") {
    sdk::MailMessage m;
    m.messageId = messageId;
    m.from = {"jozef@example.pl", "Józef Łukasiewicz"};
    m.to = {{"zazolc@example.pl", "Zażółć gęślą jaźń"}, {"fedor@example.ru", "Щербаков Фёдор"}};
    m.cc = {{"biuro@example.pl", ""}};
    m.subject = "Монтаж окон: Щербаков Фёдор";
    m.textBody = "Dzień dobry!\nМонтаж окон назначен на 12.03.2024.\n.a line with a leading dot\n";
    m.htmlBody = "<html><body><p>Dzień dobry! <b>Монтаж окон</b> 12.03.2024</p></body></html>\n";
    m.attachments = {{"pomiar.pdf", "application/pdf", allByteValues()},
                     {"szkic_pomiarów.png", "image/png", pngLikeBlob()}};
    return m;
}

}  // namespace mailtest
