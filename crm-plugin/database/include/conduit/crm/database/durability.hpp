// How a commit of the embedded CRM database reaches the disk. Firebird's forced writes make every
// page write synchronous (hundreds per batch); SyncPerBatch writes pages lazily and syncs the file once per commit.
#pragma once

#include <filesystem>
#include <string>

namespace conduit::crm {

enum class Durability {
    // Forced writes off; the writer calls fdatasync on the file after each committed batch, before
    // the batch counts as written (flush(), listeners), and at least once a second otherwise, so a
    // commit made by another session is on disk within a second. A process crash loses nothing
    // committed (Firebird hands every page to the OS at commit); a power cut loses at most the
    // batch being synced. What it gives up is Firebird's careful write order on the disk itself:
    // a power cut in the middle of a batch's sync can leave the file needing `gfix -validate -mend`
    // (docs/reliability.md). Default for embedded files.
    SyncPerBatch,
    // Firebird's forced writes: each page write is synchronous, in careful order (about 1.5-2x
    // slower ingest on the machines measured). Host setting crm.store.forced_writes = on.
    ForcedWrites,
};

// Durability::ForcedWrites when the text says so ("on", "true", "1", "yes"), else the default.
Durability durabilityFromSetting(const std::string& value);

// Sets the forced-writes flag in the header of an embedded database file to match `mode` (only
// when it differs: it is a header write). Called by Database, which reports a failure (an
// sdk::DatabaseError) as a ConnectionError. Read the flag with sdk::embeddedForcedWrites.
void applyDurability(const std::filesystem::path& file, Durability mode);

// The database file opened for fdatasync: one call makes every page written before it durable.
class FileSync {
public:
    explicit FileSync(const std::filesystem::path& file);
    ~FileSync();
    FileSync(const FileSync&) = delete;
    FileSync& operator=(const FileSync&) = delete;
    // Empty on success, else why (the OS's message); reopens the file on the next call.
    std::string sync();

private:
    std::filesystem::path file_;
    int fd_ = -1;
};

}  // namespace conduit::crm
