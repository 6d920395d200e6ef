// Where host changes go when the adapters' ingest queue is full: an append-only file of JSON
// lines under the host's data folder, read back and emptied by the mapping thread.
#pragma once

#include "host_change.hpp"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <vector>

namespace conduit::adapters {

class OverflowJournal {
public:
    // Nothing is created until the first append; a file left by an earlier run counts as pending.
    explicit OverflowJournal(std::filesystem::path file);
    ~OverflowJournal();
    OverflowJournal(const OverflowJournal&) = delete;
    OverflowJournal& operator=(const OverflowJournal&) = delete;

    // Thread-safe (slots may run on several host threads). One line per change, flushed to the
    // kernel (no fsync: a killed process keeps it; a lost machine is covered by catch-up).
    // False when the file cannot be written: the caller counts and logs the loss.
    bool append(const HostChange& change);

    struct Taken {
        std::vector<HostChange> changes;  // oldest first
        std::size_t unreadable = 0;       // lines that did not parse (e.g. cut by a kill -9)
    };
    // Everything appended so far; the file is removed. Entries taken are the caller's to submit:
    // should it crash before they are stored, catch-up from the saved cursors brings them back.
    Taken takeAll();

    std::size_t pending() const { return pending_.load(std::memory_order_acquire); }
    const std::filesystem::path& file() const { return file_; }

private:
    const std::filesystem::path file_;
    std::mutex mutex_;
    std::FILE* out_ = nullptr;
    std::atomic<std::size_t> pending_{0};
};

}  // namespace conduit::adapters
