#include "firebird_server.hpp"

#include "smtp_server.hpp"  // unusedLocalPort()

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace conduit::test {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const fs::path kPackageRoot = "/usr/lib/x86_64-linux-gnu/firebird/3.0";

fs::path findServerBinary() {
    for (const fs::path& p : {fs::path("/usr/sbin/firebird"), kPackageRoot / "bin/firebird"})
        if (::access(p.c_str(), X_OK) == 0) return p;
    throw std::runtime_error("Firebird server binary not found (install firebird3.0-server)");
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The current environment with some variables replaced (or removed when the value is empty).
std::vector<std::string> environmentWith(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const auto name = entry.substr(0, entry.find('='));
        if (!overrides.count(name)) env.push_back(entry);
    }
    for (const auto& [name, value] : overrides)
        if (!value.empty()) env.push_back(name + "=" + value);
    return env;
}

// posix_spawn (no fork of a multi-threaded test process) with stdin from /dev/null and
// stdout+stderr appended to `output`.
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const fs::path& output) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // Its own process group: a Ctrl-C meant for the test runner does not stop the server first.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

// The wait status, or -1 when still running at the deadline.
int waitUntil(pid_t pid, Clock::time_point deadline) {
    while (true) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return 0;  // already reaped
        if (Clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

bool acceptsConnections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// A single-quoted SQL literal (paths and the password come from the fixture, not from users).
std::string literal(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

}  // namespace

FirebirdServer::FirebirdServer(FirebirdServerOptions options) : options_(std::move(options)) {
    if (options_.serverBinary.empty()) options_.serverBinary = findServerBinary();
    port_ = unusedLocalPort();
    prepareRoot();
    start();
}

FirebirdServer::~FirebirdServer() {
    try {
        stop();
    } catch (...) {
    }
}

void FirebirdServer::prepareRoot() {
    const fs::path root = dir_.path() / "root";
    for (const char* sub : {"root", "lock", "tmp", "data"}) fs::create_directories(dir_.path() / sub);
    for (const char* name : {"plugins", "intl", "lib", "UDF", "firebird.msg"})
        if (fs::exists(kPackageRoot / name)) fs::create_symlink(kPackageRoot / name, root / name);
    for (const char* name : {"plugins.conf", "fbintl.conf"})
        if (fs::exists(kPackageRoot / name)) fs::copy_file(kPackageRoot / name, root / name);

    const fs::path security = root / "security3.fdb";
    const fs::path packaged = "/var/lib/firebird/3.0/system/security3.fdb";
    if (!fs::exists(packaged)) throw std::runtime_error("no packaged security database at " + packaged.string());
    fs::copy_file(packaged, security);
    fs::permissions(security, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                  fs::perms::group_write);

    writeFile(root / "firebird.conf",
              "# Private test server (tests/support/firebird_server.cpp)\n"
              "RemoteServicePort = " + std::to_string(port_) + "\n"
              "RemoteBindAddress = 127.0.0.1\n"
              "SecurityDatabase = " + security.string() + "\n"
              "ServerMode = Super\n"
              "UdfAccess = None\n"
              "WireCrypt = Enabled\n");
    writeFile(root / "databases.conf", "security.db = " + security.string() + "\n");

    // The known SYSDBA password, set through the embedded engine on the private copy.
    isql({"-user", "SYSDBA", "security.db"},
         "CREATE OR ALTER USER SYSDBA PASSWORD " + literal(options_.password) + " USING PLUGIN Srp;\nCOMMIT;\n", true);
}

std::string FirebirdServer::isql(const std::vector<std::string>& args, const std::string& script, bool privateEnv) const {
    static int counter = 0;
    const std::string n = std::to_string(++counter);
    const fs::path input = dir_.path() / ("isql-" + n + ".sql");
    const fs::path output = dir_.path() / ("isql-" + n + ".out");
    writeFile(input, script);
    std::vector<std::string> argv{"/usr/bin/isql-fb", "-q", "-bail", "-i", input.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto env = privateEnv ? environmentWith({{"FIREBIRD", (dir_.path() / "root").string()},
                                                   {"FIREBIRD_LOCK", (dir_.path() / "lock").string()},
                                                   {"FIREBIRD_TMP", (dir_.path() / "tmp").string()}})
                                : environmentWith({{"FIREBIRD", ""}});
    const pid_t pid = spawn(argv, env, output);
    const int status = waitUntil(pid, Clock::now() + std::chrono::seconds(60));
    if (status == -1) {
        ::kill(pid, SIGKILL);
        waitUntil(pid, Clock::now() + std::chrono::seconds(5));
        throw std::runtime_error("isql-fb timed out: " + readFile(output));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("isql-fb failed: " + readFile(output));
    return readFile(output);
}

sdk::DatabaseLocation FirebirdServer::location(const std::string& name) {
    const fs::path file = dataFolder() / name;
    sdk::DatabaseLocation where;
    where.kind = sdk::DatabaseLocation::Kind::Server;
    where.host = host();
    where.port = port_;
    where.database = file.string();
    where.user = "SYSDBA";
    where.password = options_.password;
    if (!fs::exists(file)) {
        // Through the server, never embedded: the server has the file open with its own lock folder.
        isql({}, "CREATE DATABASE " + literal(host() + "/" + std::to_string(port_) + ":" + file.string()) +
                     " USER 'SYSDBA' PASSWORD " + literal(options_.password) +
                     " PAGE_SIZE 16384 DEFAULT CHARACTER SET UTF8;\nCOMMIT;\n",
             false);
    }
    return where;
}

bool FirebirdServer::running() const {
    if (pid_ <= 0) return false;
    int status = 0;
    return ::waitpid(pid_, &status, WNOHANG) == 0;
}

void FirebirdServer::start() {
    if (pid_ > 0) return;
    const auto env = environmentWith({{"FIREBIRD", (dir_.path() / "root").string()},
                                      {"FIREBIRD_LOCK", (dir_.path() / "lock").string()},
                                      {"FIREBIRD_TMP", (dir_.path() / "tmp").string()}});
    // Under setpriv --pdeathsig: a test process that crashes takes its server with it instead of
    // leaving it running (Linux sends the signal when the spawning THREAD exits).
    std::vector<std::string> argv{options_.serverBinary.string()};
    if (::access("/usr/bin/setpriv", X_OK) == 0)
        argv.insert(argv.begin(), {"/usr/bin/setpriv", "--pdeathsig", "KILL", "--"});
    pid_ = spawn(argv, env, dir_.path() / "server.out");
    waitUntilReady(Clock::now() + options_.startTimeout);
}

void FirebirdServer::waitUntilReady(Clock::time_point deadline) {
    while (!acceptsConnections(port_)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("Firebird server exited at start: " + readFile(dir_.path() / "server.out") +
                                     logText());
        }
        if (Clock::now() >= deadline) {
            kill();
            throw std::runtime_error("Firebird server did not listen on port " + std::to_string(port_) + " in time");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// Attachments to a server that went away are leaked on purpose (SOCI throws from their
// destructors), and libfbclient 3.0's fb_shutdown() can crash walking them at exit:
// conduit_test_main skips it in a process that saw its server go (tests/support/test_main.cpp).
static void markServerGone() { ::setenv("CONDUIT_TEST_FIREBIRD_SERVER_GONE", "1", 1); }

void FirebirdServer::stop() {
    if (pid_ <= 0) return;
    markServerGone();
    ::kill(pid_, SIGTERM);
    if (waitUntil(pid_, Clock::now() + std::chrono::seconds(10)) == -1) {
        ::kill(pid_, SIGKILL);
        waitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    }
    pid_ = -1;
}

void FirebirdServer::kill() {
    if (pid_ <= 0) return;
    markServerGone();
    ::kill(pid_, SIGKILL);
    waitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    pid_ = -1;
}

std::string FirebirdServer::logText() const { return readFile(dir_.path() / "root" / "firebird.log"); }

}  // namespace conduit::test
