// Tests of the foundation: locale policy, ICU-backed zones and formats (exact ICU 72 output),
// kind patterns and the clock.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "conduit/crm/foundation/clock.hpp"
#include "conduit/crm/foundation/formatter.hpp"
#include "conduit/crm/foundation/kind_pattern.hpp"
#include "conduit/crm/foundation/locale.hpp"
#include "conduit/crm/foundation/search_fold.hpp"
#include "conduit/crm/foundation/time_zone.hpp"

using namespace conduit;
using namespace conduit::crm;
using namespace std::chrono;

namespace {

sys_seconds utc(year_month_day d, int h, int m) { return sys_days{d} + hours{h} + minutes{m}; }

Formatter formatterFor(Language language) { return Formatter(Locale(language), TimeZone::defaultFor(language)); }

}  // namespace

// ---------------------------------------------------------------- Locale

TEST(Locale, ReadsLanguageFromAnyTagSpelling) {
    for (const char* tag : {"ru", "RU", "ru_RU", "ru-RU", "ru_RU.UTF-8", " ru "}) EXPECT_EQ(Locale::of(tag).language(), Language::Ru) << tag;
    for (const char* tag : {"pl", "PL", "pl_PL", "pl-PL", "pl_PL.UTF-8", "pl_PL@euro"}) EXPECT_EQ(Locale::of(tag).language(), Language::Pl) << tag;
    for (const char* tag : {"en", "EN", "en_GB", "en-US", "en_US.utf8"}) EXPECT_EQ(Locale::of(tag).language(), Language::En) << tag;
}

TEST(Locale, UnknownOrEmptyTagGivesEnglish) {
    for (const char* tag : {"", "de", "xx", "de_DE", "C", "POSIX", "ru1", "english", "r", "_RU"})
        EXPECT_EQ(Locale::of(tag).language(), Language::En) << tag;
}

TEST(Locale, DefaultIsEnglishAndValuesCompare) {
    EXPECT_EQ(Locale().language(), Language::En);
    EXPECT_EQ(Locale(), Locale::of("en_GB"));
    EXPECT_NE(Locale::of("ru"), Locale::of("en"));
}

TEST(Locale, CodesAndIcuNames) {
    EXPECT_EQ(Locale::of("ru").code(), "ru");
    EXPECT_EQ(Locale::of("pl").code(), "pl");
    EXPECT_EQ(Locale::of("en").code(), "en");
    EXPECT_EQ(Locale::of("ru").icuName(), "ru_RU");
    EXPECT_EQ(Locale::of("pl").icuName(), "pl_PL");
    EXPECT_EQ(Locale::of("en_US").icuName(), "en_GB");
}

TEST(Locale, PickChoosesTheLanguageAndFallsBackEnPlRu) {
    const LocalizedText full{"Оплата", "Płatność", "Payment"};
    EXPECT_STREQ(Locale::of("ru").pick(full), "Оплата");
    EXPECT_STREQ(Locale::of("pl").pick(full), "Płatność");
    EXPECT_STREQ(Locale::of("en").pick(full), "Payment");
    EXPECT_EQ(tr(full, Locale::of("pl")), "Płatność");

    EXPECT_STREQ(Locale::of("ru").pick({nullptr, "Płatność", "Payment"}), "Payment");
    EXPECT_STREQ(Locale::of("ru").pick({"", "Płatność", "Payment"}), "Payment");
    EXPECT_STREQ(Locale::of("ru").pick({"", "Płatność", ""}), "Płatność");
    EXPECT_STREQ(Locale::of("en").pick({"Оплата", nullptr, nullptr}), "Оплата");
    EXPECT_STREQ(Locale::of("pl").pick({nullptr, nullptr, nullptr}), "");
    EXPECT_NE(Locale::of("pl").pick({nullptr, nullptr, nullptr}), nullptr);
}

// ---------------------------------------------------------------- TimeZone

TEST(TimeZone, NamedAndDefaults) {
    EXPECT_EQ(TimeZone::named("Europe/Warsaw").id(), "Europe/Warsaw");
    EXPECT_EQ(TimeZone::defaultFor(Language::Pl).id(), "Europe/Warsaw");
    EXPECT_EQ(TimeZone::defaultFor(Language::En).id(), "Europe/Warsaw");
    EXPECT_EQ(TimeZone::defaultFor(Language::Ru).id(), "Europe/Moscow");
    EXPECT_EQ(TimeZone::named("Europe/Moscow"), TimeZone::defaultFor(Language::Ru));
}

