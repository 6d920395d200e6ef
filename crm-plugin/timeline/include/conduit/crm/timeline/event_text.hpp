// An event's title and body in one reader's language and time zone, rendered from its facts, so
// that a Russian recipient and a Polish dispatcher each read the same event in their own words.
#pragma once

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/locale.hpp>
#include <conduit/crm/timeline/event.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

// What an event's text is made of beyond its columns (kind, stage, crew, dates, amount, invoice):
// names and numbers as the host gave them. Kept in the event's extra JSON under "facts"; an
// event without facts (stored before, or typed by a person) keeps the text it was stored with.
class EventFacts {
public:
    EventFacts& set(std::string_view key, std::string_view value);
    EventFacts& set(std::string_view key, sdk::Date value);
    EventFacts& set(std::string_view key, std::int64_t value);

    std::string text(std::string_view key) const;  // "" when absent
    std::optional<sdk::Date> date(std::string_view key) const;
    bool has(std::string_view key) const { return values_.count(std::string(key)) > 0; }

    // Nullopt when the event carries no facts (or its extra is not readable JSON).
    static std::optional<EventFacts> of(const Event& event);
    // Merges the facts into the event's extra, keeping its other keys ("audience", ...).
    void storeIn(Event& event) const;
    EventFacts& erase(std::string_view key);

    friend bool operator==(const EventFacts&, const EventFacts&) = default;

private:
    std::map<std::string, std::string> values_;
};

// Keys of the built-in kinds' facts.
namespace facts {
inline constexpr const char* kProject = "project";            // "P-2026-0042 «Okna, Łódź»"
inline constexpr const char* kCounterparty = "counterparty";  // the customer's name
inline constexpr const char* kOrder = "order";                // the host's order number
inline constexpr const char* kMaterials = "materials";
inline constexpr const char* kItems = "items";
inline constexpr const char* kQuantity = "quantity";
inline constexpr const char* kWarehouse = "warehouse";
inline constexpr const char* kWaybill = "waybill";            // "1": a waybill, not an invoice
inline constexpr const char* kDocument = "document";          // a payment's document number
inline constexpr const char* kPreviousStart = "previous_start";
inline constexpr const char* kPreviousDate = "previous_date";
inline constexpr const char* kAddress = "address";
inline constexpr const char* kLine = "line";                  // a typed note's first line
inline constexpr const char* kEntry = "entry";                // "1": entered by a person; the body is theirs
inline constexpr const char* kOn = "on";                      // the calendar date it happened, typed without an hour
inline constexpr const char* kFollower = "follower";          // who follows or unfollows by mail (their name)
inline constexpr const char* kFollowerId = "follower_id";     // ... their host user id
}  // namespace facts

// The calendar date an event was typed for without an hour (a payment dated another day), or
// nullopt when its time is a moment: a date-only event is shown as its date, never with an hour.
std::optional<sdk::Date> occurredOn(const Event& event);
namespace facts {
}  // namespace facts

struct EventText {
    std::string title, body;
};

// The event as `reader` reads it: rendered from facts when it has them and its kind has a
// template, otherwise as stored. Titles are cut to the title column's length.
// A copy whose details the rights redacted (redactDetails, Event::detailsRedacted) reads without
// them in every word: the title from the facts that are left ("Przedpłata od Barbara
// Zielińska"), or the kind's name when there are none; no body. Every place an event reaches a
// reader (feeds, cards, summaries, mail) renders through here, after redaction for that reader.
EventText eventText(const Event& event, const Formatter& reader);

// For a copy whose details are redacted: its extra keeps only the facts such a reader may read
// (not the payment's document number), so no detail survives in the raw extra either.
void keepReadableFactsOnly(Event& event);

// An area's own kinds (the catalogue's, later the planner's) rendered from their facts like the
// built-in ones: registered once at start; a second registration of a kind replaces the first.
using KindRenderer = std::function<EventText(const Event& event, const EventFacts& facts, const Formatter& reader)>;
void registerEventText(std::string kind, KindRenderer renderer);

// A built-in kind's name in `locale`; other kinds by their code.
std::string kindName(std::string_view kind, const Locale& locale);

// Keeps the facts in the event and sets its stored title and body from them in the
// installation's language (what search and older readers see).
void storeWithText(Event& event, const EventFacts& facts, const Formatter& installation);

// The built-in kinds whose wording in `locale` contains `word`, and the stages whose name does
// (case-insensitive): the feed's free-text search finds an event by the words its reader sees,
// not only by the words it was stored with.
struct ReaderWords {
    std::vector<std::string> kinds, stages;
};
ReaderWords readerWordsMatching(std::string_view word, const Locale& locale);

}  // namespace conduit::crm
