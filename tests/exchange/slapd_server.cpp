#include "slapd_server.hpp"

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
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace conduit::test {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// posix_spawn (no fork of a multi-threaded test process), output appended to `output`.
pid_t spawn(const std::vector<std::string>& argv, const fs::path& output) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
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
        if (r < 0 && errno != EINTR) return 0;
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

// "dc=example,dc=com" -> "example": the suffix entry's own dc and o.
std::string firstValue(const std::string& dn) {
    const auto eq = dn.find('=');
    return dn.substr(eq + 1, dn.find(',') - eq - 1);
}

std::string configLdif(const fs::path& dir, const SlapdOptions& o) {
    const std::string limit = "olcSizeLimit: size.soft=" + std::to_string(o.sizeLimit) +
                              " size.hard=" + std::to_string(o.sizeLimit) + " size.prtotal=unlimited\n";
    return "dn: cn=config\nobjectClass: olcGlobal\ncn: config\n\n"
           "dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n"
           "olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n"
           "dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n"
           "include: file:///etc/ldap/schema/core.ldif\n\n"
           "include: file:///etc/ldap/schema/cosine.ldif\n\n"
           "include: file:///etc/ldap/schema/inetorgperson.ldif\n\n"
           "dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n"
           "objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n" + limit + "\n"
           "dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n"
           "olcAccess: {0}to * by * none\n\n"
           "dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n"
           "olcDatabase: {1}mdb\nolcSuffix: " + o.suffix + "\nolcRootDN: cn=admin," + o.suffix +
           "\nolcRootPW: " + o.rootPassword + "\nolcDbDirectory: " + (dir / "data").string() +
           "\nolcDbMaxSize: 268435456\n" + limit +
           "olcAccess: {0}to attrs=userPassword by anonymous auth by * none\n"
           "olcAccess: {1}to * by * read\n";
}

}  // namespace

SlapdServer::SlapdServer(SlapdOptions options) : options_(std::move(options)) {
    port_ = unusedLocalPort();
    configure();
    load();
    start();
}

SlapdServer::~SlapdServer() {
    try {
        kill();
    } catch (...) {
    }
}

void SlapdServer::runTool(const std::vector<std::string>& argv) const {
    const fs::path output = dir_.path() / "tools.out";
    const pid_t pid = spawn(argv, output);
    const int status = waitUntil(pid, Clock::now() + std::chrono::minutes(2));
    if (status == -1) {
        ::kill(pid, SIGKILL);
        waitUntil(pid, Clock::now() + std::chrono::seconds(10));
    }
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(argv[0] + " failed: " + readFile(output));
}

void SlapdServer::configure() {
    fs::create_directories(dir_.path() / "slapd.d");
    fs::create_directories(dir_.path() / "data");
    writeFile(dir_.path() / "config.ldif", configLdif(dir_.path(), options_));
    runTool({"/usr/sbin/slapadd", "-n0", "-F", (dir_.path() / "slapd.d").string(), "-l",
             (dir_.path() / "config.ldif").string()});
}

void SlapdServer::load() {
    const std::string top = firstValue(options_.suffix);
    writeFile(dir_.path() / "data.ldif", "dn: " + options_.suffix + "\nobjectClass: dcObject\nobjectClass: organization\n"
                                         "dc: " + top + "\no: " + top + "\n\n" + options_.entries + "\n");
    runTool({"/usr/sbin/slapadd", "-q", "-n1", "-F", (dir_.path() / "slapd.d").string(), "-l",
             (dir_.path() / "data.ldif").string()});
}

bool SlapdServer::running() const {
    if (pid_ <= 0) return false;
    int status = 0;
    return ::waitpid(pid_, &status, WNOHANG) == 0;
}

void SlapdServer::start() {
    if (pid_ > 0) return;
    // -d 0 keeps slapd in the foreground, so it stays our child and its pid is the one we kill.
    std::vector<std::string> argv{"/usr/sbin/slapd", "-h", url() + "/", "-F", (dir_.path() / "slapd.d").string(),
                                  "-d", "0"};
    if (::access("/usr/bin/setpriv", X_OK) == 0) argv.insert(argv.begin(), {"/usr/bin/setpriv", "--pdeathsig", "KILL", "--"});
    pid_ = spawn(argv, dir_.path() / "slapd.out");
    const auto deadline = Clock::now() + options_.startTimeout;
    while (!acceptsConnections(port_)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("slapd exited at start: " + logText());
        }
        if (Clock::now() >= deadline) {
            kill();
            throw std::runtime_error("slapd did not listen on port " + std::to_string(port_) + " in time");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void SlapdServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (waitUntil(pid_, Clock::now() + std::chrono::seconds(10)) == -1) {
        ::kill(pid_, SIGKILL);
        waitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    }
    pid_ = -1;
}

void SlapdServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitUntil(pid_, Clock::now() + std::chrono::seconds(10));
    pid_ = -1;
}

void SlapdServer::suspend() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void SlapdServer::resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string SlapdServer::logText() const { return readFile(dir_.path() / "slapd.out"); }

}  // namespace conduit::test
