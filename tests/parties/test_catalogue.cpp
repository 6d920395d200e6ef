// The catalogue's store on a real embedded Firebird file: parties with their events and audit,
// rights, the list's search, duplicates, merges and their undo, the host's counterparties, and
// a database of the previous schema carried on.
#include "store_test_util.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/database/migrations.hpp>
#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/timeline/event_text.hpp>
#include <conduit/crm/foundation/search_fold.hpp>

#include <soci/soci.h>

using namespace conduit::crm;
using namespace conduit::crm::parties;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;

namespace {

constexpr sdk::Id kSales = 11, kManager = 12, kClerk = 13, kClient = 14, kOtherSales = 15;

CatalogueViewer viewerFor(sdk::Id user) {
    CatalogueViewer v;
    v.userId = user;
    v.internal = user != kClient;
    v.edits = user == kSales || user == kManager || user == kOtherSales;
    v.seesAll = user == kManager;
    v.seesRestricted = user == kSales || user == kManager;
    v.merges = user == kManager || user == kSales;
    v.administers = user == kManager;
    return v;
}

Party company(const std::string& name, const std::string& nip = {}) {
    Party p;
    p.kind = PartyKind::Company;
    p.fullName = name;
    p.roles = roleBit(PartyRole::Customer);
    if (!nip.empty()) p.taxIds.push_back({TaxIdKind::PlNip, nip});
    return p;
}

Party person(const std::string& name) {
    Party p;
    p.kind = PartyKind::Person;
    p.fullName = name;
    return p;
}

std::string titleIn(const Event& e, const char* language) {
    return eventText(e, formatterFor(Locale::of(language), TimeZone::named("Europe/Warsaw"))).title;
}

class CatalogueTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        CatalogueOptions options;
        options.clock = [this] { return now; };
        catalogue = std::make_unique<Catalogue>(store->database(), store->writer(), viewerFor, options);
    }
    std::vector<Event> timeline(const Party& p) {
        FeedFilter f;
        f.subject = subjectOf(p);
        return store->feed(f, std::nullopt, 100).events;
    }
    long long rows(const std::string& sql) {
        auto s = store->database().acquire();
        long long n = 0;
        *s << sql, soci::into(n);
        s->commit();
        return n;
    }
    sdk::TimePoint now = at(2026, 11, 2, 9);
    std::unique_ptr<Catalogue> catalogue;
};

TEST_F(CatalogueTest, ACreatedCompanyIsStoredNormalisedWithItsEventAndAuditRow) {
    auto draft = company("Okna Nowak Sp. z o.o.", "774-00-01-454");
    draft.phones.push_back({parsePhone("22 654 32 10", "PL"), "office"});
    draft.emails.push_back({parseEmail("Biuro@Okna-Nowak.PL"), ""});
    draft.ownerId = kSales;
    const auto stored = catalogue->create(kSales, draft);
    ASSERT_GT(stored.id, 0);
    EXPECT_EQ(stored.version, 1);
    EXPECT_EQ(stored.taxIds.front().value, "7740001454");

    const auto read = catalogue->get(kSales, stored.id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->fullName, "Okna Nowak Sp. z o.o.");
    EXPECT_EQ(read->phones.front().number.e164, "+48226543210");
    EXPECT_EQ(read->emails.front().address.address, "biuro@okna-nowak.pl");
    EXPECT_EQ(read->createdAt, now);

    const auto events = timeline(stored);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events.front().kind, "party.created");
    EXPECT_EQ(events.front().authorId, kSales);
    EXPECT_EQ(titleIn(events.front(), "pl"), "Dodano do katalogu firmę „Okna Nowak Sp. z o.o.”");
    EXPECT_EQ(titleIn(events.front(), "ru"), "В каталог добавлена компания «Okna Nowak Sp. z o.o.»");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_AUDIT WHERE OBJECT_TYPE = 'party'"), 1);
}

TEST_F(CatalogueTest, AWrongTaxIdIsRefusedNamingTheFieldAndNothingIsStored) {
    try {
        catalogue->create(kSales, company("Zła Firma", "774-00-01-455"));
        FAIL() << "a NIP with a wrong check digit must be refused";
    } catch (const FieldError& e) {
        EXPECT_EQ(e.field, "nip");
        EXPECT_NE(describe(e, Locale::of("pl")).find("NIP"), std::string::npos) << describe(e, Locale::of("pl"));
    }
    EXPECT_EQ(catalogue->counts().companies, 0u);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EVENT"), 0);
}

