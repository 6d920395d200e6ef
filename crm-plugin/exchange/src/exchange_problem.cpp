#include <conduit/crm/exchange/exchange_problem.hpp>

namespace conduit::crm::exchange {
namespace {

struct ProblemWords {
    ProblemCode code;
    std::string_view id;
    LocalizedText text;
};

constexpr ProblemWords kWords[] = {
    {ProblemCode::NotDecodable, "not_decodable",
     {"текст не читается в выбранной кодировке", "tekstu nie da się odczytać w wybranym kodowaniu",
      "the text cannot be read in the chosen encoding"}},
    {ProblemCode::UnknownFormat, "unknown_format",
     {"формат файла не распознан (ожидался vCard, CSV или LDIF)",
      "nie rozpoznano formatu pliku (oczekiwano vCard, CSV lub LDIF)",
      "the file's format is not recognised (expected vCard, CSV or LDIF)"}},
    {ProblemCode::Truncated, "truncated",
     {"файл обрывается посреди записи", "plik kończy się w środku rekordu",
      "the file ends in the middle of a record"}},
    {ProblemCode::MalformedLine, "malformed_line",
     {"строку не удалось разобрать", "nie udało się odczytać wiersza", "the line cannot be read"}},
    {ProblemCode::BadQuotedPrintable, "bad_quoted_printable",
     {"ошибка в кодировке quoted-printable", "błąd kodowania quoted-printable",
      "broken quoted-printable encoding"}},
    {ProblemCode::BadBase64, "bad_base64",
     {"ошибка в кодировке base64", "błąd kodowania base64", "broken base64 encoding"}},
    {ProblemCode::UnknownCharset, "unknown_charset",
     {"неизвестная кодировка символов", "nieznane kodowanie znaków", "unknown character set"}},
    {ProblemCode::BadDate, "bad_date",
     {"дата не читается", "nie można odczytać daty", "the date cannot be read"}},
    {ProblemCode::NoName, "no_name",
     {"у записи нет ни имени, ни организации, ни e-mail",
      "rekord nie ma ani nazwiska, ani firmy, ani e-maila",
      "the record has no name, organisation or e-mail"}},
    {ProblemCode::TooLarge, "too_large",
     {"превышен допустимый размер", "przekroczono dopuszczalny rozmiar", "over the size allowed"}},
    {ProblemCode::UnknownColumn, "unknown_column",
     {"неизвестный столбец, сохранён как дополнительное поле",
      "nieznana kolumna, zachowana jako pole dodatkowe",
      "unknown column, kept as an extra field"}},
    {ProblemCode::DirectoryUnreachable, "directory_unreachable",
     {"каталог LDAP недоступен или разорвал соединение",
      "katalog LDAP jest nieosiągalny albo zerwał połączenie",
      "the LDAP directory cannot be reached or dropped the connection"}},
    {ProblemCode::DirectoryRefused, "directory_refused",
     {"каталог LDAP отклонил вход: неверное имя или пароль",
      "katalog LDAP odrzucił logowanie: błędna nazwa lub hasło",
      "the LDAP directory refused the sign-in: wrong name or password"}},
    {ProblemCode::DirectoryBadQuery, "directory_bad_query",
     {"неверная база поиска или фильтр LDAP", "błędna baza wyszukiwania lub filtr LDAP",
      "wrong LDAP search base or filter"}},
    {ProblemCode::ValueNotKept, "value_not_kept",
     {"значение не принято каталогом и сохранено в примечаниях",
      "wartość odrzucona przez katalog, zachowana w uwagach",
      "value refused by the catalogue, kept in the notes"}},
    {ProblemCode::NotEncodable, "not_encodable",
     {"в выбранной кодировке нет такого символа", "wybrane kodowanie nie ma takiego znaku",
      "the chosen encoding has no such character"}},
    {ProblemCode::RaggedRow, "ragged_row",
     {"в строке не столько полей, сколько в заголовке", "wiersz ma inną liczbę pól niż nagłówek",
      "the row has a different number of fields than the header"}},
    {ProblemCode::ValueByUrl, "value_by_url",
     {"значение задано ссылкой (:<) и не загружается",
      "wartość podana jako odnośnik (:<) nie jest pobierana",
      "a value given as a link (:<) is not fetched"}},
    {ProblemCode::NotAnAddition, "not_an_addition",
     {"запись изменения (не добавления) пропущена",
      "pominięto rekord zmiany (a nie dodania)",
      "a change record (not an addition) is skipped"}},
    {ProblemCode::DirectoryLimited, "directory_limited",
     {"каталог LDAP отдал только часть записей (ограничение размера или времени)",
      "katalog LDAP oddał tylko część wpisów (limit rozmiaru lub czasu)",
      "the LDAP directory gave only part of the entries (a size or time limit)"}},
    {ProblemCode::Cancelled, "cancelled",
     {"выгрузка отменена; прежний файл сохранён", "eksport przerwano; poprzedni plik pozostał bez zmian",
      "the export was cancelled; the previous file is kept"}},
    {ProblemCode::WriteFailed, "write_failed",
     {"файл не удалось записать; прежний файл сохранён",
      "nie udało się zapisać pliku; poprzedni plik pozostał bez zmian",
      "the file could not be written; the previous file is kept"}},
};

const ProblemWords& wordsOf(ProblemCode code) {
    for (const auto& words : kWords)
        if (words.code == code) return words;
    return kWords[3];
}

}  // namespace

std::string_view toString(ProblemCode code) { return wordsOf(code).id; }

std::string describe(const ExchangeProblem& problem, const Locale& reader) {
    static constexpr LocalizedText kLine{"Строка", "Wiersz", "Line"};
    static constexpr LocalizedText kField{"поле", "pole", "field"};
    std::string out;
    if (problem.line != 0) out += std::string(reader.pick(kLine)) + " " + std::to_string(problem.line);
    if (!problem.field.empty()) {
        out += out.empty() ? std::string(reader.pick(kField)) : ", " + std::string(reader.pick(kField));
        out += " " + problem.field;
    }
    if (!out.empty()) out += ": ";
    out += reader.pick(wordsOf(problem.code).text);
    if (!problem.detail.empty()) out += " (" + problem.detail + ")";
    return out;
}

ExchangeError::ExchangeError(ExchangeProblem p)
    : std::runtime_error("exchange: " + std::string(toString(p.code)) +
                         (p.detail.empty() ? "" : ": " + p.detail)),
      problem(std::move(p)) {}

}  // namespace conduit::crm::exchange
