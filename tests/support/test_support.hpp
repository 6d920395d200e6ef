// Helpers every test uses: a fresh temporary folder per test, paths of the build tree.
#pragma once

#include <filesystem>
#include <string>

namespace conduit::test {

// A folder under the system temp dir, removed on destruction unless CONDUIT_KEEP_TEST_DIRS is set.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "conduit-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::filesystem::path sourceDir();
std::filesystem::path binaryDir();

}  // namespace conduit::test
