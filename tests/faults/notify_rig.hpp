// A "workstation" for multi-instance and fault tests: its own EventStore and NotificationService
// on a shared database, mailing through the reference host's real client (SMTP via libcurl).
// Also a small staff directory (Russian and Polish names) and helpers that read Message-IDs back
// from what the SMTP server received. Shared by tests/faults and tests/bench/bench_mail.cpp.
#pragma once

#include "memory_directory.hpp"
#include "smtp_server.hpp"

#include <host_mail_client.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/services.hpp>

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace conduit::faults {

namespace sdk = conduit::sdk;
using namespace std::chrono_literals;

// Projects 1..projectCount, each with a manager; a finance department of two. Addresses are
// distinct per user, so the expected notifications per event are easy to count.
class StaffDirectory : public test::MemoryDirectory {
public:
    explicit StaffDirectory(int projectCount = 10) {
        add(sdk::Department{1, "finance", "Бухгалтерия"});
        add(sdk::Department{2, "dispatch", "Dyspozytornia"});
        add(sdk::User{10, "fedor", "Щербаков Фёдор", "fedor@example.ru", 2, "ru"});
        add(sdk::User{11, "jozef", "Józef Łukasiewicz", "jozef@example.pl", 1, "pl"});
        add(sdk::User{12, "zofia", "Zofia Żółtowska", "zofia@example.pl", 1, "pl"});
        for (int p = 1; p <= projectCount; ++p) {
            const sdk::Id manager = 100 + p;
            add(sdk::User{manager, "pm" + std::to_string(p), "Менеджер Проекта " + std::to_string(p),
                          "pm" + std::to_string(p) + "@example.ru", 2, p % 2 ? "ru" : "pl"});
            add(sdk::Project{p, "P-2026-" + std::to_string(p), "Okna dla klienta " + std::to_string(p), 1000 + p, manager,
                             0, "in_production", "Łódź, ul. Piotrkowska " + std::to_string(p)});
            add(sdk::Counterparty{1000 + p, sdk::CounterpartyKind::Company, "ООО «Берёзка» " + std::to_string(p), "",
                                  "Łódź", "", "", "", "", "pl"});
        }
    }
};

// Keeps warning and error lines (the "clear log line" of a fault) and echoes them.
class CollectingLogger : public sdk::ILogger {
public:
    explicit CollectingLogger(std::string name) : name_(std::move(name)) {}
    void log(sdk::LogLevel level, std::string_view component, std::string_view message) override {
        if (level < sdk::LogLevel::Warning) return;
        std::lock_guard lock(mutex_);
        lines_.push_back(std::string(component) + ": " + std::string(message));
        if (lines_.size() <= 5) std::cerr << "[" << name_ << "] " << lines_.back() << "\n";
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool mentions(const std::string& text) const {
        for (const auto& l : lines())
            if (l.find(text) != std::string::npos) return true;
        return false;
    }

private:
    std::string name_;
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// The host's mail client with a count of what this workstation handed over and got accepted.
class CountingMail : public sdk::IMailClient {
public:
    CountingMail(refhost::MailSettings settings, sdk::ILogger& logger) : client_(std::move(settings), logger) {}
    sdk::SendResult send(const sdk::MailMessage& message) override { return sendBatch({message}).front(); }
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages) override {
        auto results = client_.sendBatch(messages);
        for (const auto& r : results) (r.status == sdk::SendStatus::Accepted ? accepted : notAccepted)++;
        return results;
    }
    std::atomic<long> accepted{0}, notAccepted{0};

private:
    refhost::HostMailClient client_;
};

inline refhost::MailSettings smtpTo(int port) {
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress("127.0.0.1:" + std::to_string(port));
    settings.smtp->timeoutSeconds = 10;
    settings.smtp->connectTimeoutSeconds = 3;
    return settings;
}

// One plugin instance: store, mail client and notification service against `where`.
struct Workstation {
    Workstation(const std::string& name, const sdk::DatabaseLocation& where, const sdk::IDirectory& directory,
                int smtpPort, crm::notify::NotifyOptions options, crm::StoreOptions storeOptions = {})
        : logger(name),
          store(crm::EventStore::open(where, storeOptions)),
          mail(smtpTo(smtpPort), logger),
          notes(*store, where, directory, mail, withInstance(std::move(options), name)) {}
    ~Workstation() {
        notes.stop();
        store->writer().stop();
    }

    static crm::notify::NotifyOptions withInstance(crm::notify::NotifyOptions options, const std::string& name) {
        options.sender.instanceId = name;
        return options;
    }

    CollectingLogger logger;
    std::unique_ptr<crm::EventStore> store;
    CountingMail mail;
    crm::notify::NotificationService notes;
};

// A project note on project `project` (1-based), with a unique idempotency key.
inline crm::Event projectNote(const std::string& key, sdk::Id project, sdk::TimePoint when) {
    crm::Event e;
    e.idempotencyKey = key;
    e.occurredAt = when;
    e.kind = "note.project";
    e.projectId = project;
    e.counterpartyId = 1000 + project;
    e.title = "Заметка: клиент просит перенести монтаж — " + key;
    e.body = "Klient prosi o przesunięcie montażu, " + key;
    return e;
}

// The rule these tests use: every project note to the project's manager and to finance.
inline crm::notify::Rule notesToManagerAndFinance() {
    crm::notify::Rule rule;
    rule.name = "Заметки по проекту → менеджер и бухгалтерия";
    rule.kinds = {"note.project"};
    rule.recipients = {{crm::notify::RecipientRole::ProjectManager, "", 0},
                       {crm::notify::RecipientRole::Department, "finance", 0}};
    return rule;
}

// "Message-ID: <...>" of a received message (the header as sent; folded lines not expected).
inline std::string messageIdOf(const test::ReceivedMail& mail) {
    const std::string data = mail.data();
    std::size_t pos = 0;
    while (pos < data.size()) {
        const auto end = data.find("\r\n", pos);
        const std::string line = data.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (line.empty()) break;  // end of headers
        const std::string lowered = [&] {
            std::string s = line.substr(0, 11);
            for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        }();
        if (lowered == "message-id:") {
            auto v = line.substr(11);
            v.erase(0, v.find_first_not_of(' '));
            if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
            return v;
        }
        if (end == std::string::npos) break;
        pos = end + 2;
    }
    return {};
}

// Every outbox row, oldest first.
inline std::vector<crm::notify::OutboxRow> allRows(crm::notify::Outbox& outbox, crm::notify::OutboxFilter filter = {}) {
    std::vector<crm::notify::OutboxRow> rows;
    std::int64_t after = 0;
    while (true) {
        auto page = outbox.rows(filter, after, 1000);
        if (page.empty()) break;
        after = page.back().id;
        rows.insert(rows.end(), page.begin(), page.end());
    }
    return rows;
}

// Message-ID -> how many times it arrived, over several servers (e.g. before and after a restart).
inline std::map<std::string, int> arrivals(const std::vector<const test::SmtpServer*>& servers) {
    std::map<std::string, int> count;
    for (const auto* server : servers)
        for (const auto& mail : server->messages()) ++count[messageIdOf(mail)];
    return count;
}

}  // namespace conduit::faults
