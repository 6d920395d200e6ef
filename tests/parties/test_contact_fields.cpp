// Phones, e-mail addresses and memorable dates as people type them, and as they mistype them.
#include <conduit/crm/parties/email_address.hpp>
#include <conduit/crm/parties/host_counterparty.hpp>
#include <conduit/crm/parties/memorable_date.hpp>
#include <conduit/crm/parties/phone_number.hpp>

#include <gtest/gtest.h>

using namespace conduit::crm;
using namespace conduit::crm::parties;
using namespace std::chrono;

TEST(Phone, HowPolesAndRussiansWriteANumberBecomesOneE164) {
    EXPECT_EQ(parsePhone("22 654 32 10", "PL").e164, "+48226543210");
    EXPECT_EQ(parsePhone("+48 (22) 654-32-10", "RU").e164, "+48226543210");
    EXPECT_EQ(parsePhone("0048 22 654 32 10", "PL").e164, "+48226543210");
    EXPECT_EQ(parsePhone("8 (495) 123-45-67", "RU").e164, "+74951234567");
    EXPECT_EQ(parsePhone("+7 495 1234567", "PL").e164, "+74951234567");
    EXPECT_EQ(parsePhone("601 234 567", "PL").kind, PhoneKind::Mobile);
}

TEST(Phone, ShownInTheReadersNationalFormatOrInternationally) {
    const auto warsaw = parsePhone("226543210", "PL");
    EXPECT_EQ(displayText(warsaw, "PL"), "22 654 32 10");
    EXPECT_EQ(displayText(warsaw, "RU"), "+48 22 654 32 10");
    EXPECT_EQ(displayText(parsePhone("+74951234567", "PL"), "RU"), "8 (495) 123-45-67");
}

TEST(Phone, WhatIsNoPhoneIsRefusedWithTheReason) {
    EXPECT_EQ(phoneProblem("", "PL"), FieldProblem::Empty);
    EXPECT_EQ(phoneProblem("Kowalski", "PL"), FieldProblem::NotAPhone);
    EXPECT_EQ(phoneProblem("12", "PL"), FieldProblem::PhoneTooShort);
    EXPECT_EQ(phoneProblem("22 654", "PL"), FieldProblem::PhoneTooShort);
    EXPECT_EQ(phoneProblem("22 654 32 10 99 88 77 66", "PL"), FieldProblem::PhoneTooLong);
    EXPECT_EQ(phoneProblem("+999 123 456 789", "PL"), FieldProblem::UnknownCountryCode);
    EXPECT_EQ(phoneProblem("'; DROP TABLE CRM_PARTY; --", "PL"), FieldProblem::NotAPhone);
    EXPECT_THROW(parsePhone("000 000 000", "PL"), FieldError);
    try {
        parsePhone("22 654", "PL");
    } catch (const FieldError& e) {
        EXPECT_EQ(describe(e, Locale(Language::Pl)), "Telefon: numer jest za krótki");
        EXPECT_EQ(describe(e, Locale(Language::Ru)), "Телефон: номер слишком короткий");
    }
}

TEST(Email, AddressesAreTrimmedAndLowerCasedInternationalDomainsKept) {
    EXPECT_EQ(parseEmail("  Anna.Nowak@Przyklad.PL ").address, "anna.nowak@przyklad.pl");
    EXPECT_EQ(parseEmail("ИВАН@пример.рф").address, "иван@пример.рф");
    EXPECT_EQ(parseEmail("biuro+oferty@firma.com.pl").address, "biuro+oferty@firma.com.pl");
    EXPECT_FALSE(emailProblem("o'brien@example.ie"));
}

TEST(Email, MalformedAddressesAreRefused) {
    for (const char* bad : {"anna", "anna@", "@firma.pl", "anna@@firma.pl", "anna nowak@firma.pl", "anna..nowak@firma.pl",
                            ".anna@firma.pl", "Anna <anna@firma.pl>", "anna@firma.pl, jan@firma.pl", "\"anna\"@firma.pl"}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(emailProblem(bad), FieldProblem::EmailMalformed);
    }
    for (const char* bad : {"anna@firma", "anna@firma.", "anna@-firma.pl", "anna@firma..pl", "anna@firma.p"}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(emailProblem(bad), FieldProblem::EmailDomainInvalid);
    }
    EXPECT_EQ(emailProblem(std::string("anna@firma.pl\xff", 14)), FieldProblem::EmailMalformed);
    EXPECT_EQ(emailProblem(""), FieldProblem::Empty);
    EXPECT_EQ(emailProblem(std::string(65, 'a') + "@firma.pl"), FieldProblem::EmailMalformed);
}