TEST_F(CatalogueTest, AnUpdateListsWhatChangedAndAStaleCopyIsRefused) {
    const auto stored = catalogue->create(kSales, company("Okna Nowak"));
    auto edit = stored;
    edit.region = "mazowieckie";
    edit.website = "https://okna-nowak.pl";
    const auto updated = catalogue->update(kSales, edit);
    EXPECT_EQ(updated.version, 2);
    EXPECT_EQ(catalogue->get(kSales, stored.id)->region, "mazowieckie");

    auto late = stored;  // read before the change
    late.region = "śląskie";
    try {
        catalogue->update(kOtherSales, late);
        FAIL() << "a stale copy must be refused";
    } catch (const CatalogueError& e) {
        EXPECT_EQ(e.problem, CatalogueProblem::Stale);
        EXPECT_FALSE(describe(e, Locale::of("ru")).empty());
    }
    const auto events = timeline(stored);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events.front().kind, "party.changed");
    const auto pl = eventText(events.front(), formatterFor(Locale::of("pl"), TimeZone::named("Europe/Warsaw")));
    EXPECT_NE(pl.title.find("Region"), std::string::npos) << pl.title;
    EXPECT_NE(pl.body.find("mazowieckie"), std::string::npos) << pl.body;
    EXPECT_EQ(catalogue->get(kSales, stored.id)->region, "mazowieckie");
}

TEST_F(CatalogueTest, RightsAreEnforcedByTheStoreNotTheForm) {
    EXPECT_THROW(catalogue->create(kClerk, company("Nie Wolno")), CatalogueError);  // no right to edit
    auto mine = company("Prywatny Klient", "7740001454");
    mine.isPrivate = true;
    mine.ownerId = kSales;
    const auto stored = catalogue->create(kSales, mine);
    EXPECT_FALSE(catalogue->get(kOtherSales, stored.id));  // private to its owner
    EXPECT_TRUE(catalogue->get(kManager, stored.id));
    EXPECT_FALSE(catalogue->get(kClient, stored.id));

    auto shared = catalogue->create(kSales, company("Wspólny Klient", "5260250274"));
    const auto asClerk = catalogue->get(kClerk, shared.id);
    ASSERT_TRUE(asClerk);
    EXPECT_TRUE(asClerk->restrictedHidden);
    EXPECT_TRUE(asClerk->taxIds.empty());
    EXPECT_THROW(catalogue->update(kClerk, *asClerk), CatalogueError);

    // An editor without the right to tax ids changes the rest; the tax id stays.
    auto asOther = *catalogue->get(kOtherSales, shared.id);
    EXPECT_TRUE(asOther.taxIds.empty());
    asOther.category = "A";
    catalogue->update(kOtherSales, asOther);
    EXPECT_EQ(catalogue->get(kSales, shared.id)->taxIds.front().value, "5260250274");
    EXPECT_TRUE(catalogue->find(kClient, {}).rows.empty());
    CatalogueFilter all;
    EXPECT_EQ(catalogue->find(kOtherSales, all).rows.size(), 1u);
    EXPECT_EQ(catalogue->find(kManager, all).rows.size(), 2u);
}

