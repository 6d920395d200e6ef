#include <conduit/crm/entries/user_events.hpp>

#include <conduit/crm/access/access_control.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>

#include <algorithm>
#include <cctype>

namespace conduit::crm {
namespace {

using Texts = LocalizedText;

std::string pick(const Texts& t, const std::string& locale) { return Locale::of(locale).pick(t); }

[[noreturn]] void refuse(const std::string& field, const Texts& t, const std::string& locale, const std::string& detail = {}) {
    throw ValidationError(field, pick(t, locale) + (detail.empty() ? "" : ": " + detail));
}

constexpr Texts kNoRequest{"Нет идентификатора запроса", "Brak identyfikatora żądania", "Missing request id"};
constexpr Texts kNoAuthor{"Не указан автор", "Brak autora", "No author given"};
constexpr Texts kUnknownCounterparty{"Неизвестный контрагент", "Nieznany kontrahent", "Unknown counterparty"};
constexpr Texts kUnknownProject{"Неизвестный проект", "Nieznany projekt", "Unknown project"};
constexpr Texts kProjectOfOther{"Проект относится к другому контрагенту", "Projekt należy do innego kontrahenta",
                                "The project belongs to another counterparty"};
constexpr Texts kAmount{"Сумма должна быть больше нуля", "Kwota musi być większa od zera", "The amount must be greater than zero"};
constexpr Texts kCurrency{"Неверный код валюты", "Nieprawidłowy kod waluty", "Invalid currency code"};
constexpr Texts kEmptyText{"Текст заметки пуст", "Treść notatki jest pusta", "The note is empty"};
constexpr Texts kBadText{"Текст содержит недопустимые символы (не UTF-8)", "Tekst zawiera niedozwolone znaki (nie UTF-8)",
                         "The text contains invalid characters (not UTF-8)"};
constexpr Texts kTooLong{"Текст слишком длинный", "Tekst jest za długi", "The text is too long"};
constexpr Texts kTooMany{"Слишком много вложений", "Za dużo załączników", "Too many attachments"};
constexpr Texts kTooBig{"Файл слишком большой", "Plik jest za duży", "The file is too large"};
constexpr Texts kEmptyFile{"Файл пуст", "Plik jest pusty", "The file is empty"};
constexpr Texts kFileType{"Допускаются только PDF, JPEG, PNG и TIFF", "Dozwolone są tylko pliki PDF, JPEG, PNG i TIFF",
                          "Only PDF, JPEG, PNG and TIFF files are allowed"};

constexpr std::size_t kMaxNoteBytes = 64 * 1024;  // longer than the body column: the store keeps it whole

void checkText(const std::string& field, const std::string& text, bool required, const std::string& locale) {
    if (!isValidUtf8(text)) refuse(field, kBadText, locale);
    if (text.size() > kMaxNoteBytes) refuse(field, kTooLong, locale, std::to_string(text.size()) + " B");
    if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) refuse(field, kEmptyText, locale);
}

std::string titleFrom(const std::string& prefix, const std::string& text);

}  // namespace

void checkNoteText(const std::string& field, const std::string& text, bool required, const std::string& locale) {
    checkText(field, text, required, locale);
}

std::string noteTitle(const std::string& prefix, const std::string& text) { return titleFrom(prefix, text); }

AccessDenied accessDenied(std::string_view action, const std::string& kind, const std::string& locale) {
    Texts t = action == "create"   ? Texts{"Нет права создавать записи этого вида", "Brak uprawnień do tworzenia wpisów tego rodzaju",
                                           "You have no right to create entries of this kind"}
              : action == "edit"   ? Texts{"Нет права изменять эту запись", "Brak uprawnień do zmiany tego wpisu",
                                           "You have no right to change this entry"}
                                   : Texts{"Нет права удалять эту запись", "Brak uprawnień do usunięcia tego wpisu",
                                           "You have no right to delete this entry"};
    return AccessDenied(pick(t, locale) + ": " + kind);
}

namespace {

// The first line of a note, shortened on a character boundary, as the event's title.
std::string titleFrom(const std::string& prefix, const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    constexpr std::size_t kMax = 120;
    if (line.size() > kMax) {
        std::size_t cut = kMax;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        line = line.substr(0, cut) + "…";
    }
    return prefix + line;
}

}  // namespace


