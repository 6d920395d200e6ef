#include "mail_actions.hpp"

#include "action_fields.hpp"

#include <conduit/crm/foundation/text.hpp>

#include <charconv>
#include <optional>

namespace conduit::crm {
namespace {

constexpr LocalizedText kSaved{"Сохранено", "Zapisano", "Saved"};
constexpr LocalizedText kUnchanged{"Уже так", "Już tak jest", "Already so"};

struct Refusal {
    std::string field;
};

// An id field: 0 when absent, refused when it is there but no id.
sdk::Id idField(const sdk::ActionRequest& r, const std::string& name) {
    const auto s = actionText(r, name);
    if (s.empty()) return 0;
    sdk::Id id = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc{} || end != s.data() + s.size() || id <= 0) throw Refusal{name};
    return id;
}

sdk::Id whose(const sdk::ActionRequest& r) {
    const auto user = idField(r, "user");
    return user ? user : r.userId;
}

SubjectRef subjectOf(const sdk::ActionRequest& r) {
    if (const auto project = idField(r, "project")) return projectSubject(project);
    if (const auto counterparty = idField(r, "counterparty")) return counterpartySubject(counterparty);
    throw Refusal{"project"};
}

bool yesNo(const sdk::ActionRequest& r, const std::string& name) {
    const auto s = actionText(r, name);
    if (s == "yes" || s == "true" || s == "1") return true;
    if (s == "no" || s == "false" || s == "0") return false;
    throw Refusal{name};
}

std::string follow(const sdk::ActionRequest& r, notify::MailPreferences& preferences, const Locale& reader, std::string& reference) {
    const auto subject = subjectOf(r);
    const bool following = yesNo(r, "following");
    const auto user = whose(r);
    reference = std::string(subject.type.code()) + ":" + std::to_string(subject.id);
    if (preferences.following(user, subject) == following) return reader.pick(kUnchanged);
    preferences.follow(r.userId, user, subject, following, std::to_string(r.userId) + ":" + r.requestId);
    return reader.pick(kSaved);
}

std::string delivery(const sdk::ActionRequest& r, notify::MailPreferences& preferences, const Locale& reader) {
    const auto family = notify::mailFamilyFromString(actionText(r, "family"));
    if (!family) throw Refusal{"family"};
    const auto chosen = actionText(r, "delivery");
    const auto d = notify::deliveryFromString(chosen);
    if (!d && chosen != "rules") throw Refusal{"delivery"};
    preferences.set(r.userId, whose(r), *family, d);
    return reader.pick(kSaved);
}

}  // namespace

sdk::ActionResult handleMailAction(const sdk::ActionRequest& request, notify::MailPreferences& preferences, const std::string& locale) {
    const auto reader = Locale::of(locale);
    try {
        std::string reference;
        const auto message = request.action == kActionFollow ? follow(request, preferences, reader, reference)
                                                             : delivery(request, preferences, reader);
        return {true, message, {}, reference};
    } catch (const Refusal& refusal) {
        return {false, reader.pick(kValueNotAllowed), refusal.field, {}};
    } catch (const notify::PreferenceError& e) {
        return {false, notify::describe(e, reader), {}, {}};
    } catch (const std::exception& e) {
        return {false, e.what(), {}, {}};
    }
}

void provideMailActions(sdk::IActionRegistry& registry, notify::MailPreferences& preferences, const std::string& locale) {
    for (const char* name : {kActionFollow, kActionMailDelivery})
        registry.provide(name, [&preferences, locale](const sdk::ActionRequest& r) { return handleMailAction(r, preferences, locale); });
}

void withdrawMailActions(sdk::IActionRegistry& registry) {
    for (const char* name : {kActionFollow, kActionMailDelivery}) registry.withdraw(name);
}

}  // namespace conduit::crm
