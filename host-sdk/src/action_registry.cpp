#include <conduit/sdk/action_registry.hpp>

namespace conduit::sdk {

void ActionRegistry::provide(const std::string& action, Handler handler) {
    auto h = std::make_shared<const Handler>(std::move(handler));
    std::lock_guard lock(mutex_);
    handlers_[action] = std::move(h);
}

void ActionRegistry::withdraw(const std::string& action) {
    std::shared_ptr<const Handler> last;  // released outside the lock
    std::lock_guard lock(mutex_);
    if (auto it = handlers_.find(action); it != handlers_.end()) {
        last = std::move(it->second);
        handlers_.erase(it);
    }
}

std::optional<ActionResult> ActionRegistry::invoke(const ActionRequest& request) {
    std::shared_ptr<const Handler> handler;
    {
        std::lock_guard lock(mutex_);
        auto it = handlers_.find(request.action);
        if (it == handlers_.end()) return std::nullopt;
        handler = it->second;
    }
    try {
        return (*handler)(request);
    } catch (const std::exception& e) {
        return ActionResult{false, std::string("action ") + request.action + " failed: " + e.what(), {}, {}};
    } catch (...) {
        return ActionResult{false, "action " + request.action + " failed", {}, {}};
    }
}

std::vector<std::string> ActionRegistry::actions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (auto& [name, h] : handlers_) names.push_back(name);
    return names;
}

}  // namespace conduit::sdk