TEST_F(CatalogueTest, TheListFindsByWordsPhoneEmailAndTaxIdAndPagesByKeyset) {
    auto a = company("ООО «Ромашка»");
    a.phones.push_back({parsePhone("+7 495 123-45-67", "RU"), ""});
    a.addresses.push_back({AddressPurpose::Legal, "RU", "123456", "Москва", "Тверская", "7", "", ""});
    catalogue->create(kSales, a);
    auto b = company("Okna Nowak", "7740001454");
    b.emails.push_back({parseEmail("biuro@okna-nowak.pl"), ""});
    b.roles = roleBit(PartyRole::Partner);
    catalogue->create(kSales, b);
    catalogue->create(kSales, person("Anna Nowak"));
    for (int i = 0; i < 7; ++i) catalogue->create(kSales, company("Firma " + std::to_string(i)));

    const auto names = [&](CatalogueFilter f) {
        std::vector<std::string> out;
        for (const auto& r : catalogue->find(kSales, f).rows) out.push_back(r.name);
        return out;
    };
    CatalogueFilter f;
    f.text = "nowak";
    EXPECT_EQ(names(f), (std::vector<std::string>{"Anna Nowak", "Okna Nowak"}));
    const auto both = catalogue->find(kSales, f).rows;
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].kind, PartyKind::Person);
    EXPECT_EQ(both[1].kind, PartyKind::Company);
    f.kind = PartyKind::Company;
    EXPECT_EQ(names(f), std::vector<std::string>{"Okna Nowak"});
    CatalogueFilter phone;
    phone.text = "8 (495) 123";
    EXPECT_EQ(names(phone), std::vector<std::string>{"ООО «Ромашка»"});
    CatalogueFilter cyr;
    cyr.text = "ромаш";
    EXPECT_EQ(names(cyr), std::vector<std::string>{"ООО «Ромашка»"});
    CatalogueFilter mail;
    mail.text = "biuro@okna";
    EXPECT_EQ(names(mail), std::vector<std::string>{"Okna Nowak"});
    CatalogueFilter tax;
    tax.text = "7740001";
    EXPECT_EQ(names(tax), std::vector<std::string>{"Okna Nowak"});
    CatalogueFilter partners;
    partners.anyRole = roleBit(PartyRole::Partner);
    EXPECT_EQ(names(partners), std::vector<std::string>{"Okna Nowak"});

    CatalogueFilter paged;
    paged.limit = 4;
    std::vector<std::string> seen;
    for (int guard = 0; guard < 10; ++guard) {
        const auto page = catalogue->find(kSales, paged);
        for (const auto& r : page.rows) seen.push_back(r.name);
        if (!page.next) break;
        paged.after = page.next;
    }
    EXPECT_EQ(seen.size(), 10u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const std::string& x, const std::string& y) {
        return searchFold(x) < searchFold(y);
    }));
}

TEST_F(CatalogueTest, DuplicatesAreSuggestedWhileTypingAndFoundByTheSweep) {
    const auto first = catalogue->create(kSales, company("Okna Nowak Sp. z o.o.", "7740001454"));
    catalogue->create(kSales, company("Drzwi Kowalski"));
    const auto suggestions = catalogue->possibleDuplicates(kSales, company("OKNA NOWAK S.A."));
    ASSERT_EQ(suggestions.size(), 1u);
    EXPECT_EQ(suggestions.front().partyId, first.id);
    EXPECT_EQ(suggestions.front().reasons.front(), DuplicateReason::SameName);
    const auto byTax = catalogue->possibleDuplicates(kSales, company("Zupełnie Inna", "774 000 14 54"));
    ASSERT_EQ(byTax.size(), 1u);
    EXPECT_EQ(byTax.front().reasons.front(), DuplicateReason::SameTaxId);

    const auto second = catalogue->create(kSales, company("Okna-Nowak"));
    const auto report = catalogue->sweepDuplicates();
    EXPECT_EQ(report.pairsNew, 1u);
    auto review = catalogue->reviewList(kSales);
    ASSERT_EQ(review.size(), 1u);
    EXPECT_EQ(review.front().a, first.id);
    EXPECT_EQ(review.front().b, second.id);
    catalogue->dismissDuplicate(kSales, second.id, first.id);
    EXPECT_TRUE(catalogue->reviewList(kSales).empty());
    EXPECT_EQ(catalogue->sweepDuplicates().pairsNew, 0u);  // a dismissed pair stays dismissed
}

