#include "test_support.hpp"

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace conduit::test {

TempDir::TempDir(const std::string& prefix) {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(rd()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    if (std::getenv("CONDUIT_KEEP_TEST_DIRS")) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path sourceDir() { return CONDUIT_SOURCE_DIR; }
std::filesystem::path binaryDir() { return CONDUIT_BINARY_DIR; }

}  // namespace conduit::test
