// A plugin built for SDK 1.1, before HostServices::mailHeaders existed: it reads only the members
// of its own minor version, so a newer-minor host runs it as it is.
#include <conduit/sdk/plugin.hpp>

namespace {

class OlderMinor final : public conduit::sdk::IPlugin {
public:
    conduit::sdk::PluginInfo info() const override { return {"test.older_minor", "Older minor", "1.0", 1001}; }
    void start(conduit::sdk::HostServices& s) override {
        services_ = &s;
        s.logger.log(conduit::sdk::LogLevel::Info, "test.older_minor",
                     std::string("started; actions ") + (s.actions ? "offered" : "absent"));
    }
    void stop() override { services_->logger.log(conduit::sdk::LogLevel::Info, "test.older_minor", "stopping"); }

private:
    conduit::sdk::HostServices* services_ = nullptr;
};

std::unique_ptr<conduit::sdk::IPlugin> create() { return std::make_unique<OlderMinor>(); }

}  // namespace

extern "C" BOOST_SYMBOL_EXPORT const std::uint32_t conduit_sdk_version = 1001;
BOOST_DLL_ALIAS(create, conduit_create_plugin)
