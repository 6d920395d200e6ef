#include "store/durability.hpp"

#include "store/errors.hpp"

#include <ibase.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

namespace conduit::crm {
namespace {

std::string statusText(const ISC_STATUS* status) {
    std::string text;
    char buf[512];
    const ISC_STATUS* p = status;
    while (fb_interpret(buf, sizeof buf, &p)) {
        if (!text.empty()) text += "; ";
        text += buf;
    }
    return text.empty() ? "unknown Firebird error" : text;
}

// A raw attachment (SOCI has no way to pass isc_dpb_force_write), detached on scope exit.
class RawAttachment {
public:
    RawAttachment(const std::filesystem::path& file, std::vector<char> extra) {
        std::vector<char> dpb{isc_dpb_version1, isc_dpb_user_name, 6, 'S', 'Y', 'S', 'D', 'B', 'A'};
        dpb.insert(dpb.end(), extra.begin(), extra.end());
        const std::string path = file.string();
        ISC_STATUS_ARRAY status{};
        if (isc_attach_database(status, 0, path.c_str(), &db_, static_cast<short>(dpb.size()), dpb.data()))
            throw StoreError("cannot open " + path + " to set its write mode: " + statusText(status));
    }
    ~RawAttachment() {
        ISC_STATUS_ARRAY status{};
        if (db_) isc_detach_database(status, &db_);
    }
    RawAttachment(const RawAttachment&) = delete;
    RawAttachment& operator=(const RawAttachment&) = delete;

    bool forcedWrites() {
        const char items[] = {isc_info_forced_writes, isc_info_end};
        char buffer[64]{};
        ISC_STATUS_ARRAY status{};
        if (isc_database_info(status, &db_, sizeof items, items, sizeof buffer, buffer))
            throw StoreError("cannot read the write mode of the CRM database: " + statusText(status));
        if (buffer[0] != isc_info_forced_writes) throw StoreError("unexpected answer to isc_info_forced_writes");
        const short len = static_cast<short>(isc_vax_integer(buffer + 1, 2));
        return isc_vax_integer(buffer + 3, len) != 0;
    }

private:
    isc_db_handle db_ = 0;
};

}  // namespace

Durability durabilityFromSetting(const std::string& value) {
    std::string v = value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return (v == "on" || v == "true" || v == "1" || v == "yes") ? Durability::ForcedWrites : Durability::SyncPerBatch;
}

bool forcedWritesOn(const std::filesystem::path& file) { return RawAttachment(file, {}).forcedWrites(); }

void applyDurability(const std::filesystem::path& file, Durability mode) {
    const bool wanted = mode == Durability::ForcedWrites;
    if (forcedWritesOn(file) == wanted) return;
    // Attaching with isc_dpb_force_write rewrites the flag in the header (what `gfix -write` does).
    RawAttachment set(file, {isc_dpb_force_write, 1, static_cast<char>(wanted ? 1 : 0)});
    if (set.forcedWrites() != wanted)
        throw StoreError("the CRM database " + file.string() + " did not take the write mode");
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
