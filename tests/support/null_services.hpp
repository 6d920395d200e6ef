// Host services a test or benchmark needs to hand over but does not look at: a form registry that
// shows nothing and a mail client that accepts everything.
#pragma once

#include <conduit/sdk/forms.hpp>
#include <conduit/sdk/mail.hpp>

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

}  // namespace conduit::test
