// Named actions a plugin offers to its host: what a host's menus, scripts, imports or (in the
// reference host) the workload simulator call to make the plugin do something, as plain values.
#pragma once

#include <conduit/sdk/values.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace conduit::sdk {

struct ActionFile {
    std::string fileName;  // UTF-8, as the user chose it; the plugin sanitises it
    std::string content;   // raw bytes
};

// One call. Field names and meanings are the providing plugin's contract (the CRM's are listed in
// docs/host-integration.md); values are text: numbers in decimal, times as seconds since epoch UTC.
struct ActionRequest {
    std::string action;     // "crm.note.customer"
    Id userId = 0;          // on whose behalf (the host's user)
    std::string requestId;  // stable per user intent: the same id twice does the thing once
    std::map<std::string, std::string> fields;
    std::vector<ActionFile> files;
};

struct ActionResult {
    bool ok = false;
    std::string message;    // the outcome or the refusal, in the host's locale
    std::string field;      // which field was refused, when it was one
    std::string reference;  // what was made, e.g. the CRM event's key
};

class IActionRegistry {
public:
    using Handler = std::function<ActionResult(const ActionRequest&)>;
    virtual ~IActionRegistry() = default;
    // Plugins: offer an action (replacing an earlier handler of the same name) and withdraw it on
    // stop; a handler may be called from any host thread and must not throw.
    virtual void provide(const std::string& action, Handler handler) = 0;
    virtual void withdraw(const std::string& action) = 0;
    // Hosts: nullopt when no plugin offers the action (e.g. the plugin is not loaded).
    virtual std::optional<ActionResult> invoke(const ActionRequest& request) = 0;
    virtual std::vector<std::string> actions() const = 0;
};

}  // namespace conduit::sdk
