// A well-behaved plugin that counts payments. Used to check start/stop order and that a plugin
// stopped while the host keeps emitting (from other threads too) neither crashes nor counts on.
#include <conduit/sdk/plugin.hpp>

#include <atomic>
#include <memory>

namespace {

class Counting final : public conduit::sdk::IPlugin {
public:
    conduit::sdk::PluginInfo info() const override { return {"test.counting", "Counting", "1.0"}; }
    void start(conduit::sdk::HostServices& s) override {
        services_ = &s;
        // Slots may still run right after disconnect() returns; they only touch this shared state.
        auto state = state_;
        if (auto* p = s.modules.payments())
            connection_ = p->paymentRegistered.connect([state](const auto&) {
                if (!state->stopped.load(std::memory_order_acquire)) state->count.fetch_add(1);
            });
        s.logger.log(conduit::sdk::LogLevel::Info, "test.counting", "order:start");
    }
    void stop() override {
        connection_.disconnect();
        state_->stopped.store(true, std::memory_order_release);
        services_->settings.set("test.counting.received", std::to_string(state_->count.load()));
        services_->logger.log(conduit::sdk::LogLevel::Info, "test.counting", "order:stop");
    }

private:
    struct State {
        std::atomic<bool> stopped{false};
        std::atomic<long> count{0};
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
    conduit::sdk::HostServices* services_ = nullptr;
    boost::signals2::scoped_connection connection_;
};

std::unique_ptr<conduit::sdk::IPlugin> create() { return std::make_unique<Counting>(); }

}  // namespace

CONDUIT_DECLARE_PLUGIN(create)
