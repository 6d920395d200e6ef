// SHA-256 of a byte string as lowercase hex: the identity of attachment content (stored once
// per hash) and the tail of over-long idempotency keys. Small, dependency-free.
#pragma once

#include <string>
#include <string_view>

namespace conduit::crm {

std::string sha256Hex(std::string_view bytes);

}  // namespace conduit::crm
