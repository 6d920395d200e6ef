// libFuzzer target: KindPattern::parse never crashes, and its normalised text reads back equal.
// Build: clang++-14 -std=c++20 -fsanitize=fuzzer,address -Iinclude src/kind_pattern.cpp fuzz/fuzz_kind_pattern.cpp
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conduit/crm/foundation/kind_pattern.hpp"

using conduit::crm::KindPattern;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto pattern = KindPattern::parse(text);
    if (!pattern) return 0;
    const auto again = KindPattern::parse(pattern->text());
    if (!again || !(*again == *pattern)) std::abort();
    // The accessors must agree with the form: exactly one of all / prefix / exact.
    const int forms = int(pattern->isAll()) + int(pattern->isPrefix()) + int(pattern->isExact());
    if (forms != 1) std::abort();
    if (pattern->isPrefix() && (pattern->prefix().empty() || pattern->prefix().back() != '.')) std::abort();
    if (pattern->isExact() && !pattern->matches(pattern->exact())) std::abort();
    if (pattern->isPrefix() && pattern->matches(pattern->prefix().substr(0, pattern->prefix().size() - 1))) std::abort();
    return 0;
}
