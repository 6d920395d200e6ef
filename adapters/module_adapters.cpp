#include "module_adapters.hpp"

#include "ingest_ring.hpp"

#include <conduit/crm/timeline/event_writer.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>

namespace conduit::adapters {

long ModuleActivity::total() const {
    long n = 0;
    for (auto& [_, c] : byKind) n += c;
    return n;
}

namespace {
// 256-byte cells: 32 MB, allocated once. Bigger bursts go to the mapping thread's backlog.
constexpr std::size_t kRingCells = 131'072;
}  // namespace

struct ModuleAdapters::Queue {
    Queue(std::size_t cap, std::filesystem::path journalFile, sdk::ILogger& log)
        : ring(std::min(cap, kRingCells)), backlogLimit(cap - std::min(cap, ring.capacity())),
          journal(std::move(journalFile)), logger(log) {}
    IngestRing<HostChange> ring;  // closed by stop(): later slots spill
    const std::size_t backlogLimit;  // the mapping thread's overflow of the ring, in memory
    std::atomic<std::uint64_t> mapped{0};  // of ring.claimed(): submitted (or failed), for drain()
    std::atomic<std::uint64_t> backlogged{0};
    std::atomic<std::uint64_t> overflowed{0}, lost{0};
    OverflowJournal journal;
    std::atomic<bool> overflowing{false};  // an overflow episode is under way (logged once)
    sdk::ILogger& logger;                  // the host's: outlives the plugin's connections
    // drain()'s bookkeeping, off the host's path: the mapping thread reports here between passes.
    std::mutex mutex;
    std::condition_variable idle;
    bool busy = false;  // catch-up or a journal replay in hand (the ring's counters cover the rest)

    // Host thread: copy into a preallocated cell, never wait on I/O or on the mapping thread. A
    // full ring (or a closed one: a slot may still run just after disconnect) spills to the
    // journal: the exceptional path.
    template <class Payload>
    void push(const Payload& payload) {
        try {
            if (ring.tryPush(payload)) [[likely]]
                return;
        } catch (const std::exception&) {
            // Out of memory copying into the cell: the journal is the last chance (it may throw too).
        }
        spill(HostChange{payload});
        ring.wake();  // the mapping thread replays the journal once the ring has room
    }
    // Every slot run: accepted by the ring or spilled (kept or lost).
    std::uint64_t received() const {
        return ring.claimed() - ring.skipped() + overflowed.load(std::memory_order_acquire) +
               lost.load(std::memory_order_acquire);
    }

