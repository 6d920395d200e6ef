#include <conduit/crm/timeline/event_text.hpp>

#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/timeline/event_kind.hpp>
#include <conduit/crm/timeline/stage.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <map>
#include <shared_mutex>

namespace conduit::crm {
namespace {

using Json = nlohmann::json;
constexpr std::size_t kMaxFactChars = 200;  // facts share the 1000-character extra column

// The templates, one per phrase; fmt placeholders, quotes as each language writes them.
namespace t {
const LocalizedText kMaterialsReserved{"Материалы зарезервированы: {}", "Zarezerwowano materiały: {}", "Materials reserved: {}"};
const LocalizedText kPrepaymentDue{"Требуется предоплата {} до {}", "Wymagana przedpłata {} do {}", "Prepayment of {} due by {}"};
const LocalizedText kPrepaymentDueNoAmount{"Требуется предоплата до {}", "Wymagana przedpłata do {}", "Prepayment due by {}"};
const LocalizedText kCustomerProject{"Заказчик: {}. Проект: {}.", "Klient: {}. Projekt: {}.", "Customer: {}. Project: {}."};
const LocalizedText kProductionLaunched{"Заказ {} запущен в производство", "Zamówienie {} skierowane do produkcji",
                                        "Order {} launched into production"};
const LocalizedText kProjectFinish{"Проект: {}. Плановое окончание: {}.", "Projekt: {}. Planowane zakończenie: {}.",
                                   "Project: {}. Planned finish: {}."};
const LocalizedText kCrewAssigned{"Бригада «{}» назначена: {}, {}", "Ekipa „{}” przydzielona: {}, {}", "Crew “{}” assigned: {}, {}"};
const LocalizedText kStagePlanned{"Этап «{}» запланирован: {} – {}", "Etap „{}” zaplanowany: {} – {}", "Stage “{}” planned: {} – {}"};
const LocalizedText kStageRescheduled{"Этап «{}» перенесён на {} – {}", "Etap „{}” przełożony na {} – {}",
                                      "Stage “{}” rescheduled to {} – {}"};
const LocalizedText kPreviously{"Было: начало {}.", "Poprzednio: początek {}.", "Previously: start {}."};
const LocalizedText kStageStarted{"Этап «{}» начат", "Etap „{}” rozpoczęty", "Stage “{}” started"};
const LocalizedText kStageFinished{"Этап «{}» завершён", "Etap „{}” zakończony", "Stage “{}” finished"};
const LocalizedText kInstallationMoved{"Монтаж перенесён с {} на {}", "Montaż przełożony z {} na {}", "Installation moved from {} to {}"};
const LocalizedText kInstallationPlanned{"Монтаж запланирован на {}", "Montaż zaplanowany na {}", "Installation planned for {}"};
const LocalizedText kItemsReceived{"На склад «{}» поступило изделий: {}", "Przyjęto na magazyn „{}”: {} szt.",
                                   "{1} item(s) received at “{0}”"};
const LocalizedText kWaybill{"Накладная {} ({})", "WZ {} ({})", "Waybill {} ({})"};
const LocalizedText kInvoice{"Счёт-фактура {} ({})", "Faktura {} ({})", "Invoice {} ({})"};
const LocalizedText kWarehouseReserved{"Резерв материалов на складе «{}»", "Rezerwacja materiałów w magazynie „{}”",
                                       "Materials reserved at “{}”"};
const LocalizedText kPrepayment{"Предоплата {} от {}", "Przedpłata {} od {}", "Prepayment of {} from {}"};
const LocalizedText kPrepaymentNoAmount{"Предоплата от {}", "Przedpłata od {}", "Prepayment from {}"};
const LocalizedText kFinalPayment{"Окончательный платёж {} от {}", "Płatność końcowa {} od {}", "Final payment of {} from {}"};
const LocalizedText kFinalPaymentNoAmount{"Окончательный платёж от {}", "Płatność końcowa od {}", "Final payment from {}"};
const LocalizedText kPayment{"Платёж {} от {}", "Płatność {} od {}", "Payment of {} from {}"};
const LocalizedText kPaymentFrom{"Платёж от {}", "Płatność od {}", "Payment from {}"};
const LocalizedText kDocument{"Документ: {}", "Dokument: {}", "Document: {}"};
const LocalizedText kMeasurement{"Замер: {}", "Pomiar: {}", "Measurement: {}"};
const LocalizedText kFollowed{"{} получает письма об этом", "{} obserwuje to w poczcie", "{} follows this by mail"};
const LocalizedText kUnfollowed{"{} больше не получает писем об этом", "{} nie obserwuje już tego w poczcie", "{} no longer follows this by mail"};
}  // namespace t

struct Rendered {
    std::string title;
    std::optional<std::string> body;  // nullopt: the stored body (a person's own words)
};

using Template = std::function<Rendered(const Event&, const EventFacts&, const Formatter&)>;

struct KindTemplate {
    const char* kind;
    std::vector<const LocalizedText*> phrases;  // what search looks through
    Template render;
};

template <class... Args>
std::string say(const Formatter& f, const LocalizedText& text, Args&&... args) {
    return fmt::format(fmt::runtime(f.locale().pick(text)), std::forward<Args>(args)...);
}

std::string sentences(const std::string& first, const std::string& second) {
    if (first.empty()) return second;
    if (second.empty()) return first;
    return first + ". " + second;
}

std::string dateOr(const Formatter& f, const std::optional<sdk::Date>& d) { return d ? f.shortDate(*d) : std::string{}; }

// Due dates are calendar dates carried as the start of that day (UTC).
std::string dueDate(const Formatter& f, const Event& e) {
    return dateOr(f, crm::dueDate(e));
}

std::string stage(const Formatter& f, const Event& e) { return stageName(e.stage, f.locale().code()); }

Rendered orderMaterials(const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kMaterialsReserved, x.text(facts::kProject)), x.text(facts::kMaterials)};
}

