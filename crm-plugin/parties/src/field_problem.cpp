#include <conduit/crm/parties/field_problem.hpp>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <utility>

namespace conduit::crm::parties {
namespace {

// Written to stand after the field's name ("NIP: …"), so one wording fits every field.
constexpr std::array<std::pair<FieldProblem, LocalizedText>, 15> kTexts{{
    {FieldProblem::Empty, {"не заполнено", "pole jest puste", "is empty"}},
    {FieldProblem::NotDigits, {"допустимы только цифры", "dozwolone są tylko cyfry", "may hold digits only"}},
    {FieldProblem::WrongLength, {"неверное количество цифр", "nieprawidłowa liczba cyfr", "has the wrong number of digits"}},
    {FieldProblem::WrongChecksum, {"неверное контрольное число — проверьте цифры", "nieprawidłowa cyfra kontrolna — sprawdź cyfry",
                                   "wrong check digit — check the digits"}},
    {FieldProblem::NotAPhone, {"это не номер телефона", "to nie jest numer telefonu", "is not a phone number"}},
    {FieldProblem::PhoneTooShort, {"номер слишком короткий", "numer jest za krótki", "the number is too short"}},
    {FieldProblem::PhoneTooLong, {"номер слишком длинный", "numer jest za długi", "the number is too long"}},
    {FieldProblem::PhoneNotInUse, {"такого номера не бывает в этой стране — проверьте код города или страны",
                                   "taki numer nie istnieje w tym kraju — sprawdź numer kierunkowy",
                                   "no such number in that country — check the area or country code"}},
    {FieldProblem::UnknownCountryCode, {"неизвестный код страны", "nieznany numer kierunkowy kraju", "unknown country code"}},
    {FieldProblem::EmailMalformed, {"адрес записан неверно (пример: anna@firma.pl)", "nieprawidłowy adres (przykład: anna@firma.pl)",
                                    "not an address (example: anna@firma.pl)"}},
    {FieldProblem::EmailDomainInvalid, {"неверное имя домена после @", "nieprawidłowa domena po @", "the domain after @ is not valid"}},
    {FieldProblem::DateInvalid, {"такой даты нет", "taka data nie istnieje", "no such date"}},
    {FieldProblem::DateInFuture, {"дата ещё не наступила", "data jest w przyszłości", "the date is in the future"}},
    {FieldProblem::TooLong, {"слишком длинный текст", "tekst jest za długi", "is too long"}},
    {FieldProblem::WrongValue, {"значение не подходит для этого поля", "ta wartość nie pasuje do tego pola",
                                "the value does not fit this field"}},
}};

struct FieldName {
    std::string_view code;
    LocalizedText name;
};

constexpr std::array<FieldName, 20> kFieldNames{{
    {"nip", {"NIP", "NIP", "NIP"}},
    {"regon", {"REGON", "REGON", "REGON"}},
    {"inn", {"ИНН", "INN", "INN"}},
    {"kpp", {"КПП", "KPP", "KPP"}},
    {"ogrn", {"ОГРН", "OGRN", "OGRN"}},
    {"ogrnip", {"ОГРНИП", "OGRNIP", "OGRNIP"}},
    {"phone", {"Телефон", "Telefon", "Phone"}},
    {"email", {"E-mail", "E-mail", "E-mail"}},
    {"birthday", {"День рождения", "Data urodzin", "Birthday"}},
    {"date", {"Дата", "Data", "Date"}},
    {"name", {"Название", "Nazwa", "Name"}},
    {"website", {"Сайт", "Strona WWW", "Website"}},
    {"influence", {"Влияние", "Wpływ", "Influence"}},
    {"region", {"Регион", "Region", "Region"}},
    {"industry", {"Отрасль", "Branża", "Industry"}},
    {"category", {"Категория", "Kategoria", "Category"}},
    {"notes", {"Примечания", "Uwagi", "Notes"}},
    {"tags", {"Метки", "Tagi", "Tags"}},
    {"photo", {"Фото", "Zdjęcie", "Photo"}},
    {"custom", {"Доп. поле", "Pole dodatkowe", "Custom field"}},
}};

const LocalizedText& textOf(FieldProblem problem) {
    for (const auto& [p, text] : kTexts)
        if (p == problem) return text;
    return kTexts.front().second;
}

std::string fieldName(std::string_view code, const Locale& reader) {
    // "custom.<code>": an administrator's field, named by its code.
    if (code.rfind("custom.", 0) == 0) return fieldName("custom", reader) + " «" + std::string(code.substr(7)) + "»";
    for (const auto& f : kFieldNames)
        if (f.code == code) return reader.pick(f.name);
    return std::string(code);
}

}  // namespace

FieldError::FieldError(FieldProblem p, std::string f)
    : std::invalid_argument(fieldName(f, Locale(Language::En)) + ": " + textOf(p).en), problem(p), field(std::move(f)) {}

std::string describe(FieldProblem problem, const Locale& reader, std::string_view subject) {
    const std::string text = reader.pick(textOf(problem));
    if (!subject.empty()) return std::string(subject) + ": " + text;
    // Standing alone it starts a sentence: the first letter capital, in any script.
    auto u = icu::UnicodeString::fromUTF8(text);
    if (u.isEmpty()) return text;
    const UChar32 first = u.char32At(0);
    u.replace(0, U16_LENGTH(first), static_cast<UChar32>(u_toupper(first)));
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::string describe(const FieldError& error, const Locale& reader) {
    return describe(error.problem, reader, fieldName(error.field, reader));
}

}  // namespace conduit::crm::parties
