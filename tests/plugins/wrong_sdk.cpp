// A plugin built against an SDK this host does not speak (a future major, or a newer minor that
// expects HostServices members this host lacks): the host must refuse it before calling it.
#ifndef WRONG_SDK_VERSION
#define WRONG_SDK_VERSION 2000
#endif
#include <conduit/sdk/plugin.hpp>

#include <cstdlib>

namespace {

class WrongSdkPlugin final : public conduit::sdk::IPlugin {
public:
    conduit::sdk::PluginInfo info() const override { return {"test.wrong_sdk", "Wrong SDK", "1.0", WRONG_SDK_VERSION}; }
    void start(conduit::sdk::HostServices&) override { std::abort(); }
    void stop() override {}
};

// Calling this would be a host bug: the version check must come first.
std::unique_ptr<conduit::sdk::IPlugin> create() { std::abort(); }

}  // namespace

extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t conduit_sdk_version = WRONG_SDK_VERSION;
BOOST_DLL_ALIAS(create, conduit_create_plugin)