Rendered prepaymentRequired(const Event& e, const EventFacts& x, const Formatter& f) {
    auto title = e.amount ? say(f, t::kPrepaymentDue, f.money(*e.amount), dueDate(f, e))
                          : say(f, t::kPrepaymentDueNoAmount, dueDate(f, e));
    return {title, say(f, t::kCustomerProject, x.text(facts::kCounterparty), x.text(facts::kProject))};
}

Rendered productionLaunched(const Event& e, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kProductionLaunched, x.text(facts::kOrder)),
            say(f, t::kProjectFinish, x.text(facts::kProject), dateOr(f, e.endDate))};
}

Rendered crewAssigned(const Event& e, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kCrewAssigned, e.crewName, stage(f, e), dateOr(f, e.startDate)), x.text(facts::kProject)};
}

Rendered stageChange(const LocalizedText& phrase, const Event& e, const EventFacts& x, const Formatter& f) {
    return {say(f, phrase, stage(f, e), dateOr(f, e.startDate), dateOr(f, e.endDate)), x.text(facts::kProject)};
}

Rendered stageRescheduled(const Event& e, const EventFacts& x, const Formatter& f) {
    auto r = stageChange(t::kStageRescheduled, e, x, f);
    if (auto previous = x.date(facts::kPreviousStart)) *r.body = sentences(*r.body, say(f, t::kPreviously, f.shortDate(*previous)));
    return r;
}

Rendered installationPlanned(const Event& e, const EventFacts& x, const Formatter& f) {
    const auto previous = x.date(facts::kPreviousDate);
    auto title = previous ? say(f, t::kInstallationMoved, f.shortDate(*previous), dateOr(f, e.startDate))
                          : say(f, t::kInstallationPlanned, dateOr(f, e.startDate));
    return {title, sentences(x.text(facts::kProject), x.text(facts::kAddress))};
}

Rendered itemsReceived(const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kItemsReceived, x.text(facts::kWarehouse), x.text(facts::kQuantity)),
            sentences(x.text(facts::kProject), x.text(facts::kItems))};
}

Rendered invoicePosted(const Event& e, const EventFacts& x, const Formatter& f) {
    const auto& phrase = x.text(facts::kWaybill) == "1" ? t::kWaybill : t::kInvoice;
    const std::string number = e.invoiceNumber.empty() ? "—" : e.invoiceNumber;  // emptied by the reader's rights
    return {say(f, phrase, number, x.text(facts::kWarehouse)), x.text(facts::kProject)};
}

Rendered warehouseReserved(const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kWarehouseReserved, x.text(facts::kWarehouse)),
            sentences(x.text(facts::kProject), x.text(facts::kMaterials))};
}

Rendered payment(const LocalizedText& withAmount, const LocalizedText& without, const Event& e, const EventFacts& x,
                 const Formatter& f) {
    const auto from = x.text(facts::kCounterparty);
    // A payment a person entered is titled by its payer; its amount is on its own line.
    if (x.text(facts::kEntry) == "1") return {say(f, without, from), std::nullopt};
    auto title = e.amount ? say(f, withAmount, f.money(*e.amount), from) : say(f, without, from);
    const auto document = x.text(facts::kDocument);
    return {title, sentences(x.text(facts::kProject), document.empty() ? "" : say(f, t::kDocument, document))};
}

Rendered measurement(const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, t::kMeasurement, x.text(facts::kLine)), std::nullopt};
}