TEST_F(CatalogueTest, AMergeMovesEveryReferenceAndItsUndoPutsEachBack) {
    auto keptDraft = company("Okna Nowak", "7740001454");
    keptDraft.tags = {"vip"};
    const auto kept = catalogue->create(kSales, keptDraft);
    auto goneDraft = company("Okna Nowak (stary wpis)");
    goneDraft.phones.push_back({parsePhone("22 654 32 10", "PL"), ""});
    goneDraft.tags = {"okna"};
    goneDraft.notes = "Klient od 2019.";
    const auto gone = catalogue->create(kSales, goneDraft);
    const auto anna = catalogue->create(kSales, person("Anna Nowak"));
    Employment job;
    job.personId = anna.id;
    job.companyId = gone.id;
    job.jobTitle = "Kierownik zakupów";
    job.influence = 3;
    catalogue->addEmployment(kSales, job);
    const auto dealer = catalogue->create(kSales, company("Hurtownia Okien"));
    PartyRelation rel;
    rel.kind = RelationKind::DealerOf;
    rel.fromId = gone.id;
    rel.toId = dealer.id;
    catalogue->addRelation(kSales, rel);
    const auto goneEvents = timeline(gone).size();
    const auto keptEvents = timeline(kept).size();

    EXPECT_THROW(catalogue->merge(kClerk, kept.id, gone.id), CatalogueError);
    EXPECT_THROW(catalogue->merge(kSales, kept.id, anna.id), CatalogueError);  // a company with a person
    now += std::chrono::hours(1);
    const auto result = catalogue->merge(kSales, kept.id, gone.id);
    EXPECT_EQ(result.employmentsMoved, 1u);
    EXPECT_EQ(result.relationsMoved, 1u);
    EXPECT_EQ(result.eventsMoved, goneEvents);

    const auto merged = catalogue->get(kSales, kept.id);
    ASSERT_TRUE(merged);
    EXPECT_EQ(merged->fullName, "Okna Nowak");
    EXPECT_EQ(merged->phones.size(), 1u);
    EXPECT_EQ(merged->tags, (std::set<std::string>{"okna", "vip"}));
    EXPECT_EQ(merged->notes, "Klient od 2019.");
    EXPECT_EQ(catalogue->get(kSales, gone.id)->id, kept.id);  // the old id is an alias
    EXPECT_EQ(catalogue->resolve(gone.id), kept.id);
    EXPECT_EQ(catalogue->employmentsOfCompany(kSales, kept.id).size(), 1u);
    EXPECT_EQ(catalogue->relationsOf(kSales, dealer.id).front().fromId, kept.id);
    EXPECT_EQ(timeline(kept).size(), keptEvents + goneEvents + 1);  // its own, the absorbed's, the merge
    EXPECT_EQ(titleIn(timeline(kept).front(), "pl"), "„Okna Nowak (stary wpis)” scalono z „Okna Nowak”");
    CatalogueFilter f;
    f.text = "stary";
    EXPECT_TRUE(catalogue->find(kSales, f).rows.empty());
    EXPECT_THROW(catalogue->merge(kSales, gone.id, dealer.id), CatalogueError);  // into an alias

    now += std::chrono::hours(1);
    catalogue->undoMerge(kSales, result.mergeId);
    EXPECT_EQ(catalogue->get(kSales, gone.id)->id, gone.id);
    EXPECT_EQ(catalogue->get(kSales, kept.id)->tags, std::set<std::string>{"vip"});
    EXPECT_TRUE(catalogue->get(kSales, kept.id)->phones.empty());
    EXPECT_EQ(catalogue->employmentsOfCompany(kSales, gone.id).size(), 1u);
    EXPECT_TRUE(catalogue->employmentsOfCompany(kSales, kept.id).empty());
    EXPECT_EQ(catalogue->relationsOf(kSales, dealer.id).front().fromId, gone.id);
    EXPECT_EQ(timeline(gone).size(), goneEvents + 2);  // the merge's and the undo's events are on both
    EXPECT_EQ(timeline(kept).size(), keptEvents + 2);
    EXPECT_EQ(catalogue->find(kSales, f).rows.size(), 1u);
    EXPECT_THROW(catalogue->undoMerge(kSales, result.mergeId), CatalogueError);  // once
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_AUDIT WHERE OBJECT_TYPE = 'party' AND ACTION_CODE IN ('merge', 'undo_merge')"), 2);
}

