#include <conduit/crm/exchange/atomic_file.hpp>

#include <conduit/crm/exchange/exchange_problem.hpp>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace conduit::crm::exchange {
namespace {

constexpr std::size_t kBufferBytes = 256 * 1024;

// The previous file's permissions carry over; a new file gets a document's usual ones.
mode_t modeFor(const std::filesystem::path& target) {
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) return st.st_mode & 07777;
    return 0644;
}

void syncFolder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;  // the rename is done; a folder that cannot be opened cannot be synced either
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void throwWriteFailed(const std::filesystem::path& path, int err) {
    throw ExchangeError({ProblemCode::WriteFailed, 0, {}, path.string() + ": " + std::strerror(err)});
}

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
    if (target_.filename().empty()) throwWriteFailed(target_, EISDIR);
    const auto folder = target_.parent_path();
    std::string pattern = (folder / ("." + target_.filename().string() + ".XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) throwWriteFailed(target_, errno);
    temp_ = name.data();
    buffer_.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
    if (!committed_) discard();
}

void AtomicFile::discard() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
    if (buffer_.size() + bytes.size() > kBufferBytes) flush();
    if (bytes.size() >= kBufferBytes) {
        buffer_.assign(bytes);
        flush();
        return;
    }
    buffer_.append(bytes);
}

void AtomicFile::flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
        const auto n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwWriteFailed(target_, errno);
        done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

std::uintmax_t AtomicFile::commit() {
    flush();
    if (::fsync(fd_) != 0) throwWriteFailed(target_, errno);
    if (::fchmod(fd_, modeFor(target_)) != 0) throwWriteFailed(target_, errno);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throwWriteFailed(target_, errno);
    if (::close(fd_) != 0) {
        fd_ = -1;
        throwWriteFailed(target_, errno);
    }
    fd_ = -1;
    if (::rename(temp_.c_str(), target_.c_str()) != 0) throwWriteFailed(target_, errno);
    committed_ = true;
    syncFolder(target_.parent_path());
    return static_cast<std::uintmax_t>(st.st_size);
}

}  // namespace conduit::crm::exchange
