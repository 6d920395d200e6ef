// The SDK contract version a host and a plugin agree on before any plugin code runs.
// Additions at the END of HostServices bump the minor version (older plugins never read them);
// any other change to a type that crosses the host/plugin boundary bumps the major version.
#pragma once

#include <cstdint>

namespace conduit::sdk {

inline constexpr std::uint32_t kSdkVersionMajor = 1;
// 1.1: HostServices::actions, HostServices::clock.
// 1.2: HostServices::mailHeaders (IMailHeaderClient: extra header fields per message).
// 1.3: HostServices::directoryChanges (IDirectoryChanges: changes since a stamp, a signal per
//      change, commercial terms).
inline constexpr std::uint32_t kSdkVersionMinor = 3;

// Encoded as major * 1000 + minor. A host accepts a plugin of its own major and a minor no newer
// than its own (a newer plugin would read HostServices members this host does not have).
inline constexpr std::uint32_t kSdkVersion = kSdkVersionMajor * 1000 + kSdkVersionMinor;

inline constexpr std::uint32_t sdkMajor(std::uint32_t encoded) { return encoded / 1000; }
inline constexpr std::uint32_t sdkMinor(std::uint32_t encoded) { return encoded % 1000; }
// Whether a host of this SDK can run a plugin built against `plugin`.
inline constexpr bool sdkCompatible(std::uint32_t plugin) {
    return sdkMajor(plugin) == kSdkVersionMajor && sdkMinor(plugin) <= kSdkVersionMinor;
}

}  // namespace conduit::sdk
