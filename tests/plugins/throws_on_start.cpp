// A plugin whose start() throws after it already connected a signal and added a form:
// the host logs the error, lets it undo, and carries on.
#include <conduit/sdk/plugin.hpp>

#include <stdexcept>

namespace {

class ThrowsOnStart final : public conduit::sdk::IPlugin {
public:
    conduit::sdk::PluginInfo info() const override { return {"test.throws_on_start", "Throws on start", "1.0"}; }
    void start(conduit::sdk::HostServices& s) override {
        services_ = &s;
        if (auto* p = s.modules.payments()) connection_ = p->paymentRegistered.connect([](const auto&) {});
        throw std::runtime_error("licence file missing: Żółć-Лицензия.key");
    }
    void stop() override {
        connection_.disconnect();
        if (services_) services_->logger.log(conduit::sdk::LogLevel::Info, "test.throws_on_start", "undone");
    }

private:
    conduit::sdk::HostServices* services_ = nullptr;
    boost::signals2::scoped_connection connection_;
};

std::unique_ptr<conduit::sdk::IPlugin> create() { return std::make_unique<ThrowsOnStart>(); }

}  // namespace

CONDUIT_DECLARE_PLUGIN(create)
