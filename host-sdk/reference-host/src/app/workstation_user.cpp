#include "workstation_user.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace refhost {

std::optional<conduit::sdk::User> findUserByLogin(const conduit::sdk::IDirectory& directory, const std::string& login) {
    for (auto& u : directory.users())
        if (u.login == login) return u;
    return std::nullopt;
}

std::vector<std::string> loginsOf(const conduit::sdk::IDirectory& directory) {
    std::vector<std::string> out;
    for (const auto& u : directory.users()) out.push_back(u.login);
    return out;
}

QString departmentOf(const conduit::sdk::IDirectory& directory, const conduit::sdk::User& user, const HostText& text) {
    if (!user.departmentId) return {};
    const auto d = directory.department(user.departmentId);
    return d ? text.departmentName(*d) : QString();
}

std::vector<std::string> relaunchArguments(const std::vector<std::string>& arguments, const std::string& login,
                                           const std::filesystem::path& dataDir) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& a = arguments[i];
        if (i > 0 && (a == "--user" || a == "--data" || a == "--form")) {
            ++i;  // and its value
            continue;
        }
        if (i > 0 && (a.rfind("--user=", 0) == 0 || a.rfind("--data=", 0) == 0 || a.rfind("--form=", 0) == 0)) continue;
        out.push_back(a);
    }
    out.insert(out.end(), {"--data", dataDir.string(), "--user", login});
    return out;
}

std::string relaunch(const std::vector<std::string>& arguments) {
    std::vector<char*> argv;
    for (const auto& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(nullptr);
    ::execv("/proc/self/exe", argv.data());
    return std::strerror(errno);
}

}  // namespace refhost
