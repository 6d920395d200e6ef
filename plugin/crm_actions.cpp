#include "crm_actions.hpp"

#include "action_fields.hpp"

#include <conduit/crm/foundation/text.hpp>

#include <charconv>
#include <optional>

namespace conduit::crm {
namespace {

using Texts = LocalizedText;
std::string pick(const Texts& t, const std::string& locale) { return Locale::of(locale).pick(t); }

constexpr Texts kNotANumber{"Поле должно быть целым числом", "Pole musi być liczbą całkowitą", "The field must be a whole number"};
constexpr Texts kMissing{"Обязательное поле не заполнено", "Wymagane pole jest puste", "A required field is empty"};
constexpr Texts kNotStored{"Запись принята, но ещё не сохранена (база данных недоступна); повторите с тем же requestId",
                           "Wpis przyjęty, ale jeszcze nie zapisany (baza danych niedostępna); ponów z tym samym requestId",
                           "Accepted but not stored yet (database unreachable); retry with the same requestId"};
constexpr Texts kSaved{"Сохранено", "Zapisano", "Saved"};

struct FieldError {
    std::string field, message;
};

std::int64_t number(const sdk::ActionRequest& r, const std::string& name, bool required, const std::string& locale) {
    const auto text = actionField(r, name);
    if (!text || text->empty()) {
        if (required) throw FieldError{name, pick(kMissing, locale) + ": " + name};
        return 0;
    }
    std::int64_t value = 0;
    const auto* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc{} || ptr != end) throw FieldError{name, pick(kNotANumber, locale) + ": " + name};
    return value;
}

sdk::TimePoint timeField(const sdk::ActionRequest& r, const std::string& locale, const Clock& clock) {
    if (auto seconds = number(r, "at", false, locale)) return sdk::TimePoint{std::chrono::seconds{seconds}};
    return clock();
}

Event dispatch(const sdk::ActionRequest& r, UserEvents& userEvents, const std::string& locale, const Clock& clock) {
    if (r.action == kActionPayment) {
        PaymentEntry e;
        e.requestId = r.requestId;
        e.authorId = r.userId;
        e.counterpartyId = number(r, "counterparty", true, locale);
        e.projectId = number(r, "project", false, locale);
        e.amount.minor = number(r, "amount_minor", true, locale);
        e.amount.currency = actionField(r, "currency").value_or("PLN");
        e.paidAt = timeField(r, locale, clock);
        e.document = actionField(r, "document").value_or("");
        e.note = actionField(r, "note").value_or("");
        return userEvents.registerPayment(e);
    }
    if (r.action == kActionCustomerNote) {
        CustomerNote n;
        n.requestId = r.requestId;
        n.authorId = r.userId;
        n.counterpartyId = number(r, "counterparty", true, locale);
        n.projectId = number(r, "project", false, locale);
        n.text = actionField(r, "text").value_or("");
        n.at = timeField(r, locale, clock);
        return userEvents.addCustomerNote(n);
    }
    MeasurementNote m;  // kActionMeasurementNote
    m.requestId = r.requestId;
    m.authorId = r.userId;
    m.projectId = number(r, "project", true, locale);
    m.text = actionField(r, "text").value_or("");
    m.at = timeField(r, locale, clock);
    for (const auto& f : r.files) {
        Attachment a;
        a.fileName = f.fileName;
        a.content = f.content;
        m.sheets.push_back(std::move(a));
    }
    return userEvents.addMeasurementNote(m);
}

}  // namespace

sdk::ActionResult handleCrmAction(const sdk::ActionRequest& request, UserEvents& userEvents, EventWriter& writer,
                                  const std::string& locale, const Clock& clock, std::chrono::milliseconds storeTimeout) {
    try {
        const Event e = dispatch(request, userEvents, locale, clock);
        // "Saved" only once committed; a duplicate request id is committed already (deduped).
        if (!writer.flush(storeTimeout)) return {false, pick(kNotStored, locale), {}, e.idempotencyKey};
        return {true, pick(kSaved, locale), {}, e.idempotencyKey};
    } catch (const FieldError& f) {
        return {false, f.message, f.field, {}};
    } catch (const ValidationError& v) {
        return {false, v.what(), v.field, {}};
    } catch (const std::exception& x) {
        return {false, x.what(), {}, {}};
    }
}

void provideCrmActions(sdk::IActionRegistry& registry, UserEvents& userEvents, EventWriter& writer,
                       const std::string& locale, Clock clock) {
    for (const char* name : {kActionPayment, kActionCustomerNote, kActionMeasurementNote})
        registry.provide(name, [&userEvents, &writer, locale, clock](const sdk::ActionRequest& r) {
            return handleCrmAction(r, userEvents, writer, locale, clock);
        });
}

void withdrawCrmActions(sdk::IActionRegistry& registry) {
    for (const char* name : {kActionPayment, kActionCustomerNote, kActionMeasurementNote}) registry.withdraw(name);
}

}  // namespace conduit::crm
