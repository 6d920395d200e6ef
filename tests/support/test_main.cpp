// main() for every test executable that opens Firebird. Each test process gets its own Firebird
// lock folder (FIREBIRD_LOCK), inherited by the processes it starts: a test that kills a process
// with -9 mid-write can leave a lock entry behind, and it must not stall other tests' attaches.
// After the tests the embedded engine is closed explicitly: libfbclient 3.0 can deadlock in its
// own exit handlers.
#include <conduit/sdk/firebird_file.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
    std::string lockDir;
    if (!std::getenv("FIREBIRD_LOCK")) {
        std::string pattern = (std::filesystem::temp_directory_path() / "conduit-fblock-XXXXXX").string();
        if (mkdtemp(pattern.data())) {
            lockDir = pattern;
            setenv("FIREBIRD_LOCK", lockDir.c_str(), 1);
        }
    }
    testing::InitGoogleTest(&argc, argv);
    const int rc = RUN_ALL_TESTS();
    const bool serverGone = std::getenv("CONDUIT_TEST_FIREBIRD_SERVER_GONE") != nullptr;
    // After a Firebird server this process was attached to went away (the server fixture's
    // stop/kill), its dead attachments are leaked on purpose and fb_shutdown() can crash walking
    // them (seen: SIGSEGV inside fb_shutdown after all tests passed). Committed data is already
    // with the OS, so such a process leaves without closing the engine.
    if (!serverGone) conduit::sdk::shutdownFirebird();
    if (!lockDir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(lockDir, ec);
    }
    if (serverGone) {
        std::fflush(nullptr);
        std::_Exit(rc);
    }
    return rc;
}
