// The SDK contract version a host and a plugin agree on before any plugin code runs.
// Bump the major version on any change to a type that crosses the host/plugin boundary.
#pragma once

#include <cstdint>

namespace conduit::sdk {

inline constexpr std::uint32_t kSdkVersionMajor = 1;
inline constexpr std::uint32_t kSdkVersionMinor = 0;

// Encoded as major * 1000 + minor; a host accepts a plugin whose major equals its own.
inline constexpr std::uint32_t kSdkVersion = kSdkVersionMajor * 1000 + kSdkVersionMinor;

inline constexpr std::uint32_t sdkMajor(std::uint32_t encoded) { return encoded / 1000; }
inline constexpr std::uint32_t sdkMinor(std::uint32_t encoded) { return encoded % 1000; }

}  // namespace conduit::sdk
