#include <conduit/crm/entries/user_event_changes.hpp>
#include <conduit/crm/foundation/locale.hpp>

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/access/audit_log.hpp>
#include <conduit/crm/foundation/sha256.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/timeline/event_store.hpp>
#include <conduit/crm/entries/user_events.hpp>
#include <conduit/crm/database/unit_of_work.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <soci/soci.h>

namespace conduit::crm {
namespace {

constexpr const char* kBodyFile = "body.txt";
constexpr const char* kBodyType = "text/plain; charset=utf-8";


// The writer keeps an over-long body whole as the last attachment "body.txt" (EventWriter).
bool hasBodyFile(const Event& e) {
    return !e.attachments.empty() && e.attachments.back().fileName == kBodyFile && e.attachments.back().mediaType == kBodyType;
}

std::string pick(const std::string& locale, const char* ru, const char* pl, const char* en) {
    return Locale::of(locale).pick({ru, pl, en});
}

void dropBodyFile(soci::session& s, std::int64_t eventId, int position) {
    long long id = eventId;
    s << "DELETE FROM CRM_EVENT_ATTACHMENT WHERE EVENT_ID = :e AND ATTACHMENT_NO = :p", soci::use(id), soci::use(position);
}

// The whole text as the event's "body.txt" at `position` (its content shared when stored already).
Attachment storeBodyFile(soci::session& s, std::int64_t eventId, int position, const std::string& text) {
    Attachment file{kBodyFile, kBodyType, static_cast<std::int64_t>(text.size()), sha256Hex(text), {}};
    long long id = eventId, size = file.size, exists = 0;
    s << "SELECT COUNT(*) FROM CRM_ATTACHMENT_CONTENT WHERE SHA256 = :h", soci::use(file.sha256), soci::into(exists);
    if (!exists) {
        soci::blob blob(s);
        blob.append(text.data(), text.size());
        s << "INSERT INTO CRM_ATTACHMENT_CONTENT (SHA256, SIZE_BYTES, CONTENT) VALUES (:h, :s, :c)",
            soci::use(file.sha256), soci::use(size), soci::use(blob);
    }
    std::string name = file.fileName, type = file.mediaType;
    s << "INSERT INTO CRM_EVENT_ATTACHMENT (EVENT_ID, ATTACHMENT_NO, FILE_NAME, MEDIA_TYPE, SIZE_BYTES, SHA256)"
         " VALUES (:e, :p, :f, :m, :s, :h)",
        soci::use(id), soci::use(position), soci::use(name), soci::use(type), soci::use(size), soci::use(file.sha256);
    return file;
}

}  // namespace

Event UserEventChanges::load(std::int64_t eventId) const {
    auto e = store_.event(eventId);
    if (!e)
        throw ValidationError("event", pick(locale_, "Запись не найдена или удалена", "Wpis nie istnieje lub został usunięty",
                                            "The entry does not exist or was deleted") +
                                           ": #" + std::to_string(eventId));
    if (hasBodyFile(*e)) {
        // The whole text, for the audit's old value and the editor.
        if (auto full = store_.attachmentContent(e->attachments.back().sha256)) e->body = *full;
    }
    return *e;
}

Event UserEventChanges::editText(sdk::Id actor, std::int64_t eventId, const std::string& newText) {
    const Event before = load(eventId);
    if (!access_.mayEdit(actor, before)) throw accessDenied("edit", before.kind, locale_);
    const bool isNote = before.kind.rfind("note.", 0) == 0;
    const std::size_t sheets = before.attachments.size() - (hasBodyFile(before) ? 1 : 0);
    checkNoteText("text", newText, isNote && sheets == 0, locale_);

    Event after = before;
    after.body = newText;
    if (before.kind == kinds::kMeasurementNote) {
        const auto colon = before.title.find(": ");
        const std::string prefix = colon == std::string::npos ? std::string{} : before.title.substr(0, colon + 2);
        if (!newText.empty()) after.title = noteTitle(prefix, newText);
    } else if (isNote) {
        after.title = noteTitle("", newText);
    }
    after.title = utf8Shorten(after.title, kMaxTitleChars);

    std::string column = newText;
    const bool longBody = utf8Length(newText) > kMaxBodyChars;
    if (longBody) column = utf8Prefix(newText, kMaxBodyChars - 1) + "…";

    inTransaction(store_.database(), "editing event #" + std::to_string(eventId), [&](soci::session& s) {
        int count = static_cast<int>(before.attachments.size());
        if (hasBodyFile(before)) {
            dropBodyFile(s, eventId, --count);
            after.attachments.pop_back();
        }
        if (longBody) after.attachments.push_back(storeBodyFile(s, eventId, count++, newText));
        long long id = eventId;
        soci::indicator iBody = column.empty() ? soci::i_null : soci::i_ok;
        soci::statement update = (s.prepare << "UPDATE CRM_EVENT SET TITLE = :t, BODY = :b, ATTACHMENT_COUNT = :c"
                                               " WHERE ID = :id AND DELETED_AT IS NULL",
                                  soci::use(after.title), soci::use(column, iBody), soci::use(count), soci::use(id));
        update.execute(true);
        if (update.get_affected_rows() != 1)
            throw ValidationError("event", pick(locale_, "Запись была удалена", "Wpis został usunięty", "The entry was deleted"));
        AuditLog::recordAt(s, clock_(), actor, "event", before.idempotencyKey, "update", auditJson(before), auditJson(after));
    });
    return after;
}

void UserEventChanges::remove(sdk::Id actor, std::int64_t eventId) {
    const Event before = load(eventId);
    if (!access_.mayDelete(actor, before)) throw accessDenied("delete", before.kind, locale_);
    inTransaction(store_.database(), "deleting event #" + std::to_string(eventId), [&](soci::session& s) {
        long long id = eventId, who = actor;
        const auto at = clock_();
        std::tm now = rows::toTm(at);
        soci::statement mark = (s.prepare << "UPDATE CRM_EVENT SET DELETED_AT = :t, DELETED_BY = :u WHERE ID = :id AND DELETED_AT IS NULL",
                                soci::use(now), soci::use(who), soci::use(id));
        mark.execute(true);
        if (mark.get_affected_rows() != 1)
            throw ValidationError("event", pick(locale_, "Запись уже удалена", "Wpis został już usunięty", "The entry is already deleted"));
        AuditLog::recordAt(s, at, actor, "event", before.idempotencyKey, "delete", auditJson(before), nullptr);
    });
}

}  // namespace conduit::crm
