// One plugin action run from the command line (./conduit import, ./conduit export): the request
// built from --field and --file arguments, its outcome printed, and an exit code for scripts.
#pragma once

#include "host_text.hpp"

#include <conduit/sdk/actions.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace sdk = conduit::sdk;

namespace refhost {

struct ActionCommand {
    std::string action;                        // "crm.catalogue.import"
    std::vector<std::string> fields;           // "mode=update-only"
    std::vector<std::string> fieldsFromFiles;  // "password=/etc/conduit/ldap.secret": the file's first line
    std::vector<std::filesystem::path> files;
};

// Reads the files (a missing one, or one over `maxFileBytes`, is told on `err` in the host's
// language with exit code 2,
// before anything is asked of the plugin), invokes the action as `userId` and prints its message:
// 0 when done, 1 when the plugin refused, 3 when no plugin offers the action.
int runActionCommand(const ActionCommand& command, sdk::IActionRegistry& actions, sdk::Id userId, std::uintmax_t maxFileBytes,
                     const HostText& text, std::ostream& out, std::ostream& err);

}  // namespace refhost