    void spill(const HostChange& change) {
        if (journal.append(change)) {
            overflowed.fetch_add(1, std::memory_order_release);
        } else {
            lost.fetch_add(1, std::memory_order_release);
            const auto& s = stampOf(change);
            logger.log(sdk::LogLevel::Error, "crm",
                       "ingest queue full and journal " + journal.file().string() + " not writable: " + s.module +
                           " change " + s.entity + " v" + std::to_string(s.version) +
                           " not kept (catch-up on next start brings it back)");
        }
        if (!overflowing.exchange(true))
            logger.log(sdk::LogLevel::Warning, "crm",
                       "ingest queue full (" + std::to_string(ring.capacity()) + " changes): spilling to " +
                           journal.file().string() + "; the host is not slowed, nothing is dropped");
    }
    void setBusy(bool b) {
        {
            std::lock_guard lock(mutex);
            busy = b;
        }
        if (!b) idle.notify_all();
    }
};

ModuleAdapters::ModuleAdapters(sdk::HostServices& host, Submit submit, std::size_t queueCapacity)
    : host_(host), submit_(std::move(submit)), context_{host.directory, host.host.locale},
      queue_(std::make_shared<Queue>(
          std::max<std::size_t>(queueCapacity, 1),
          (host.host.dataDir.empty() ? std::filesystem::temp_directory_path() : host.host.dataDir) / "crm-journal" /
              "overflow.jsonl",
          host.logger)) {}

ModuleAdapters::~ModuleAdapters() { stop(); }

void ModuleAdapters::start(std::map<std::string, std::int64_t> cursors) {
    auto q = queue_;
    auto slot = [q](const auto& payload) { q->push(payload); };
    auto track = [this](boost::signals2::connection c) { connections_.emplace_back(std::move(c)); };
    auto& m = host_.modules;
    if (auto* o = m.orders()) {
        track(o->materialsReserved.connect(slot));
        track(o->prepaymentRequired.connect(slot));
        track(o->productionLaunched.connect(slot));
        modules_.push_back("orders");
    }
    if (auto* s = m.scheduling()) {
        track(s->crewAssigned.connect(slot));
        track(s->stageChanged.connect(slot));
        track(s->installationPlanned.connect(slot));
        modules_.push_back("scheduling");
    }
    if (auto* f = m.fgWarehouse()) {
        track(f->itemsReceived.connect(slot));
        modules_.push_back("fg_warehouse");
    }
    if (auto* w = m.multiWarehouse()) {
        track(w->projectInvoiced.connect(slot));
        track(w->materialsReserved.connect(slot));
        modules_.push_back("multi_warehouse");
    }
    if (auto* p = m.payments()) {
        track(p->paymentRegistered.connect(slot));
        modules_.push_back("payments");
    }
    // Connected first, caught up second: a change made in between arrives twice, never zero times.
    {
        std::lock_guard lock(queue_->mutex);
        queue_->busy = true;  // catch-up is work in hand: drain() waits for it
    }
    thread_ = std::thread([this, cursors = std::move(cursors)]() mutable { run(std::move(cursors)); });
}

void ModuleAdapters::stop(std::chrono::milliseconds grace) {
    connections_.clear();  // disconnects
    queue_->ring.close();  // pushes claimed before are still mapped; later ones spill
    if (!thread_.joinable()) return;
    {
        // The mapping thread may be waiting for room in a store that takes nothing (its database
        // gone): past the grace it journals what is left instead of waiting on.
        std::unique_lock lock(queue_->mutex);
        const auto target = queue_->ring.claimed();  // closed: nothing is claimed after this
        if (!queue_->idle.wait_for(lock, grace, [&] { return drained(target); })) giveUp_ = true;
    }
    thread_.join();
}

bool ModuleAdapters::drained(std::uint64_t target) const {
    const auto& q = *queue_;
    return q.mapped.load(std::memory_order_acquire) + q.ring.skipped() >= target && !q.busy &&
           (q.journal.pending() == 0 || giveUp_.load());
}

void ModuleAdapters::drain() {
    const auto target = queue_->ring.claimed();  // what was received before the call, not after
    std::unique_lock lock(queue_->mutex);
    queue_->idle.wait(lock, [&] { return drained(target) || !thread_.joinable(); });
}

void ModuleAdapters::run(std::map<std::string, std::int64_t> cursors) {
    auto& q = *queue_;
    replayJournal();  // what an earlier run spilled and did not get to
    catchUp(cursors);
    q.setBusy(false);
    // A burst longer than the ring moves to this backlog (older than anything still in the ring),
    // so the host's cells free up at copying speed rather than at mapping speed. In chunks: a
    // growing vector would stall the copying for milliseconds on each reallocation.
    constexpr std::size_t kChunk = 4096;
    std::deque<std::vector<HostChange>> backlog;
    std::size_t backlogSize = 0, next = 0;  // entries held; first unmapped one of backlog.front()
    constexpr std::size_t kSlice = 64;      // mapped per pass: the ring, drain() and the journal get a look-in
    for (;;) {
        const std::size_t inRing = q.ring.claimed() - q.ring.popped();
        if (backlogSize > 0 || inRing > q.ring.capacity() / 8) {
            const std::size_t before = backlogSize;
            while (backlogSize < q.backlogLimit) {
                const HostChange* change = q.ring.front();
                if (!change) break;
                if (backlog.empty() || backlog.back().size() == kChunk) backlog.emplace_back().reserve(kChunk);
                backlog.back().push_back(*change);  // a copy: the cell keeps its string buffers for the host
                ++backlogSize;
                q.ring.pop();
            }
            q.backlogged.fetch_add(backlogSize - before, std::memory_order_relaxed);
        }
        std::size_t mapped = 0;
        if (backlogSize > 0) {
            for (; mapped < kSlice && backlogSize > 0; ++mapped, --backlogSize) {
                process(backlog.front()[next]);
                if (++next == backlog.front().size()) {
                    backlog.pop_front();
                    next = 0;
                }
            }
        } else {
            // The usual case: mapped in place from the cell, no second copy.
            for (; mapped < kSlice; ++mapped) {
                const HostChange* change = q.ring.front();
                if (!change) break;
                process(*change);
                q.ring.pop();
            }
        }
        q.mapped.fetch_add(mapped, std::memory_order_release);
        // Room again (ring and backlog worked off; not while a burst still fills them): take back
        // what overflowed meanwhile. Busy first: takeAll() empties the journal before its changes
        // are submitted, and drain() must not slip through that gap.
        if (backlogSize == 0 && mapped < kSlice && q.journal.pending() > 0 && !giveUp_) {
            q.setBusy(true);
            replayJournal();
        }
        q.setBusy(false);  // mapped moved: a drain() may be satisfied
        if (backlogSize > 0 || mapped == kSlice) continue;
        if (q.ring.closed() && q.mapped.load() + q.ring.skipped() == q.ring.claimed() &&
            (q.journal.pending() == 0 || giveUp_))
            break;
        if (mapped >= 16) {
            // The host emits steadily: let changes gather for a moment instead of spinning on the
            // cell the host writes next (each look would pull that cache line away from the host's
            // core) or sleeping on the futex (each push would then pay for a wake-up). The writer
            // batches for 20 ms anyway; the ring holds 130 ms of a host emitting a million changes/s.
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        } else if (mapped == 0) {
            q.ring.waitForWork([&] { return q.journal.pending() > 0; });
        }
    }
    q.setBusy(false);
}

void ModuleAdapters::replayJournal() {
    if (queue_->journal.pending() == 0) {
        // Nothing on file: an episode that spilled nothing successfully (all lost) still ends here.
        queue_->overflowing = false;
        return;
    }
    auto taken = queue_->journal.takeAll();
    if (taken.unreadable > 0)
        host_.logger.log(sdk::LogLevel::Error, "crm",
                         std::to_string(taken.unreadable) + " unreadable line(s) in " +
                             queue_->journal.file().string() + " skipped (catch-up on next start brings them back)");
    for (const auto& change : taken.changes) process(change);
    {
        std::lock_guard lock(statsMutex_);
        counts_.replayed += taken.changes.size();
    }
    if (queue_->overflowing.exchange(false))
        host_.logger.log(sdk::LogLevel::Info, "crm",
                         "ingest queue has room again: " + std::to_string(taken.changes.size()) +
                             " journalled change(s) replayed (" + std::to_string(queue_->overflowed.load()) +
                             " journalled since start)");
}

void ModuleAdapters::catchUp(const std::map<std::string, std::int64_t>& cursors) {
    constexpr std::size_t kPage = 2000;
    auto cursorOf = [&](const std::string& module) {
        auto it = cursors.find(module);
        return it == cursors.end() ? std::int64_t{0} : it->second;
    };
    auto readAll = [&](auto* module, const std::string& name) {
        if (!module) return;
        std::int64_t cursor = cursorOf(name);
        std::uint64_t n = 0;
        try {
            for (;;) {
                auto changes = module->changesSince(cursor, kPage);
                if (changes.empty()) break;
                std::deque<HostChange> batch;
                for (auto& c : changes) batch.push_back(widen(std::move(c)));
                cursor = stampOf(batch.back()).seq;
                n += batch.size();
                for (const auto& change : batch) process(change);
                if (changes.size() < kPage) break;
            }
        } catch (const std::exception& e) {
            host_.logger.log(sdk::LogLevel::Error, "crm",
                             "catch-up of " + name + " stopped at seq " + std::to_string(cursor) + ": " + e.what());
        }
        std::lock_guard lock(statsMutex_);
        counts_.caughtUp += n;
        counts_.received += n;
    };
    readAll(host_.modules.orders(), "orders");
    readAll(host_.modules.scheduling(), "scheduling");
    readAll(host_.modules.fgWarehouse(), "fg_warehouse");
    readAll(host_.modules.multiWarehouse(), "multi_warehouse");
    readAll(host_.modules.payments(), "payments");
}

void ModuleAdapters::process(const HostChange& change) {
    const auto& stamp = stampOf(change);
    try {
        auto event = toEvent(change, context_);
        const auto kind = event.kind;
        const bool ok = submit_(std::move(event), giveUp_);
        {
            std::lock_guard lock(statsMutex_);
            // The cursor moves either way: a refused change is in the journal, replayed on start.
            auto& cursor = cursors_[stamp.module];
            cursor = std::max(cursor, stamp.seq);
            if (ok) {
                ++activity_[stamp.module][kind];
                ++counts_.submitted;
            }
        }
        if (!ok) deferToJournal(change);
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(statsMutex_);
            ++counts_.failed;
        }
        host_.logger.log(sdk::LogLevel::Error, "crm",
                         "cannot map " + stamp.module + " change " + stamp.entity + " v" +
                             std::to_string(stamp.version) + ": " + e.what());
    }
}

