#include <conduit/crm/notify/mail_headers.hpp>

#include <conduit/crm/foundation/locale.hpp>

namespace conduit::crm::notify {
namespace {

constexpr LocalizedText kListName{"Уведомления Conduit CRM", "Powiadomienia Conduit CRM", "Conduit CRM notifications"};

// A piece of a message id: letters, digits, '.', '-', '_' (kind codes are made of these).
std::string idPart(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '-' || c == '_';
        out += keep ? c : '-';
    }
    return out;
}

std::string suffix(const MailIdentity& identity) { return "." + idPart(identity.installation) + "@" + idPart(identity.domain); }

// What a person calls the thread: the project, else the counterparty, else the kind.
std::string threadTopic(const Event& e, const Locale& reader, const sdk::IDirectory& directory, const EventKindRegistry& kinds) {
    if (e.projectId) {
        if (auto p = directory.project(e.projectId)) return p->code + " «" + p->name + "»";
        return "#" + std::to_string(e.projectId);
    }
    if (e.counterpartyId) {
        if (auto c = directory.counterparty(e.counterpartyId)) return c->name;
        return "#" + std::to_string(e.counterpartyId);
    }
    const auto kind = kinds.find(e.kind);
    return kind ? kind->name(reader.code()) : e.kind;
}

}  // namespace

std::string threadRootId(const Event& event, const MailIdentity& identity) {
    if (event.projectId) return "project-" + std::to_string(event.projectId) + suffix(identity);
    if (event.counterpartyId) return "counterparty-" + std::to_string(event.counterpartyId) + suffix(identity);
    return "kind-" + idPart(event.kind) + suffix(identity);
}

std::string listId(const MailIdentity& identity) {
    return "notifications." + idPart(identity.installation) + "." + idPart(identity.domain);
}

sdk::MailHeaders notificationHeaders(std::string_view language, const Event* event, const MailIdentity& identity,
                                     const sdk::IDirectory& directory, const EventKindRegistry& kinds) {
    const Locale reader = Locale::of(language);
    // NDRs stay allowed: they reach the host's sender mailbox, where an administrator sees bounces.
    sdk::MailHeaders headers{{"Auto-Submitted", "auto-generated"},
                             {"X-Auto-Response-Suppress", "OOF, AutoReply"},
                             {"List-Id", std::string(reader.pick(kListName)) + " <" + listId(identity) + ">"}};
    if (!event) return headers;
    const std::string root = "<" + threadRootId(*event, identity) + ">";
    headers.push_back({"In-Reply-To", root});
    headers.push_back({"References", root});
    headers.push_back({"Thread-Topic", threadTopic(*event, reader, directory, kinds)});
    return headers;
}

}  // namespace conduit::crm::notify
