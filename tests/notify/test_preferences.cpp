// Less, better mail: the default rules upgraded on a database of the previous schema and defaults
// (an administrator's changes kept), each person's mail preferences per family applied where the
// outbox rows are written, following and unfollowing as events on the subject's timeline, one
// daily digest per person whatever the rules, and a rule's 30-day reach per person. Real
// embedded Firebird files throughout.
#include "notify_test_util.hpp"

#include <conduit/crm/database/migrations.hpp>
#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/foundation/kind_codes.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <soci/soci.h>

namespace notifytest {
namespace {

using notify::Delivery;
using notify::MailFamily;
using notify::OutboxStatus;
using notify::RecipientRole;
using notify::Rule;
using notify::Timing;
namespace kinds = conduit::crm::kinds;

class PreferencesTest : public NotifyTest {
protected:
    // Rows of one event, by address.
    std::map<std::string, OutboxStatus> rowsOf(const crm::Event& e) {
        std::map<std::string, OutboxStatus> out;
        for (const auto& r : service->outbox().rows({storedId(e), std::nullopt})) out[r.recipient.address] = r.status;
        return out;
    }
    // The status of the row for one address; Skipped stands for "no row".
    OutboxStatus statusOf(const crm::Event& e, const std::string& address) {
        const auto rows = rowsOf(e);
        const auto it = rows.find(address);
        return it == rows.end() ? OutboxStatus::Skipped : it->second;
    }
    crm::Event important(const std::string& key, const std::string& kind) {
        auto e = makeEvent(key, kind, clock.now(), 1001, 101);
        e.importance = crm::Importance::High;
        return e;
    }
};

const char* const kIvanova = "m.ivanova@zavod.example";  // dispatch, user 11
const char* const kPetrov = "s.petrov@zavod.example";    // orders, manager of both projects, user 13
const char* const kNowak = "a.nowak@fabryka.example";    // finance, user 12

TEST(DefaultRules, FamiliesCoverEveryBuiltInKind) {
    EXPECT_EQ(notify::familyOf(kinds::kPaymentOverdue), MailFamily::Payments);
    EXPECT_EQ(notify::familyOf(kinds::kOrderPrepaymentRequired), MailFamily::Payments);
    EXPECT_EQ(notify::familyOf(kinds::kCrewAssigned), MailFamily::Schedule);
    EXPECT_EQ(notify::familyOf(kinds::kOrderMaterialsReserved), MailFamily::Production);
    EXPECT_EQ(notify::familyOf(kinds::kItemsReceived), MailFamily::Warehouse);
    EXPECT_EQ(notify::familyOf(kinds::kProjectNote), MailFamily::Notes);
    EXPECT_EQ(notify::familyOf(kinds::kNotificationFailed), MailFamily::Failures);
    EXPECT_EQ(notify::familyOf("deal.won"), MailFamily::Other);
    for (auto f : notify::mailFamilies()) {
        EXPECT_EQ(notify::mailFamilyFromString(notify::toString(f)), f);
        const auto en = notify::familyName(f, crm::Locale::of("en"));
        EXPECT_NE(notify::familyName(f, crm::Locale::of("ru")), en);
        EXPECT_NE(notify::familyName(f, crm::Locale::of("pl")), en);
    }
    for (auto d : {Delivery::AtOnce, Delivery::Digest, Delivery::Never}) EXPECT_EQ(notify::deliveryFromString(notify::toString(d)), d);
}

// At once only what matters: no department is told at once of every event in its line of work,
// everything that is not High or Critical or a due date goes to a digest; the customer's mail is as before.
TEST(DefaultRules, AtOnceOnlyHighCriticalAndOwnDueDates) {
    crm::EventKindRegistry registry;
    for (const auto& r : notify::defaultRules()) {
        EXPECT_FALSE(notify::validate(r)) << r.seedKey;
        const bool customer = r.recipients.size() == 1 && r.recipients[0].role == RecipientRole::CounterpartyContact;
        if (customer || r.timing != Timing::OnOccurrence) continue;
        for (const auto& k : r.kinds) {
            const auto kind = registry.find(k);
            ASSERT_TRUE(kind) << k;
            EXPECT_GE(kind->defaultImportance, crm::Importance::High) << r.seedKey << ": " << k << " at once";
        }
    }
    for (const auto& r : notify::defaultRules()) {
        if (r.timing != Timing::Reminder) continue;
        for (const auto& to : r.recipients)
            if (to.role == RecipientRole::Department) {
                EXPECT_NE(to.department, "dispatch") << r.seedKey << ": a reminder of every project";
            }
    }
}

// A database of the previous schema (before the mail preferences) with the first default set,
// as that version seeded it, one default renamed by an administrator and one deleted: opening it
// migrates the schema, upgrades the untouched defaults in place and leaves the others alone.
TEST(DefaultRules, UpgradeKeepsWhatAnAdministratorChanged) {
    conduit::test::TempDir dir("conduit-upgrade");
    const auto where = embeddedAt(dir / "crm.fdb");
    constexpr int kPreferencesVersion = 6;
    const auto& v1 = notify::earlierDefaultRules().at(0);
    std::map<std::string, std::int64_t> idOf;
    {
        crm::Database db(where, 1);
        {
            auto s = db.acquire();
            std::vector<crm::Migration> previous;
            for (const auto& m : crm::embeddedMigrations())
                if (m.version < kPreferencesVersion) previous.push_back(m);
            ASSERT_EQ(crm::Migrations(previous).apply(*s).toVersion, kPreferencesVersion - 1);
            *s << "INSERT INTO CRM_NOTIFY_STATE (NAME) VALUES ('defaults.seeded')";
            s->commit();
        }
        notify::RuleStore old(db);
        for (const auto& r : v1) idOf[r.seedKey] = old.add(r);
        auto materials = *old.find(idOf.at("default.materials"));
        materials.name = "Материалы — Петрову";
        old.update(materials);
        old.remove(idOf.at("default.schedule.changes"));
        old.setEnabled(idOf.at("default.stage.overdue"), false);
    }

    auto store = crm::EventStore::open(where);
    EXPECT_EQ(store->counts().schemaVersion, crm::Migrations().latestVersion());
    crm::Database db(where, 1);
    notify::RuleStore rules(db);
    EXPECT_TRUE(rules.seedDefaults());
    EXPECT_FALSE(rules.seedDefaults()) << "once";
    std::map<std::string, Rule> byKey;
    for (const auto& r : rules.list()) byKey[r.seedKey] = r;
    std::map<std::string, Rule> fresh;
    for (const auto& r : notify::defaultRules()) fresh[r.seedKey] = r;

    // Untouched: the new content under the same id (its history stays with it).
    auto payments = byKey.at("default.payments");
    EXPECT_EQ(payments.id, idOf.at("default.payments"));
    payments.id = 0;
    EXPECT_EQ(payments, fresh.at("default.payments"));
    EXPECT_EQ(byKey.at("default.installation.reminder").recipients.size(), 2u) << "dispatch no longer told of every installation";
    EXPECT_TRUE(byKey.count("default.payments.digest")) << "split off an untouched default";
    EXPECT_EQ(byKey.at("default.prepayment.required").recipients.size(), 1u) << "finance reads them in its digest";
    EXPECT_EQ(byKey.at("default.prepayment.digest").timing, Timing::Digest);
    EXPECT_TRUE(byKey.count("default.following")) << "new in this version";
    // Changed, disabled or deleted: as the administrator left it.
    EXPECT_EQ(byKey.at("default.materials").name, "Материалы — Петрову");
    EXPECT_EQ(byKey.at("default.materials").timing, Timing::OnOccurrence);
    EXPECT_FALSE(byKey.at("default.stage.overdue").enabled);
    EXPECT_EQ(byKey.at("default.stage.overdue").recipients, v1[5].recipients);
    EXPECT_FALSE(byKey.count("default.schedule.changes"));
    EXPECT_FALSE(byKey.count("default.schedule.digest")) << "its source was deleted: nothing sends its mail again";
    EXPECT_FALSE(byKey.count("default.crew.digest"));

    // The new tables exist and work on the upgraded file.
    sdk::Id follower = 0;
    {
        auto s = db.acquire();
        *s << "SELECT COUNT(*) FROM CRM_MAIL_PREF", soci::into(follower);
    }
    EXPECT_EQ(follower, 0);
}

TEST_F(PreferencesTest, DigestNeverAndAtOnceAreAppliedWhereRowsAreWritten) {
    RecordingMail mail;
    auto& svc = startService(mail);
    svc.rules().add(rule("Crews at once", {kinds::kCrewAssigned, kinds::kStageRescheduled, kinds::kPaymentReceived},
                         {dept("dispatch"), role(RecipientRole::ProjectManager), role(RecipientRole::CounterpartyContact)}));
    svc.rules().add(rule("Notes digest", {"note.*"}, {dept("dispatch")}, Timing::Digest));
    auto& prefs = svc.preferences();
    prefs.set(11, 11, MailFamily::Schedule, Delivery::Digest);
    prefs.set(13, 13, MailFamily::Payments, Delivery::Never);
    prefs.set(11, 11, MailFamily::Notes, Delivery::AtOnce);
    EXPECT_EQ(prefs.of(11).size(), 2u);

    const auto crew = makeEvent("crew", kinds::kCrewAssigned, clock.now(), 1001, 101);
    const auto moved = important("moved", kinds::kStageRescheduled);
    auto paid = makeEvent("paid", kinds::kPaymentReceived, clock.now(), 1001, 101);
    const auto note = makeEvent("note", kinds::kProjectNote, clock.now(), 1001, 101);
    write({crew, moved, paid, note});

    EXPECT_EQ(rowsOf(crew).at(kIvanova), OutboxStatus::DigestWait) << "schedule: into her digest";
    EXPECT_EQ(rowsOf(crew).at(kPetrov), OutboxStatus::Pending) << "the manager chose nothing";
    EXPECT_EQ(rowsOf(moved).at(kIvanova), OutboxStatus::Pending) << "High: at once even for a digest preference";
    EXPECT_FALSE(rowsOf(paid).count(kPetrov)) << "payments: never";
    EXPECT_EQ(rowsOf(paid).at("f.shcherbakov@sever.example"), OutboxStatus::Pending) << "customers are not affected";
    const auto noteRows = svc.outbox().rows({storedId(note), std::nullopt});
    ASSERT_EQ(noteRows.size(), 1u);
    EXPECT_EQ(noteRows[0].status, OutboxStatus::Pending) << "notes at once, though the rule is a digest";
    EXPECT_EQ(noteRows[0].timing, Timing::OnOccurrence) << "one event's mail, not a digest";

    prefs.set(11, 11, MailFamily::Schedule, std::nullopt);
    EXPECT_FALSE(prefs.of(11).count(MailFamily::Schedule)) << "back to what the rules say";
}

TEST_F(PreferencesTest, APersonChangesTheirOwnAndAnAdministratorAnyones) {
    RecordingMail mail;
    auto& prefs = startService(mail).preferences();
    constexpr sdk::Id kAdmin = 15;
    prefs.enforce([](sdk::Id actor, sdk::Id user) { return actor == user || actor == kAdmin; });
    EXPECT_NO_THROW(prefs.set(12, 12, MailFamily::Notes, Delivery::Never));
    EXPECT_THROW(prefs.set(12, 11, MailFamily::Notes, Delivery::Never), notify::PreferenceError);
    EXPECT_THROW(prefs.follow(12, 11, crm::projectSubject(1001), true), notify::PreferenceError);
    EXPECT_THROW(prefs.set(0, 12, MailFamily::Notes, Delivery::Never), notify::PreferenceError) << "no actor";
    EXPECT_NO_THROW(prefs.set(kAdmin, 11, MailFamily::Notes, Delivery::Digest));
    EXPECT_TRUE(prefs.of(11).count(MailFamily::Notes));
    EXPECT_EQ(prefs.of(11).at(MailFamily::Notes), Delivery::Digest);
    try {
        prefs.set(12, 11, MailFamily::Payments, Delivery::Never);
    } catch (const notify::PreferenceError& e) {
        EXPECT_EQ(notify::describe(e, crm::Locale::of("pl")), "Ustawienia poczty innego pracownika może zmieniać tylko administrator");
    }
    EXPECT_FALSE(prefs.of(11).count(MailFamily::Payments)) << "nothing written when refused";
}

TEST_F(PreferencesTest, FollowingIsAnEventAndBringsTheSubjectsMailWithoutARule) {
    RecordingMail mail;
    auto& svc = startService(mail);
    svc.rules().add(rule("Following", {"payment.*", "schedule.*"}, {{RecipientRole::Followers, {}, 0}}, Timing::Digest));
    svc.rules().add(rule("Dispatch at once", {"schedule.*"}, {dept("dispatch"), role(RecipientRole::ProjectManager)}));
    auto& prefs = svc.preferences();
    prefs.follow(12, 12, crm::projectSubject(1001), true);       // finance follows a project
    prefs.follow(11, 11, crm::projectSubject(1001), false);      // a dispatcher unfollows it
    prefs.follow(13, 13, crm::projectSubject(1001), false);      // so does its manager
    ASSERT_TRUE(store->writer().flush(20s));
    EXPECT_EQ(prefs.following(12, crm::projectSubject(1001)), true);
    EXPECT_EQ(prefs.following(11, crm::projectSubject(1001)), false);
    EXPECT_EQ(prefs.following(12, crm::projectSubject(1002)), std::nullopt);
    ASSERT_EQ(prefs.follows(12).size(), 1u);

    // Each follow and unfollow is on the project's timeline, read in each reader's language.
    crm::FeedFilter project;
    project.project = 1001;
    std::size_t follows = 0;
    for (const auto& e : store->feed(project).events) {
        if (e.kind != kinds::kFollowed && e.kind != kinds::kUnfollowed) continue;
        ++follows;
        const auto pl = crm::eventText(e, crm::formatterFor(crm::Locale::of("pl"), crm::TimeZone::defaultFor(crm::Language::Pl)));
        EXPECT_NE(pl.title.find("obserw"), std::string::npos) << pl.title;
    }
    EXPECT_EQ(follows, 3u);

    const auto crew = makeEvent("crew", kinds::kCrewAssigned, clock.now(), 1001, 101);
    const auto moved = important("moved", kinds::kStageRescheduled);
    const auto other = makeEvent("other", kinds::kCrewAssigned, clock.now(), 1002, 102);
    write({crew, moved, other});
    EXPECT_EQ(statusOf(crew, kNowak), OutboxStatus::DigestWait) << "a follower, as the following rule says";
    EXPECT_FALSE(rowsOf(crew).count(kIvanova)) << "unfollowed: no department mail";
    EXPECT_FALSE(rowsOf(crew).count(kPetrov)) << "unfollowed: not even as manager for a Normal event";
    EXPECT_FALSE(rowsOf(moved).count(kIvanova));
    EXPECT_EQ(statusOf(moved, kPetrov), OutboxStatus::Pending) << "High and addressed to them as manager: kept";
    EXPECT_EQ(statusOf(other, kIvanova), OutboxStatus::Pending) << "another project: as before";
    EXPECT_FALSE(rowsOf(other).count(kNowak));

    // Following again undoes the unfollow.
    prefs.follow(11, 11, crm::projectSubject(1001), true);
    ASSERT_TRUE(store->writer().flush(20s));
    const auto later = makeEvent("later", kinds::kCrewAssigned, clock.now(), 1001, 101);
    write({later});
    EXPECT_EQ(statusOf(later, kIvanova), OutboxStatus::Pending);
}

// Digest items of several rules, and at-once mail a person moved to their digest, make one
// digest per person and day.
TEST_F(PreferencesTest, OneDigestPerPersonWhateverTheRules) {
    RecordingMail mail;
    auto& svc = startService(mail);
    auto a = rule("Notes digest", {"note.*"}, {dept("dispatch")}, Timing::Digest);
    auto b = rule("Crews digest", {kinds::kCrewAssigned}, {dept("dispatch")}, Timing::Digest);
    svc.rules().add(a);
    svc.rules().add(b);
    svc.rules().add(rule("Finished at once", {kinds::kStageFinished}, {dept("dispatch")}));
    svc.preferences().set(11, 11, MailFamily::Schedule, Delivery::Digest);
    clock.set(at(2026, 3, 2, 9, 0));
    svc.runOnce(clock.now());  // the first tick sets the marks
    write({makeEvent("n", kinds::kProjectNote, clock.now(), 1001), makeEvent("c", kinds::kCrewAssigned, clock.now(), 1001),
           makeEvent("f", kinds::kStageFinished, clock.now(), 1001)});
    clock.set(at(2026, 3, 3, 8, 30));  // past 08:00 in Warsaw
    const auto report = svc.runOnce(clock.now());
    EXPECT_EQ(report.digest.digests, 1u) << report.error;
    EXPECT_EQ(report.digest.items, 3u);
    const auto sent = mail.sent();
    std::size_t toIvanova = 0;
    for (const auto& m : sent)
        if (m.to.front().address == kIvanova) ++toIvanova;
    EXPECT_EQ(toIvanova, 1u) << "one digest, nothing else";
    const auto tally = svc.outbox().sentPerRecipient();
    ASSERT_FALSE(tally.empty());
    for (const auto& t : tally)
        if (t.address == kIvanova) {
            EXPECT_EQ(t.immediate, 0u);
            EXPECT_EQ(t.digests, 1u);
            EXPECT_EQ(t.digestItems, 3u);
        }
}

// "This rule would have sent Anna Nowak 12 mails": over the last 30 days of stored events only,
// a digest once a day, a reminder once per offset; the scan is capped and says so.
TEST_F(PreferencesTest, ReachCountsMailsPerPersonOverTheLast30Days) {
    RecordingMail mail;
    auto& svc = startService(mail);
    std::vector<crm::Event> events;
    for (int day = 0; day < 40; ++day) {
        const auto when = clock.now() - std::chrono::hours(24 * day) - 1h;
        events.push_back(makeEvent("pay" + std::to_string(day), kinds::kPaymentReceived, when, 1001 + day % 2));
        events.push_back(makeEvent("note" + std::to_string(day), kinds::kProjectNote, when, 1001));
    }
    write(events);
    auto atOnce = rule("Payments to manager and finance", {"payment.*"}, {role(RecipientRole::ProjectManager), dept("finance")});
    auto r = svc.reach(atOnce);
    EXPECT_FALSE(r.capped);
    EXPECT_EQ(r.eventsScanned, 30u) << "events of the last 30 days only";
    ASSERT_EQ(r.people.size(), 2u);
    for (const auto& p : r.people) {
        EXPECT_EQ(p.mails, 30u) << p.recipient.address;
        EXPECT_TRUE(p.recipient.address == kNowak || p.recipient.address == kPetrov) << p.recipient.address;
    }
    auto digest = rule("Everything, digest", {"payment.*", "note.*"}, {dept("finance")}, Timing::Digest);
    r = svc.reach(digest);
    EXPECT_EQ(r.eventsScanned, 60u);
    ASSERT_EQ(r.people.size(), 1u);
    EXPECT_EQ(r.people[0].events, 60u);
    EXPECT_EQ(r.people[0].mails, 30u) << "one digest a day";
    auto scoped = atOnce;
    scoped.projects = {1002};
    r = svc.reach(scoped);
    ASSERT_FALSE(r.people.empty());
    EXPECT_EQ(r.people[0].mails, 15u);

    notify::ReachOptions small;
    small.cap = 10;
    r = svc.reach(digest, small);
    EXPECT_TRUE(r.capped);
    EXPECT_EQ(r.eventsScanned, 10u);
    EXPECT_TRUE(svc.outbox().rows().empty()) << "reach writes nothing";
}

}  // namespace
}  // namespace notifytest
