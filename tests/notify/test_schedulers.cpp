// Reminders and digests on a hand-moved clock: a reminder fires once at its moment (not before,
// never again), catches up late after downtime and says so; overdue reminders; the digest comes at
// its hour, groups by project and counterparty, leaves out what the user read, and comes once.
#include "notify_test_util.hpp"

#include <set>
#include <thread>

namespace notifytest {
namespace {

using notify::OutboxStatus;
using notify::RecipientRole;
using notify::Timing;

class SchedulerTest : public NotifyTest {
protected:
    RecordingMail mail;
    notify::Rule installationReminder() {
        auto r = rule("Монтаж через 2 дня", {"schedule.installation_planned"}, {role(RecipientRole::ProjectManager)}, Timing::Reminder);
        r.offsets = {std::chrono::minutes(-2 * 24 * 60)};
        return r;
    }
    crm::Event installation(const std::string& key, sdk::TimePoint due, sdk::Id project = 1001) {
        auto e = makeEvent(key, "schedule.installation_planned", clock.now(), project, project == 1001 ? 101 : 102);
        e.title = "Монтаж окон, бригада Кузнецова";
        e.dueAt = due;
        return e;
    }
    std::size_t sentTo(const std::string& address) {
        std::size_t n = 0;
        for (const auto& m : mail.sent()) n += m.to.at(0).address == address;
        return n;
    }
};

TEST_F(SchedulerTest, AReminderFiresOnceAtItsMoment) {
    auto& svc = startService(mail);
    svc.rules().add(installationReminder());
    const auto due = at(2026, 3, 10, 10, 0);
    write({installation("inst-1", due)});
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u);

    clock.set(due - 48h - 1min);  // a minute early
    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 0u) << report.error;
    EXPECT_TRUE(mail.sent().empty());

    clock.set(due - 48h + 30s);  // the tick after the moment
    report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 1u) << report.error;
    EXPECT_EQ(report.reminders.late, 0u);
    EXPECT_EQ(report.sent.sent, 1u);
    ASSERT_EQ(mail.sent().size(), 1u);
    const auto all = mail.sent();
    const auto& m = all[0];
    EXPECT_EQ(m.to[0].address, "s.petrov@zavod.example");
    EXPECT_EQ(m.subject, "Напоминание (через 2 дн.): Запланирован монтаж: Монтаж окон, бригада Кузнецова");
    EXPECT_EQ(m.textBody.find("опозданием"), std::string::npos);

    // Later ticks, also within the re-scan overlap, never fire it again.
    for (auto t : {due - 48h + 5min, due - 24h, due, due + 72h}) {
        clock.set(t);
        EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u);
    }
    EXPECT_EQ(mail.sent().size(), 1u);
}

// A due date without an hour (stored as its UTC midnight) is due from the installation's
// midnight: "2 days before" a 10 March deadline fires at 8 March 00:00 in New York, not at UTC's
// midnight (19:00 the evening before there), and counted in days across the change to summer
// time on 8 March.
TEST_F(SchedulerTest, ADueDateReminderFiresAtTheInstallationsMidnight) {
    notify::NotifyOptions options;
    options.reminders.zone = crm::TimeZone::named("America/New_York");
    auto& svc = startService(mail, false, options);
    svc.rules().add(installationReminder());
    const sdk::Date day = std::chrono::sys_days(std::chrono::year(2026) / 3 / 10);
    write({installation("inst-date", crm::dueOn(day))});
    const auto newYorkMidnight = options.reminders.zone.startOfDay(day - std::chrono::days(2));
    ASSERT_EQ(newYorkMidnight, sdk::TimePoint(day - std::chrono::days(2)) + 5h);  // EST, before the March change

    clock.set(sdk::TimePoint(day - std::chrono::days(2)) + 30s);  // UTC's midnight: 19:00 there
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u) << "too early in New York";
    clock.set(newYorkMidnight - 1min);
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u);
    clock.set(newYorkMidnight + 30s);
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 1u) << report.error;
    EXPECT_EQ(report.reminders.late, 0u);
    clock.set(newYorkMidnight + 24h);
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u) << "once";
}

