#include <conduit/crm/timeline/event.hpp>

#include <conduit/crm/foundation/sha256.hpp>

namespace conduit::crm {

bool isUserEntry(const Event& e) { return e.sourceModule.empty() && e.idempotencyKey.rfind("user|", 0) == 0; }

std::string idempotencyKey(std::string_view module, std::string_view entity, std::int64_t version) {
    std::string key;
    key.reserve(module.size() + entity.size() + 24);
    key.append(module).append("|").append(entity).append("|v").append(std::to_string(version));
    if (key.size() <= kMaxKeyBytes) return key;
    // Keep a readable prefix for people reading the table; the hash keeps it unique. Cut on a
    // UTF-8 boundary so the column never holds half a character.
    std::size_t cut = kMaxKeyBytes - 65;
    while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
    return key.substr(0, cut) + "#" + sha256Hex(key);
}

}  // namespace conduit::crm
