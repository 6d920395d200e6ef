// Who sits at the workstation: the user chosen by login from the host's directory, and the
// restart that hands the suite to another user (the same options, the same data folder).
#pragma once

#include "host_text.hpp"

#include <conduit/sdk/directory.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace refhost {

std::optional<conduit::sdk::User> findUserByLogin(const conduit::sdk::IDirectory& directory, const std::string& login);
std::vector<std::string> loginsOf(const conduit::sdk::IDirectory& directory);
// The user's department in the workstation's language (empty when the user has none).
QString departmentOf(const conduit::sdk::IDirectory& directory, const conduit::sdk::User& user, const HostText& text);

// The command line that starts this suite again for `login`: every option as given, the data
// folder made explicit (a default one could depend on the environment), --user replaced, and
// --form left out (it was the first person's; the next one may not have that form).
std::vector<std::string> relaunchArguments(const std::vector<std::string>& arguments, const std::string& login,
                                           const std::filesystem::path& dataDir);

// Replaces this process with `arguments` (arguments[0] is ignored: the same executable runs).
// Returns only when that fails, with the reason.
std::string relaunch(const std::vector<std::string>& arguments);

}  // namespace refhost