TEST_F(SchedulerTest, AfterDowntimeAMissedReminderCatchesUpAndSaysItIsLate) {
    auto& svc = startService(mail);
    svc.rules().add(installationReminder());
    const auto due = at(2026, 3, 10, 10, 0);
    write({installation("inst-2", due)});
    svc.runOnce(clock.now());  // the mark is set on Mar 2

    // The plugin was down from Mar 2 until Mar 9 14:00: the moment (Mar 8 10:00) was missed.
    clock.set(at(2026, 3, 9, 14, 0));
    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 1u) << report.error;
    EXPECT_EQ(report.reminders.late, 1u);
    ASSERT_EQ(mail.sent().size(), 1u);
    const auto all = mail.sent();
    const auto& m = all[0];
    EXPECT_EQ(m.subject, "Напоминание (через 20 ч.): Запланирован монтаж: Монтаж окон, бригада Кузнецова [с опозданием]");
    EXPECT_NE(m.textBody.find("Напоминание отправлено с опозданием (должно было уйти 08.03.2026, 11:00)."), std::string::npos)
        << m.textBody;
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0].late);
    EXPECT_EQ(rows[0].fireAt, due - 48h);
}

TEST_F(SchedulerTest, OverdueRemindersFireAfterTheDueTimeInTheRecipientsLanguage) {
    auto& svc = startService(mail);
    auto r = rule("Przedpłata: jutro i po terminie", {"order.prepayment_required"}, {dept("finance")}, Timing::Reminder);
    r.offsets = {std::chrono::minutes(-24 * 60), std::chrono::minutes(24 * 60)};
    svc.rules().add(r);
    auto prepay = makeEvent("prepay", "order.prepayment_required", clock.now(), 1002, 102);
    prepay.title = "Przedpłata 30% za okna";
    prepay.amount = sdk::Money{450000, "PLN"};
    prepay.dueAt = at(2026, 3, 5, 12, 0);
    write({prepay});

    clock.set(at(2026, 3, 4, 12, 1));
    svc.runOnce(clock.now());
    clock.set(at(2026, 3, 6, 12, 1));
    svc.runOnce(clock.now());
    const auto sent = mail.sent();
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].subject, "Przypomnienie (za 1 dni): Wymagana przedpłata: Przedpłata 30% za okna");
    EXPECT_EQ(sent[1].subject, "Po terminie (po terminie o 1 dni): Wymagana przedpłata: Przedpłata 30% za okna");
    EXPECT_NE(sent[1].textBody.find("Kwota: 4500,00\u00a0zł"), std::string::npos) << sent[1].textBody;
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].offsetMinutes, -24 * 60);
    EXPECT_EQ(rows[1].offsetMinutes, 24 * 60);
}

