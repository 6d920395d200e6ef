// bench_mail: how fast the reference host's mail client hands messages to a local SMTP server
// (aiosmtpd, the tests' fixture) with and without connection reuse, and how long a notification
// takes from its event's submission to the server's acceptance while events keep coming.
//
//   bench_mail [--rounds R] [--messages N] [--batch B] [--rate EVENTS_PER_S] [--seconds S]
//              [--notify-every K] [--interval-ms I]
//
// 1. Throughput: R rounds, each N messages (Russian/Polish subject and body, UTF-8, ~1 KB) in
//    sendBatch calls of B (the sender's claim size): one SMTP connection per batch. Then N/5
//    messages through send(), one connection each, for the ratio. Medians over the rounds.
// 2. Event to accepted: an embedded CRM store and the NotificationService (its own thread,
//    polling every I ms, the plugin's default 2000) with one rule, project notes -> the project's
//    manager. For S seconds a producer submits RATE events/s (bursts every 10 ms); every K-th is
//    a project note (one mail), the others are customer notes no rule matches. Latency per mail:
//    submit() of its event -> the end of the sendBatch call that got it accepted (so a batch's
//    messages share the batch's end time). p50/p99/max over all notes.
#include "notify_rig.hpp"

#include <conduit/sdk/firebird_file.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace conduit;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    int rounds = 5, messages = 500, batch = 50;
    int rate = 200, seconds = 20, notifyEvery = 10, intervalMs = 2000;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (k == "--rounds") a.rounds = v;
        else if (k == "--messages") a.messages = v;
        else if (k == "--batch") a.batch = v;
        else if (k == "--rate") a.rate = v;
        else if (k == "--seconds") a.seconds = v;
        else if (k == "--notify-every") a.notifyEvery = v;
        else if (k == "--interval-ms") a.intervalMs = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", k.c_str());
            std::exit(2);
        }
    }
    return a;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

sdk::MailMessage sample(int i) {
    sdk::MailMessage m;
    m.messageId = "bench-" + std::to_string(i) + "@conduit.local";
    m.to = {{"kierownik@example.pl", "Łukasz Żółtowski"}};
    m.subject = "Монтаж окон назначен — zlecenie nr " + std::to_string(i);
    std::string body = "Dzień dobry!\nМонтаж окон по заказу " + std::to_string(i) + " назначен на 12.03.2026.\n";
    while (body.size() < 1000) body += "Zażółć gęślą jaźń. Съешь же ещё этих мягких французских булок.\n";
    m.textBody = body;
    m.htmlBody = "<p>" + body + "</p>";
    return m;
}

struct QuietLogger final : sdk::ILogger {
    void log(sdk::LogLevel level, std::string_view, std::string_view message) override {
        if (level >= sdk::LogLevel::Warning) std::fprintf(stderr, "  log: %.*s\n", int(message.size()), message.data());
    }
};

// The host's client, noting when each accepted message's sendBatch call returned.
class TimingMail final : public sdk::IMailClient {
public:
    TimingMail(refhost::MailSettings settings, sdk::ILogger& logger) : client_(std::move(settings), logger) {}
    sdk::SendResult send(const sdk::MailMessage& m) override { return sendBatch({m}).front(); }
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages) override {
        auto results = client_.sendBatch(messages);
        const auto now = Clock::now();
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < messages.size(); ++i)
            if (results[i].status == sdk::SendStatus::Accepted) accepted_[messages[i].messageId] = now;
        return results;
    }
    std::map<std::string, Clock::time_point> accepted() const {
        std::lock_guard lock(mutex_);
        return accepted_;
    }

private:
    refhost::HostMailClient client_;
    mutable std::mutex mutex_;
    std::map<std::string, Clock::time_point> accepted_;
};

void throughput(const Args& a) {
    std::printf("1. Throughput to aiosmtpd on 127.0.0.1 (%d rounds, %d messages in batches of %d)\n", a.rounds,
                a.messages, a.batch);
    test::SmtpServer server;
    QuietLogger logger;
    refhost::HostMailClient client(faults::smtpTo(server.port()), logger);
    std::vector<double> reuse, single, ratio;
    int counter = 0;
    for (int r = 0; r < a.rounds; ++r) {
        const int sessionsBefore = server.sessionCount();
        auto t0 = Clock::now();
        for (int sent = 0; sent < a.messages; sent += a.batch) {
            std::vector<sdk::MailMessage> batch;
            for (int i = 0; i < a.batch && sent + i < a.messages; ++i) batch.push_back(sample(++counter));
            for (const auto& res : client.sendBatch(batch))
                if (res.status != sdk::SendStatus::Accepted) std::fprintf(stderr, "  not accepted: %s\n", res.detail.c_str());
        }
        const double withReuse = a.messages / std::chrono::duration<double>(Clock::now() - t0).count();
        const int sessions = server.sessionCount() - sessionsBefore;

        const int few = std::max(1, a.messages / 5);
        t0 = Clock::now();
        for (int i = 0; i < few; ++i) client.send(sample(++counter));
        const double oneEach = few / std::chrono::duration<double>(Clock::now() - t0).count();
        reuse.push_back(withReuse);
        single.push_back(oneEach);
        ratio.push_back(withReuse / oneEach);
        std::printf("   round %d: %.0f msg/s with reuse (%d connections), %.0f msg/s one connection each\n", r + 1,
                    withReuse, sessions, oneEach);
    }
    const auto received = server.waitForMessages(static_cast<std::size_t>(counter), std::chrono::seconds(30)).size();
    std::printf("   median: %.0f msg/s with reuse, %.0f msg/s one connection per message, ratio %.2f; %zu/%d received\n",
                median(reuse), median(single), median(ratio), received, counter);
}

