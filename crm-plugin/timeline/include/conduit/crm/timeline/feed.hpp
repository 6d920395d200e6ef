// The read API's value types: what to show (FeedFilter), where a page ends (FeedCursor) and a
// page of events newest first (FeedPage). Plain values the forms keep and pass back.
#pragma once

#include <conduit/crm/foundation/access_scope.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/timeline/subject.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

// Every set field narrows the feed (AND). Empty filter: the whole company's feed.
struct FeedFilter {
    std::optional<sdk::Id> project;
    std::optional<sdk::Id> counterparty;
    std::optional<sdk::Id> author;
    // Events concerning this subject (a company, a person, a task, ...; a project or counterparty
    // subject is the same as `project` or `counterparty`). Paged from the subject's own index.
    std::optional<SubjectRef> subject;
    std::vector<std::string> kinds;            // any of these kind codes
    std::optional<std::string> sourceModule;
    std::optional<Importance> minImportance;   // this importance or higher
    std::optional<sdk::TimePoint> from;        // occurred at or after
    std::optional<sdk::TimePoint> to;          // occurred before
    // Case-insensitive substring of the title or the body column (its first 1000 characters;
    // Cyrillic and Polish included). Costs a scan
    // of the rows the other filters leave: fast when combined with a project or counterparty,
    // slow over the whole store for rare words (see docs/benchmarks.md).
    std::string text;
    // The reader's language ("ru", "pl", "en"): `text` also finds the events whose wording in it
    // holds the text (their kind's or stage's words), as the reader sees them rendered.
    std::string textLocale;
    // Whose feed this is (AccessControl::scope): hidden kinds, restricted projects and another
    // counterparty's events are left out in SQL, so pages stay full and paging stays gapless;
    // payment details the viewer may not see come back empty. Unset: everything (the system).
    std::optional<AccessScope> access;
};

// Position after the last event of a page: the keyset (occurredAt, id), newest first.
struct FeedCursor {
    sdk::TimePoint occurredAt{};
    std::int64_t id = 0;
    std::string toString() const;  // "1719400000:12345", for forms that keep state as text
    static std::optional<FeedCursor> parse(std::string_view text);
    friend bool operator==(const FeedCursor&, const FeedCursor&) = default;
};

struct FeedPage {
    std::vector<Event> events;        // attachments carry metadata only (content empty)
    std::optional<FeedCursor> next;   // set when more events may follow
};

}  // namespace conduit::crm
