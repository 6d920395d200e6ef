// A file an export writes safely: the bytes go to a temporary file beside the target, and only a
// complete, synced file replaces it; a failure or a cancel leaves the previous file as it was.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace conduit::crm::exchange {

// Not thread-safe: one writer. Every failure is ExchangeError{WriteFailed} with the OS's reason.
class AtomicFile {
public:
    // Creates the temporary file in the target's folder (so the final rename stays on one disk).
    explicit AtomicFile(std::filesystem::path target);
    // Without commit(): the temporary file is removed, the target untouched.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes);
    // For a library that writes a file by its name (libxlsxwriter): it writes here, then commit().
    const std::filesystem::path& temporaryPath() const { return temp_; }
    const std::filesystem::path& target() const { return target_; }
    // Flushes, syncs to the disk, renames over the target and syncs the folder. Returns the size.
    std::uintmax_t commit();

private:
    void flush();
    void discard() noexcept;

    std::filesystem::path target_, temp_;
    int fd_ = -1;
    std::string buffer_;
    bool committed_ = false;
};

// ExchangeError{WriteFailed, "<path>: <strerror(err)>"}.
[[noreturn]] void throwWriteFailed(const std::filesystem::path& path, int err);

}  // namespace conduit::crm::exchange