TEST_F(CatalogueTest, TheHostOwnsItsCounterpartysFieldsAndAMergeCarriesTheLink) {
    auto fromHost = company("Budmax S.A.", "5260250274");
    fromHost.hostId = 501;
    const auto linked = catalogue->applyHostCounterparty(fromHost).party;
    EXPECT_EQ(catalogue->byHostCounterparty(kSales, 501)->id, linked.id);
    EXPECT_EQ(catalogue->applyHostCounterparty(fromHost).outcome, HostOutcome::Unchanged);  // unchanged: no new version

    auto edit = *catalogue->get(kSales, linked.id);
    edit.fullName = "Budmax po polsku";
    try {
        catalogue->update(kSales, edit);
        FAIL() << "the host's name is the host's";
    } catch (const CatalogueError& e) {
        EXPECT_EQ(e.problem, CatalogueProblem::HostOwned);
    }
    edit = *catalogue->get(kSales, linked.id);
    edit.notes = "Dzwonić po 10.";  // the CRM's own fields stay editable
    catalogue->update(kSales, edit);

    fromHost.fullName = "Budmax Polska S.A.";
    EXPECT_EQ(catalogue->applyHostCounterparty(fromHost).party.notes, "Dzwonić po 10.");
    const auto events = timeline(linked);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events.front().counterpartyId, 501);
    EXPECT_EQ(events.front().authorId, 0);

    // A CRM-only record of the same firm absorbs the host link when merged into it.
    const auto crmOnly = catalogue->create(kSales, company("Budmax"));
    catalogue->merge(kSales, crmOnly.id, linked.id);
    const auto survivor = catalogue->byHostCounterparty(kSales, 501);
    ASSERT_TRUE(survivor);
    EXPECT_EQ(survivor->id, crmOnly.id);
    EXPECT_EQ(survivor->fullName, "Budmax Polska S.A.");
    FeedFilter host;
    host.counterparty = 501;
    EXPECT_EQ(store->feed(host, std::nullopt, 100).events.size(), 5u);  // both records' and the merge

    EXPECT_TRUE(catalogue->markRemovedInHost(501));
    EXPECT_FALSE(catalogue->markRemovedInHost(501));
    EXPECT_TRUE(catalogue->get(kSales, crmOnly.id)->removedInHost);
    EXPECT_THROW(catalogue->merge(kSales, catalogue->create(kSales, company("X")).id, crmOnly.id), CatalogueError);
}

TEST_F(CatalogueTest, HostileTextIsKeptAsTypedAndImpossibleMergesAreRefusedInTheReadersLanguage) {
    const std::string hostile = "Robert'); DROP TABLE CRM_PARTY;-- <script>alert(1)</script>";
    const auto odd = catalogue->create(kSales, company(hostile));
    EXPECT_EQ(catalogue->get(kSales, odd.id)->fullName, hostile);
    CatalogueFilter f;
    f.text = "robert'); drop";
    ASSERT_EQ(catalogue->find(kSales, f).rows.size(), 1u);
    EXPECT_EQ(catalogue->find(kSales, f).rows.front().name, hostile);

    try {
        catalogue->merge(kSales, odd.id, odd.id);
        FAIL() << "a party cannot absorb itself";
    } catch (const CatalogueError& e) {
        EXPECT_EQ(e.problem, CatalogueProblem::MergeIntoItself);
        EXPECT_NE(describe(e, Locale::of("ru")), describe(e, Locale::of("pl")));
    }
    auto bad = company("Firma");
    MemorableDate feb30;
    feb30.month = 2;
    feb30.day = 30;
    bad.kind = PartyKind::Person;
    bad.dates.push_back(feb30);
    EXPECT_THROW(catalogue->create(kSales, bad), FieldError);
    bad.dates.clear();
    bad.emails.push_back({parseEmail("anna@example.pl"), ""});
    bad.emails.front().address.address = "anna@@example";
    EXPECT_THROW(catalogue->create(kSales, bad), FieldError);
    EXPECT_EQ(catalogue->counts().people, 0u);
}

TEST_F(CatalogueTest, ARepeatedRequestCreatesThePartyOnce) {
    const auto once = catalogue->create(kSales, company("Okna Nowak"), "host-action-77");
    const auto twice = catalogue->create(kSales, company("Okna Nowak"), "host-action-77");
    EXPECT_EQ(once.id, twice.id);
    EXPECT_EQ(catalogue->counts().companies, 1u);
}

TEST_F(CatalogueTest, PeopleInCompaniesKeepTheirInfluenceHistory) {
    const auto firm = catalogue->create(kSales, company("Okna Nowak"));
    const auto anna = catalogue->create(kSales, person("Anna Nowak"));
    Employment job;
    job.personId = anna.id;
    job.companyId = firm.id;
    job.levelCode = "board";
    job.influence = 2;
    auto stored = catalogue->addEmployment(kSales, job);
    stored.influence = 7;
    EXPECT_THROW(catalogue->updateEmployment(kSales, stored), CatalogueError);
    stored.influence = -1;
    now += std::chrono::hours(24);
    catalogue->updateEmployment(kSales, stored, "po reklamacji");
    const auto history = catalogue->influenceHistory(kSales, stored.id);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history.back().influence, -1);
    EXPECT_EQ(history.back().note, "po reklamacji");
    job.levelCode = "nonexistent";
    EXPECT_THROW(catalogue->addEmployment(kSales, job), CatalogueError);
    const auto title = titleIn(timeline(anna).front(), "ru");
    EXPECT_NE(title.find("2 → -1"), std::string::npos) << title;
}

