#include <conduit/crm/database/durability.hpp>

#include <conduit/sdk/firebird_file.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace conduit::crm {

Durability durabilityFromSetting(const std::string& value) {
    std::string v = value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return (v == "on" || v == "true" || v == "1" || v == "yes") ? Durability::ForcedWrites : Durability::SyncPerBatch;
}

void applyDurability(const std::filesystem::path& file, Durability mode) {
    const bool wanted = mode == Durability::ForcedWrites;
    // The flag is a header write: only when it differs.
    if (sdk::embeddedForcedWrites(file) != wanted) sdk::setEmbeddedForcedWrites(file, wanted);
}

FileSync::FileSync(const std::filesystem::path& file) : file_(file) {}

FileSync::~FileSync() {
    if (fd_ >= 0) ::close(fd_);
}

std::string FileSync::sync() {
    if (fd_ < 0) {
        // Read-only is enough: Linux syncs a file through any descriptor of it.
        fd_ = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return "cannot open " + file_.string() + " to sync it: " + std::strerror(errno);
    }
    if (::fdatasync(fd_) == 0) return {};
    const std::string why = "fdatasync of " + file_.string() + " failed: " + std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    return why;
}

}  // namespace conduit::crm