TEST(TimeZone, UnknownZoneThrows) {
    EXPECT_THROW(TimeZone::named("Mars/Olympus_Mons"), std::invalid_argument);
    EXPECT_THROW(TimeZone::named(""), std::invalid_argument);
    EXPECT_THROW(TimeZone::named("Etc/Unknown"), std::invalid_argument);
    try {
        TimeZone::named("Europe/Atlantis");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Europe/Atlantis"), std::string::npos);
    }
}

TEST(TimeZone, WarsawOffsetsAcrossDst2026) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    // Spring forward 2026-03-29 at 01:00Z (02:00 CET -> 03:00 CEST).
    EXPECT_EQ(warsaw.offsetAt(utc(2026y / March / 29, 0, 59)), hours{1});
    EXPECT_EQ(warsaw.offsetAt(utc(2026y / March / 29, 1, 0)), hours{2});
    // Fall back 2026-10-25 at 01:00Z (03:00 CEST -> 02:00 CET).
    EXPECT_EQ(warsaw.offsetAt(utc(2026y / October / 25, 0, 59)), hours{2});
    EXPECT_EQ(warsaw.offsetAt(utc(2026y / October / 25, 1, 0)), hours{1});
}

TEST(TimeZone, MoscowHasNoDst) {
    const auto moscow = TimeZone::named("Europe/Moscow");
    for (auto d : {2026y / January / 15, 2026y / March / 29, 2026y / July / 1, 2026y / October / 25, 2026y / December / 31})
        EXPECT_EQ(moscow.offsetAt(utc(d, 12, 0)), hours{3});
    EXPECT_EQ(moscow.at(2026y / January / 15, 8, 0), utc(2026y / January / 15, 5, 0));
    EXPECT_EQ(moscow.at(2026y / July / 15, 8, 0), utc(2026y / July / 15, 5, 0));
}

TEST(TimeZone, LocalDateNearMidnight) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    EXPECT_EQ(warsaw.localDate(utc(2025y / December / 31, 23, 30)), sys_days{2026y / January / 1});
    EXPECT_EQ(warsaw.localDate(utc(2025y / December / 31, 22, 59)), sys_days{2025y / December / 31});
    EXPECT_EQ(warsaw.localDate(utc(2026y / June / 30, 22, 0)), sys_days{2026y / July / 1});
    EXPECT_EQ(warsaw.localDate(utc(2026y / June / 30, 21, 59)), sys_days{2026y / June / 30});
    const auto moscow = TimeZone::named("Europe/Moscow");
    EXPECT_EQ(moscow.localDate(utc(2026y / January / 11, 21, 0)), sys_days{2026y / January / 12});
    EXPECT_EQ(TimeZone::named("America/New_York").localDate(utc(2026y / January / 1, 3, 0)), sys_days{2025y / December / 31});
}

TEST(TimeZone, StartOfDay) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    EXPECT_EQ(warsaw.startOfDay(2026y / January / 12), utc(2026y / January / 11, 23, 0));
    EXPECT_EQ(warsaw.startOfDay(2026y / July / 12), utc(2026y / July / 11, 22, 0));
    // The spring-forward day is 23 hours long, the fall-back day 25.
    EXPECT_EQ(warsaw.startOfDay(2026y / March / 29), utc(2026y / March / 28, 23, 0));
    EXPECT_EQ(warsaw.startOfDay(2026y / March / 30) - warsaw.startOfDay(2026y / March / 29), hours{23});
    EXPECT_EQ(warsaw.startOfDay(2026y / October / 26) - warsaw.startOfDay(2026y / October / 25), hours{25});
    EXPECT_EQ(TimeZone::named("Europe/Moscow").startOfDay(2026y / January / 12), utc(2026y / January / 11, 21, 0));
}

TEST(TimeZone, DigestAtEightLocal) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    EXPECT_EQ(warsaw.at(2026y / January / 12, 8, 0), utc(2026y / January / 12, 7, 0));
    EXPECT_EQ(warsaw.at(2026y / July / 12, 8, 0), utc(2026y / July / 12, 6, 0));
    EXPECT_EQ(warsaw.at(2026y / March / 29, 8, 0), utc(2026y / March / 29, 6, 0));
    EXPECT_EQ(warsaw.at(2026y / October / 25, 8, 0), utc(2026y / October / 25, 7, 0));
}

