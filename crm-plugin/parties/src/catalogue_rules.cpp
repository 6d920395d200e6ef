#include <conduit/crm/parties/catalogue_error.hpp>
#include <conduit/crm/parties/catalogue_rights.hpp>

namespace conduit::crm::parties {
namespace {

const LocalizedText kProblems[] = {
    {"Такой записи в каталоге нет (или она вам не видна)", "Nie ma takiego wpisu w katalogu (albo nie jest dla Ciebie widoczny)",
     "There is no such entry in the catalogue (or you may not see it)"},
    {"У вас нет прав на это действие в каталоге", "Nie masz uprawnień do tej czynności w katalogu",
     "You do not have the right to do this in the catalogue"},
    {"Запись тем временем изменил другой пользователь: откройте её заново и повторите изменение",
     "Wpis zmienił w międzyczasie ktoś inny: otwórz go ponownie i powtórz zmianę",
     "Someone else changed this entry meanwhile: open it again and repeat your change"},
    {"Это поле ведёт учётная система: измените его там, CRM подхватит изменение",
     "To pole prowadzi system: zmień je tam, CRM przejmie zmianę", "The host owns this field: change it there and the CRM follows"},
    {"Нельзя объединить запись саму с собой", "Nie można scalić wpisu z nim samym", "An entry cannot be merged into itself"},
    {"Эта запись уже объединена с другой: объединяйте с той, что осталась",
     "Ten wpis został już scalony z innym: scalaj z tym, który pozostał",
     "That entry was already merged into another: merge into the one that remained"},
    {"Компанию нельзя объединить с человеком", "Nie można scalić firmy z osobą", "A company cannot be merged with a person"},
    {"Оба — контрагенты учётной системы: объедините их там, CRM последует",
     "Obaj są kontrahentami systemu: scal ich w systemie, CRM pójdzie za nim",
     "Both are the host's counterparties: merge them in the host and the CRM follows"},
    {"Запись уже объединена", "Wpis jest już scalony", "The entry is already merged"},
    {"Это объединение нельзя отменить: оно уже отменено или на нём основано более позднее",
     "Tego scalenia nie można cofnąć: już cofnięte albo opiera się na nim późniejsze",
     "This merge cannot be undone: it was undone already or a later merge builds on it"},
    {"Влияние задаётся от −5 до +5", "Wpływ podaje się od −5 do +5", "Influence goes from −5 to +5"},
    {"Компания не может быть связана сама с собой", "Firma nie może być powiązana sama ze sobą", "A company cannot be related to itself"},
    {"Такого уровня иерархии нет в настройках", "Nie ma takiego poziomu hierarchii w ustawieniach",
     "There is no such hierarchy level in the settings"},
    {"Такого дополнительного поля нет", "Nie ma takiego pola dodatkowego", "There is no such custom field"},
    {"Значение не подходит к типу дополнительного поля", "Wartość nie pasuje do typu pola dodatkowego",
     "The value does not fit the custom field's type"},
    {"Здесь должна быть компания", "Tu musi być firma", "A company belongs here"},
    {"Здесь должен быть человек", "Tu musi być osoba", "A person belongs here"},
    {"Фото больше 512 КиБ", "Zdjęcie większe niż 512 KiB", "The photo is larger than 512 KiB"},
};

}  // namespace

CatalogueError::CatalogueError(CatalogueProblem problem, std::string detail)
    : std::runtime_error(std::string(Locale(Language::En).pick(kProblems[static_cast<int>(problem)])) + " [" + detail + "]"),
      problem(problem),
      detail(std::move(detail)) {}

std::string describe(const CatalogueError& error, const Locale& reader) {
    return reader.pick(kProblems[static_cast<int>(error.problem)]);
}

bool maySee(const CatalogueViewer& v, const Party& p) {
    if (!v.internal) return false;
    return !p.isPrivate || v.seesAll || p.ownerId == v.userId;
}

bool mayEdit(const CatalogueViewer& v, const Party& p) {
    if (!maySee(v, p)) return false;
    return v.edits || (p.ownerId != 0 && p.ownerId == v.userId);
}

bool mayCreate(const CatalogueViewer& v, const Party& draft) {
    return v.internal && (v.edits || (draft.ownerId != 0 && draft.ownerId == v.userId));
}

Party visibleCopy(const CatalogueViewer& v, Party p) {
    if (v.seesRestricted) return p;
    p.taxIds.clear();
    p.terms.reset();
    p.restrictedHidden = true;
    return p;
}

}  // namespace conduit::crm::parties
