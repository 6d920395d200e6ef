#include <conduit/crm/access/roles.hpp>
#include <conduit/crm/foundation/locale.hpp>

#include <algorithm>
#include <array>

namespace conduit::crm {
namespace {

struct RoleInfo {
    Role role;
    const char* code;
    const char* ru;
    const char* pl;
    const char* en;
};

constexpr std::array<RoleInfo, 10> kRoles{{
    {Role::Dispatcher, "dispatcher", "Диспетчер", "Dyspozytor", "Dispatcher"},
    {Role::ProjectManager, "project_manager", "Руководитель проекта", "Kierownik projektu", "Project manager"},
    {Role::Planner, "planner", "Планировщик производства", "Planista produkcji", "Production planner"},
    {Role::Finance, "finance", "Финансы и бухгалтерия", "Finanse i księgowość", "Finance and accounting"},
    {Role::Orders, "orders", "Отдел заказов", "Dział zamówień", "Order department"},
    {Role::Measurer, "measurer", "Замерщик", "Pomiarowiec", "Measurer"},
    {Role::Sales, "sales", "Продажи", "Sprzedaż", "Sales"},
    {Role::Management, "management", "Руководство", "Zarząd", "Management"},
    {Role::Admin, "admin", "Администратор", "Administrator", "Administrator"},
    {Role::Client, "client", "Внешний клиент", "Klient zewnętrzny", "External client"},
}};

const RoleInfo& info(Role r) { return kRoles[static_cast<std::size_t>(r)]; }

// x's own text for cover tests: an exact code, or a prefix pattern's stem ("payment.").
std::string_view stemOf(std::string_view p) {
    if (p.size() >= 2 && p.substr(p.size() - 2) == ".*") return p.substr(0, p.size() - 1);
    return p;
}

bool isPrefixPattern(std::string_view p) { return p.size() >= 2 && p.substr(p.size() - 2) == ".*"; }

// Whether role pattern y decides for every kind in the region of union pattern x.
bool covers(std::string_view y, std::string_view x) {
    if (y == "*") return true;
    if (isPrefixPattern(y)) return stemOf(x).substr(0, stemOf(y).size()) == stemOf(y);
    return y == x;
}

}  // namespace

const std::vector<Role>& allRoles() {
    static const std::vector<Role> roles = [] {
        std::vector<Role> out;
        for (const auto& r : kRoles) out.push_back(r.role);
        return out;
    }();
    return roles;
}

std::string_view roleCode(Role role) { return info(role).code; }

std::optional<Role> roleFromCode(std::string_view code) {
    for (const auto& r : kRoles)
        if (code == r.code) return r.role;
    return std::nullopt;
}

std::string_view roleName(Role role, std::string_view locale) {
    const auto& r = info(role);
    return Locale::of(locale).pick({r.ru, r.pl, r.en});
}

std::optional<Role> roleOfDepartment(std::string_view d) {
    if (d == "dispatch") return Role::Dispatcher;
    if (d == "finance") return Role::Finance;
    if (d == "orders") return Role::Orders;
    if (d == "measurement") return Role::Measurer;
    if (d == "production") return Role::Planner;
    if (d == "sales") return Role::Sales;
    if (d == "management") return Role::Management;
    if (d == "admin") return Role::Admin;
    return std::nullopt;
}

int patternSpecificity(std::string_view p) {
    if (p == "*") return 0;
    if (isPrefixPattern(p)) return static_cast<int>(p.size());
    return 1000;  // exact codes beat every prefix
}

const RoleRight* RightsTable::decidingRight(Role role, std::string_view kind) const {
    const RoleRight* best = nullptr;
    for (const auto& r : rights_) {
        if (r.role != role || !kindPatternMatches(r.kindPattern, kind)) continue;
        if (!best || patternSpecificity(r.kindPattern) > patternSpecificity(best->kindPattern)) best = &r;
    }
    return best;
}

bool RightsTable::maySee(const Viewer& v, std::string_view kind) const {
    for (Role r : v.roles)
        if (const auto* right = decidingRight(r, kind); right && right->see) return true;
    return false;
}

bool RightsTable::maySeeDetails(const Viewer& v, std::string_view kind) const {
    for (Role r : v.roles)
        if (const auto* right = decidingRight(r, kind); right && right->see && right->seeDetails) return true;
    return false;
}

bool RightsTable::mayCreate(const Viewer& v, std::string_view kind) const {
    for (Role r : v.roles)
        if (const auto* right = decidingRight(r, kind); right && right->create) return true;
    return false;
}

Reach RightsTable::editReach(const Viewer& v, std::string_view kind) const {
    Reach best = Reach::None;
    for (Role r : v.roles)
        if (const auto* right = decidingRight(r, kind); right) best = std::max(best, right->edit);
    return best;
}

Reach RightsTable::deleteReach(const Viewer& v, std::string_view kind) const {
    Reach best = Reach::None;
    for (Role r : v.roles)
        if (const auto* right = decidingRight(r, kind); right) best = std::max(best, right->remove);
    return best;
}

template <typename Get>
KindDecisions RightsTable::decisions(const Viewer& v, Get get) const {
    // Every pattern any of the viewer's roles names, most specific first; each is decided as the
    // union over roles of the role's most specific pattern covering it.
    std::vector<std::string> patterns;
    for (const auto& r : rights_)
        if (v.has(r.role) && r.kindPattern != "*" &&
            std::find(patterns.begin(), patterns.end(), r.kindPattern) == patterns.end())
            patterns.push_back(r.kindPattern);
    std::stable_sort(patterns.begin(), patterns.end(), [](const std::string& a, const std::string& b) {
        return patternSpecificity(a) > patternSpecificity(b);
    });
    auto decide = [&](std::string_view x) {
        for (Role role : v.roles) {
            const RoleRight* best = nullptr;
            for (const auto& r : rights_) {
                if (r.role != role || !covers(r.kindPattern, x)) continue;
                if (!best || patternSpecificity(r.kindPattern) > patternSpecificity(best->kindPattern)) best = &r;
            }
            if (best && get(*best)) return true;
        }
        return false;
    };
    KindDecisions out;
    for (const auto& p : patterns) out.entries.push_back({p, decide(p)});
    out.fallback = decide("*");
    // Entries that agree with everything after them change nothing: fewer SQL conditions.
    while (!out.entries.empty() && out.entries.back().allowed == out.fallback) out.entries.pop_back();
    return out;
}

KindDecisions RightsTable::seeDecisions(const Viewer& v) const {
    return decisions(v, [](const RoleRight& r) { return r.see; });
}

KindDecisions RightsTable::detailDecisions(const Viewer& v) const {
    return decisions(v, [](const RoleRight& r) { return r.see && r.seeDetails; });
}

}  // namespace conduit::crm