TEST(TimeZone, GapGivesFirstInstantAfterAndOverlapTheEarlier) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    // 02:30 does not exist on 2026-03-29: the first valid instant after is 03:00 CEST = 01:00Z.
    EXPECT_EQ(warsaw.at(2026y / March / 29, 2, 30), utc(2026y / March / 29, 1, 0));
    EXPECT_EQ(warsaw.at(2026y / March / 29, 2, 0), utc(2026y / March / 29, 1, 0));
    EXPECT_EQ(warsaw.at(2026y / March / 29, 3, 0), utc(2026y / March / 29, 1, 0));
    EXPECT_EQ(warsaw.at(2026y / March / 29, 1, 59), utc(2026y / March / 29, 0, 59));
    // 02:30 happens twice on 2026-10-25: the earlier is 02:30 CEST = 00:30Z.
    EXPECT_EQ(warsaw.at(2026y / October / 25, 2, 30), utc(2026y / October / 25, 0, 30));
    EXPECT_EQ(warsaw.at(2026y / October / 25, 3, 0), utc(2026y / October / 25, 2, 0));
}

TEST(TimeZone, RejectsOutOfRangeWallTime) {
    const auto warsaw = TimeZone::named("Europe/Warsaw");
    EXPECT_THROW(warsaw.at(2026y / January / 12, 24, 0), std::invalid_argument);
    EXPECT_THROW(warsaw.at(2026y / January / 12, -1, 0), std::invalid_argument);
    EXPECT_THROW(warsaw.at(2026y / January / 12, 8, 60), std::invalid_argument);
}

// ---------------------------------------------------------------- Formatter: money and numbers

TEST(FormatterMoney, Polish) {
    const auto f = formatterFor(Language::Pl);
    EXPECT_EQ(f.money({1236000, "PLN"}), "12\u00a0360,00\u00a0z\u0142");
    EXPECT_EQ(f.money({125000, "PLN"}), "1250,00\u00a0z\u0142");  // Polish groups only from 5 digits
    EXPECT_EQ(f.money({-1236005, "PLN"}), "-12\u00a0360,05\u00a0z\u0142");
    EXPECT_EQ(f.money({5, "PLN"}), "0,05\u00a0z\u0142");
    EXPECT_EQ(f.money({0, "PLN"}), "0,00\u00a0z\u0142");
    EXPECT_EQ(f.money({1236000, "EUR"}), "12\u00a0360,00\u00a0\u20ac");
    EXPECT_EQ(f.money({1236000, "RUB"}), "12\u00a0360,00\u00a0RUB");
    EXPECT_EQ(f.money({1236000, "USD"}), "12\u00a0360,00\u00a0USD");
    EXPECT_EQ(f.money({1236000, "pln"}), "12\u00a0360,00\u00a0z\u0142");
}

TEST(FormatterMoney, Russian) {
    const auto f = formatterFor(Language::Ru);
    EXPECT_EQ(f.money({1236000, "RUB"}), "12\u00a0360,00\u00a0\u20bd");
    EXPECT_EQ(f.money({1236000, "PLN"}), "12\u00a0360,00\u00a0PLN");
    EXPECT_EQ(f.money({125000, "PLN"}), "1\u00a0250,00\u00a0PLN");
    EXPECT_EQ(f.money({-1236005, "RUB"}), "-12\u00a0360,05\u00a0\u20bd");
    EXPECT_EQ(f.money({1236000, "USD"}), "12\u00a0360,00\u00a0$");
    EXPECT_EQ(f.money({123456789012, "RUB"}), "1\u00a0234\u00a0567\u00a0890,12\u00a0\u20bd");
}

TEST(FormatterMoney, English) {
    const auto f = formatterFor(Language::En);
    EXPECT_EQ(f.money({1236000, "PLN"}), "PLN\u00a012,360.00");
    EXPECT_EQ(f.money({-1236005, "PLN"}), "-PLN\u00a012,360.05");
    EXPECT_EQ(f.money({1236000, "EUR"}), "\u20ac12,360.00");
    EXPECT_EQ(f.money({1236000, "USD"}), "US$12,360.00");
    EXPECT_EQ(f.money({1236000, "RUB"}), "RUB\u00a012,360.00");
}

