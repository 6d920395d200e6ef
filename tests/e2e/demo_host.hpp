// The demo host as the e2e tests start it: conduit-host --headless with the CRM plugin, its
// exit code and everything it printed.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace conduit::test {

struct RunResult {
    int exitCode = -1;
    std::string output;
};

inline RunResult runHost(const std::string& args) {
    const std::string cmd = "QT_QPA_PLATFORM=offscreen '" HOST_EXE "' --plugins '" CRM_PLUGIN_DIR "' --headless " +
                            args + " 2>&1";
    RunResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    while (fgets(buf.data(), static_cast<int>(buf.size()), pipe)) r.output += buf.data();
    const int status = pclose(pipe);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace conduit::test
