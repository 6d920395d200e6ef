// A small deterministic random source (SplitMix64) with its own uniform helpers: the standard
// distributions give different numbers on different standard libraries, this gives the same everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace refhost {

class SimRandom {
public:
    explicit SimRandom(std::uint64_t seed) : state_(seed) {}
    // A stream for one (seed, stream number) pair, e.g. the simulator's global step number.
    static SimRandom forStep(std::uint64_t seed, std::uint64_t step) {
        SimRandom mixer(seed ^ 0x9E3779B97F4A7C15ull);
        mixer.state_ += step * 0xD1B54A32D192ED03ull;
        return SimRandom(mixer.next());
    }

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi], both inclusive (rejection sampling: no modulo bias).
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
        if (span == 0) return static_cast<std::int64_t>(next());
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
        std::uint64_t x;
        do x = next();
        while (x >= limit);
        return lo + static_cast<std::int64_t>(x % span);
    }
    std::size_t index(std::size_t size) { return static_cast<std::size_t>(between(0, std::int64_t(size) - 1)); }
    bool percent(int p) { return between(0, 99) < p; }
    template <class T>
    const T& pick(const std::vector<T>& items) { return items[index(items.size())]; }
    template <class T, std::size_t N>
    const T& pick(const T (&items)[N]) { return items[index(N)]; }

private:
    std::uint64_t state_;
};

}  // namespace refhost