void eventToAccepted(const Args& a) {
    std::printf("2. Event -> accepted, %d events/s for %d s, every %dth notifies, sender polls every %d ms\n", a.rate,
                a.seconds, a.notifyEvery, a.intervalMs);
    test::SmtpServer server;
    test::TempDir dir("bench-mail");
    QuietLogger logger;
    faults::StaffDirectory directory;
    TimingMail mail(faults::smtpTo(server.port()), logger);
    sdk::DatabaseLocation where;
    where.file = dir / "crm.fdb";
    auto store = crm::EventStore::open(where);
    crm::notify::NotifyOptions options;
    options.seedDefaults = false;
    options.interval = std::chrono::milliseconds(a.intervalMs);
    crm::notify::NotificationService notes(*store, where, directory, mail, options);
    crm::notify::Rule rule;
    rule.name = "Заметки → менеджер проекта";
    rule.kinds = {"note.project"};
    rule.recipients = {{crm::notify::RecipientRole::ProjectManager, "", 0}};
    notes.start();
    notes.rules().add(rule);

    std::map<std::string, Clock::time_point> submitted;  // key of a notifying event -> submit()
    const auto start = Clock::now();
    const auto wall = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const int perTick = std::max(1, a.rate / 100);
    int n = 0;
    for (auto tick = start; tick < start + std::chrono::seconds(a.seconds); tick += std::chrono::milliseconds(10)) {
        std::this_thread::sleep_until(tick);
        for (int i = 0; i < perTick; ++i, ++n) {
            const bool notify = n % a.notifyEvery == 0;
            auto e = faults::projectNote("bench-" + std::to_string(n), 1 + n % 10, wall);
            if (!notify) e.kind = "note.customer";
            if (notify) submitted[e.idempotencyKey] = Clock::now();
            store->writer().submit(std::move(e));
        }
    }
    store->writer().flush(std::chrono::seconds(60));

    // Wait for every notification to be accepted.
    auto& outbox = notes.outbox();
    const auto deadline = Clock::now() + std::chrono::seconds(60) + 3 * options.interval;
    std::vector<crm::notify::OutboxRow> sent;
    while (Clock::now() < deadline) {
        sent = faults::allRows(outbox, {std::nullopt, crm::notify::OutboxStatus::Sent});
        if (sent.size() >= submitted.size()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    notes.stop();
    const auto accepted = mail.accepted();
    std::vector<double> ms;
    for (const auto& row : sent) {
        const auto event = store->event(row.eventId);
        const auto it = accepted.find(row.messageId);
        if (!event || it == accepted.end()) continue;
        const auto sub = submitted.find(event->idempotencyKey);
        if (sub == submitted.end()) continue;
        ms.push_back(std::chrono::duration<double, std::milli>(it->second - sub->second).count());
    }
    store->writer().stop();
    std::printf("   %d events, %zu notifications expected, %zu accepted and matched\n", n, submitted.size(), ms.size());
    std::printf("   event -> accepted: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", percentile(ms, 0.5),
                percentile(ms, 0.99), percentile(ms, 1.0));
}

}  // namespace

int main(int argc, char** argv) {
    // A private Firebird lock folder, as the tests have (tests/support/test_main.cpp says why).
    std::string lockDir;
    if (!std::getenv("FIREBIRD_LOCK")) {
        std::string pattern = (std::filesystem::temp_directory_path() / "conduit-fblock-XXXXXX").string();
        if (mkdtemp(pattern.data())) {
            lockDir = pattern;
            setenv("FIREBIRD_LOCK", lockDir.c_str(), 1);
        }
    }
    const Args a = parse(argc, argv);
    int rc = 0;
    try {
        throughput(a);
        eventToAccepted(a);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_mail: %s\n", e.what());
        rc = 1;
    }
    sdk::shutdownFirebird();
    if (!lockDir.empty()) std::filesystem::remove_all(lockDir);
    return rc;
}
