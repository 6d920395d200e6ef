#include <conduit/crm/timeline/event_kind.hpp>

#include <conduit/crm/foundation/locale.hpp>

#include <stdexcept>
#include <string_view>

namespace conduit::crm {

const std::string& EventKind::name(std::string_view locale) const {
    const auto language = Locale::of(locale).language();
    if (language == Language::Ru && !nameRu.empty()) return nameRu;
    if (language == Language::Pl && !namePl.empty()) return namePl;
    return nameEn.empty() ? code : nameEn;
}

const std::vector<EventKind>& builtinKinds() {
    using I = Importance;
    using A = Audience;
    // External: what a customer may be told ("your order is in production", "installation is
    // planned", "payment received"). Notes, amounts owed, stock and crews stay internal.
    static const std::vector<EventKind> kinds{
        {"order.materials_reserved", "Материалы зарезервированы под заказ", "Materiały zarezerwowane dla zamówienia", "Materials reserved for order", "package-reserved", I::Low},
        {"order.prepayment_required", "Требуется предоплата", "Wymagana przedpłata", "Prepayment required", "payment-due", I::High},
        {"order.production_launched", "Заказ запущен в производство", "Zamówienie skierowane do produkcji", "Production launched", "factory", I::Normal, A::External},
        {"schedule.crew_assigned", "Назначена бригада", "Przydzielono ekipę", "Crew assigned", "crew", I::Normal},
        {"schedule.stage_planned", "Этап запланирован", "Etap zaplanowany", "Stage planned", "calendar-plan", I::Normal},
        {"schedule.stage_rescheduled", "Этап перенесён", "Etap przełożony", "Stage rescheduled", "calendar-move", I::High},
        {"schedule.stage_started", "Этап начат", "Etap rozpoczęty", "Stage started", "stage-start", I::Normal},
        {"schedule.stage_finished", "Этап завершён", "Etap zakończony", "Stage finished", "stage-done", I::Normal},
        {"schedule.installation_planned", "Запланирован монтаж", "Zaplanowano montaż", "Installation planned", "installation", I::High, A::External},
        {"warehouse.fg_received", "Изделия поступили на склад готовой продукции", "Wyroby przyjęte na magazyn wyrobów gotowych", "Finished goods received", "warehouse-in", I::Normal, A::External},
        {"warehouse.invoice_posted", "Проект включён в накладную", "Projekt ujęty w fakturze/WZ", "Invoice or waybill posted", "invoice", I::Normal},
        {"warehouse.materials_reserved", "Материалы зарезервированы на складе", "Materiały zarezerwowane w magazynie", "Materials reserved in warehouse", "package-reserved", I::Low},
        {"payment.received", "Поступил платёж", "Wpłynęła płatność", "Payment received", "payment", I::Normal, A::External},
        {"payment.prepayment_received", "Поступила предоплата", "Wpłynęła przedpłata", "Prepayment received", "payment", I::Normal, A::External},
        {"payment.final_received", "Поступил окончательный платёж", "Wpłynęła płatność końcowa", "Final payment received", "payment-final", I::Normal, A::External},
        {"payment.overdue", "Просрочена оплата", "Zaległa płatność", "Payment overdue", "payment-overdue", I::Critical},
        {"note.customer", "Заметка о клиенте", "Notatka o kliencie", "Customer note", "note", I::Normal},
        {"note.project", "Заметка по проекту", "Notatka do projektu", "Project note", "note", I::Normal},
        {"note.measurement", "Особенности замера и монтажа", "Uwagi z pomiaru i montażu", "Measurement note", "ruler", I::Normal},
        {"mail.sent", "Отправлено письмо", "Wysłano wiadomość", "Mail sent", "mail-sent", I::Low},
        {"notification.failed", "Уведомление не доставлено", "Nie doręczono powiadomienia", "Notification not delivered", "mail-failed", I::High},
        {"notification.followed", "Подписка на письма", "Obserwowanie w poczcie", "Followed by mail", "mail-sent", I::Low},
        {"notification.unfollowed", "Отписка от писем", "Koniec obserwowania w poczcie", "Unfollowed by mail", "mail-sent", I::Low},
        {"party.created", "Добавлен в каталог", "Dodano do katalogu", "Added to the catalogue", "party", I::Low},
        {"party.changed", "Изменены данные", "Zmieniono dane", "Details changed", "party", I::Low},
        {"party.merged", "Дубликаты объединены", "Scalono duplikaty", "Duplicates merged", "party-merge", I::Normal},
        {"party.merge_undone", "Объединение отменено", "Cofnięto scalenie", "Merge undone", "party-merge", I::Normal},
        {"party.removed_in_host", "Удалён в учётной системе", "Usunięto w systemie", "Removed in the host", "party", I::Normal},
        {"party.employment_added", "Новый контакт в компании", "Nowy kontakt w firmie", "Contact added to a company", "party", I::Low},
        {"party.employment_changed", "Изменены должность или влияние", "Zmieniono stanowisko lub wpływ", "Position or influence changed", "party", I::Low},
        {"party.relation_added", "Добавлена связь компаний", "Dodano powiązanie firm", "Relation added", "party-relation", I::Low},
        {"party.relation_ended", "Связь компаний завершена", "Zakończono powiązanie firm", "Relation ended", "party-relation", I::Low},
        {"party.certification_added", "Выдан сертификат", "Wydano certyfikat", "Certification added", "certificate", I::Normal},
        {"party.batch_loaded", "Загрузка в каталог", "Wczytano do katalogu", "Loaded into the catalogue", "party", I::Normal},
        {"party.load_undone", "Загрузка отменена", "Cofnięto wczytanie", "Load undone", "party", I::Normal},
    };
    return kinds;
}

EventKindRegistry::EventKindRegistry() {
    for (const auto& k : builtinKinds()) kinds_.emplace(k.code, k);
}

bool EventKindRegistry::isValidCode(std::string_view code) {
    // Lowercase ASCII words joined by dots: codes live in the database and in rules forever.
    if (code.empty() || code.size() > 64 || code.front() == '.' || code.back() == '.') return false;
    bool dot = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c == '.') {
            if (code[i - 1] == '.') return false;
            dot = true;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return dot;
}

void EventKindRegistry::add(EventKind kind) {
    if (!isValidCode(kind.code))
        throw std::invalid_argument("event kind code '" + kind.code + "' is not a dotted lowercase code (e.g. payment.received)");
    std::lock_guard lock(mutex_);
    auto [it, inserted] = kinds_.emplace(kind.code, kind);
    if (!inserted && !(it->second == kind))
        throw std::invalid_argument("event kind '" + kind.code + "' is already registered with a different definition");
}

std::optional<EventKind> EventKindRegistry::find(std::string_view code) const {
    std::lock_guard lock(mutex_);
    auto it = kinds_.find(code);
    if (it == kinds_.end()) return std::nullopt;
    return it->second;
}

bool EventKindRegistry::contains(std::string_view code) const { return find(code).has_value(); }

std::vector<EventKind> EventKindRegistry::all() const {
    std::lock_guard lock(mutex_);
    std::vector<EventKind> out;
    out.reserve(kinds_.size());
    for (const auto& [code, kind] : kinds_) out.push_back(kind);
    return out;
}

}  // namespace conduit::crm

namespace conduit::crm {

namespace {

// The value of "audience" in a flat JSON object, without a JSON library in the domain layer:
// finds the key, skips ':' and blanks, reads a quoted word. Anything unexpected: no override.
std::string_view audienceField(std::string_view json) {
    constexpr std::string_view key = "\"audience\"";
    const auto k = json.find(key);
    if (k == std::string_view::npos) return {};
    std::size_t i = k + key.size();
    auto skip = [&] { while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i; };
    skip();
    if (i >= json.size() || json[i] != ':') return {};
    ++i;
    skip();
    if (i >= json.size() || json[i] != '"') return {};
    const auto end = json.find('"', i + 1);
    if (end == std::string_view::npos) return {};
    return json.substr(i + 1, end - i - 1);
}

}  // namespace

Audience audienceOf(const Event& event, const EventKindRegistry& kinds) {
    const auto field = audienceField(event.extra);
    if (field == "internal") return Audience::Internal;
    if (field == "external") return Audience::External;
    const auto kind = kinds.find(event.kind);
    return kind ? kind->audience : Audience::Internal;
}

}  // namespace conduit::crm