Rendered following(const LocalizedText& phrase, const Event&, const EventFacts& x, const Formatter& f) {
    return {say(f, phrase, x.text(facts::kFollower)), std::nullopt};
}

const std::vector<KindTemplate>& templates() {
    using namespace std::placeholders;
    static const std::vector<KindTemplate> all{
        {kinds::kOrderMaterialsReserved, {&t::kMaterialsReserved}, orderMaterials},
        {kinds::kOrderPrepaymentRequired, {&t::kPrepaymentDue, &t::kCustomerProject}, prepaymentRequired},
        {kinds::kOrderProductionLaunched, {&t::kProductionLaunched, &t::kProjectFinish}, productionLaunched},
        {kinds::kCrewAssigned, {&t::kCrewAssigned}, crewAssigned},
        {kinds::kStagePlanned, {&t::kStagePlanned}, std::bind(stageChange, std::cref(t::kStagePlanned), _1, _2, _3)},
        {kinds::kStageRescheduled, {&t::kStageRescheduled, &t::kPreviously}, stageRescheduled},
        {kinds::kStageStarted, {&t::kStageStarted}, std::bind(stageChange, std::cref(t::kStageStarted), _1, _2, _3)},
        {kinds::kStageFinished, {&t::kStageFinished}, std::bind(stageChange, std::cref(t::kStageFinished), _1, _2, _3)},
        {kinds::kInstallationPlanned, {&t::kInstallationMoved, &t::kInstallationPlanned}, installationPlanned},
        {kinds::kItemsReceived, {&t::kItemsReceived}, itemsReceived},
        {kinds::kInvoicePosted, {&t::kWaybill, &t::kInvoice}, invoicePosted},
        {kinds::kWarehouseMaterialsReserved, {&t::kWarehouseReserved}, warehouseReserved},
        {kinds::kPrepaymentReceived, {&t::kPrepayment, &t::kDocument},
         std::bind(payment, std::cref(t::kPrepayment), std::cref(t::kPrepaymentNoAmount), _1, _2, _3)},
        {kinds::kFinalPaymentReceived, {&t::kFinalPayment, &t::kDocument},
         std::bind(payment, std::cref(t::kFinalPayment), std::cref(t::kFinalPaymentNoAmount), _1, _2, _3)},
        {kinds::kPaymentReceived, {&t::kPayment, &t::kPaymentFrom, &t::kDocument},
         std::bind(payment, std::cref(t::kPayment), std::cref(t::kPaymentFrom), _1, _2, _3)},
        {kinds::kMeasurementNote, {&t::kMeasurement}, measurement},
        {kinds::kFollowed, {&t::kFollowed}, std::bind(following, std::cref(t::kFollowed), _1, _2, _3)},
        {kinds::kUnfollowed, {&t::kUnfollowed}, std::bind(following, std::cref(t::kUnfollowed), _1, _2, _3)},
    };
    return all;
}

const KindTemplate* templateFor(std::string_view kind) {
    for (const auto& k : templates())
        if (kind == k.kind) return &k;
    return nullptr;
}

std::string folded(std::string_view text) {
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
        .foldCase()
        .toUTF8String(out);
    return out;
}

std::optional<sdk::Date> parseDate(const std::string& iso) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
    if (!ymd.ok()) return std::nullopt;
    return sdk::Date(ymd);
}

}  // namespace

EventFacts& EventFacts::set(std::string_view key, std::string_view value) {
    values_[std::string(key)] = utf8Shorten(replaceInvalidUtf8(value), kMaxFactChars);
    return *this;
}

EventFacts& EventFacts::set(std::string_view key, sdk::Date value) {
    const std::chrono::year_month_day ymd{value};
    return set(key, fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                static_cast<unsigned>(ymd.day())));
}

EventFacts& EventFacts::set(std::string_view key, std::int64_t value) { return set(key, std::to_string(value)); }

std::string EventFacts::text(std::string_view key) const {
    const auto it = values_.find(std::string(key));
    return it == values_.end() ? std::string{} : it->second;
}

std::optional<sdk::Date> EventFacts::date(std::string_view key) const {
    const auto it = values_.find(std::string(key));
    return it == values_.end() ? std::nullopt : parseDate(it->second);
}

std::optional<EventFacts> EventFacts::of(const Event& event) {
    if (event.extra.find("\"facts\"") == std::string::npos) return std::nullopt;  // most events: no parse
    const auto json = Json::parse(event.extra, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("facts") || !json["facts"].is_object()) return std::nullopt;
    EventFacts out;
    for (const auto& [key, value] : json["facts"].items())
        if (value.is_string()) out.values_[key] = value.get<std::string>();
    return out;
}