void ModuleAdapters::deferToJournal(const HostChange& change) {
    // The store refuses only once it is stopping (or stop() gave up on it): do not wait on it
    // again, and do not replay the journal into it; the next start does.
    const bool first = !giveUp_.exchange(true);
    if (!queue_->journal.append(change)) {
        queue_->lost.fetch_add(1, std::memory_order_release);
        const auto& s = stampOf(change);
        host_.logger.log(sdk::LogLevel::Error, "crm",
                         "the event store takes no more events and journal " + queue_->journal.file().string() +
                             " is not writable: " + s.module + " change " + s.entity + " v" +
                             std::to_string(s.version) + " not kept");
        return;
    }
    {
        std::lock_guard lock(statsMutex_);
        ++counts_.deferred;
    }
    if (first)
        host_.logger.log(sdk::LogLevel::Warning, "crm",
                         "the event store takes no more events (stopping): what is still queued is kept in " +
                             queue_->journal.file().string() + " and stored on the next start");
}

std::map<std::string, std::int64_t> ModuleAdapters::cursors() const {
    std::lock_guard lock(statsMutex_);
    return cursors_;
}

std::vector<ModuleActivity> ModuleAdapters::activity() const {
    std::lock_guard lock(statsMutex_);
    std::vector<ModuleActivity> out;
    for (auto& name : modules_) {
        ModuleActivity a{name, {}};
        if (auto it = activity_.find(name); it != activity_.end()) a.byKind = it->second;
        out.push_back(std::move(a));
    }
    return out;
}

AdapterCounts ModuleAdapters::counts() const {
    std::lock_guard lock(statsMutex_);
    auto c = counts_;
    c.received += queue_->received();
    c.overflowed = queue_->overflowed.load();
    c.lost = queue_->lost.load();
    c.backlogged = queue_->backlogged.load(std::memory_order_relaxed);
    return c;
}

std::filesystem::path ModuleAdapters::journalFile() const { return queue_->journal.file(); }

ModuleAdapters::Submit submitTo(crm::EventWriter& writer) {
    return [&writer](crm::Event e, const std::atomic<bool>& giveUp) { return writer.submitWhenRoom(std::move(e), giveUp); };
}

}  // namespace conduit::adapters
