#include "eml_outbox.hpp"

#include "mime.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <system_error>

namespace refhost {

namespace {

[[noreturn]] void throwErrno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Sortable UTC timestamp with microseconds, so files list in sending order.
std::string timestamp() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros));
    return buf;
}

void writeAll(int fd, const std::string& bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwErrno("cannot write " + path.string());
        done += static_cast<std::size_t>(n);
    }
}

void writeDurably(const std::filesystem::path& path, const std::string& bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throwErrno("cannot create " + path.string());
    try {
        writeAll(fd, bytes, path);
        if (::fsync(fd) != 0) throwErrno("cannot flush " + path.string());
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0) throwErrno("cannot close " + path.string());
}

// The rename itself is only durable once the folder's entry is flushed too.
void syncFolder(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::string fileNameSafe(const std::string& text, std::size_t maxLength) {
    std::string out;
    for (char c : text) {
        if (out.size() >= maxLength) break;
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '.' || c == '-' || c == '_';
        out += keep ? c : '_';
    }
    if (!out.empty() && out.front() == '.') out.front() = '_';  // no hidden files
    return out.empty() ? "message" : out;
}

std::filesystem::path writeEml(const std::filesystem::path& dir, const std::string& messageId,
                               const std::string& bytes) {
    std::filesystem::create_directories(dir);
    const std::string name = timestamp() + "-" + fileNameSafe(messageId) + ".eml";
    const auto finalPath = dir / name;
    // Dot-prefixed and not ending in .eml: whoever scans the folder for mail skips it.
    const auto tempPath = dir / ("." + name + "." + mime::uniqueToken() + ".tmp");
    try {
        writeDurably(tempPath, bytes);
        std::filesystem::rename(tempPath, finalPath);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(tempPath, ignored);
        throw;
    }
    syncFolder(dir);
    return finalPath;
}

}  // namespace refhost
