#include "smtp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace conduit::test {

namespace {

using Clock = std::chrono::steady_clock;

struct Child {
    pid_t pid = -1;
    int stdoutFd = -1;  // read end of the child's stdout
};

// posix_spawn with stdout on a pipe: no fork of a multi-threaded test process.
Child spawnWithStdoutPipe(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    return {pid, fds[0]};
}

int millisLeft(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<long long>(0, left));
}

// Reads what the fd delivers until EOF (true), or until stopAt says enough (true), or the
// deadline (false).
template <typename StopAt>
bool readUntil(int fd, std::string& out, Clock::time_point deadline, StopAt stopAt) {
    char buf[4096];
    while (!stopAt(out)) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, millisLeft(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return true;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

// Waits for the child to exit until the deadline; returns the wait status or -1 if still running.
int waitUntil(pid_t pid, Clock::time_point deadline) {
    while (true) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return 0;  // already reaped
        if (Clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(10ms);
    }
}

void terminate(pid_t pid) {
    ::kill(pid, SIGTERM);
    if (waitUntil(pid, Clock::now() + 5s) != -1) return;
    ::kill(pid, SIGKILL);
    waitUntil(pid, Clock::now() + 5s);
}

std::string describe(int status) {
    if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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

ReceivedMail parseEnvelope(int number, const std::filesystem::path& envFile) {
    ReceivedMail mail;
    mail.number = number;
    mail.emlFile = envFile.parent_path() / (std::to_string(number) + ".eml");
    std::istringstream lines(readFile(envFile));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("session ", 0) == 0) mail.session = std::stoi(line.substr(8));
        else if (line.rfind("from ", 0) == 0) mail.mailFrom = line.substr(5);
        else if (line.rfind("rcpt ", 0) == 0) mail.recipients.push_back(line.substr(5));
        else if (line.rfind("auth ", 0) == 0) mail.authUser = line.substr(5);
        else if (line == "tls") mail.tls = true;
    }
    return mail;
}

}  // namespace

std::filesystem::path systemPython() { return "/usr/bin/python3"; }

std::string runCapture(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const Child child = spawnWithStdoutPipe(argv);
    std::string out;
    const bool finished = readUntil(child.stdoutFd, out, deadline, [](const std::string&) { return false; });
    ::close(child.stdoutFd);
    const int status = finished ? waitUntil(child.pid, deadline) : -1;
    if (status == -1) {
        terminate(child.pid);
        throw std::runtime_error(argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + " timed out");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + " failed: " + describe(status));
    return out;
}

int unusedLocalPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);  // bound but never listening, and released: connecting is refused
    return ntohs(addr.sin_port);
}

std::string ReceivedMail::data() const { return readFile(emlFile); }

SmtpServer::SmtpServer(SmtpServerOptions options) {
    const auto deadline = Clock::now() + options.startTimeout;
    const auto script = options.script.empty() ? sourceDir() / "tests/mail/smtp_sink.py" : options.script;
    std::vector<std::string> argv{systemPython().string(), script.string(), "--dir", dir_.path().string()};
    // A test that crashes takes its server with it (Linux signals when the spawning thread exits).
    if (::access("/usr/bin/setpriv", X_OK) == 0)
        argv.insert(argv.begin(), {"/usr/bin/setpriv", "--pdeathsig", "KILL", "--"});
    for (const auto& r : options.rejectRecipients) argv.insert(argv.end(), {"--reject", r});
    for (const auto& r : options.tempFailRecipients) argv.insert(argv.end(), {"--tempfail", r});
    if (options.port != 0) argv.insert(argv.end(), {"--port", std::to_string(options.port)});
    if (!options.authUser.empty()) argv.insert(argv.end(), {"--auth", options.authUser + ":" + options.authPassword});
    if (!options.tlsCert.empty())
        argv.insert(argv.end(), {"--tls-cert", options.tlsCert.string(), "--tls-key", options.tlsKey.string()});
    for (const auto& r : options.raiseForRecipients) argv.insert(argv.end(), {"--raise-for", r});
    if (options.tempFailFirstSeconds > 0)
        argv.insert(argv.end(), {"--tempfail-first", std::to_string(options.tempFailFirstSeconds)});
    if (options.stickyFailure) argv.push_back("--sticky-failure");
    if (options.badSequenceEvery > 0)
        argv.insert(argv.end(), {"--bad-sequence-every", std::to_string(options.badSequenceEvery)});
    const Child child = spawnWithStdoutPipe(argv);
    pid_ = child.pid;
    stdoutFd_ = child.stdoutFd;

    std::string line;
    readUntil(stdoutFd_, line, deadline, [](const std::string& s) { return s.find('\n') != std::string::npos; });
    try {
        if (line.find('\n') == std::string::npos) throw std::runtime_error("SMTP sink did not report its port in time");
        port_ = std::stoi(line);
        waitForPort(deadline);
    } catch (...) {
        stop();
        throw;
    }
}

SmtpServer::~SmtpServer() { stop(); }

void SmtpServer::waitForPort(Clock::time_point deadline) const {
    while (!acceptsConnections(port_)) {
        if (Clock::now() >= deadline) throw std::runtime_error("SMTP sink does not accept connections");
        std::this_thread::sleep_for(20ms);
    }
}

void SmtpServer::stop() {
    if (pid_ > 0) terminate(pid_);
    pid_ = -1;
    if (stdoutFd_ >= 0) ::close(stdoutFd_);
    stdoutFd_ = -1;
}

void SmtpServer::kill() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        waitUntil(pid_, Clock::now() + 5s);
    }
    pid_ = -1;
    if (stdoutFd_ >= 0) ::close(stdoutFd_);
    stdoutFd_ = -1;
}

std::vector<ReceivedMail> SmtpServer::messages() const {
    std::vector<ReceivedMail> mails;
    for (int n = 1;; ++n) {
        const auto env = folder() / (std::to_string(n) + ".env");
        if (!std::filesystem::exists(env)) break;
        mails.push_back(parseEnvelope(n, env));
    }
    return mails;
}

std::vector<ReceivedMail> SmtpServer::waitForMessages(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    auto mails = messages();
    while (mails.size() < count && Clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        mails = messages();
    }
    return mails;
}

int SmtpServer::sessionCount() const {
    const std::string text = readFile(folder() / "sessions");
    return text.empty() ? 0 : std::stoi(text);
}

std::vector<std::string> SmtpServer::failureReplies() const {
    std::vector<std::string> lines;
    std::istringstream in(readFile(folder() / "replies"));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace conduit::test
