// The header fields of a notification mail: marked auto-generated, one list per installation, one
// thread per project; the sender hands them to a host of SDK 1.2 and sends without them on an older one.
#pragma once

#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>

#include <conduit/sdk/directory.hpp>
#include <conduit/sdk/mail.hpp>

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

}  // namespace conduit::crm::notify
