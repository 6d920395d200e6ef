#include "module_adapters.hpp"

#include <algorithm>
#include <filesystem>

namespace conduit::adapters {

long ModuleActivity::total() const {
    long n = 0;
    for (auto& [_, c] : byKind) n += c;
    return n;
}

struct ModuleAdapters::Queue {
    Queue(std::size_t cap, std::filesystem::path journalFile, sdk::ILogger& log)
        : capacity(cap), journal(std::move(journalFile)), logger(log) {}
    const std::size_t capacity;
    std::mutex mutex;
    std::condition_variable wake, idle;
    // A vector, swapped whole with the mapping thread's (emptied) batch: both keep their capacity,
    // so a push in steady state allocates nothing (a deque of these ~200-byte changes allocated a
    // node on every other push).
    std::vector<HostChange> items;
    bool stopping = false;
    bool busy = false;  // the mapping thread holds a batch
    std::uint64_t receivedLocked = 0;  // slots run (under mutex)
    std::atomic<std::uint64_t> overflowed{0}, lost{0};
    OverflowJournal journal;
    std::atomic<bool> overflowing{false};  // an overflow episode is under way (logged once)
    sdk::ILogger& logger;                  // the host's: outlives the plugin's connections

    // Host thread: copy in, never wait on I/O. A full queue (or a stopped mapping thread: a
    // slot may still run just after disconnect) spills to the journal: the exceptional path.
    // The payload is copied once, straight into the vector, and counted under the same lock.
    template <class Payload>
    void push(const Payload& payload) {
        bool queued = false, wasEmpty = false;
        {
            std::lock_guard lock(mutex);
            ++receivedLocked;
            if (items.size() < capacity && !stopping) {
                wasEmpty = items.empty();
                items.emplace_back(std::in_place_type<Payload>, payload);
                queued = true;
            }
        }
        if (!queued) {
            spill(HostChange{payload});
            wake.notify_one();
        } else if (wasEmpty) {
            // The mapping thread only sleeps on an empty queue: waking it once per refill keeps
            // the futex call off every other emission.
            wake.notify_one();
        }
    }
    std::uint64_t received() {
        std::lock_guard lock(mutex);
        return receivedLocked;
    }

    void spill(const HostChange& change) {
        if (journal.append(change)) {
            overflowed.fetch_add(1, std::memory_order_relaxed);
        } else {
            lost.fetch_add(1, std::memory_order_relaxed);
            const auto& s = stampOf(change);
            logger.log(sdk::LogLevel::Error, "crm",
                       "ingest queue full and journal " + journal.file().string() + " not writable: " + s.module +
                           " change " + s.entity + " v" + std::to_string(s.version) +
                           " not kept (catch-up on next start brings it back)");
        }
        if (!overflowing.exchange(true))
            logger.log(sdk::LogLevel::Warning, "crm",
                       "ingest queue full (" + std::to_string(capacity) + " changes): spilling to " +
                           journal.file().string() + "; the host is not slowed, nothing is dropped");
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

void ModuleAdapters::stop() {
    connections_.clear();  // disconnects
    {
        std::lock_guard lock(queue_->mutex);
        queue_->stopping = true;
    }
    queue_->wake.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ModuleAdapters::drain() {
    std::unique_lock lock(queue_->mutex);
    queue_->idle.wait(lock, [&] {
        return (queue_->items.empty() && !queue_->busy && queue_->journal.pending() == 0) || !thread_.joinable();
    });
}

void ModuleAdapters::run(std::map<std::string, std::int64_t> cursors) {
    replayJournal();  // what an earlier run spilled and did not get to
    catchUp(cursors);
    std::vector<HostChange> batch;
    for (;;) {
        {
            std::unique_lock lock(queue_->mutex);
            queue_->busy = false;
            queue_->idle.notify_all();
            queue_->wake.wait(lock, [&] {
                return !queue_->items.empty() || queue_->stopping || queue_->journal.pending() > 0;
            });
            if (queue_->items.empty() && queue_->journal.pending() == 0) break;  // stopping and drained
            batch.swap(queue_->items);
            queue_->busy = true;
        }
        process(batch);
        const bool busyHost = batch.size() >= 16;
        batch.clear();
        // While the host emits steadily, let changes gather for a moment instead of going back to
        // sleep on the condition: then the host's pushes find the mapping thread awake and never
        // pay for a futex wake-up (the writer batches for 20 ms anyway).
        if (busyHost) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // The queue was just emptied: room again, so take back what overflowed meanwhile.
        if (queue_->journal.pending() > 0) replayJournal();
    }
    std::lock_guard lock(queue_->mutex);
    queue_->busy = false;
    queue_->idle.notify_all();
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
    process(taken.changes);
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
                process(batch);
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

template <class Changes>
void ModuleAdapters::process(Changes& batch) {
    for (auto& change : batch) {
        const auto& stamp = stampOf(change);
        try {
            auto event = toEvent(change, context_);
            const auto kind = event.kind;
            const bool ok = submit_(std::move(event));
            std::lock_guard lock(statsMutex_);
            auto& cursor = cursors_[stamp.module];
            cursor = std::max(cursor, stamp.seq);
            ++activity_[stamp.module][kind];
            if (ok) ++counts_.submitted;
            else ++counts_.failed;
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
    return c;
}

std::filesystem::path ModuleAdapters::journalFile() const { return queue_->journal.file(); }

}  // namespace conduit::adapters
