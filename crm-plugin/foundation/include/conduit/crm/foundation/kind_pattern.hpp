// The one meaning of an event-kind pattern ("*", "payment.*", "payment.received"), shared by
// access rights, notification rules and the feed's SQL so that they can never disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

// Grammar (codes are lowercase words of [a-z0-9_] joined by single dots, at most 64 characters):
//   "*"               every kind
//   "payment.*"       every kind whose code starts with "payment." — not the kind "payment" itself
//   "payment."        the same as "payment.*" (rights stored by older versions are written so)
//   "payment.received" exactly that kind
// Surrounding spaces are ignored. Anything else — empty, uppercase, a '*' anywhere but after the
// last dot, empty words ("a..b", ".x") — is rejected rather than guessed at.
class KindPattern {
public:
    static std::optional<KindPattern> parse(std::string_view text);
    static KindPattern all() { return KindPattern(Form::All, {}); }

    bool matches(std::string_view kind) const;
    // The same for a pattern kept as text (a stored right or rule): no allocation; a malformed
    // pattern matches nothing.
    static bool matches(std::string_view pattern, std::string_view kind);
    bool isAll() const { return form_ == Form::All; }
    bool isPrefix() const { return form_ == Form::Prefix; }
    bool isExact() const { return form_ == Form::Exact; }
    // For a prefix pattern the stem with its dot ("payment."), what SQL STARTING WITH needs; else "".
    std::string_view prefix() const { return isPrefix() ? std::string_view(stem_) : std::string_view(); }
    // For an exact pattern the code; else "".
    std::string_view exact() const { return isExact() ? std::string_view(stem_) : std::string_view(); }
    // The normalised spelling, which parse() reads back as an equal pattern: "*", "payment.*", "payment.received".
    std::string text() const;

    friend bool operator==(const KindPattern&, const KindPattern&) = default;

private:
    enum class Form { All, Prefix, Exact };
    struct Parsed {
        Form form;
        std::string_view stem;  // without the final "." or ".*"
    };
    static std::optional<Parsed> read(std::string_view text);
    KindPattern(Form form, std::string stem) : form_(form), stem_(std::move(stem)) {}
    Form form_;
    std::string stem_;  // "" for All, "payment." for Prefix, the code for Exact
};

bool matchesAny(const std::vector<KindPattern>& patterns, std::string_view kind);
// Shorthands over patterns kept as text, with the meaning above.
bool isValidKindPattern(std::string_view pattern);
bool kindPatternMatches(std::string_view pattern, std::string_view kind);

}  // namespace conduit::crm