TEST(FormatterMoney, ExactAtTheInt64Limits) {
    const auto f = formatterFor(Language::En);
    // Through a double these would lose the last digits.
    EXPECT_EQ(f.money({INT64_MAX, "EUR"}), "\u20ac92,233,720,368,547,758.07");
    EXPECT_EQ(f.money({INT64_MIN, "EUR"}), "-\u20ac92,233,720,368,547,758.08");
    EXPECT_EQ(f.money({-1, "EUR"}), "-\u20ac0.01");
}

TEST(FormatterMoney, RejectsMalformedCurrency) {
    const auto f = formatterFor(Language::Pl);
    for (const char* code : {"", "PL", "PLNX", "P1N", "zł"}) EXPECT_THROW(f.money({100, code}), std::invalid_argument) << code;
}

TEST(FormatterNumber, Integers) {
    EXPECT_EQ(formatterFor(Language::Pl).number(std::int64_t{1234567}), "1\u00a0234\u00a0567");
    EXPECT_EQ(formatterFor(Language::Pl).number(std::int64_t{1234}), "1234");
    EXPECT_EQ(formatterFor(Language::Ru).number(std::int64_t{1234}), "1\u00a0234");
    EXPECT_EQ(formatterFor(Language::En).number(std::int64_t{1234567}), "1,234,567");
    EXPECT_EQ(formatterFor(Language::En).number(std::int64_t{-5}), "-5");
}

TEST(FormatterNumber, Fractions) {
    EXPECT_EQ(formatterFor(Language::Pl).number(12345.5, 1), "12\u00a0345,5");
    EXPECT_EQ(formatterFor(Language::Ru).number(2.345, 2), "2,35");  // half-up
    EXPECT_EQ(formatterFor(Language::En).number(0.125, 2), "0.13");
    EXPECT_EQ(formatterFor(Language::En).number(3.0, 2), "3.00");
    EXPECT_EQ(formatterFor(Language::En).number(2.5, 0), "3");
    EXPECT_THROW(formatterFor(Language::En).number(1.0, -1), std::invalid_argument);
    EXPECT_THROW(formatterFor(Language::En).number(1.0, 16), std::invalid_argument);
}

// ---------------------------------------------------------------- Formatter: dates and times

TEST(FormatterDate, Long) {
    const sys_days day = 2026y / January / 12;
    EXPECT_EQ(formatterFor(Language::Pl).date(day), "12 stycznia 2026");
    EXPECT_EQ(formatterFor(Language::Ru).date(day), "12 \u044f\u043d\u0432\u0430\u0440\u044f 2026\u202f\u0433.");
    EXPECT_EQ(formatterFor(Language::En).date(day), "12 January 2026");
    EXPECT_EQ(formatterFor(Language::Pl).date(2026y / March / 1), "1 marca 2026");
}

TEST(FormatterDate, ShortIsTheSameDayInEveryZone) {
    const sys_days day = 2026y / January / 12;
    EXPECT_EQ(formatterFor(Language::Pl).shortDate(day), "12.01.2026");
    EXPECT_EQ(formatterFor(Language::Ru).shortDate(day), "12.01.2026");
    EXPECT_EQ(formatterFor(Language::En).shortDate(day), "12/01/2026");
    // A calendar date must not shift with the user's zone.
    EXPECT_EQ(Formatter(Locale(Language::Pl), TimeZone::named("America/Los_Angeles")).shortDate(day), "12.01.2026");
    EXPECT_EQ(Formatter(Locale(Language::Pl), TimeZone::named("Pacific/Kiritimati")).shortDate(day), "12.01.2026");
}

TEST(FormatterDate, Range) {
    const sys_days from = 2026y / January / 12, to = 2026y / January / 15;
    EXPECT_EQ(formatterFor(Language::Pl).dateRange(from, to), "12.01.2026 \u2013 15.01.2026");
    EXPECT_EQ(formatterFor(Language::Ru).dateRange(from, to), "12.01.2026 \u2013 15.01.2026");
    EXPECT_EQ(formatterFor(Language::En).dateRange(from, to), "12/01/2026 \u2013 15/01/2026");
    EXPECT_EQ(formatterFor(Language::Pl).dateRange(from, from), "12.01.2026");
}

