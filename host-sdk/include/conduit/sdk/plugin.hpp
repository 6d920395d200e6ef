// What a plugin is to its host: it states who it is, gets its services on start, releases
// every connection and form on stop. Exported through one Boost.DLL alias plus a version symbol.
#pragma once

#include <conduit/sdk/services.hpp>
#include <conduit/sdk/version.hpp>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace conduit::sdk {

struct PluginInfo {
    std::string id;       // "conduit.crm"
    std::string name;     // human-readable
    std::string version;  // the plugin's own version
    std::uint32_t sdkVersion = kSdkVersion;  // the SDK the plugin was built against
};

class IPlugin {
public:
    virtual ~IPlugin() = default;
    virtual PluginInfo info() const = 0;
    // May throw; the host logs the error and carries on without the plugin.
    virtual void start(HostServices& services) = 0;
    // Must disconnect every signal and remove every form; the library stays mapped after it.
    virtual void stop() = 0;
};

using PluginFactory = std::unique_ptr<IPlugin>();

}  // namespace conduit::sdk

// The plugin's exported symbols. The version is a plain variable so the host can read it
// without calling any plugin code; the factory is a Boost.DLL alias.
#define CONDUIT_SDK_VERSION_SYMBOL conduit_sdk_version
#define CONDUIT_PLUGIN_FACTORY_SYMBOL conduit_create_plugin
#define CONDUIT_SDK_VERSION_SYMBOL_NAME "conduit_sdk_version"
#define CONDUIT_PLUGIN_FACTORY_SYMBOL_NAME "conduit_create_plugin"

#define CONDUIT_DECLARE_PLUGIN(FactoryFunction)                                                     \
    extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t conduit_sdk_version = ::conduit::sdk::kSdkVersion; \
    BOOST_DLL_ALIAS(FactoryFunction, conduit_create_plugin)
