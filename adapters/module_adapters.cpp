#include "module_adapters.hpp"

#include <algorithm>

namespace conduit::adapters {

long ModuleActivity::total() const {
    long n = 0;
    for (auto& [_, c] : byKind) n += c;
    return n;
}

struct ModuleAdapters::Queue {
    explicit Queue(std::size_t cap) : capacity(cap) {}
    const std::size_t capacity;
    std::mutex mutex;
    std::condition_variable wake, idle;
    std::deque<HostChange> items;
    bool stopping = false;
    bool busy = false;  // the mapping thread holds a batch
    std::atomic<std::uint64_t> received{0}, overflowed{0};

    // Host thread: copy in, never wait on I/O.
    void push(HostChange change) {
        received.fetch_add(1, std::memory_order_relaxed);
        {
            std::lock_guard lock(mutex);
            if (items.size() >= capacity) {
                overflowed.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            items.push_back(std::move(change));
        }
        wake.notify_one();
    }
};

ModuleAdapters::ModuleAdapters(sdk::HostServices& host, Submit submit, std::size_t queueCapacity)
    : host_(host), submit_(std::move(submit)), context_{host.directory, host.host.locale},
      queue_(std::make_shared<Queue>(queueCapacity)) {}

ModuleAdapters::~ModuleAdapters() { stop(); }

void ModuleAdapters::start(std::map<std::string, std::int64_t> cursors) {
    auto q = queue_;
    auto slot = [q](const auto& payload) { q->push(HostChange{payload}); };
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
    queue_->idle.wait(lock, [&] { return (queue_->items.empty() && !queue_->busy) || !thread_.joinable(); });
}

void ModuleAdapters::run(std::map<std::string, std::int64_t> cursors) {
    {
        std::lock_guard lock(queue_->mutex);
        queue_->busy = true;
    }
    catchUp(cursors);
    std::deque<HostChange> batch;
    for (;;) {
        {
            std::unique_lock lock(queue_->mutex);
            queue_->busy = false;
            queue_->idle.notify_all();
            queue_->wake.wait(lock, [&] { return !queue_->items.empty() || queue_->stopping; });
            if (queue_->items.empty()) break;  // stopping and drained
            batch.swap(queue_->items);
            queue_->busy = true;
        }
        process(batch);
        batch.clear();
    }
    std::lock_guard lock(queue_->mutex);
    queue_->busy = false;
    queue_->idle.notify_all();
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

void ModuleAdapters::process(std::deque<HostChange>& batch) {
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
    c.received += queue_->received.load();
    c.overflowed = queue_->overflowed.load();
    return c;
}

}  // namespace conduit::adapters
