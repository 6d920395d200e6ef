#include "feed/live_updates.hpp"

#include <mutex>

namespace conduit::forms {

// Outlives LiveUpdates when a callback copy does; the mutex makes "post to target" and
// "target is being destroyed" exclusive, and Qt drops events posted to a deleted object.
struct LiveUpdates::Relay {
    std::mutex mutex;
    LiveUpdates* target = nullptr;
};

LiveUpdates::LiveUpdates(QObject* parent) : QObject(parent), relay_(std::make_shared<Relay>()) {
    relay_->target = this;
}

LiveUpdates::~LiveUpdates() {
    std::lock_guard lock(relay_->mutex);
    relay_->target = nullptr;
}

crm::EventWriter::BatchCallback LiveUpdates::batchCallback() const {
    return [relay = relay_](const crm::BatchMetrics&, const std::vector<std::int64_t>& newIds) {
        if (newIds.empty()) return;  // duplicates only: nothing new to show
        const int written = static_cast<int>(newIds.size());
        std::lock_guard lock(relay->mutex);
        if (auto* target = relay->target)
            QMetaObject::invokeMethod(target, [target, written] { emit target->eventsWritten(written); },
                                      Qt::QueuedConnection);
    };
}

}  // namespace conduit::forms
