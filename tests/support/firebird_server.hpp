// A real Firebird 3 SERVER for tests (Debian's /usr/sbin/firebird) in a child process, on a free
// loopback port with a private root, config, lock, temp and security folder: never the system's.
//
// Usage:
//   conduit::test::FirebirdServer server;                 // throws when it does not come up
//   sdk::DatabaseLocation where = server.location("crm.fdb");  // creates the database once
//   ... EventStore::open(where) from as many "workstations" as you like ...
//   server.restart();   // same port, same data (stop() + start())
//   server.kill();      // SIGKILL, as a crash; start() brings it back
//
// Pitfalls found while building it (keep them in mind when changing it):
// - FIREBIRD is the server's ROOT: firebird.conf, databases.conf, plugins.conf, firebird.msg and
//   the plugins/ and intl/ folders are looked up there. The private root therefore holds our own
//   config files and symlinks to the packaged plugins/intl/lib/firebird.msg; without plugins/ the
//   server starts but every attach fails with "no providers", without intl/ UTF8 attaches fail.
// - The Debian server binds "localhost" and port 3050 by default (and a system server may own
//   3050): RemoteServicePort and RemoteBindAddress=127.0.0.1 are set in the private firebird.conf.
// - A packaged security3.fdb has a random SYSDBA password (/etc/firebird/3.0/SYSDBA.password,
//   root-only). We copy it and set a known password with the documented Firebird 3 recipe:
//   embedded `isql-fb -user SYSDBA security.db` ("security.db" is an alias in OUR databases.conf)
//   running `CREATE OR ALTER USER SYSDBA PASSWORD ...` with FIREBIRD pointing at the private root.
//   SecurityDatabase in firebird.conf points at the copy, so the server never reads the system one.
// - FIREBIRD_LOCK must be private to the server: a Super server and an embedded engine (the test
//   process) with DIFFERENT lock folders opening the SAME file would corrupt it. Never open a
//   database of this server as an embedded file while the server runs; create databases through
//   the server (location() does). The test process keeps its own FIREBIRD_LOCK (conduit_test_main).
// - Running as root, the server chowns its lock files to the "firebird" user; the folder stays
//   ours and is removed with the fixture.
// - The server writes its log to <root>/firebird.log, not to stdout: logText() reads it.
// - A test that crashes must not leave its server running (it would hold the port and files):
//   the server runs under `setpriv --pdeathsig KILL`, so it dies with the starting thread.
// - After SIGKILL or SIGTERM the same port can be bound again at once (the server sets
//   SO_REUSEADDR); start() waits until the port accepts connections, which the Super server does
//   only once it is initialised.
// - isql-fb exits 0 after a failed statement unless -bail is given: the fixture always passes it.
#pragma once

#include "test_support.hpp"

#include <conduit/sdk/services.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace conduit::test {

struct FirebirdServerOptions {
    std::string password = "conduit-test";  // SYSDBA's password on this private server
    std::chrono::milliseconds startTimeout = std::chrono::seconds(30);
    std::filesystem::path serverBinary;  // empty: found among the Debian package's paths
};

class FirebirdServer {
public:
    explicit FirebirdServer(FirebirdServerOptions options = {});  // prepares the folder and starts
    ~FirebirdServer();                                              // stops, removes the folder
    FirebirdServer(const FirebirdServer&) = delete;
    FirebirdServer& operator=(const FirebirdServer&) = delete;

    std::string host() const { return "127.0.0.1"; }
    int port() const { return port_; }
    const std::string& password() const { return options_.password; }
    std::filesystem::path dataFolder() const { return dir_.path() / "data"; }
    pid_t pid() const { return pid_; }
    bool running() const;

    // Where `name` lives on this server (a file in dataFolder()); the database is created through
    // the server on the first call for that name (UTF8, page size 16384), then reused.
    sdk::DatabaseLocation location(const std::string& name = "crm.fdb");

    // Same port and data; waits until the port accepts connections; throws on timeout. The
    // server dies with the thread that started it (a crashed test leaves no server behind): call
    // start()/restart() from the thread that owns the fixture, not from a short-lived one.
    void start();
    void stop();     // SIGTERM (clean shutdown), SIGKILL after 10 s; idempotent
    void kill();     // SIGKILL, as a crash
    void restart() { stop(); start(); }

    std::string logText() const;  // the server's firebird.log so far

private:
    void prepareRoot();
    void waitUntilReady(std::chrono::steady_clock::time_point deadline);
    // Runs isql-fb on a script; privateEnv: with the private root's FIREBIRD/FIREBIRD_LOCK (embedded).
    std::string isql(const std::vector<std::string>& args, const std::string& script, bool privateEnv) const;

    FirebirdServerOptions options_;
    TempDir dir_{"conduit-fbserver"};
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace conduit::test