std::optional<std::string> sniffSheetMediaType(std::string_view b) {
    auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
    if (starts("%PDF-")) return "application/pdf";
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) return "image/tiff";
    return std::nullopt;
}

std::string safeFileName(std::string_view name) {
    // Only the last path component, whichever separator the sender's system used.
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::string out;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || ch == ':' || ch == '*' || ch == '?' || ch == '"' || ch == '<' || ch == '>' || ch == '|')
            out += '_';
        else
            out += ch;
    }
    if (!isValidUtf8(out)) {
        std::string ascii;
        for (char ch : out) ascii += static_cast<unsigned char>(ch) < 0x80 ? ch : '_';
        out = ascii;
    }
    // Bidirectional marks and overrides (U+200E/F, U+202A..E, U+2066..9) reorder the name on screen.
    for (std::size_t i = 0; i + 3 <= out.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(out[i]), b1 = static_cast<unsigned char>(out[i + 1]),
                   b2 = static_cast<unsigned char>(out[i + 2]);
        const bool bidi = b0 == 0xE2 && ((b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) ||
                                         (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9));
        if (bidi) out.replace(i, 3, "_");
    }
    if (out.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    // Dots and spaces trimmed last: shortening may leave a trailing dot (found by fuzz_attachment_meta).
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    return out.empty() ? "attachment" : out;
}

void UserEvents::deliver(const Event& e) {
    // The form keeps what the user typed when this throws: nothing is lost, they can save again.
    if (!submit_(e))
        throw std::runtime_error(pick({"Хранилище событий не принимает записи; попробуйте позже",
                                       "Magazyn zdarzeń nie przyjmuje wpisów; spróbuj ponownie później",
                                       "The event store is not accepting entries; try again later"},
                                      locale_));
}

void UserEvents::enforce(const AccessControl& access) { access_ = &access; }

void UserEvents::requireCreate(sdk::Id author, const std::string& kind, sdk::Id project) const {
    if (access_ && !access_->mayCreate(author, kind, project)) throw accessDenied("create", kind, locale_);
}

UserEvents::UserEvents(Submit submit, const sdk::IDirectory& directory, std::string locale, UserEventLimits limits)
    : submit_(std::move(submit)), directory_(directory), locale_(std::move(locale)),
      formatter_(Locale::of(locale_), TimeZone::defaultFor(Locale::of(locale_).language())), limits_(limits),
      zone_(TimeZone::defaultFor(Locale::of(locale_).language())) {}

void UserEvents::useCalendar(Clock clock, TimeZone zone) {
    clock_ = clockOr(std::move(clock));
    zone_ = std::move(zone);
}

sdk::TimePoint UserEvents::nowOr(sdk::TimePoint at) const { return at == sdk::TimePoint{} ? clock_() : at; }

// A date typed for today is the moment it is entered; another day stays a date: stored at the
// first instant of that day in the installation's zone (its place in the feed), its date a fact.
sdk::TimePoint UserEvents::when(const PaymentEntry& p, EventFacts& facts) const {
    if (!p.paidOn) return nowOr(p.paidAt);
    const auto now = clock_();
    if (*p.paidOn == zone_.localDate(now)) return now;
    facts.set(facts::kOn, *p.paidOn);
    return zone_.startOfDay(*p.paidOn);
}

namespace {

Event userEvent(const std::string& what, const std::string& requestId, sdk::Id author, sdk::TimePoint at,
                const std::string& kind) {
    Event e;
    e.idempotencyKey = idempotencyKey("user", what + ":" + requestId, 1);
    e.occurredAt = at;
    e.kind = kind;
    e.authorId = author;
    for (const auto& k : builtinKinds())
        if (k.code == kind) e.importance = k.defaultImportance;
    return e;
}

}  // namespace

