#include "module_monitor.hpp"

namespace conduit::crm {

long ModuleActivity::total() const {
    long n = 0;
    for (auto& [_, c] : bySignal) n += c;
    return n;
}

void ModuleMonitor::Counters::bump(const std::string& module, const std::string& signal) {
    std::lock_guard lock(mutex);
    ++counts[module][signal];
}

namespace {

const char* stageSignal(sdk::StageChange c) {
    switch (c) {
    case sdk::StageChange::Planned: return "stage_planned";
    case sdk::StageChange::Rescheduled: return "stage_rescheduled";
    case sdk::StageChange::Started: return "stage_started";
    case sdk::StageChange::Finished: return "stage_finished";
    }
    return "stage_changed";
}

}  // namespace

ModuleMonitor::ModuleMonitor(sdk::IModuleRegistry& modules) {
    auto c = counters_;
    auto count = [c](std::string module, std::string signal) {
        return [c, module = std::move(module), signal = std::move(signal)](const auto&) { c->bump(module, signal); };
    };
    auto track = [this](boost::signals2::connection conn) { connections_.emplace_back(std::move(conn)); };

    if (auto* m = modules.orders()) {
        track(m->materialsReserved.connect(count("orders", "materials_reserved")));
        track(m->prepaymentRequired.connect(count("orders", "prepayment_required")));
        track(m->productionLaunched.connect(count("orders", "production_launched")));
        connectedModules_.push_back("orders");
    }
    if (auto* m = modules.scheduling()) {
        track(m->crewAssigned.connect(count("scheduling", "crew_assigned")));
        track(m->stageChanged.connect([c](const sdk::StageEvent& e) { c->bump("scheduling", stageSignal(e.change)); }));
        track(m->installationPlanned.connect(count("scheduling", "installation_planned")));
        connectedModules_.push_back("scheduling");
    }
    if (auto* m = modules.fgWarehouse()) {
        track(m->itemsReceived.connect(count("fg_warehouse", "items_received")));
        connectedModules_.push_back("fg_warehouse");
    }
    if (auto* m = modules.multiWarehouse()) {
        track(m->projectInvoiced.connect(count("multi_warehouse", "project_invoiced")));
        track(m->materialsReserved.connect(count("multi_warehouse", "materials_reserved")));
        connectedModules_.push_back("multi_warehouse");
    }
    if (auto* m = modules.payments()) {
        track(m->paymentRegistered.connect(count("payments", "payment_registered")));
        connectedModules_.push_back("payments");
    }
}

ModuleMonitor::~ModuleMonitor() { disconnect(); }

void ModuleMonitor::disconnect() { connections_.clear(); }

std::vector<ModuleActivity> ModuleMonitor::activity() const {
    std::vector<ModuleActivity> out;
    std::lock_guard lock(counters_->mutex);
    for (auto& name : connectedModules_) {
        ModuleActivity a{name, {}};
        if (auto it = counters_->counts.find(name); it != counters_->counts.end()) a.bySignal = it->second;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace conduit::crm
