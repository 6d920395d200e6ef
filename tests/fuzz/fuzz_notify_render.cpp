// libFuzzer: the notification template renderer with hostile event texts and directory names.
// Every text from an event or the directory reaches the HTML body escaped: a text holding '<'
// never appears raw, and the page carries no tag the fuzzer typed.
#include <conduit/crm/notify/render.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace conduit;

namespace {

class OneDirectory : public sdk::IDirectory {
public:
    sdk::Counterparty cp;
    sdk::Project pr;
    std::optional<sdk::Counterparty> counterparty(sdk::Id id) const override { return id == cp.id ? std::optional(cp) : std::nullopt; }
    std::optional<sdk::Project> project(sdk::Id id) const override { return id == pr.id ? std::optional(pr) : std::nullopt; }
    std::optional<sdk::User> user(sdk::Id) const override { return std::nullopt; }
    std::optional<sdk::Department> department(sdk::Id) const override { return std::nullopt; }
    std::vector<sdk::Counterparty> counterparties() const override { return {cp}; }
    std::vector<sdk::Project> projects() const override { return {pr}; }
    std::vector<sdk::User> users() const override { return {}; }
    std::vector<sdk::Department> departments() const override { return {}; }
};

// Input split on 0x00 into the texts a host or a person controls.
std::vector<std::string> parts(std::string_view in, std::size_t n) {
    std::vector<std::string> out(n);
    std::size_t k = 0;
    for (char c : in) {
        if (c == '\0' && k + 1 < n) ++k;
        else out[k] += c;
    }
    return out;
}
struct Rendered {
    crm::notify::RenderedMail mail, digest;
};

Rendered render(const std::vector<std::string>& p, std::uint8_t kindByte, std::uint8_t flags) {
    OneDirectory dir;
    dir.cp = {8, sdk::CounterpartyKind::Company, p[3]};
    dir.pr = {42, p[4], p[5], 8};
    static const crm::EventKindRegistry kinds;
    static const char* kindCodes[] = {"payment.received", "note.customer", "schedule.installation_planned", "order.production_launched",
                                      "warehouse.fg_received", "unknown.kind"};
    crm::Event e;
    e.id = 1;
    e.kind = kindCodes[kindByte % 6];
    e.title = p[0];
    e.body = p[1];
    e.crewName = p[2];
    e.invoiceNumber = p[6];
    e.projectId = 42;
    e.counterpartyId = 8;
    e.occurredAt = sdk::TimePoint(std::chrono::seconds(1773057600));
    if (flags & 1) e.amount = sdk::Money{static_cast<std::int64_t>(flags) * 1000, "PLN"};
    if (flags & 2) e.dueAt = e.occurredAt + std::chrono::hours(49);
    crm::notify::OutboxRow row;
    row.id = 1;
    row.eventId = 1;
    row.late = flags & 4;
    row.recipient.language = (flags & 8) ? "ru" : (flags & 16) ? "pl" : "en";
    crm::notify::RenderContext ctx{kinds, dir, e.occurredAt, p[2]};
    return {crm::notify::renderEvent(row, e, ctx), crm::notify::renderDigest(row, {e, e}, ctx)};
}

std::size_t count(const std::string& s, char c) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), c)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto p = parts(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2), 7);
    // The same texts with every markup character made harmless: the page must have the same tags,
    // i.e. no '<' of the fuzzer's texts reached the HTML unescaped.
    auto tame = p;
    for (auto& t : tame)
        for (auto& c : t)
            if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'') c = 'x';
    const auto hostile = render(p, data[0], data[1]);
    const auto safe = render(tame, data[0], data[1]);
    for (auto [a, b] : {std::pair{&hostile.mail.html, &safe.mail.html}, std::pair{&hostile.digest.html, &safe.digest.html}}) {
        if (count(*a, '<') != count(*b, '<') || count(*a, '>') != count(*b, '>')) {
            std::fprintf(stderr, "a text reached the HTML unescaped:\n%s\n", a->c_str());
            std::abort();
        }
    }
    for (char c : crm::notify::htmlEscape(p[0]))
        if (c == '<' || c == '>' || c == '"') std::abort();
    return 0;
}