TEST_F(SchedulerTest, RemindersOfWhatWasMovedFinishedOrPaidDoNotFire) {
    auto& svc = startService(mail);
    svc.rules().add(installationReminder());
    auto prepayRule = rule("Przedpłata po terminie", {"order.prepayment_required"}, {dept("finance")}, Timing::Reminder);
    prepayRule.offsets = {std::chrono::minutes(24 * 60)};
    svc.rules().add(prepayRule);

    // The installation was planned for Mar 10, then moved to Mar 17 (a later event, same stage).
    const auto first = at(2026, 3, 10, 10, 0), moved = at(2026, 3, 17, 10, 0);
    auto planned = installation("inst-planned", first);
    planned.stage = "installation";
    auto again = installation("inst-moved", moved);
    again.stage = "installation";
    again.occurredAt = clock.now() + 1h;
    // A prepayment due Mar 5, paid on Mar 4 (same project).
    auto prepay = makeEvent("prepay-due", "order.prepayment_required", clock.now(), 1002, 102);
    prepay.title = "Przedpłata 30% za okna";
    prepay.dueAt = at(2026, 3, 5, 12, 0);
    auto paid = makeEvent("prepay-paid", "payment.prepayment_received", at(2026, 3, 4, 9, 0), 1002, 102);
    paid.title = "Wpłynęła przedpłata";
    write({planned, again, prepay, paid});

    clock.set(at(2026, 3, 6, 12, 5));  // one day after the prepayment's due time: it was paid
    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 0u) << report.error;
    EXPECT_GE(report.reminders.settled, 1u);

    clock.set(first - 48h + 30s);  // the old installation date's reminder: it moved
    report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 0u) << report.error;
    EXPECT_GE(report.reminders.settled, 1u);
    EXPECT_TRUE(mail.sent().empty());

    clock.set(moved - 48h + 30s);  // the new date's reminder fires
    report = svc.runOnce(clock.now());
    EXPECT_EQ(report.reminders.queued, 1u) << report.error;
    const auto sent = mail.sent();
    ASSERT_EQ(sent.size(), 1u);
    const auto rows = svc.outbox().rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fireAt, moved - 48h);
}

TEST_F(SchedulerTest, EveryAddressOfAReminderRuleGetsItsOwnRowAndAChangedRuleTakesEffect) {
    auto& svc = startService(mail);
    auto r = installationReminder();
    r.recipients.push_back(role(RecipientRole::Measurer));
    r.recipients.push_back(dept("dispatch"));
    const auto id = svc.rules().add(r);
    const auto due = at(2026, 3, 12, 8, 0);
    write({installation("inst-3", due, 1002)});
    clock.set(due - 47h);
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 3u);
    // A second moment added later fires for the same event, once.
    r.id = id;
    r.offsets.push_back(std::chrono::minutes(-2 * 60));
    svc.rules().update(r);
    clock.set(due - 90min);
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 3u);
    clock.set(due - 60min);
    EXPECT_EQ(svc.runOnce(clock.now()).reminders.queued, 0u);
    EXPECT_EQ(sentTo("p.zielinski@fabryka.example"), 2u);
    EXPECT_EQ(sentTo("m.ivanova@zavod.example"), 2u);
}

