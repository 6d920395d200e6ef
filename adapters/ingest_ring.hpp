// A bounded multi-producer/single-consumer ring of preallocated cells: host threads copy a change
// into a cell without locks or allocation; the one mapping thread reads it in place and sleeps when idle.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <thread>
#include <variant>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace conduit::adapters {

// Per-cell sequence numbers (D. Vyukov's bounded queue): cell i is free for ticket t when its
// sequence is t, and holds ticket t's value when it is t + 1. Producers claim tickets with a CAS on
// `tail_`, so neither side ever waits on the other while holding anything: a full ring makes
// tryPush() return false at once (the caller spills), it never blocks the host.
template <class T>
class IngestRing {
public:
    // `capacity` is rounded up to a power of two (at least 2). All cells are constructed here:
    // pushes copy-assign into them, so a value whose strings fit the cell's buffers allocates nothing.
    explicit IngestRing(std::size_t capacity)
        : size_(std::bit_ceil(capacity < 2 ? std::size_t{2} : capacity)), mask_(size_ - 1),
          cells_(std::make_unique<Cell[]>(size_)) {
        for (std::size_t i = 0; i < size_; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
    }
    IngestRing(const IngestRing&) = delete;
    IngestRing& operator=(const IngestRing&) = delete;

    std::size_t capacity() const { return size_; }

    // Any thread. False when the ring is full or closed (nothing was copied).
    template <class U>
    bool tryPush(const U& value) {
        std::uint64_t pos = tail_.load(std::memory_order_relaxed);
        Cell* cell;
        for (;;) {
            if (pos & kClosed) return false;
            cell = &cells_[pos & mask_];
            const std::uint64_t seq = cell->seq.load(std::memory_order_acquire);
            const auto diff = static_cast<std::int64_t>(seq - pos);
            if (diff == 0) {
                if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
            } else if (diff < 0) {
                return false;  // the cell still holds the value of the previous lap: full
            } else {
                pos = tail_.load(std::memory_order_relaxed);  // another producer took this ticket
            }
        }
        try {
            assign(cell->value, value);
            cell->holds = true;
        } catch (...) {
            // Out of memory copying a long string: the ticket is published empty (the consumer
            // skips it, so it cannot wedge the ring) and the caller sees the exception.
            cell->holds = false;
            skipped_.fetch_add(1, std::memory_order_relaxed);
            cell->seq.store(pos + 1, std::memory_order_seq_cst);
            throw;
        }
        // Dekker with waitForWork(), both sides seq_cst (no fences: ThreadSanitizer understands
        // this): either this load sees the consumer's "sleeping", or the consumer's re-check after
        // announcing it sees this cell published. No syscall while the consumer is awake.
        cell->seq.store(pos + 1, std::memory_order_seq_cst);
        if (sleeping_.load(std::memory_order_seq_cst)) wake();
        return true;
    }

    // Consumer only: the oldest value, or nullptr when the next ticket is not published yet.
    T* front() {
        for (;;) {
            Cell& cell = cells_[head_ & mask_];
            if (cell.seq.load(std::memory_order_acquire) != head_ + 1) return nullptr;
            if (cell.holds) return &cell.value;
            pop();  // a push that threw: nothing to map
        }
    }
    // Consumer only: frees the cell front() returned (its value stays for the next copy-assign).
    void pop() {
        cells_[head_ & mask_].seq.store(head_ + size_, std::memory_order_release);
        ++head_;
        popped_.store(head_, std::memory_order_release);
    }

    // Consumer only: returns when front() has a value, the ring is closed, wake() was called or
    // `ready()` holds. Spins briefly (a host emitting steadily then never pays for a wake-up), then
    // sleeps on a futex until a producer sees the announcement.
    template <class Ready>
    void waitForWork(Ready&& ready) {
        for (int i = 0; i < kSpins; ++i) {
            if (front() || closed() || ready()) return;
            pause();
            if ((i & 63) == 63) std::this_thread::yield();
        }
        const std::uint32_t generation = wakeups_.load(std::memory_order_acquire);
        sleeping_.store(true, std::memory_order_seq_cst);
        const bool published = cells_[head_ & mask_].seq.load(std::memory_order_seq_cst) == head_ + 1;
        if (!published && !closed() && !ready()) wakeups_.wait(generation, std::memory_order_acquire);
        sleeping_.store(false, std::memory_order_relaxed);
    }

    // Any thread: wakes a sleeping consumer (used on spills and on close; pushes do it themselves).
    void wake() {
        wakeups_.fetch_add(1, std::memory_order_release);
        wakeups_.notify_one();
    }

    // After close() every tryPush() fails; tickets claimed before are still published and must be
    // consumed: the consumer is done when closed() and every claimed ticket was mapped or skipped.
    void close() {
        tail_.fetch_or(kClosed, std::memory_order_acq_rel);
        wake();
    }
    bool closed() const { return tail_.load(std::memory_order_acquire) & kClosed; }

    // The consumer announced it sleeps on the futex (a push will wake it): for tests and diagnostics.
    bool consumerAsleep() const { return sleeping_.load(std::memory_order_acquire); }

    std::uint64_t claimed() const { return tail_.load(std::memory_order_acquire) & ~kClosed; }  // tickets taken
    std::uint64_t skipped() const { return skipped_.load(std::memory_order_acquire); }  // of which pushes that threw
    std::uint64_t popped() const { return popped_.load(std::memory_order_acquire); }

private:
    static constexpr std::uint64_t kClosed = std::uint64_t{1} << 63;
    static constexpr int kSpins = 512;  // a few microseconds before sleeping

    struct alignas(64) Cell {
        std::atomic<std::uint64_t> seq{0};
        bool holds = false;  // false: the push copying into it threw (written before seq, read after)
        T value{};
    };

    // Same alternative of a variant (or same type): plain copy-assignment, so strings reuse their
    // buffers; otherwise the cell's value is replaced.
    template <class U>
    static void assign(T& cell, const U& value) {
        if constexpr (requires { std::get_if<U>(&cell); }) {
            if (auto* same = std::get_if<U>(&cell)) *same = value;
            else cell.template emplace<U>(value);
        } else {
            cell = value;
        }
    }

    static void pause() {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#endif
    }

    const std::size_t size_, mask_;
    const std::unique_ptr<Cell[]> cells_;
    // Each on its own line: producers hammer tail_, the consumer owns head_, both read sleeping_.
    alignas(64) std::atomic<std::uint64_t> tail_{0};
    std::atomic<std::uint64_t> skipped_{0};  // rare: beside tail_, which its writers just wrote
    alignas(64) std::uint64_t head_ = 0;
    std::atomic<std::uint64_t> popped_{0};
    alignas(64) std::atomic<bool> sleeping_{false};
    alignas(64) std::atomic<std::uint32_t> wakeups_{0};
};

}  // namespace conduit::adapters
