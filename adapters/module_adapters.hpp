// Connects every present host module to the CRM: slots on the host's thread only copy the payload
// into a bounded lock-free ring (spilling to a journal file when it is full); one mapping thread
// turns changes into events and submits them to the store.
#pragma once

#include "event_mapping.hpp"
#include "host_change.hpp"
#include "overflow_journal.hpp"

#include <conduit/sdk/services.hpp>

#include <boost/signals2/connection.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace conduit::crm {
class EventWriter;
}

namespace conduit::adapters {

struct ModuleActivity {
    std::string module;
    std::map<std::string, long> byKind;  // event kind -> events mapped
    long total() const;
};

struct AdapterCounts {
    std::uint64_t received = 0;    // slots run + changes read by catch-up
    std::uint64_t caughtUp = 0;    // of which from changesSince()
    std::uint64_t submitted = 0;   // events handed to the store
    std::uint64_t overflowed = 0;  // queue full (or stopped): written to the journal instead
    std::uint64_t replayed = 0;    // read back from the journal and submitted
    std::uint64_t lost = 0;        // queue full and the journal not writable (logged; catch-up recovers)
    std::uint64_t deferred = 0;    // mapped, but the store refused it (stopping): kept in the journal
    std::uint64_t failed = 0;      // mapping threw (logged)
    std::uint64_t backlogged = 0;  // moved from the ring to the mapping thread's backlog (bursts)
};

class ModuleAdapters {
public:
    // Hands one event to the store; may wait while the store's queue is full (the ring, then the
    // journal, take the host's changes meanwhile), until `giveUp` turns true. False when the store
    // did not take it: the change is kept in the journal for the next start, never dropped.
    using Submit = std::function<bool(crm::Event, const std::atomic<bool>& giveUp)>;

    // The journal lives in host.host.dataDir/crm-journal/overflow.jsonl.
    // `queueCapacity` bounds the changes held in memory. The host's slots write into a ring of
    // min(queueCapacity, 131,072) preallocated cells (rounded up to a power of two; 256 bytes each,
    // so 32 MB by default); when a burst outruns the mapping, the mapping thread moves the ring's
    // changes to a backlog of at most queueCapacity - ring cells (allocated only while the burst
    // lasts). Beyond that the slots spill to the journal.
    ModuleAdapters(sdk::HostServices& host, Submit submit, std::size_t queueCapacity = 1'000'000);
    ~ModuleAdapters();  // stop()
    ModuleAdapters(const ModuleAdapters&) = delete;
    ModuleAdapters& operator=(const ModuleAdapters&) = delete;

    // Connects the signals of every present module, then (on the mapping thread) replays a
    // journal left by an earlier run and reads each module's changes since `cursors[module]`;
    // duplicates are skipped by the store's keys.
    void start(std::map<std::string, std::int64_t> cursors);
    // Disconnects, maps what is queued or journalled, stops the thread. Safe to call twice. If the
    // store takes nothing for `grace` (its database gone and its queue full), what is left goes to
    // the journal, replayed on the next start.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    // Blocks until every change received so far has been submitted (or, after the store refused
    // one, kept in the journal).
    void drain();

    std::vector<std::string> connectedModules() const { return modules_; }
    std::map<std::string, std::int64_t> cursors() const;  // highest seq seen per module
    std::filesystem::path journalFile() const;
    std::vector<ModuleActivity> activity() const;
    AdapterCounts counts() const;

private:
    struct Queue;  // shared with the slots: a slot may still run right after disconnect()
    void run(std::map<std::string, std::int64_t> cursors);
    void catchUp(const std::map<std::string, std::int64_t>& cursors);
    void process(const HostChange& change);
    void deferToJournal(const HostChange& change);
    bool drained(std::uint64_t target) const;  // `target` ring claims mapped, nothing busy (queue_->mutex held)
    void replayJournal();

    sdk::HostServices& host_;
    Submit submit_;
    MappingContext context_;
    std::shared_ptr<Queue> queue_;
    std::vector<boost::signals2::scoped_connection> connections_;
    std::vector<std::string> modules_;
    std::thread thread_;
    std::atomic<bool> giveUp_{false};  // the store refused or stop() ran out of grace: journal the rest

    mutable std::mutex statsMutex_;
    std::map<std::string, std::int64_t> cursors_;
    std::map<std::string, std::map<std::string, long>> activity_;
    AdapterCounts counts_;
};

// What the plugin hands to ModuleAdapters: events into `writer`, waiting for room while it is full.
ModuleAdapters::Submit submitTo(crm::EventWriter& writer);

}  // namespace conduit::adapters
