// A ready IActionRegistry for hosts: a thread-safe name -> handler map. A handler is never called
// under the registry's lock, so a plugin may withdraw or provide actions from inside one.
#pragma once

#include <conduit/sdk/actions.hpp>

#include <memory>
#include <mutex>

namespace conduit::sdk {

class ActionRegistry final : public IActionRegistry {
public:
    void provide(const std::string& action, Handler handler) override;
    void withdraw(const std::string& action) override;
    // A handler that throws (against the contract) is answered as a failed result, never rethrown
    // into the host.
    std::optional<ActionResult> invoke(const ActionRequest& request) override;
    std::vector<std::string> actions() const override;

private:
    mutable std::mutex mutex_;
    // shared_ptr: a call in progress keeps its handler alive while another thread withdraws it.
    std::map<std::string, std::shared_ptr<const Handler>> handlers_;
};

}  // namespace conduit::sdk