// A database as a release before `version` left it: the embedded migrations below it applied.
int migrateUpTo(soci::session& s, int version) {
    std::vector<Migration> previous;
    for (const auto& m : embeddedMigrations())
        if (m.version < version) previous.push_back(m);
    return Migrations(previous).apply(s).toVersion;
}

TEST(CatalogueUpgrade, ADatabaseOfTheMailPreferencesSchemaKeepsItsRowsAndTakesTheCatalogue) {
    conduit::test::TempDir dir("conduit-parties");
    const auto where = embeddedAt(dir / "crm.fdb");
    constexpr int kCatalogueVersion = 7;
    {
        // The previous release's schema, with rows as its code wrote them: an event on a company
        // subject, a mail preference and a follow.
        Database db(where);
        auto s = db.acquire();
        ASSERT_EQ(migrateUpTo(*s, kCatalogueVersion), kCatalogueVersion - 1);
        std::tm when = rows::toTm(at(2026, 6, 1));
        *s << "INSERT INTO CRM_EVENT (ID, IDEMPOTENCY_KEY, OCCURRED_AT, RECORDED_AT, KIND, COUNTERPARTY_ID, IMPORTANCE, TITLE,"
              " ATTACHMENT_COUNT, SUBJECT_COUNT) VALUES (1, 'old-note', :o, :r, 'note.project', 9, 1, 'Stara notatka', 0, 1)",
            soci::use(when), soci::use(when);
        *s << "INSERT INTO CRM_EVENT_SUBJECT (EVENT_ID, SUBJECT_TYPE, SUBJECT_ID, OCCURRED_AT) VALUES (1, 'company', 1, :o)",
            soci::use(when);
        *s << "INSERT INTO CRM_MAIL_PREF (USER_ID, FAMILY, DELIVERY, CHANGED_AT, CHANGED_BY) VALUES (5, 'payments', 'digest', :t, 5)",
            soci::use(when);
        *s << "INSERT INTO CRM_FOLLOW (USER_ID, SUBJECT_TYPE, SUBJECT_ID, FOLLOWING, CHANGED_AT, EVENT_ID) VALUES"
              " (5, 'project', 3, 1, :t, 1)",
            soci::use(when);
        *s << "ALTER SEQUENCE CRM_EVENT_SEQ RESTART WITH 1";
        s->commit();
    }
    auto store = EventStore::open(where);
    EXPECT_EQ(store->counts().schemaVersion, Migrations().latestVersion());
    {
        auto s = store->database().acquire();
        long long prefs = 0, follows = 0, levels = 0, parties = -1;
        *s << "SELECT COUNT(*) FROM CRM_MAIL_PREF", soci::into(prefs);
        *s << "SELECT COUNT(*) FROM CRM_FOLLOW", soci::into(follows);
        *s << "SELECT COUNT(*) FROM CRM_HIERARCHY_LEVEL", soci::into(levels);
        *s << "SELECT COUNT(*) FROM CRM_PARTY", soci::into(parties);
        s->commit();
        EXPECT_EQ(prefs, 1);
        EXPECT_EQ(follows, 1);
        EXPECT_EQ(levels, 4);
        EXPECT_EQ(parties, 0);
    }
    Catalogue catalogue(store->database(), store->writer(), viewerFor);
    const auto firm = catalogue.create(kSales, company("Okna Nowak"));
    FeedFilter f;
    f.subject = subjectOf(firm);
    const auto page = store->feed(f, std::nullopt, 10).events;
    ASSERT_EQ(page.size(), 2u);  // the new party (id 1) meets the old company subject's event
    EXPECT_EQ(page.front().kind, "party.created");
    EXPECT_EQ(page.back().idempotencyKey, "old-note");
    EXPECT_EQ(catalogue.hierarchyLevels().front().code, "board");
}

