#include <conduit/crm/foundation/kind_pattern.hpp>

#include <algorithm>

namespace conduit::crm {
namespace {

constexpr std::size_t kMaxCodeLength = 64;  // the KIND column's width

bool isWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

std::string_view trimmed(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

// Words of [a-z0-9_] joined by single dots, no leading or trailing dot.
bool isCode(std::string_view code) {
    if (code.empty() || code.size() > kMaxCodeLength || code.front() == '.' || code.back() == '.') return false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (code[i] == '.' ? code[i - 1] == '.' : !isWordChar(code[i])) return false;
    }
    return true;
}

}  // namespace

std::optional<KindPattern::Parsed> KindPattern::read(std::string_view text) {
    const std::string_view p = trimmed(text);
    if (p == "*") return Parsed{Form::All, {}};
    std::string_view stem = p;  // without the final "." / ".*"
    bool prefix = false;
    if (stem.ends_with(".*")) stem.remove_suffix(2), prefix = true;
    else if (stem.ends_with(".")) stem.remove_suffix(1), prefix = true;
    // A prefix's stem plus the dot and at least one more character must still fit a code.
    if (!isCode(stem) || (prefix && stem.size() + 2 > kMaxCodeLength)) return std::nullopt;
    return Parsed{prefix ? Form::Prefix : Form::Exact, stem};
}

std::optional<KindPattern> KindPattern::parse(std::string_view text) {
    const auto p = read(text);
    if (!p) return std::nullopt;
    if (p->form == Form::Prefix) return KindPattern(Form::Prefix, std::string(p->stem) + ".");
    return KindPattern(p->form, std::string(p->stem));
}

bool KindPattern::matches(std::string_view text, std::string_view kind) {
    const auto p = read(text);
    if (!p) return false;
    switch (p->form) {
        case Form::All: return true;
        case Form::Prefix:
            return kind.size() > p->stem.size() + 1 && kind.starts_with(p->stem) && kind[p->stem.size()] == '.';
        case Form::Exact: return kind == p->stem;
    }
    return false;
}

bool KindPattern::matches(std::string_view kind) const {
    switch (form_) {
        case Form::All: return true;
        case Form::Prefix: return kind.size() > stem_.size() && kind.starts_with(stem_);
        case Form::Exact: return kind == stem_;
    }
    return false;
}

std::string KindPattern::text() const {
    switch (form_) {
        case Form::All: return "*";
        case Form::Prefix: return stem_ + "*";
        case Form::Exact: return stem_;
    }
    return {};
}

bool isValidKindPattern(std::string_view pattern) { return KindPattern::parse(pattern).has_value(); }

bool kindPatternMatches(std::string_view pattern, std::string_view kind) { return KindPattern::matches(pattern, kind); }

bool matchesAny(const std::vector<KindPattern>& patterns, std::string_view kind) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const KindPattern& p) { return p.matches(kind); });
}

}  // namespace conduit::crm