TEST(FormatterDateTime, InTheUsersZone) {
    const auto at = utc(2026y / January / 12, 13, 30);  // 14:30 in Warsaw, 16:30 in Moscow
    EXPECT_EQ(formatterFor(Language::Pl).dateTime(at), "12.01.2026, 14:30");
    EXPECT_EQ(formatterFor(Language::Ru).dateTime(at), "12.01.2026, 16:30");
    EXPECT_EQ(formatterFor(Language::En).dateTime(at), "12/01/2026, 14:30");
    EXPECT_EQ(formatterFor(Language::Pl).time(at), "14:30");
    EXPECT_EQ(formatterFor(Language::Ru).time(at), "16:30");
    EXPECT_EQ(formatterFor(Language::En).time(at), "14:30");
}

TEST(FormatterDateTime, FollowsDstAndDayChange) {
    const auto pl = formatterFor(Language::Pl);
    EXPECT_EQ(pl.dateTime(utc(2026y / July / 12, 13, 30)), "12.07.2026, 15:30");
    EXPECT_EQ(pl.dateTime(utc(2025y / December / 31, 23, 30)), "01.01.2026, 00:30");
    EXPECT_EQ(pl.time(utc(2026y / March / 29, 0, 59)), "01:59");
    EXPECT_EQ(pl.time(utc(2026y / March / 29, 1, 0)), "03:00");
    const Formatter ru(Locale(Language::Ru), TimeZone::named("Europe/Warsaw"));
    EXPECT_EQ(ru.dateTime(utc(2026y / January / 12, 13, 30)), "12.01.2026, 14:30");
}

TEST(FormatterDateTime, NeverPrintsAZone) {
    for (auto lang : {Language::Ru, Language::Pl, Language::En}) {
        const auto text = formatterFor(lang).dateTime(utc(2026y / January / 12, 13, 30));
        EXPECT_EQ(text.find("UTC"), std::string::npos);
        EXPECT_EQ(text.find("GMT"), std::string::npos);
        EXPECT_EQ(text.find("CET"), std::string::npos);
    }
}

// ---------------------------------------------------------------- Formatter: relative days

TEST(FormatterRelative, Polish) {
    const auto f = formatterFor(Language::Pl);
    EXPECT_EQ(f.relativeDays(0), "dzisiaj");
    EXPECT_EQ(f.relativeDays(1), "jutro");
    EXPECT_EQ(f.relativeDays(-1), "wczoraj");
    EXPECT_EQ(f.relativeDays(2), "za 2 dni");
    EXPECT_EQ(f.relativeDays(-2), "2 dni temu");
    EXPECT_EQ(f.relativeDays(5), "za 5 dni");
}

TEST(FormatterRelative, Russian) {
    const auto f = formatterFor(Language::Ru);
    EXPECT_EQ(f.relativeDays(0), "\u0441\u0435\u0433\u043e\u0434\u043d\u044f");
    EXPECT_EQ(f.relativeDays(1), "\u0437\u0430\u0432\u0442\u0440\u0430");
    EXPECT_EQ(f.relativeDays(-1), "\u0432\u0447\u0435\u0440\u0430");
    EXPECT_EQ(f.relativeDays(2), "\u0447\u0435\u0440\u0435\u0437 2 \u0434\u043d\u044f");
    EXPECT_EQ(f.relativeDays(-5), "5 \u0434\u043d\u0435\u0439 \u043d\u0430\u0437\u0430\u0434");
    EXPECT_EQ(f.relativeDays(21), "\u0447\u0435\u0440\u0435\u0437 21 \u0434\u0435\u043d\u044c");
}

TEST(FormatterRelative, English) {
    const auto f = formatterFor(Language::En);
    EXPECT_EQ(f.relativeDays(0), "today");
    EXPECT_EQ(f.relativeDays(1), "tomorrow");
    EXPECT_EQ(f.relativeDays(-1), "yesterday");
    EXPECT_EQ(f.relativeDays(2), "in 2 days");
    EXPECT_EQ(f.relativeDays(-2), "2 days ago");
}

TEST(Formatter, KeepsItsLocaleAndZone) {
    const Formatter f(Locale::of("ru_RU"), TimeZone::named("Asia/Novosibirsk"));
    EXPECT_EQ(f.locale(), Locale(Language::Ru));
    EXPECT_EQ(f.zone().id(), "Asia/Novosibirsk");
    const Formatter copy = f;
    EXPECT_EQ(copy.time(utc(2026y / January / 12, 1, 0)), "08:00");
}