TEST_F(SchedulerTest, TheDigestComesAtItsHourGroupedAndWithoutWhatWasRead) {
    auto& svc = startService(mail);
    auto r = rule("Утренняя сводка заметок", {"note.*"}, {dept("dispatch"), role(RecipientRole::ProjectManager)}, Timing::Digest);
    r.digestHour = 8;
    svc.rules().add(r);
    std::vector<std::int64_t> asked;
    std::set<std::int64_t> readByIvanova;
    svc.setReadFilter([&](sdk::Id user, const std::vector<std::int64_t>& ids) {
        std::vector<bool> out;
        for (auto id : ids) out.push_back(user == 11 && readByIvanova.count(id));
        asked.insert(asked.end(), ids.begin(), ids.end());
        return out;
    });

    clock.set(at(2026, 3, 2, 10, 0));
    auto a = makeEvent("n1", "note.project", clock.now(), 1001, 101);
    a.title = "Заказчик просит перенести монтаж";
    auto b = makeEvent("n2", "note.customer", clock.now(), 1002, 102);
    b.title = "Klient prosi o fakturę <VAT>";
    auto c = makeEvent("n3", "note.project", clock.now(), 1001, 101);
    c.title = "Нужен второй замер";
    auto d = makeEvent("n4", "note.customer", clock.now(), 0, 102);
    d.title = "Zmiana adresu dostawy";
    write({a, b, c, d});
    readByIvanova = {storedId(c)};

    clock.set(at(2026, 3, 2, 23, 0));  // today's 08:00 was before the notes: nothing yet
    EXPECT_EQ(svc.runOnce(clock.now()).digest.digests, 0u);
    clock.set(at(2026, 3, 3, 7, 0));  // 08:00 in Warsaw (the installation's zone) in winter
    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.digest.digests, 2u) << report.error;
    EXPECT_EQ(report.digest.skippedRead, 1u);
    ASSERT_EQ(mail.sent().size(), 2u);

    std::map<std::string, sdk::MailMessage> byTo;
    for (const auto& m : mail.sent()) byTo[m.to[0].address] = m;
    const auto& ivanova = byTo.at("m.ivanova@zavod.example");
    EXPECT_EQ(ivanova.subject, "Сводка событий за 3 марта 2026\u202fг.: 3");
    const auto& text = ivanova.textBody;
    EXPECT_EQ(text.find("Нужен второй замер"), std::string::npos);  // read in the workstation
    // Grouped: project 0042 (ООО «Север»), project 0043 (Zażółć Gęślą), then events of no project.
    const auto p42 = text.find("== P-2026-0042 «Окна в офис» ==");
    const auto p43 = text.find("== P-2026-0043 «Okna w domu» ==");
    const auto none = text.find("== Без проекта ==");
    ASSERT_NE(p42, std::string::npos) << text;
    ASSERT_NE(p43, std::string::npos) << text;
    ASSERT_NE(none, std::string::npos) << text;
    EXPECT_LT(p42, p43);
    EXPECT_LT(p43, none);
    EXPECT_GT(text.find("Заказчик просит перенести монтаж"), p42);
    EXPECT_LT(text.find("Заказчик просит перенести монтаж"), p43);
    EXPECT_NE(text.find("Контрагент: ООО «Север»"), std::string::npos);
    EXPECT_GT(text.find("Zmiana adresu dostawy"), none);
    EXPECT_NE(ivanova.htmlBody.find("Klient prosi o fakturę &lt;VAT&gt;"), std::string::npos);
    // The manager of both projects had read nothing: his three (the note of no project has no manager).
    const auto& petrov = byTo.at("s.petrov@zavod.example");
    EXPECT_EQ(petrov.subject, "Сводка событий за 3 марта 2026\u202fг.: 3");
    EXPECT_NE(petrov.textBody.find("Нужен второй замер"), std::string::npos);
    EXPECT_EQ(petrov.textBody.find("Zmiana adresu dostawy"), std::string::npos);

    // Once a day: later ticks send nothing more; the next note waits for tomorrow.
    clock.set(at(2026, 3, 3, 9, 0));
    write({makeEvent("n5", "note.project", clock.now(), 1001, 101)});
    EXPECT_EQ(svc.runOnce(clock.now()).digest.digests, 0u);
    clock.set(at(2026, 3, 4, 8, 1));
    EXPECT_EQ(svc.runOnce(clock.now()).digest.digests, 2u);
    EXPECT_EQ(mail.sent().size(), 4u);
    for (const auto& row : svc.outbox().rows(notify::OutboxFilter{std::nullopt, OutboxStatus::DigestWait})) ADD_FAILURE() << row.id;
}

TEST_F(SchedulerTest, ADigestMissedDuringDowntimeComesOnceAndLate) {
    auto& svc = startService(mail);
    auto r = rule("Podsumowanie", {"note.*"}, {dept("finance")}, Timing::Digest);
    r.digestHour = 7;
    svc.rules().add(r);
    write({makeEvent("d1", "note.customer", clock.now(), 1002, 102)});
    clock.set(at(2026, 3, 5, 15, 0));  // down over three 07:00s
    auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.digest.digests, 1u) << report.error;
    ASSERT_EQ(mail.sent().size(), 1u);
    EXPECT_EQ(mail.sent()[0].subject, "Podsumowanie zdarzeń z 5 marca 2026: 1 [z opóźnieniem]");
}

