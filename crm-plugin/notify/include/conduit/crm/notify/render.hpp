// Mail text of a notification: subject, plain and HTML body in the recipient's language (ru, pl,
// en) and the installation's time zone. All event text is HTML-escaped in the HTML body.
#pragma once

#include <conduit/crm/foundation/time_zone.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/notify/outbox.hpp>

#include <conduit/sdk/directory.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm::notify {

struct RenderedMail {
    std::string subject, text, html;
};

struct RenderContext {
    const EventKindRegistry& kinds;
    const sdk::IDirectory& directory;
    sdk::TimePoint now{};        // reminders say "in 2 days" relative to it
    std::string ruleName;        // "why you got this" footer, as stored (shown in the reader's language)
    TimeZone zone = TimeZone::defaultFor(Language::Pl);  // the installation's: every time the mail prints
};

// One event (on occurrence or a reminder; row.late adds the "late" notice).
RenderedMail renderEvent(const OutboxRow& row, const Event& event, const RenderContext& context);

// A digest: events grouped by project, then counterparty (events of neither last).
RenderedMail renderDigest(const OutboxRow& row, const std::vector<Event>& events, const RenderContext& context);

// "<" -> "&lt;" etc.; also quotes.
std::string htmlEscape(std::string_view text);

// "ru", "pl" or "en", by the project's one rule (Locale::of: "ru_RU" is Russian, anything unknown English).
std::string_view normalizeLanguage(std::string_view language);

}  // namespace conduit::crm::notify
