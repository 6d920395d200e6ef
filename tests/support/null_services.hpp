// Host services a test or benchmark needs to hand over but does not look at: a form registry that
// shows nothing, a mail client that accepts everything, settings that keep nothing, and a host
// with only the payments module (the test emits its signal; catch-up finds nothing).
#pragma once

#include <conduit/sdk/forms.hpp>
#include <conduit/sdk/mail.hpp>
#include <conduit/sdk/modules.hpp>
#include <conduit/sdk/services.hpp>

namespace conduit::test {

struct NullForms final : sdk::IFormRegistry {
    void addForm(sdk::FormSpec) override {}
    void removeForm(const std::string&) override {}
    bool openForm(const std::string&) override { return false; }
};

struct NullMail final : sdk::IMailClient {
    sdk::SendResult send(const sdk::MailMessage&) override { return {}; }
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& m) override {
        return std::vector<sdk::SendResult>(m.size());
    }
};

struct NullSettings final : sdk::ISettings {
    std::optional<std::string> get(std::string_view) const override { return std::nullopt; }
    void set(std::string_view, std::string_view) override {}
};

struct SilentPayments final : sdk::IPaymentsModule {
    std::string_view id() const override { return "payments"; }
    std::vector<sdk::PaymentsChange> changesSince(std::int64_t, std::size_t) override { return {}; }
};

struct PaymentsOnlyModules final : sdk::IModuleRegistry {
    sdk::IOrdersModule* orders() override { return nullptr; }
    sdk::ISchedulingModule* scheduling() override { return nullptr; }
    sdk::IFgWarehouseModule* fgWarehouse() override { return nullptr; }
    sdk::IMultiWarehouseModule* multiWarehouse() override { return nullptr; }
    sdk::IPaymentsModule* payments() override { return &payments_; }
    std::vector<std::string> presentModules() const override { return {"payments"}; }
    SilentPayments payments_;
};

}  // namespace conduit::test
