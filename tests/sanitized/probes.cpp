// Planted bugs of the kinds the sanitized forms run exists to catch, one per argument. Built only
// in the sanitized sub-build; tests/sanitized/run expects each one to stop with the sanitizer's report.
#include <climits>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace {

// An entry's amount, empty when the person typed nothing: the bug is printing it without looking.
std::optional<double> amountTyped(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return std::stod(text);
}

int emptyOptional(const std::string& typed) {
    const std::optional<double> amount = amountTyped(typed);
    std::printf("amount %.2f\n", *amount);  // garbage in a release build; -D_GLIBCXX_ASSERTIONS stops here
    return 0;
}

int useAfterFree(int n) {
    auto* rows = new std::vector<int>(static_cast<std::size_t>(n) + 3, 7);
    const int* first = rows->data();
    delete rows;
    return first[n];  // AddressSanitizer: heap-use-after-free
}

int outOfBounds(int n) {
    std::vector<int> rows(3, 7);
    return rows[static_cast<std::size_t>(n) + 3];  // one past the end
}

int signedOverflow(int n) {
    int total = INT_MAX - 1;
    total += n + 1;  // UBSan: signed integer overflow
    return total;
}

int leak(int n) {
    auto* lost = new char[64 + n];
    std::memset(lost, 1, 64);
    std::printf("%d\n", lost[n]);
    return 0;  // LeakSanitizer at exit
}

}  // namespace

int main(int argc, char** argv) {
    const std::string what = argc > 1 ? argv[1] : "";
    const int n = argc > 2 ? std::stoi(argv[2]) : 1;  // keeps the optimiser from proving anything
    if (what == "empty-optional") return emptyOptional(argc > 3 ? argv[3] : "");
    if (what == "use-after-free") return useAfterFree(n);
    if (what == "out-of-bounds") return outOfBounds(n);
    if (what == "signed-overflow") return signedOverflow(n);
    if (what == "leak") return leak(n);
    std::fprintf(stderr, "usage: sanitized_probes empty-optional|use-after-free|out-of-bounds|signed-overflow|leak [N]\n");
    return 2;
}
