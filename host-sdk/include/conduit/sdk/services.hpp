// Everything a host hands a plugin on start, in one place.
// References stay valid from IPlugin::start until IPlugin::stop returns.
#pragma once

#include <conduit/sdk/actions.hpp>
#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/directory_changes.hpp>
#include <conduit/sdk/forms.hpp>
#include <conduit/sdk/mail.hpp>
#include <conduit/sdk/modules.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace conduit::sdk {

// Where the host wants CRM data: an embedded file (its own database or a separate one),
// or a Firebird server shared by many workstations.
struct DatabaseLocation {
    enum class Kind { Embedded, Server } kind = Kind::Embedded;
    std::filesystem::path file;  // embedded: database file (created if missing)
    std::string host;            // server
    int port = 3050;
    std::string database;        // server: path or alias on the server
    std::string user = "SYSDBA";
    std::string password;
    bool sharedWithHost = false;  // true: tables live in the host's own database (CRM_ prefix)
};

class ISettings {
public:
    virtual ~ISettings() = default;
    virtual std::optional<std::string> get(std::string_view key) const = 0;
    virtual void set(std::string_view key, std::string_view value) = 0;
};

enum class LogLevel { Debug, Info, Warning, Error };

class ILogger {
public:
    virtual ~ILogger() = default;
    virtual void log(LogLevel level, std::string_view component, std::string_view message) = 0;
};

struct HostInfo {
    std::string name, version;
    std::string locale = "pl";          // UI language of this workstation: "ru", "pl", "en"
    std::filesystem::path dataDir;     // writable per-installation folder (journals, caches)
    bool headless = false;
};

struct HostServices {
    HostInfo host;
    IModuleRegistry& modules;
    IMailClient& mail;
    IFormRegistry& forms;
    IDirectory& directory;
    User currentUser;
    DatabaseLocation database;
    ISettings& settings;
    ILogger& logger;
    // SDK 1.1: where plugins offer named actions to the host; null when the host has none.
    IActionRegistry* actions = nullptr;
    // SDK 1.1: the host's "now" (UTC) for what plugins schedule (reminders, digests). A suite that
    // replays or simulates time gives its own; empty: the system clock.
    std::function<TimePoint()> clock;
    // SDK 1.2: the same mail client, taking extra header fields per message; null when the host
    // has none (a plugin then sends through `mail` without them).
    IMailHeaderClient* mailHeaders = nullptr;
    // SDK 1.3: what changed in the directory since a stamp, a signal per change, and the
    // counterparties' commercial terms; null when the host keeps no such log.
    IDirectoryChanges* directoryChanges = nullptr;
};

}  // namespace conduit::sdk
