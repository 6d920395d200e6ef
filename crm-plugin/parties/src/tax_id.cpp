#include <conduit/crm/parties/tax_id.hpp>

#include <array>
#include <cctype>
#include <span>

namespace conduit::crm::parties {
namespace {

bool isSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '\t'; }

// The characters of `text` without separators, upper-cased; a NIP's "PL" (the EU VAT prefix)
// dropped.
std::string normalised(TaxIdKind kind, std::string_view text) {
    std::string out;
    for (char c : text)
        if (!isSeparator(c)) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kind == TaxIdKind::PlNip && out.starts_with("PL")) out.erase(0, 2);
    return out;
}

bool allDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int digit(std::string_view s, std::size_t i) { return s[i] - '0'; }

int weightedSum(std::string_view digits, std::span<const int> weights) {
    int sum = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) sum += digit(digits, i) * weights[i];
    return sum;
}

bool nipValid(std::string_view d) {
    static constexpr std::array weights{6, 5, 7, 2, 3, 4, 5, 6, 7};
    const int check = weightedSum(d, weights) % 11;
    return check != 10 && check == digit(d, 9);  // 10 is never issued
}

bool regonValid(std::string_view d) {
    static constexpr std::array w9{8, 9, 2, 3, 4, 5, 6, 7};
    static constexpr std::array w14{2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8};
    auto valid = [&](std::span<const int> w, std::size_t checkAt) {
        return weightedSum(d, w) % 11 % 10 == digit(d, checkAt);
    };
    if (d.size() == 9) return valid(w9, 8);
    return valid(w9, 8) && valid(w14, 13);  // a local unit's number begins with its firm's
}

bool innValid(std::string_view d) {
    static constexpr std::array w10{2, 4, 10, 3, 5, 9, 4, 6, 8};
    static constexpr std::array w11{7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    static constexpr std::array w12{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    auto check = [&](std::span<const int> w) { return weightedSum(d, w) % 11 % 10; };
    if (d.size() == 10) return check(w10) == digit(d, 9);
    return check(w11) == digit(d, 10) && check(w12) == digit(d, 11);
}

// OGRN and OGRNIP: the number without its last digit, modulo 11 (13 for OGRNIP), modulo 10.
bool ogrnValid(std::string_view d, unsigned long long modulus) {
    unsigned long long rest = 0;
    for (std::size_t i = 0; i + 1 < d.size(); ++i) rest = (rest * 10 + static_cast<unsigned>(digit(d, i))) % modulus;
    return static_cast<int>(rest % 10) == digit(d, d.size() - 1);
}

bool kppWellFormed(std::string_view s) {
    auto digitOrCapital = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); };
    return allDigits(s.substr(0, 4)) && digitOrCapital(s[4]) && digitOrCapital(s[5]) && allDigits(s.substr(6, 3));
}

bool lengthFits(TaxIdKind kind, std::size_t n) {
    switch (kind) {
        case TaxIdKind::PlNip: return n == 10;
        case TaxIdKind::PlRegon: return n == 9 || n == 14;
        case TaxIdKind::RuInn: return n == 10 || n == 12;
        case TaxIdKind::RuKpp: return n == 9;
        case TaxIdKind::RuOgrn: return n == 13;
        case TaxIdKind::RuOgrnip: return n == 15;
    }
    return false;
}

bool checksumHolds(TaxIdKind kind, std::string_view d) {
    switch (kind) {
        case TaxIdKind::PlNip: return nipValid(d);
        case TaxIdKind::PlRegon: return regonValid(d);
        case TaxIdKind::RuInn: return innValid(d);
        case TaxIdKind::RuKpp: return true;
        case TaxIdKind::RuOgrn: return ogrnValid(d, 11);
        case TaxIdKind::RuOgrnip: return ogrnValid(d, 13);
    }
    return false;
}

std::optional<FieldProblem> problemOfNormalised(TaxIdKind kind, std::string_view s) {
    if (s.empty()) return FieldProblem::Empty;
    if (s.size() > 32) return FieldProblem::TooLong;
    if (kind == TaxIdKind::RuKpp) {
        if (s.size() != 9) return FieldProblem::WrongLength;
        return kppWellFormed(s) ? std::nullopt : std::optional(FieldProblem::NotDigits);
    }
    if (!allDigits(s)) return FieldProblem::NotDigits;
    if (!lengthFits(kind, s.size())) return FieldProblem::WrongLength;
    if (!checksumHolds(kind, s)) return FieldProblem::WrongChecksum;
    return std::nullopt;
}

}  // namespace

std::string_view toString(TaxIdKind kind) {
    switch (kind) {
        case TaxIdKind::PlNip: return "nip";
        case TaxIdKind::PlRegon: return "regon";
        case TaxIdKind::RuInn: return "inn";
        case TaxIdKind::RuKpp: return "kpp";
        case TaxIdKind::RuOgrn: return "ogrn";
        case TaxIdKind::RuOgrnip: return "ogrnip";
    }
    return "nip";
}

std::optional<TaxIdKind> taxIdKindFromString(std::string_view code) {
    for (auto k : {TaxIdKind::PlNip, TaxIdKind::PlRegon, TaxIdKind::RuInn, TaxIdKind::RuKpp, TaxIdKind::RuOgrn,
                   TaxIdKind::RuOgrnip})
        if (toString(k) == code) return k;
    return std::nullopt;
}

std::optional<FieldProblem> taxIdProblem(TaxIdKind kind, std::string_view text) {
    return problemOfNormalised(kind, normalised(kind, text));
}

TaxId parseTaxId(TaxIdKind kind, std::string_view text) {
    std::string value = normalised(kind, text);
    if (auto problem = problemOfNormalised(kind, value)) throw FieldError(*problem, std::string(toString(kind)));
    return {kind, std::move(value)};
}

std::string displayText(const TaxId& id) {
    if (id.kind != TaxIdKind::PlNip || id.value.size() != 10) return id.value;
    const std::string& v = id.value;
    return v.substr(0, 3) + "-" + v.substr(3, 3) + "-" + v.substr(6, 2) + "-" + v.substr(8, 2);
}

}  // namespace conduit::crm::parties
