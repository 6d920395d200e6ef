// A plugin built against a future SDK major version: the host must refuse it before calling it.
#include <conduit/sdk/plugin.hpp>

#include <cstdlib>

namespace {

class WrongSdkPlugin final : public conduit::sdk::IPlugin {
public:
    conduit::sdk::PluginInfo info() const override { return {"test.wrong_sdk", "Wrong SDK", "1.0", 2000}; }
    void start(conduit::sdk::HostServices&) override { std::abort(); }
    void stop() override {}
};

// Calling this would be a host bug: the version check must come first.
std::unique_ptr<conduit::sdk::IPlugin> create() { std::abort(); }

}  // namespace

extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t conduit_sdk_version = 2000;
BOOST_DLL_ALIAS(create, conduit_create_plugin)
