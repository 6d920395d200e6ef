// The demo as a user runs it: conduit-host --headless with the CRM plugin, on a fresh data folder.
#include "demo_host.hpp"
#include <smtp_server.hpp>
#include <test_support.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <string>

using conduit::test::TempDir;

using conduit::test::runHost;
using conduit::test::RunResult;

namespace {

long receivedFor(const std::string& output, const std::string& module) {
    std::smatch m;
    const std::regex re("\\[crm\\] " + module + ": ([0-9]+) received");
    return std::regex_search(output, m, re) ? std::stol(m[1]) : -1;
}

}  // namespace

TEST(DemoHeadless, PluginReceivesFromEveryModuleAndScreenshotIsSaved) {
    TempDir dir;
    const auto shot = dir / "workstation.png";
    const auto r = runHost("--days 4 --seed 7 --data '" + (dir / "data").string() + "' --screenshot '" +
                           shot.string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("loaded conduit.crm"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("[crm] connected to host modules: orders, scheduling, fg_warehouse, multi_warehouse, payments"),
              std::string::npos)
        << r.output;
    long total = 0;
    for (auto module : {"orders", "scheduling", "fg_warehouse", "multi_warehouse", "payments"}) {
        const long n = receivedFor(r.output, module);
        EXPECT_GE(n, 0) << "no report line for " << module << "\n" << r.output;
        total += n;
    }
    EXPECT_GT(total, 20) << r.output;
    // Staff notes, measurement sheets and the catalogue's entries reach the CRM through its
    // actions, none refused; the catalogue's counts by role are printed.
    EXPECT_NE(r.output.find("staff entries through plugin actions: crm.catalogue.certify"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(", crm.note.customer "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("CRM only"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("roles: customer "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("partner 3, installer 3"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("refused"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("(no plugin)"), std::string::npos) << r.output;
    // Headless, the dispatcher's feed is printed: 25 newest lines with kind names in the host locale.
    EXPECT_NE(r.output.find("[crm] dispatcher feed, newest 25 events:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("  P-2026-"), std::string::npos) << r.output;
    // Without --smtp every notification sent is an .eml file in DATA/outbox.
    std::smatch sent;
    ASSERT_TRUE(std::regex_search(r.output, sent, std::regex("notifications: ([0-9]+) sent"))) << r.output;
    const auto outbox = dir / "data" / "outbox";
    ASSERT_TRUE(std::filesystem::is_directory(outbox));
    const auto files = std::distance(std::filesystem::directory_iterator(outbox), std::filesystem::directory_iterator{});
    EXPECT_GT(files, 0);
    EXPECT_EQ(files, std::stol(sent[1]));
    EXPECT_NE(r.output.find("stopped conduit.crm"), std::string::npos);
    ASSERT_TRUE(std::filesystem::exists(shot)) << r.output;
    std::ifstream png(shot, std::ios::binary);
    char magic[8]{};
    png.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    EXPECT_GT(std::filesystem::file_size(shot), 5000u);
}

TEST(DemoHeadless, SecondRunContinuesTheSameHistory) {
    TempDir dir;
    const auto data = (dir / "data").string();
    const auto first = runHost("--days 2 --seed 3 --data '" + data + "'");
    ASSERT_EQ(first.exitCode, 0) << first.output;
    const auto again = runHost("--days 2 --seed 3 --data '" + data + "'");
    ASSERT_EQ(again.exitCode, 0) << again.output;
    EXPECT_EQ(receivedFor(again.output, "payments"), 0) << "nothing left to simulate:\n" << again.output;
    const auto other = runHost("--days 2 --seed 4 --data '" + data + "'");
    EXPECT_NE(other.exitCode, 0) << "another seed on the same data folder must be refused";
}

TEST(DemoHeadless, UnknownOptionIsAClearError) {
    const auto r = runHost("--dayz 3");
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.output.find("dayz"), std::string::npos) << r.output;
}

TEST(DemoHeadless, SigtermStopsThePluginCleanlyMidSimulation) {
    TempDir dir;
    const auto out = (dir / "host.out").string();
    const std::string cmd = "exec '" HOST_EXE "' --plugins '" CRM_PLUGIN_DIR "' --headless --days 300 --pace-ms 100 --data '" +
                            (dir / "data").string() + "' > '" + out + "' 2>&1";
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    pid_t pid = 0;
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    ASSERT_EQ(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ), 0);
    auto slurp = [&] {
        std::ifstream in(out);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // Wait until the plugin runs and the simulation has produced something, then stop the host.
    for (int i = 0; i < 300 && slurp().find("plugin(s) running") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    int status = 0;
    for (int i = 0; i < 600 && waitpid(pid, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        FAIL() << "host did not stop within 60 s of SIGTERM\n" << slurp();
    }
    const auto text = slurp();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << text;
    EXPECT_NE(text.find("stopped conduit.crm"), std::string::npos) << text;
    EXPECT_NE(text.find("event store:"), std::string::npos) << text;
    EXPECT_EQ(text.find("terminate called"), std::string::npos) << text;
}

TEST(DemoHeadless, WithSmtpTheNotificationsArriveAsWellFormedMailWithUniqueMessageIds) {
    TempDir dir;
    conduit::test::SmtpServer smtp;
    const auto data = dir / "data";
    const auto r = runHost("--days 3 --seed 5 --data '" + data.string() + "' --smtp " + smtp.hostPort());
    ASSERT_EQ(r.exitCode, 0) << r.output;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.output, m, std::regex("notifications: ([0-9]+) sent, ([0-9]+) pending, ([0-9]+) failed")))
        << r.output;
    const std::size_t sent = std::stoul(m[1]);
    EXPECT_GT(sent, 10u) << r.output;
    EXPECT_EQ(m[2], "0") << r.output;
    EXPECT_EQ(m[3], "0") << r.output;
    const auto mails = smtp.waitForMessages(sent, std::chrono::seconds(30));
    ASSERT_EQ(mails.size(), sent) << "the server got what the CRM counts as sent";
    EXPECT_LT(smtp.sessionCount(), static_cast<int>(sent)) << "batches share a connection";
    EXPECT_FALSE(std::filesystem::exists(data / "outbox") && !std::filesystem::is_empty(data / "outbox"))
        << "no .eml files when a server is configured";

    std::set<std::string> ids;
    const std::regex idLine("\r\nMessage-ID: (<[^>\r\n]+>)\r\n", std::regex::icase);
    for (const auto& mail : mails) {
        const auto bytes = mail.data();
        std::smatch id;
        ASSERT_TRUE(std::regex_search(bytes, id, idLine)) << bytes.substr(0, 600);
        EXPECT_TRUE(ids.insert(id[1]).second) << "duplicate " << id[1];
    }
    // A sample through an independent MIME parser (Python's email package).
    const auto script = conduit::test::sourceDir() / "tests/mail/mime_check.py";
    for (std::size_t i = 0; i < mails.size(); i += std::max<std::size_t>(1, mails.size() / 12)) {
        const auto j = nlohmann::json::parse(conduit::test::runCapture(
            {conduit::test::systemPython().string(), script.string(), mails[i].emlFile.string()}));
        EXPECT_TRUE(j["defects"].empty()) << j.dump(1);
        EXPECT_FALSE(j["subject"].get<std::string>().empty());
        ASSERT_EQ(j["to"].size(), 1u) << j.dump(1);
        EXPECT_EQ(j["to"][0]["address"], mails[i].recipients.at(0));
        EXPECT_FALSE(j["text"].is_null());
        EXPECT_EQ(j["bare_line_breaks"], 0);
    }
}

TEST(DemoHeadless, EveryMailReadsInItsRecipientsLanguageAndTheInstallationsTime) {
    // Russian and Polish colleagues share one installation: each mail is rendered for its
    // recipient, so a Russian one carries no Polish template words, a Polish one no Russian,
    // neither a stage or kind code, and no time says "UTC" (names of customers, places and crews
    // are the host's and are not looked at).
    TempDir dir("demo-languages");
    const auto data = dir / "data";
    const auto r = runHost("--days 8 --seed 7 --data '" + data.string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.output;
    const auto script = conduit::test::sourceDir() / "tests/e2e/mail_languages.py";
    const auto j = nlohmann::json::parse(conduit::test::runCapture(
        {conduit::test::systemPython().string(), script.string(), (data / "outbox").string()}));
    EXPECT_GT(j["languages"].value("ru", 0), 20) << j["languages"].dump();
    EXPECT_GT(j["languages"].value("pl", 0), 20) << j["languages"].dump();
    EXPECT_EQ(j["languages"].value("?", 0), 0) << "every mail ends with its rule in the reader's language";
    EXPECT_TRUE(j["problems"].empty()) << j["problems"].dump(1).substr(0, 3000);
}

namespace {

// The forms a --form error lists for the signed-in user: "crm.a (A), crm.b (B)" → {crm.a, crm.b}.
std::set<std::string> formsListed(const std::string& output) {
    std::smatch m;
    std::set<std::string> ids;
    if (!std::regex_search(output, m, std::regex("Forms: ([^\n]*)\\.\n"))) return ids;
    const std::string list = m[1];
    const std::regex id("(crm\\.[a-z.-]+) \\(");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), id); it != std::sregex_iterator(); ++it)
        ids.insert((*it)[1]);
    return ids;
}

}  // namespace

TEST(DemoSignIn, EachRolesUserGetsTheFormsTheirRightsAllow) {
    // The CRM derives the roles from the host's departments: --user decides what it registers.
    TempDir dir;
    const auto data = (dir / "data").string();
    struct Case {
        const char* login;
        bool payment, customerNote, measurement, rules;
    };
    const Case cases[] = {
        {"a.nowak", false, true, true, false},       // dispatcher
        {"m.kaminska", true, true, false, false},    // finance
        {"z.kozlowska", false, true, false, false},  // orders
        {"l.wozniak", false, false, true, false},    // measurer
        {"p.wisniewski", false, false, false, false},  // planner (production)
        {"k.kowalczyk", false, true, false, false},  // sales
        {"s.krawczyk", false, true, true, false},    // management
        {"admin", true, true, true, true},           // administrator
    };
    for (const auto& c : cases) {
        const auto r = runHost(std::string("--days 0 --locale en --data '") + data + "' --user " + c.login + " --form none");
        EXPECT_EQ(r.exitCode, 2) << r.output;
        EXPECT_NE(r.output.find(std::string("signed in: ") + c.login), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("No form \"none\" for this user."), std::string::npos) << r.output;
        const auto forms = formsListed(r.output);
        EXPECT_TRUE(forms.count("crm.dispatcher")) << c.login << "\n" << r.output;
        EXPECT_TRUE(forms.count("crm.mail-preferences")) << "everyone sets their own mail: " << c.login;
        EXPECT_EQ(forms.count("crm.entry.payment") == 1, c.payment) << c.login;
        EXPECT_EQ(forms.count("crm.entry.customer-note") == 1, c.customerNote) << c.login;
        EXPECT_EQ(forms.count("crm.entry.measurement") == 1, c.measurement) << c.login;
        EXPECT_EQ(forms.count("crm.notification-rules") == 1, c.rules) << c.login;
    }
}

TEST(DemoSignIn, AnUnknownLoginIsRefusedInTheWorkstationsLanguageListingTheUsers) {
    TempDir dir;
    const auto r = runHost("--days 0 --locale pl --data '" + (dir / "data").string() + "' --user nikt");
    EXPECT_EQ(r.exitCode, 2) << r.output;
    EXPECT_NE(r.output.find("Brak użytkownika o loginie „nikt”. Użytkownicy: a.nowak, "), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("plugin(s) running"), std::string::npos) << "refused before any plugin starts";
}

TEST(DemoSignIn, FormAndScreenshotPictureThatFormForThatUser) {
    TempDir dir;
    const auto shot = dir / "rules.png";
    const auto r = runHost("--days 1 --seed 7 --locale ru --data '" + (dir / "data").string() +
                           "' --user admin --form crm.notification-rules --screenshot '" + shot.string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("screenshot saved to " + shot.string() + " (form crm.notification-rules)"), std::string::npos)
        << r.output;
    ASSERT_TRUE(std::filesystem::exists(shot));
    std::ifstream png(shot, std::ios::binary);
    char magic[8]{};
    png.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    EXPECT_GT(std::filesystem::file_size(shot), 5000u);
}

TEST(DemoSignIn, SignInAsRestartsTheSuiteForTheChosenPersonOnARealXServer) {
    if (std::system("command -v xvfb-run >/dev/null && command -v xdotool >/dev/null") != 0)
        GTEST_SKIP() << "needs xvfb-run and xdotool (Debian's xvfb and xdotool)";
    TempDir dir;
    const auto out = dir / "host.out";
    const auto script = conduit::test::sourceDir() / "tests/e2e/sign_in_restart.sh";
    const std::string cmd = "xvfb-run -a -s '-screen 0 1400x900x24' '" + script.string() + "' '" HOST_EXE "' '" CRM_PLUGIN_DIR
                            "' '" + (dir / "data").string() + "' '" + out.string() + "' 2>&1";
    std::string report;
    if (FILE* pipe = popen(cmd.c_str(), "r")) {
        std::array<char, 4096> buf{};
        while (fgets(buf.data(), static_cast<int>(buf.size()), pipe)) report += buf.data();
        pclose(pipe);
    }
    std::ifstream in(out);
    const std::string log(std::istreambuf_iterator<char>(in), {});
    std::smatch before, after;
    ASSERT_TRUE(std::regex_search(report, before, std::regex("pid before ([0-9]+)"))) << report;
    ASSERT_TRUE(std::regex_search(report, after, std::regex("pid after ([0-9]+)"))) << report << log;
    EXPECT_EQ(before[1], after[1]) << "the suite replaces itself (same process, new program image)";
    EXPECT_NE(report.find("title Conduit reference suite — Małgorzata Kamińska"), std::string::npos) << report;
    EXPECT_NE(report.find("exit 0"), std::string::npos) << report << log;
    const auto first = log.find("signed in: a.nowak");
    const auto switching = log.find("signing in as m.kaminska: the suite restarts");
    const auto second = log.find("signed in: m.kaminska");
    ASSERT_NE(first, std::string::npos) << log;
    ASSERT_NE(switching, std::string::npos) << log;
    ASSERT_NE(second, std::string::npos) << log;
    EXPECT_LT(first, switching);
    EXPECT_LT(switching, second);
    // The first run's plugin stopped cleanly before the second started, on the same data folder.
    EXPECT_NE(log.find("stopped conduit.crm"), std::string::npos) << log;
    EXPECT_EQ(log.find("another seed"), std::string::npos) << log;
    EXPECT_EQ(log.find("terminate called"), std::string::npos) << log;
}

// The demo's payment rules widened to people whose rights hide payment details (dispatch,
// measurement, production): they are told of every payment, never of its amount; finance is.
// Payments received go into the morning digest by default, so most of these mails are digests.
TEST(DemoHeadless, PaymentMailsShowAmountsOnlyToThoseWhoMaySeePaymentDetails) {
    TempDir dir("demo-payment-mail");
    const auto data = dir / "data";
    const auto first = runHost("--days 4 --seed 7 --data '" + data.string() + "'");
    ASSERT_EQ(first.exitCode, 0) << first.output;
    const auto sql = dir / "widen.sql";
    std::ofstream(sql) << "UPDATE CRM_NOTIFY_RULE SET RECIPIENTS = 'project_manager,department:finance,department:dispatch,"
                          "department:measurement,department:production' WHERE SEED_KEY IN ('default.payments', 'default.payments.digest');\nCOMMIT;\n";
    conduit::test::runCapture({"/usr/bin/isql-fb", "-q", "-bail", "-user", "SYSDBA", "-i", sql.string(), (data / "crm.fdb").string()});
    const auto second = runHost("--days 10 --seed 7 --data '" + data.string() + "'");
    ASSERT_EQ(second.exitCode, 0) << second.output;

    const auto script = conduit::test::sourceDir() / "tests/e2e/mail_languages.py";
    auto amounts = [&](const std::vector<std::string>& logins) {
        std::string addresses;
        for (const auto& l : logins) addresses += (addresses.empty() ? "" : ",") + l + "@conduit-suite.example.pl";
        return nlohmann::json::parse(conduit::test::runCapture({conduit::test::systemPython().string(), script.string(),
                                                                (data / "outbox").string(), "--payment-amounts", addresses}));
    };
    const auto hidden = amounts({"a.nowak", "f.shcherbakov", "l.wozniak", "g.dabrowski", "i.smirnov", "p.wisniewski", "d.popov"});
    EXPECT_GT(hidden["payment_mails"].get<int>(), 10) << hidden.dump();
    EXPECT_TRUE(hidden["with_amount"].empty()) << hidden["with_amount"].dump(1).substr(0, 3000);
    const auto finance = amounts({"m.kaminska", "j.kowalski"});
    EXPECT_GT(finance["payment_mails"].get<int>(), 4) << finance.dump();
    EXPECT_FALSE(finance["with_amount"].empty());
}

// Less mail by default: on a week of the demo the busiest colleague gets on average at most 5
// mails a working day at once, plus the morning digest; the per-person figures add up to what
// was sent.
TEST(DemoHeadless, TheBusiestColleagueGetsAtMostFiveMailsAWorkingDayPlusTheDigest) {
    constexpr int kDays = 6;
    TempDir dir("demo-quiet");
    const auto r = runHost("--days " + std::to_string(kDays) + " --seed 7 --data '" + (dir / "data").string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.output;
    std::smatch sent;
    ASSERT_TRUE(std::regex_search(r.output, sent, std::regex("notifications: ([0-9]+) sent"))) << r.output;
    ASSERT_NE(r.output.find("mail per person:"), std::string::npos) << r.output;
    const std::regex person("\\[crm\\]   (.+): ([0-9]+) immediate, ([0-9]+) digests");
    long busiest = 0, digests = 0, total = 0, people = 0;
    std::string who;
    for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), person); it != std::sregex_iterator(); ++it) {
        const long immediate = std::stol((*it)[2]);
        ++people;
        digests += std::stol((*it)[3]);
        total += immediate + std::stol((*it)[3]);
        if (immediate > busiest) {
            busiest = immediate;
            who = (*it)[1];
        }
    }
    std::smatch contacts;
    ASSERT_TRUE(std::regex_search(r.output, contacts, std::regex("customers' contacts: ([0-9]+) people, ([0-9]+) mails"))) << r.output;
    EXPECT_GT(people, 5) << r.output;
    EXPECT_GT(digests, 0) << "what is not urgent goes into the digest";
    EXPECT_EQ(total + std::stol(contacts[2]), std::stol(sent[1])) << r.output;
    EXPECT_LE(busiest, 5L * kDays) << who << " got " << busiest << " mails at once in " << kDays << " working days";
}
