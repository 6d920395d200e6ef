// A real OpenLDAP server (Debian's /usr/sbin/slapd) for tests, on a free loopback port with its
// own cn=config and database folder under a temporary directory: never the system's slapd.
//
//   SlapdServer server({.entries = ldif});  // config by slapadd -n0, data by slapadd -n1, started
//   server.url();                           // "ldap://127.0.0.1:PORT"
//   server.kill();                          // SIGKILL, as a crash, in the middle of a test
//
// The size limit (sizeLimit) caps every search that is not paged; a paged search reads the
// whole result (size.prtotal=unlimited), as a directory that wants clients to page is set up.
// The root DN is exempt from limits: bind as an ordinary entry to see them.
// The server runs under `setpriv --pdeathsig KILL`: a crashed test leaves no server behind.
#pragma once

#include "test_support.hpp"

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace conduit::test {

struct SlapdOptions {
    std::string suffix = "dc=example,dc=com";  // the database; its own entry is made by the fixture
    std::string rootPassword = "conduit-root";
    int sizeLimit = 100;
    std::string entries;  // LDIF loaded under the suffix before the server starts
    std::chrono::milliseconds startTimeout = std::chrono::seconds(30);
};

class SlapdServer {
public:
    explicit SlapdServer(SlapdOptions options = {});  // configures, loads and starts
    ~SlapdServer();                                    // kills it, removes the folder
    SlapdServer(const SlapdServer&) = delete;
    SlapdServer& operator=(const SlapdServer&) = delete;

    std::string url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    std::string rootDn() const { return "cn=admin," + options_.suffix; }
    const std::string& rootPassword() const { return options_.rootPassword; }
    const std::string& suffix() const { return options_.suffix; }
    bool running() const;

    void start();  // waits until the port answers; throws on timeout or early exit
    void stop();   // SIGTERM, SIGKILL after 10 s; idempotent
    void kill();   // SIGKILL, as a crash
    void suspend();  // SIGSTOP: connections are accepted and never answered
    void resume();   // SIGCONT
    std::string logText() const;

private:
    void configure();
    void load();
    void runTool(const std::vector<std::string>& argv) const;

    SlapdOptions options_;
    TempDir dir_{"conduit-slapd"};
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace conduit::test
