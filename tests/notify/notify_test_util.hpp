// Shared by the notification tests: a host directory with a Russian and a Polish customer, staff in
// departments; an embedded store with the NotificationService on a hand-moved clock; the real
// reference-host mail client against the real aiosmtpd fixture; Python's email parser.
#pragma once

#include "memory_directory.hpp"
#include "smtp_server.hpp"
#include "test_support.hpp"

#include <host_mail_client.hpp>
#include <conduit/crm/notify/notification_service.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace notifytest {

namespace sdk = conduit::sdk;
namespace crm = conduit::crm;
namespace notify = conduit::crm::notify;
using namespace std::chrono_literals;

inline sdk::TimePoint at(int year, unsigned month, unsigned day, int hour = 12, int minute = 0) {
    using namespace std::chrono;
    return sys_days(std::chrono::year(year) / month / day) + hours(hour) + minutes(minute);
}

// A full directory: users with departments and languages, projects with managers and measurers.
class Directory : public conduit::test::MemoryDirectory {
public:
    Directory() {
        for (auto d : {sdk::Department{1, "dispatch", "Диспетчерская"}, sdk::Department{2, "finance", "Finanse"},
                       sdk::Department{3, "orders", "Отдел заказов"}, sdk::Department{4, "measurement", "Замеры"},
                       sdk::Department{5, "production", "Produkcja"}})
            add(d);
        add(sdk::User{11, "ivanova", "Иванова Мария", "m.ivanova@zavod.example", 1, "ru"});     // dispatch
        add(sdk::User{12, "nowak", "Anna Nowak", "a.nowak@fabryka.example", 2, "pl"});        // finance
        add(sdk::User{13, "petrov", "Петров Сергей", "s.petrov@zavod.example", 3, "ru"});      // orders, project manager
        add(sdk::User{14, "zielinski", "Paweł Zieliński", "p.zielinski@fabryka.example", 4, "pl"});  // measurer
        add(sdk::User{15, "kowal", "Jan Kowal", "j.kowal@fabryka.example", 5, "pl"});         // production
        add(sdk::User{16, "noemail", "Без Почты", "", 1, "ru"});                               // dispatch, no address
        add(sdk::Counterparty{101, sdk::CounterpartyKind::Company, "ООО «Север»", "7701", "Москва", "ул. Ленина, 1",
                              "Щербаков Фёдор", "f.shcherbakov@sever.example", "+7 495", "ru"});
        add(sdk::Counterparty{102, sdk::CounterpartyKind::Person, "Zażółć Gęślą", "", "Łódź", "ul. Piotrkowska 1",
                              "Zażółć Gęślą", "zazolc@klient.example", "+48", "pl"});
        add(sdk::Project{1001, "P-2026-0042", "Окна в офис", 101, 13, 14, "in_production", "Москва"});
        add(sdk::Project{1002, "P-2026-0043", "Okna w domu", 102, 13, 14, "measured", "Łódź"});
    }
};

// A clock the test moves by hand.
class ManualClock {
public:
    explicit ManualClock(sdk::TimePoint start) : now_(start.time_since_epoch().count()) {}
    sdk::TimePoint now() const { return sdk::TimePoint(std::chrono::seconds(now_.load())); }
    void set(sdk::TimePoint t) { now_ = t.time_since_epoch().count(); }
    void advance(std::chrono::seconds d) { now_ += d.count(); }
    notify::Clock fn() const {
        return [this] { return now(); };
    }

private:
    std::atomic<long long> now_;
};

// Records what it was asked to send and answers Accepted (tests that need no SMTP server).
class RecordingMail : public sdk::IMailClient {
public:
    sdk::SendResult send(const sdk::MailMessage& m) override { return sendBatch({m}).front(); }
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages) override {
        std::lock_guard lock(mutex_);
        for (const auto& m : messages) sent_.push_back(m);
        return std::vector<sdk::SendResult>(messages.size());
    }
    std::vector<sdk::MailMessage> sent() const {
        std::lock_guard lock(mutex_);
        return sent_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<sdk::MailMessage> sent_;
};

// Forwards to a client the test can replace (a server that goes away and comes back).
class SwitchableMail : public sdk::IMailClient {
public:
    void use(std::shared_ptr<sdk::IMailClient> client) {
        std::lock_guard lock(mutex_);
        client_ = std::move(client);
    }
    sdk::SendResult send(const sdk::MailMessage& m) override { return current()->send(m); }
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& m) override { return current()->sendBatch(m); }