TEST(Formatter, ConcurrentUseGivesIdenticalResults) {
    const auto f = formatterFor(Language::Ru);
    const auto at = utc(2026y / January / 12, 13, 30);
    auto render = [&](int i) {
        return f.money({1236000 + i % 3, "RUB"}) + "|" + f.dateTime(at + hours{i % 5}) + "|" + f.date(2026y / January / 12) +
               "|" + f.relativeDays(i % 7 - 3) + "|" + f.number(std::int64_t{i % 11}) + "|" + f.time(at);
    };
    std::vector<std::string> expected;
    for (int i = 0; i < 10000; ++i) expected.push_back(render(i));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i)
                if (render(i) != expected[static_cast<std::size_t>(i)]) ++mismatches;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

// ---------------------------------------------------------------- KindPattern

TEST(KindPattern, All) {
    const auto p = KindPattern::parse("*");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->isAll());
    EXPECT_FALSE(p->isPrefix());
    EXPECT_TRUE(p->matches("payment.received"));
    EXPECT_TRUE(p->matches("anything"));
    EXPECT_EQ(p->text(), "*");
    EXPECT_EQ(p->prefix(), "");
    EXPECT_EQ(p->exact(), "");
    EXPECT_EQ(*p, KindPattern::all());
    EXPECT_EQ(KindPattern::parse("  *  "), p);
}

TEST(KindPattern, Prefix) {
    const auto p = KindPattern::parse("payment.*");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->isPrefix());
    EXPECT_FALSE(p->isAll());
    EXPECT_EQ(p->prefix(), "payment.");
    EXPECT_EQ(p->exact(), "");
    EXPECT_EQ(p->text(), "payment.*");
    EXPECT_TRUE(p->matches("payment.received"));
    EXPECT_TRUE(p->matches("payment.overdue"));
    EXPECT_TRUE(p->matches("payment.refund.partial"));
    EXPECT_FALSE(p->matches("payment"));
    EXPECT_FALSE(p->matches("payment."));
    EXPECT_FALSE(p->matches("payments.received"));
    EXPECT_FALSE(p->matches("order.payment.received"));

    const auto deep = KindPattern::parse("schedule.stage.*");
    ASSERT_TRUE(deep);
    EXPECT_EQ(deep->prefix(), "schedule.stage.");
    EXPECT_TRUE(deep->matches("schedule.stage.planned"));
    EXPECT_FALSE(deep->matches("schedule.stage_planned"));
}

TEST(KindPattern, OldTrailingDotIsThePrefixPattern) {
    const auto old = KindPattern::parse("payment.");
    ASSERT_TRUE(old);
    EXPECT_EQ(old, KindPattern::parse("payment.*"));
    EXPECT_EQ(old->text(), "payment.*");
    EXPECT_EQ(old->prefix(), "payment.");
}

TEST(KindPattern, Exact) {
    const auto p = KindPattern::parse(" schedule.stage_planned ");
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->isAll());
    EXPECT_FALSE(p->isPrefix());
    EXPECT_EQ(p->exact(), "schedule.stage_planned");
    EXPECT_EQ(p->prefix(), "");
    EXPECT_EQ(p->text(), "schedule.stage_planned");
    EXPECT_TRUE(p->matches("schedule.stage_planned"));
    EXPECT_FALSE(p->matches("schedule.stage_planned.x"));
    EXPECT_FALSE(p->matches("schedule.stage"));

    const auto word = KindPattern::parse("payment");
    ASSERT_TRUE(word);
    EXPECT_EQ(word->exact(), "payment");
    EXPECT_FALSE(word->matches("payment.received"));
    EXPECT_TRUE(word->matches("payment"));
    EXPECT_NE(word, KindPattern::parse("payment.*"));
}

TEST(KindPattern, RejectsMalformed) {
    for (const char* text : {"", "   ", "Payment.received", "PAYMENT.*", "pay*ment", "*.x", "a..b", ".x", ".*", ".",
                             "payment.*.*", "payment..", "payment.**", "payment*", "**", "payment .x",
                             "payment-received", "płatność.x", "payment.*x"}) {
        EXPECT_FALSE(KindPattern::parse(text)) << '"' << text << '"';
    }
    EXPECT_FALSE(KindPattern::parse(std::string_view("payment.rec\0eived", 18)));
    EXPECT_FALSE(KindPattern::parse(std::string(65, 'a')));
    EXPECT_TRUE(KindPattern::parse(std::string(64, 'a')));
    EXPECT_TRUE(KindPattern::parse(std::string(62, 'a') + ".*"));
    EXPECT_FALSE(KindPattern::parse(std::string(63, 'a') + ".*"));
}

