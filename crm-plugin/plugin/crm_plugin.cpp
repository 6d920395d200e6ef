// Conduit CRM's plugin entry: states what it is, takes its host services in start(), wires the
// core, adapters and forms together, and tears them down in reverse order in stop().
#include "module_monitor.hpp"

#include <conduit/sdk/plugin.hpp>
#include <dispatcher/dispatcher_form.hpp>

#include <optional>

namespace conduit::crm {
namespace {

constexpr const char* kDispatcherForm = "crm.dispatcher";

class CrmPlugin final : public sdk::IPlugin {
public:
    sdk::PluginInfo info() const override { return {"conduit.crm", "Conduit CRM", "0.1.0", sdk::kSdkVersion}; }

    void start(sdk::HostServices& services) override {
        services_ = &services;
        monitor_.emplace(services.modules);
        std::string present;
        for (auto& m : monitor_->connectedModules()) present += (present.empty() ? "" : ", ") + m;
        log(sdk::LogLevel::Info, "connected to host modules: " + (present.empty() ? std::string("none") : present));

        auto* monitor = &*monitor_;
        services.forms.addForm({kDispatcherForm, "Dispatcher", "CRM/Dispatcher workstation", true,
                                [monitor](QWidget* parent) -> QWidget* {
                                    return new forms::DispatcherForm(
                                        [monitor] {
                                            std::vector<forms::ActivityRow> rows;
                                            for (auto& a : monitor->activity())
                                                for (auto& [signal, n] : a.bySignal)
                                                    rows.push_back({QString::fromStdString(a.module),
                                                                    QString::fromStdString(signal), n});
                                            return rows;
                                        },
                                        parent);
                                }});
        formAdded_ = true;
    }

    void stop() override {
        if (!services_) return;
        // Reverse order of start: the form goes first (it reads the monitor), then the connections.
        if (formAdded_) services_->forms.removeForm(kDispatcherForm);
        formAdded_ = false;
        if (monitor_) {
            monitor_->disconnect();
            report();
            monitor_.reset();
        }
        services_ = nullptr;
    }

private:
    void log(sdk::LogLevel level, const std::string& message) { services_->logger.log(level, "crm", message); }

    void report() {
        long total = 0;
        for (auto& a : monitor_->activity()) {
            std::string line = a.module + ": " + std::to_string(a.total()) + " received";
            std::string parts;
            for (auto& [signal, n] : a.bySignal) parts += (parts.empty() ? "" : ", ") + signal + " " + std::to_string(n);
            if (!parts.empty()) line += " (" + parts + ")";
            log(sdk::LogLevel::Info, line);
            total += a.total();
        }
        log(sdk::LogLevel::Info, "total received from host modules: " + std::to_string(total));
    }

    sdk::HostServices* services_ = nullptr;
    std::optional<ModuleMonitor> monitor_;
    bool formAdded_ = false;
};

std::unique_ptr<sdk::IPlugin> createCrmPlugin() { return std::make_unique<CrmPlugin>(); }

}  // namespace
}  // namespace conduit::crm

CONDUIT_DECLARE_PLUGIN(conduit::crm::createCrmPlugin)