void EventFacts::storeIn(Event& event) const {
    auto json = event.extra.empty() ? Json::object() : Json::parse(event.extra, nullptr, false);
    if (json.is_discarded() || !json.is_object()) json = Json::object();
    json["facts"] = values_;
    event.extra = json.dump();
}

EventFacts& EventFacts::erase(std::string_view key) {
    values_.erase(std::string(key));
    return *this;
}

void keepReadableFactsOnly(Event& event) {
    auto facts = EventFacts::of(event);
    event.extra.clear();
    if (!facts) return;
    facts->erase(facts::kDocument);
    facts->storeIn(event);
}

namespace {

EventText render(const KindTemplate& kind, const Event& event, const EventFacts& facts, const Formatter& reader) {
    auto rendered = kind.render(event, facts, reader);
    return {utf8Shorten(rendered.title, kMaxTitleChars), rendered.body ? *rendered.body : event.body};
}

}  // namespace

namespace {

// What a reader without the kind's details reads: the template's words from the facts that are
// left (no amount, no invoice number), no body; without facts only the kind's name.
EventText redactedText(const KindTemplate* kind, const Event& event, const std::optional<EventFacts>& facts,
                       const Formatter& reader) {
    if (kind && facts) return {render(*kind, event, *facts, reader).title, {}};
    return {kindName(event.kind, reader.locale()), {}};
}

}  // namespace

std::optional<sdk::Date> occurredOn(const Event& event) {
    if (event.extra.find("\"on\"") == std::string::npos) return std::nullopt;
    const auto facts = EventFacts::of(event);
    return facts ? facts->date(facts::kOn) : std::nullopt;
}

std::string kindName(std::string_view kind, const Locale& locale) {
    for (const auto& k : builtinKinds())
        if (k.code == kind) return k.name(locale.code());
    return std::string(kind);
}

namespace {

struct RegisteredTexts {
    std::shared_mutex mutex;
    std::map<std::string, KindRenderer, std::less<>> renderers;
};

RegisteredTexts& registered() {
    static RegisteredTexts texts;
    return texts;
}

KindRenderer registeredRenderer(std::string_view kind) {
    auto& r = registered();
    std::shared_lock lock(r.mutex);
    const auto it = r.renderers.find(kind);
    return it == r.renderers.end() ? KindRenderer{} : it->second;
}

EventText cutTitle(EventText text) {
    text.title = utf8Shorten(text.title, kMaxTitleChars);
    return text;
}

}  // namespace

void registerEventText(std::string kind, KindRenderer renderer) {
    auto& r = registered();
    std::unique_lock lock(r.mutex);
    r.renderers.insert_or_assign(std::move(kind), std::move(renderer));
}

EventText eventText(const Event& event, const Formatter& reader) {
    const auto* kind = templateFor(event.kind);
    if (!kind) {
        // An area's kind: none of them carries payment details, so a redacted copy reads the same.
        if (auto renderer = registeredRenderer(event.kind))
            if (auto facts = EventFacts::of(event)) return cutTitle(renderer(event, *facts, reader));
    }
    const auto facts = kind ? EventFacts::of(event) : std::nullopt;
    if (event.detailsRedacted) return redactedText(kind, event, facts, reader);
    if (!facts) return {event.title, event.body};
    return render(*kind, event, *facts, reader);
}

void storeWithText(Event& event, const EventFacts& facts, const Formatter& installation) {
    facts.storeIn(event);
    // Rendered from the facts in hand: the mapping thread does not parse back what it just wrote.
    if (const auto* kind = templateFor(event.kind)) {
        auto text = render(*kind, event, facts, installation);
        event.title = std::move(text.title);
        event.body = std::move(text.body);
    } else if (auto renderer = registeredRenderer(event.kind)) {
        auto text = cutTitle(renderer(event, facts, installation));
        event.title = std::move(text.title);
        event.body = std::move(text.body);
    }
}

ReaderWords readerWordsMatching(std::string_view word, const Locale& locale) {
    ReaderWords out;
    const auto needle = folded(word);
    if (needle.empty()) return out;
    const auto& builtins = builtinKinds();
    for (const auto& k : templates()) {
        const auto kind = std::find_if(builtins.begin(), builtins.end(), [&](const EventKind& b) { return b.code == k.kind; });
        std::string words = kind != builtins.end() ? kind->name(locale.code()) : std::string{};
        for (const auto* phrase : k.phrases) words += std::string(" ") + locale.pick(*phrase);
        if (folded(words).find(needle) != std::string::npos) out.kinds.emplace_back(k.kind);
    }
    for (const auto& code : builtinStages())
        if (folded(stageName(code, locale.code())).find(needle) != std::string::npos) out.stages.push_back(code);
    return out;
}

}  // namespace conduit::crm
