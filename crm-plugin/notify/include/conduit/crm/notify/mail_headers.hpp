// The header fields of a notification mail (marked auto-generated, one list per installation, one
// thread per project) and the mail client the sender talks to, which passes them on to a host of
// SDK 1.2 and sends without them on an older one.
#pragma once

#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/mail.hpp>

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::notify {

// What names this installation's mail: ids end in ".<installation>@<domain>".
struct MailIdentity {
    std::string installation = "conduit";
    std::string domain = "conduit.local";
};

// The thread an event's mail belongs to, without brackets, never sent as a message itself:
// "project-<id>.<installation>@<domain>", else "counterparty-<id>...", else "kind-<kind>...".
std::string threadRootId(const Event& event, const MailIdentity& identity);

// RFC 2919 list identifier: "notifications.<installation>.<domain>".
std::string listId(const MailIdentity& identity);

// Every notification: Auto-Submitted (RFC 3834), X-Auto-Response-Suppress (Exchange), List-Id
// with a description in the reader's language. Event mail (event non-null) also: In-Reply-To and
// References to its thread root, Thread-Topic (Outlook's conversation) naming the project,
// counterparty or kind. A digest stands alone: no thread.
sdk::MailHeaders notificationHeaders(std::string_view language, const Event* event, const MailIdentity& identity,
                                     const sdk::IDirectory& directory, const EventKindRegistry& kinds);

// An IMailClient in front of the host's: messages whose header fields were attached go through
// the host's IMailHeaderClient when it has one (SDK 1.2), otherwise through its IMailClient as
// they are. Attach before the sendBatch that carries the message; each batch uses up what was
// attached. Thread-safe.
class HeaderedMail final : public sdk::IMailClient {
public:
    HeaderedMail(sdk::IMailClient& mail, sdk::IMailHeaderClient* withHeaders) : mail_(mail), withHeaders_(withHeaders) {}

    void attach(const std::string& messageId, sdk::MailHeaders headers);
    sdk::SendResult send(const sdk::MailMessage& message) override;
    std::vector<sdk::SendResult> sendBatch(const std::vector<sdk::MailMessage>& messages) override;
    // Forgets what was attached and never sent (a batch split into chunks, the rest deferred or
    // skipped), so it cannot pile up: called once a batch is over.
    void discardUnsent();

private:
    std::vector<sdk::MailHeaders> take(const std::vector<sdk::MailMessage>& messages);

    sdk::IMailClient& mail_;
    sdk::IMailHeaderClient* withHeaders_;
    std::mutex mutex_;
    std::map<std::string, sdk::MailHeaders> attached_;
};

}  // namespace conduit::crm::notify