TEST(KindPattern, MatchesAny) {
    std::vector<KindPattern> patterns{*KindPattern::parse("payment.*"), *KindPattern::parse("order.created")};
    EXPECT_TRUE(matchesAny(patterns, "payment.received"));
    EXPECT_TRUE(matchesAny(patterns, "order.created"));
    EXPECT_FALSE(matchesAny(patterns, "order.cancelled"));
    EXPECT_FALSE(matchesAny(patterns, "payment"));
    EXPECT_FALSE(matchesAny({}, "payment.received"));
    patterns.push_back(KindPattern::all());
    EXPECT_TRUE(matchesAny(patterns, "order.cancelled"));
}

TEST(KindPattern, TextRoundTrips) {
    for (const char* text : {"*", "payment.*", "payment.", "payment.received", " a.b_c.d9 ", "x"}) {
        const auto p = KindPattern::parse(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(KindPattern::parse(p->text()), p) << text;
    }
}

// ---------------------------------------------------------------- Clock

TEST(Clock, HostClockWinsOverTheSystemOne) {
    const sys_seconds simulated = utc(2030y / May / 1, 9, 0);
    const Clock clock = clockOr([&] { return simulated; });
    EXPECT_EQ(clock(), simulated);
}

TEST(Clock, SystemClockWhenTheHostHasNone) {
    const Clock clock = clockOr({});
    const auto before = floor<seconds>(system_clock::now());
    const auto now = clock();
    const auto after = floor<seconds>(system_clock::now());
    EXPECT_LE(before, now);
    EXPECT_LE(now, after);
    const auto direct = systemClock()();
    EXPECT_LE(after, direct);
    EXPECT_LE(direct - after, seconds{5});
}

// ---------------------------------------------------------------- search folding

TEST(SearchFold, YoAndYeAreOneLetterEitherWay) {
    EXPECT_EQ(searchFold("Пётр Волков"), "петр волков");
    EXPECT_EQ(searchFold("ЁЛКА"), "елка");
    EXPECT_TRUE(searchContains("Пётр Волков · Москва", "Петр"));
    EXPECT_TRUE(searchContains("Петр Волков · Москва", "пётр"));
    EXPECT_TRUE(searchContains("ООО «Щербаков и партнёры»", "ПАРТНЕР"));
}

TEST(SearchFold, PolishDiacriticsAndCaseAreFolded) {
    EXPECT_EQ(searchFold("ŁÓDŹ, ul. Żeromskiego"), "lodz, ul. zeromskiego");
    EXPECT_TRUE(searchContains("Agnieszka Lewandowska · Gdańsk", "gdansk"));
    EXPECT_TRUE(searchContains("Dąbrowski", "DĄBR"));
    EXPECT_TRUE(searchContains("Dąbrowski", "dabr"));
    EXPECT_TRUE(searchContains("Straße 5", "strasse"));
}

TEST(SearchFold, ShortIIsALetterOfItsOwn) {
    EXPECT_EQ(searchFold("Май Йошкар-Ола"), "май йошкар-ола");
    EXPECT_FALSE(searchContains("Маи", "май"));
    EXPECT_TRUE(searchContains("ЙОШКАР-ОЛА", "йошкар"));
}

TEST(SearchFold, AnyPartOfTheTextAndTheEmptyQuery) {
    EXPECT_TRUE(searchContains("P-2026-0042 · Okna Kowalski", "0042 · okna"));
    EXPECT_TRUE(searchContains("anything", ""));
    EXPECT_FALSE(searchContains("Kowalski", "Nowak"));
    EXPECT_EQ(searchFold(std::string_view("ab\xFF", 3)), "ab\uFFFD") << "invalid UTF-8 does not throw";
}

TEST(SearchFold, BaseLettersForTheDatabase) {
    EXPECT_EQ(withBaseLetters("Пётр ЁЖИК"), "Петр ЕЖИК");
    EXPECT_EQ(withBaseLetters("Łódź"), "Łódź") << "only the letters CONTAINING keeps apart";
    EXPECT_EQ(withBaseLetters(""), "");
}

TEST(SearchFold, SameAnswersFromManyThreads) {
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i)
                if (searchFold("Łukasz Wiśniewski · Пётр") != "lukasz wisniewski · петр") ++wrong;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}