TEST(DigestSlots, LastSlotIsTheZonesWallClockHourAllYear) {
    using notify::DigestScheduler;
    const auto utc = crm::TimeZone::named("Etc/UTC"), warsaw = crm::TimeZone::named("Europe/Warsaw"),
               moscow = crm::TimeZone::named("Europe/Moscow");
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 3, 8, 0), 8, utc), at(2026, 3, 3, 8, 0));
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 3, 7, 59), 8, utc), at(2026, 3, 2, 8, 0));
    // Warsaw in winter (UTC+1): 08:00 local is 07:00 UTC; in summer (UTC+2) 06:00 UTC.
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 3, 7, 30), 8, warsaw), at(2026, 3, 3, 7, 0));
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 7, 3, 6, 30), 8, warsaw), at(2026, 7, 3, 6, 0));
    // The night clocks go forward (29 March 2026): the day before had its slot at 07:00 UTC.
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 29, 5, 0), 8, warsaw), at(2026, 3, 28, 7, 0));
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 29, 6, 0), 8, warsaw), at(2026, 3, 29, 6, 0));
    // Moscow (UTC+3 all year): 08:00 local is 05:00 UTC; at 02:00 UTC it is still yesterday's slot.
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 3, 3, 2, 0), 8, moscow), at(2026, 3, 2, 5, 0));
    EXPECT_EQ(DigestScheduler::lastSlot(at(2026, 7, 3, 2, 0), 8, moscow), at(2026, 7, 2, 5, 0));
}

}  // namespace
}  // namespace notifytest

namespace notifytest {
namespace {

// Two workstations (own connections) run reminders and digests at the same moment, from the
// first tick on: neither reports an error, and each reminder and digest exists once.
TEST_F(SchedulerTest, TwoWorkstationsTickingAtOnceQueueEachReminderOnceWithoutErrors) {
    auto& svc = startService(mail);
    auto r = installationReminder();
    r.recipients.push_back(dept("dispatch"));
    svc.rules().add(r);
    auto digest = rule("Сводка", {"note.*"}, {dept("finance")}, Timing::Digest);
    digest.digestHour = 8;
    svc.rules().add(digest);
    std::vector<crm::Event> events;
    for (int i = 0; i < 20; ++i) events.push_back(installation("race-" + std::to_string(i), at(2026, 3, 10, 10, i)));
    events.push_back(makeEvent("race-note", "note.project", clock.now(), 1001, 101));
    write(events);

    crm::Database dbA(where(), 2), dbB(where(), 2);
    notify::ReminderScheduler remA(dbA, svc.resolver()), remB(dbB, svc.resolver());
    notify::DigestScheduler digA(dbA), digB(dbB);
    std::size_t queued = 0, digests = 0;
    // From the first tick ever (both insert the marks) through the moment itself and the digest.
    for (auto t : {clock.now(), at(2026, 3, 8, 10, 30), at(2026, 3, 8, 10, 31), at(2026, 3, 3, 8, 0) + 24h * 5}) {
        std::atomic<int> ready{0};
        std::string errA, errB;
        auto run = [&](notify::ReminderScheduler& rem, notify::DigestScheduler& dig, std::string& err, std::size_t& q,
                       std::size_t& d) {
            ++ready;
            while (ready < 2) std::this_thread::yield();
            try {
                q = rem.runOnce(t).queued;
                d = dig.runOnce(t).digests;
            } catch (const std::exception& e) {
                err = e.what();
            }
        };
        std::size_t qa = 0, qb = 0, da = 0, db = 0;
        std::thread ta([&] { run(remA, digA, errA, qa, da); }), tb([&] { run(remB, digB, errB, qb, db); });
        ta.join();
        tb.join();
        EXPECT_EQ(errA, "");
        EXPECT_EQ(errB, "");
        queued += qa + qb;
        digests += da + db;
    }
    EXPECT_EQ(queued, 40u);  // 20 installations x (manager, dispatch), once
    EXPECT_EQ(digests, 1u);
    EXPECT_EQ(svc.outbox().rows(notify::OutboxFilter{std::nullopt, OutboxStatus::Pending}, 0, 1000).size(), 41u);
}

}  // namespace
}  // namespace notifytest
