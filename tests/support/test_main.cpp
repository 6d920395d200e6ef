// main() for every test executable that opens Firebird. Each test process gets its own Firebird
// lock folder (FIREBIRD_LOCK), inherited by the processes it starts: a test that kills a process
// with -9 mid-write can leave a lock entry behind, and it must not stall other tests' attaches.
// After the tests the embedded engine is closed explicitly: libfbclient 3.0 can deadlock in its
// own exit handlers.
#include <conduit/sdk/firebird_file.hpp>

#include <gtest/gtest.h>

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
    conduit::sdk::shutdownFirebird();
    if (!lockDir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(lockDir, ec);
    }
    return rc;
}