TEST(CatalogueUpgrade, ACatalogueOfTheFirstCatalogueSchemaKeepsItsPartiesAndTakesLoads) {
    conduit::test::TempDir dir("conduit-parties");
    const auto where = embeddedAt(dir / "crm.fdb");
    constexpr int kLoadVersion = 8;
    {
        // The released catalogue schema, with a party as its code stored it.
        Database db(where);
        auto s = db.acquire();
        ASSERT_EQ(migrateUpTo(*s, kLoadVersion), kLoadVersion - 1);
        std::tm when = rows::toTm(at(2026, 6, 1));
        *s << "INSERT INTO CRM_PARTY (ID, KIND, NAME, NAME_FOLD, ROLES, OWNER_ID, REGION, CATEGORY, COUNTRY, PRIVATE, STATE,"
              " VERSION, CREATED_AT, CHANGED_AT, DOC) VALUES (1, 'C', 'Okna Nowak', 'okna nowak', 1, 12, 'mazowieckie', 'A', 'PL',"
              " 0, 0, 1, :c, :u, '{\"kind\":\"company\",\"full_name\":\"Okna Nowak\",\"roles\":[\"customer\"],"
              "\"region\":\"mazowieckie\",\"category\":\"A\"}')",
            soci::use(when), soci::use(when);
        s->commit();
    }
    auto store = EventStore::open(where);
    EXPECT_EQ(store->counts().schemaVersion, Migrations().latestVersion());
    Catalogue catalogue(store->database(), store->writer(), viewerFor);
    const auto old = catalogue.get(kSales, 1);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->fullName, "Okna Nowak");
    EXPECT_TRUE(old->has(PartyRole::Customer));

    PartyLoad load;
    load.parties = {company("Okna Zielińscy"), company("Okna Wójcik")};
    load.parties[0].region = load.parties[1].region = "mazowieckie";
    load.source = "upgrade.csv";
    const auto report = catalogue.createMany(kSales, load);
    EXPECT_EQ(report.companies, 2u);
    CatalogueFilter region;
    region.region = "mazowieckie";
    const auto page = catalogue.find(kSales, region);
    ASSERT_EQ(page.rows.size(), 3u) << "the old party and the loaded ones, through the region's new index";
    EXPECT_EQ(page.rows.front().name, "Okna Nowak");  // in name order
}

TEST(CatalogueUpgrade, ALoadOfTheReleasedLoadSchemaKeepsItsFiguresAndCanBeUndone) {
    conduit::test::TempDir dir("conduit-parties");
    const auto where = embeddedAt(dir / "crm.fdb");
    constexpr int kUndoVersion = 11;
    {
        // A load as the released code wrote it: its row, one party of it and the load's state.
        Database db(where);
        auto s = db.acquire();
        ASSERT_EQ(migrateUpTo(*s, kUndoVersion), kUndoVersion - 1);
        std::tm when = rows::toTm(at(2026, 11, 1));
        *s << "INSERT INTO CRM_PARTY_LOAD (ID, LOADED_BY, STARTED_AT, SOURCE, COMPANIES, PEOPLE, EMPLOYMENTS, REFUSED, STATE)"
              " VALUES (50, 12, :t, 'stare.csv', 1, 0, 0, 0, 1)",
            soci::use(when);
        *s << "INSERT INTO CRM_PARTY (ID, KIND, NAME, NAME_FOLD, ROLES, OWNER_ID, REGION, CATEGORY, COUNTRY, PRIVATE, STATE,"
              " VERSION, CREATED_AT, CHANGED_AT, DOC, LOAD_ID) VALUES (51, 'C', 'Okna Stare', 'okna stare', 1, 12, 'mazowieckie',"
              " 'A', 'PL', 0, 0, 1, :c, :u, '{\"kind\":\"company\",\"full_name\":\"Okna Stare\",\"roles\":[\"customer\"]}', 50)",
            soci::use(when), soci::use(when);
        *s << "ALTER SEQUENCE CRM_PARTY_SEQ RESTART WITH 100";
        s->commit();
    }
    auto store = EventStore::open(where);
    EXPECT_EQ(store->counts().schemaVersion, Migrations().latestVersion());
    Catalogue catalogue(store->database(), store->writer(), viewerFor);
    ASSERT_TRUE(catalogue.get(kSales, 51));
    {
        auto s = store->database().acquire();
        long long changed = -1;
        *s << "SELECT CHANGED FROM CRM_PARTY_LOAD WHERE ID = 50", soci::into(changed);
        s->commit();
        EXPECT_EQ(changed, 0) << "the released load's row gets the new figure, zero";
    }
    const auto undone = catalogue.undoLoad(kSales, 50);
    EXPECT_EQ(undone.removed, 1u);
    EXPECT_FALSE(catalogue.get(kSales, 51));
}

}  // namespace