TEST(MemorableDate, ThirtiethOfFebruaryIsRefusedTwentyNinthOnlyWhereItExists) {
    const year_month_day today = 2026y / December / 2d;
    EXPECT_EQ(memorableDateProblem(MemorableDateKind::Birthday, 30, 2, std::nullopt, today), FieldProblem::DateInvalid);
    EXPECT_FALSE(memorableDateProblem(MemorableDateKind::Birthday, 29, 2, std::nullopt, today));
    EXPECT_FALSE(memorableDateProblem(MemorableDateKind::Birthday, 29, 2, 1988, today));
    EXPECT_EQ(memorableDateProblem(MemorableDateKind::Birthday, 29, 2, 1987, today), FieldProblem::DateInvalid);
    EXPECT_EQ(memorableDateProblem(MemorableDateKind::Birthday, 1, 13, std::nullopt, today), FieldProblem::DateInvalid);
    EXPECT_EQ(memorableDateProblem(MemorableDateKind::Birthday, 0, 5, std::nullopt, today), FieldProblem::DateInvalid);
    EXPECT_EQ(memorableDateProblem(MemorableDateKind::Birthday, 3, 12, 2026, today), FieldProblem::DateInFuture);
    EXPECT_FALSE(memorableDateProblem(MemorableDateKind::Anniversary, 3, 12, 2026, today));  // a planned one
    EXPECT_EQ(describe(FieldError(FieldProblem::DateInvalid, "birthday"), Locale(Language::Ru)), "День рождения: такой даты нет");
}

TEST(MemorableDate, NextOccurrenceAndAgeCountAFebruary29thOnThe28th) {
    const MemorableDate leap{MemorableDateKind::Birthday, 2, 29, 1988, {}};
    EXPECT_EQ(nextOccurrence(leap, 2026y / December / 2d), 2027y / February / 28d);
    EXPECT_EQ(nextOccurrence(leap, 2027y / December / 2d), 2028y / February / 29d);
    EXPECT_EQ(yearsAt(leap, 2027y / February / 27d), 38);
    EXPECT_EQ(yearsAt(leap, 2027y / February / 28d), 39);
    const MemorableDate nameDay{MemorableDateKind::NameDay, 12, 2, std::nullopt, {}};
    EXPECT_EQ(nextOccurrence(nameDay, 2026y / December / 2d), 2026y / December / 2d);
    EXPECT_FALSE(yearsAt(nameDay, 2026y / December / 2d));
    EXPECT_EQ(memorableDateKindFromString(toString(MemorableDateKind::NameDay)), MemorableDateKind::NameDay);
}

TEST(HostCounterpartyCountry, AnEnglishCustomersCountryComesFromTheirInternationalNumber) {
    EXPECT_EQ(countryOfNumber("+44 20 7946 0018"), "GB");
    EXPECT_EQ(countryOfNumber("+7 495 212-33-44"), "RU");
    EXPECT_EQ(countryOfNumber("22 654 32 10"), "") << "no country code, no country";
    EXPECT_EQ(countryOfNumber("+999 1"), "");

    conduit::sdk::Counterparty london;
    london.id = 7;
    london.name = "Oak & Glass Ltd";
    london.city = "London";
    london.address = "Baker Street 12";
    london.contactPhone = "+44 20 7946 0018";
    london.language = "en";
    const auto converted = fromHostCounterparty(london, "PL").party;
    ASSERT_EQ(converted.addresses.size(), 1u);
    EXPECT_EQ(converted.addresses[0].country, "GB");
    ASSERT_EQ(converted.phones.size(), 1u);
    EXPECT_EQ(converted.phones[0].number.e164, "+442079460018");

    london.contactPhone.clear();
    EXPECT_EQ(fromHostCounterparty(london, "PL").party.addresses[0].country, "PL") << "nothing else says it: the installation's";
}
