// Catalogue::likelySame: for thousands of drafts at once (an import), the party each most likely
// is by the keys one trusts without a person's eye, in one transaction through one statement.
#include <conduit/crm/parties/catalogue.hpp>

#include "catalogue_rows.hpp"
#include "duplicate_rules.hpp"

#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <map>

namespace conduit::crm::parties {
namespace {

// A person's name is shared by namesakes; a company's is what it is known by.
bool trusted(const detail::PartyKey& key, PartyKind kind) {
    if (key.type == "tax" || key.type == "email" || key.type == "phone") return true;
    return key.type == "name" && kind == PartyKind::Company;
}

class KeyLookup {
public:
    explicit KeyLookup(soci::session& s)
        : st_((s.prepare << "SELECT K.PARTY_ID FROM CRM_PARTY_KEY K JOIN CRM_PARTY P ON P.ID = K.PARTY_ID"
                            " WHERE K.KEY_VALUE = :v AND K.KEY_TYPE = :t AND P.STATE <> 1 AND P.MERGED_INTO IS NULL ROWS "
                         << (detail::kMaxDuplicateGroup + 1),
               soci::use(value_), soci::use(type_), soci::into(id_))) {}

    std::vector<std::int64_t> parties(const detail::PartyKey& key) {
        value_ = key.value;
        type_ = key.type;
        std::vector<std::int64_t> out;
        st_.execute(false);
        while (st_.fetch()) out.push_back(id_);
        return out;
    }

private:
    std::string value_, type_;
    long long id_ = 0;
    soci::statement st_;
};

}  // namespace

std::vector<std::optional<DuplicateMatch>> Catalogue::likelySame(sdk::Id actor, const std::vector<Party>& drafts) {
    const auto v = viewer(actor);
    std::vector<std::optional<DuplicateMatch>> out(drafts.size());
    if (!v.internal) return out;
    inTransaction(db_, "catalogue match", [&](soci::session& s) {
        KeyLookup lookup(s);
        std::map<std::int64_t, std::optional<Party>> seen;  // each candidate read once
        const auto visible = [&](std::int64_t id) -> const std::optional<Party>& {
            auto it = seen.find(id);
            if (it == seen.end()) {
                auto p = detail::loadParty(s, id);
                if (p && !maySee(v, *p)) p.reset();
                it = seen.emplace(id, std::move(p)).first;
            }
            return it->second;
        };
        for (std::size_t i = 0; i < drafts.size(); ++i) {
            std::map<std::int64_t, std::vector<DuplicateReason>> found;
            for (const auto& key : detail::keysOf(detail::withStoredValues(drafts[i], options_.defaultCountry))) {
                if (!trusted(key, drafts[i].kind)) continue;
                const auto ids = lookup.parties(key);
                if (ids.size() > static_cast<std::size_t>(detail::kMaxDuplicateGroup)) continue;
                for (const auto id : ids) found[id].push_back(*detail::reasonOf(key.type));
            }
            std::optional<DuplicateMatch> best;
            int bestScore = 0;
            for (auto& [id, reasons] : found) {
                const auto& p = visible(id);
                if (!p || p->kind != drafts[i].kind) continue;
                std::sort(reasons.begin(), reasons.end(), [](auto a, auto b) { return detail::strength(a) > detail::strength(b); });
                reasons.erase(std::unique(reasons.begin(), reasons.end()), reasons.end());
                const int score = detail::strength(reasons.front()) * 10 + static_cast<int>(reasons.size());
                if (score > bestScore) {
                    bestScore = score;
                    best = DuplicateMatch{id, p->displayName(), reasons};
                }
            }
            out[i] = std::move(best);
        }
        return 0;
    });
    return out;
}

}  // namespace conduit::crm::parties