Event UserEvents::registerPayment(const PaymentEntry& p) {
    if (p.requestId.empty()) refuse("requestId", kNoRequest, locale_);
    if (!p.authorId) refuse("author", kNoAuthor, locale_);
    const auto cp = directory_.counterparty(p.counterpartyId);
    if (!cp) refuse("counterparty", kUnknownCounterparty, locale_, "#" + std::to_string(p.counterpartyId));
    if (p.projectId) {
        const auto project = directory_.project(p.projectId);
        if (!project) refuse("project", kUnknownProject, locale_, "#" + std::to_string(p.projectId));
        if (project->counterpartyId != p.counterpartyId) refuse("project", kProjectOfOther, locale_, project->code);
    }
    requireCreate(p.authorId, kinds::kPaymentReceived, p.projectId);
    if (p.amount.minor <= 0) refuse("amount", kAmount, locale_);
    const auto& cur = p.amount.currency;
    if (cur.size() != 3 || !std::all_of(cur.begin(), cur.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        refuse("currency", kCurrency, locale_, cur);
    checkText("document", p.document, false, locale_);
    checkText("note", p.note, false, locale_);

    EventFacts facts;
    facts.set(facts::kCounterparty, cp->name).set(facts::kEntry, "1");
    auto e = userEvent("payment", p.requestId, p.authorId, when(p, facts), kinds::kPaymentReceived);
    e.counterpartyId = p.counterpartyId;
    e.projectId = p.projectId;
    e.amount = p.amount;
    e.body = p.document.empty() ? p.note : p.document + (p.note.empty() ? "" : "\n" + p.note);
    storeWithText(e, facts, formatter_);
    deliver(e);
    return e;
}

Event UserEvents::addCustomerNote(const CustomerNote& n) {
    if (n.requestId.empty()) refuse("requestId", kNoRequest, locale_);
    if (!n.authorId) refuse("author", kNoAuthor, locale_);
    if (!directory_.counterparty(n.counterpartyId))
        refuse("counterparty", kUnknownCounterparty, locale_, "#" + std::to_string(n.counterpartyId));
    if (n.projectId) {
        const auto project = directory_.project(n.projectId);
        if (!project) refuse("project", kUnknownProject, locale_, "#" + std::to_string(n.projectId));
        if (project->counterpartyId != n.counterpartyId) refuse("project", kProjectOfOther, locale_, project->code);
    }
    requireCreate(n.authorId, kinds::kCustomerNote, n.projectId);
    checkText("text", n.text, true, locale_);
    auto e = userEvent("note", n.requestId, n.authorId, nowOr(n.at), kinds::kCustomerNote);
    e.counterpartyId = n.counterpartyId;
    e.projectId = n.projectId;
    e.title = titleFrom("", n.text);
    e.body = n.text;
    deliver(e);
    return e;
}

Event UserEvents::addMeasurementNote(const MeasurementNote& n) {
    if (n.requestId.empty()) refuse("requestId", kNoRequest, locale_);
    if (!n.authorId) refuse("author", kNoAuthor, locale_);
    const auto project = directory_.project(n.projectId);
    if (!project) refuse("project", kUnknownProject, locale_, "#" + std::to_string(n.projectId));
    requireCreate(n.authorId, kinds::kMeasurementNote, n.projectId);
    checkText("text", n.text, n.sheets.empty(), locale_);
    if (n.sheets.size() > limits_.maxAttachments)
        refuse("attachment", kTooMany, locale_, std::to_string(n.sheets.size()) + " > " + std::to_string(limits_.maxAttachments));
    auto e = userEvent("measurement", n.requestId, n.authorId, nowOr(n.at), kinds::kMeasurementNote);
    e.projectId = n.projectId;
    e.counterpartyId = project->counterpartyId;
    for (const auto& sheet : n.sheets) {
        const auto name = safeFileName(sheet.fileName);
        if (sheet.content.empty()) refuse("attachment", kEmptyFile, locale_, name);
        if (static_cast<std::int64_t>(sheet.content.size()) > limits_.maxAttachmentBytes)
            refuse("attachment", kTooBig, locale_, name);
        const auto type = sniffSheetMediaType(sheet.content);
        if (!type) refuse("attachment", kFileType, locale_, name);
        e.attachments.push_back({name, *type, static_cast<std::int64_t>(sheet.content.size()), {}, sheet.content});
    }
    e.body = n.text;
    EventFacts facts;
    facts.set(facts::kLine, titleFrom("", n.text.empty() ? project->code : n.text)).set(facts::kEntry, "1");
    storeWithText(e, facts, formatter_);
    deliver(e);
    return e;
}

}  // namespace conduit::crm