private:
    std::shared_ptr<sdk::IMailClient> current() {
        std::lock_guard lock(mutex_);
        return client_;
    }
    std::mutex mutex_;
    std::shared_ptr<sdk::IMailClient> client_;
};

class QuietLogger : public sdk::ILogger {
public:
    void log(sdk::LogLevel, std::string_view, std::string_view) override {}
};

inline std::shared_ptr<sdk::IMailClient> smtpClient(const std::string& hostPort, const std::filesystem::path& outbox,
                                                    sdk::ILogger& logger) {
    refhost::MailSettings settings;
    settings.smtp = refhost::parseSmtpAddress(hostPort);
    settings.smtp->timeoutSeconds = 10;
    settings.smtp->connectTimeoutSeconds = 3;
    settings.outboxDir = outbox;
    return std::make_shared<refhost::HostMailClient>(settings, logger);
}

// Python's email package reads the message (tests/mail/mime_check.py).
inline nlohmann::json checkMime(const std::filesystem::path& eml) {
    const auto script = conduit::test::sourceDir() / "tests/mail/mime_check.py";
    return nlohmann::json::parse(
        conduit::test::runCapture({conduit::test::systemPython().string(), script.string(), eml.string()}));
}

inline crm::Event makeEvent(const std::string& key, const std::string& kind, sdk::TimePoint when, sdk::Id project = 0,
                            sdk::Id counterparty = 0) {
    crm::Event e;
    e.idempotencyKey = crm::idempotencyKey("test", key, 1);
    e.kind = kind;
    e.occurredAt = when;
    e.projectId = project;
    e.counterpartyId = counterparty;
    e.title = "Событие " + key;
    return e;
}

inline sdk::DatabaseLocation embeddedAt(const std::filesystem::path& file) {
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Embedded;
    where.file = file;
    return where;
}

// An embedded store and the notification service (no thread: tests call runOnce with the clock).
class NotifyTest : public ::testing::Test {
protected:
    void SetUp() override {
        crm::StoreOptions options;
        options.writer.maxLatency = 5ms;
        options.writer.retryMin = 20ms;
        store = crm::EventStore::open(where(), options);
    }
    void TearDown() override {
        if (service) service->stop();
        service.reset();
        store.reset();
    }
    sdk::DatabaseLocation where() const { return embeddedAt(dir / "crm.fdb"); }
    // The newest 1000 stored events of one kind ("notification.failed").
    std::vector<crm::Event> feedOfKind(const std::string& kind) {
        crm::FeedFilter f;
        std::vector<crm::Event> out;
        for (auto& e : store->feed(f, std::nullopt, 1000).events)
            if (e.kind == kind) out.push_back(e);
        return out;
    }

    // Starts the service with no default rules unless asked (tests add their own).
    notify::NotificationService& startService(sdk::IMailClient& mail, bool defaults = false, notify::NotifyOptions options = {}) {
        options.clock = clock.fn();
        options.seedDefaults = defaults;
        options.sender.installation = "test";
        options.sender.retryBase = 60s;
        service = std::make_unique<notify::NotificationService>(*store, where(), directory, mail, options);
        service->start(false);
        return *service;
    }

    void write(const std::vector<crm::Event>& events) {
        for (const auto& e : events) ASSERT_TRUE(store->writer().submit(e));
        ASSERT_TRUE(store->writer().flush(20s)) << store->counts().writer.lastError;
    }

    std::int64_t storedId(const crm::Event& e) {
        crm::FeedFilter all;
        for (const auto& s : store->feed(all, std::nullopt, 1000).events)
            if (s.idempotencyKey == e.idempotencyKey) return s.id;
        return 0;
    }

    static notify::Rule rule(const std::string& name, std::vector<std::string> kinds, std::vector<notify::RecipientSpec> to,
                             notify::Timing timing = notify::Timing::OnOccurrence) {
        notify::Rule r;
        r.name = name;
        r.kinds = std::move(kinds);
        r.recipients = std::move(to);
        r.timing = timing;
        return r;
    }
    static notify::RecipientSpec role(notify::RecipientRole r) { return {r, {}, 0}; }
    static notify::RecipientSpec dept(const std::string& code) { return {notify::RecipientRole::Department, code, 0}; }
    static notify::RecipientSpec user(sdk::Id id) { return {notify::RecipientRole::User, {}, id}; }

    conduit::test::TempDir dir{"conduit-notify"};
    Directory directory;
    ManualClock clock{at(2026, 3, 2, 9, 0)};
    std::unique_ptr<crm::EventStore> store;
    std::unique_ptr<notify::NotificationService> service;
};

}  // namespace notifytest
