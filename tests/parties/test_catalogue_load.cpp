// The catalogue's bulk load on a real embedded Firebird file: companies and their people loaded
// in several transactions, found like created ones, one event per load, bad rows refused alone.
#include "store_test_util.hpp"

#include <conduit/crm/parties/catalogue.hpp>

#include <conduit/crm/foundation/formatter.hpp>
#include <conduit/crm/timeline/event_text.hpp>

#include <soci/soci.h>

using namespace conduit::crm;
using namespace conduit::crm::parties;
using namespace conduit::crm::testing;
namespace sdk = conduit::sdk;

namespace {

constexpr sdk::Id kEditor = 21, kColleague = 22, kClientUser = 23;

CatalogueViewer loadViewer(sdk::Id user) {
    CatalogueViewer v;
    v.userId = user;
    v.internal = user != kClientUser;
    v.edits = user == kEditor;
    v.seesRestricted = v.seesAll = user == kEditor;
    return v;
}

// A NIP of nine given digits and the check digit they call for (none for a remainder of 10).
std::string nipWithCheckDigit(const std::string& nine) {
    static constexpr int kWeights[] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    int sum = 0;
    for (std::size_t i = 0; i < nine.size(); ++i) sum += (nine[i] - '0') * kWeights[i];
    return sum % 11 == 10 ? std::string{} : nine + std::to_string(sum % 11);
}

// Valid NIPs "526000NNN?" for the firms of a load, as typed with dashes.
std::vector<std::string> nips(std::size_t count) {
    std::vector<std::string> out;
    for (int n = 100; out.size() < count; ++n)
        if (auto nip = nipWithCheckDigit("526000" + std::to_string(n)); !nip.empty())
            out.push_back(nip.substr(0, 3) + "-" + nip.substr(3, 3) + "-" + nip.substr(6, 2) + "-" + nip.substr(8));
    return out;
}

// `firms` companies, each followed by `perFirm` people who work there.
PartyLoad firmsWithPeople(std::size_t firms, std::size_t perFirm) {
    PartyLoad load;
    load.source = "kontakty.csv";
    const auto taxIds = nips(firms);
    for (std::size_t f = 0; f < firms; ++f) {
        Party c;
        c.fullName = "Stolarka " + std::to_string(f) + " Sp. z o.o.";
        c.roles = roleBit(PartyRole::Customer);
        c.region = f % 2 ? "mazowieckie" : "pomorskie";
        c.taxIds.push_back({TaxIdKind::PlNip, taxIds[f]});
        c.phones.push_back({parsePhone("+48 58 " + std::to_string(3000000 + f), "PL"), "office"});
        const auto companyRow = load.parties.size();
        load.parties.push_back(c);
        for (std::size_t k = 0; k < perFirm; ++k) {
            Party p;
            p.kind = PartyKind::Person;
            p.givenName = "Jan" + std::to_string(k);
            p.familyName = "Zawadzki" + std::to_string(f);
            p.fullName = p.givenName + " " + p.familyName;
            p.emails.push_back({parseEmail("jan" + std::to_string(k) + "@stolarka" + std::to_string(f) + ".pl"), ""});
            LoadEmployment job;
            job.person = LoadRef::toRow(load.parties.size());
            job.company = LoadRef::toRow(companyRow);
            job.employment.jobTitle = "Zaopatrzeniowiec";
            job.employment.influence = 2;
            load.parties.push_back(p);
            load.employments.push_back(job);
        }
    }
    return load;
}

class CatalogueLoadTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        CatalogueOptions options;
        options.clock = [this] { return now; };
        catalogue = std::make_unique<Catalogue>(store->database(), store->writer(), loadViewer, options);
    }
    long long rows(const std::string& sql) {
        auto s = store->database().acquire();
        long long n = 0;
        *s << sql, soci::into(n);
        s->commit();
        return n;
    }
    std::vector<Event> eventsOfLoad(std::int64_t loadId) {
        FeedFilter f;
        f.subject = SubjectRef{partyLoadSubject, loadId};
        return store->feed(f, std::nullopt, 10).events;
    }
    std::vector<std::int64_t> found(const std::string& text) {
        CatalogueFilter f;
        f.text = text;
        std::vector<std::int64_t> ids;
        for (const auto& r : catalogue->find(kEditor, f).rows) ids.push_back(r.id);
        return ids;
    }
    sdk::TimePoint now = at(2026, 12, 3, 10);
    std::unique_ptr<Catalogue> catalogue;
};

TEST_F(CatalogueLoadTest, CompaniesAndTheirPeopleLoadInSeveralTransactionsAndAreFoundLikeCreatedOnes) {
    const auto load = firmsWithPeople(12, 3);
    LoadOptions options;
    options.rowsPerTransaction = 5;  // a firm's people fall into the next transaction now and then
    std::size_t calls = 0;
    options.progress = [&calls](const LoadProgress&) { return ++calls > 0; };
    const auto report = catalogue->createMany(kEditor, load, options);

    EXPECT_EQ(report.companies, 12u);
    EXPECT_EQ(report.people, 36u);
    EXPECT_EQ(report.employments, 36u);
    EXPECT_TRUE(report.refused.empty());
    EXPECT_TRUE(report.refusedEmployments.empty());
    EXPECT_FALSE(report.cancelled);
    EXPECT_EQ(calls, 10u);  // 48 rows, 5 a transaction
    ASSERT_EQ(report.ids.size(), 48u);
    EXPECT_EQ(std::count(report.ids.begin(), report.ids.end(), 0), 0);

    const auto firm = catalogue->get(kEditor, report.ids[8]);  // the third company
    ASSERT_TRUE(firm);
    auto nip = load.parties[8].taxIds.front().value;
    std::erase(nip, '-');
    EXPECT_EQ(firm->fullName, "Stolarka 2 Sp. z o.o.");
    EXPECT_EQ(firm->taxIds.front().value, nip);  // stored as digits
    EXPECT_EQ(firm->version, 1);
    EXPECT_EQ(firm->createdAt, now);

    EXPECT_EQ(found("stolarka 2"), std::vector<std::int64_t>{report.ids[8]});
    EXPECT_EQ(found(nip), std::vector<std::int64_t>{report.ids[8]});
    EXPECT_EQ(found("58 300000"), (std::vector<std::int64_t>{report.ids[0], report.ids[4], report.ids[8], report.ids[12],
                                                              report.ids[16], report.ids[20], report.ids[24], report.ids[28],
                                                              report.ids[32], report.ids[36]}));
    EXPECT_EQ(found("jan1@stolarka11"), std::vector<std::int64_t>{report.ids[46]});

    const auto people = catalogue->employmentsOfCompany(kEditor, report.ids[44]);
    ASSERT_EQ(people.size(), 3u);
    EXPECT_EQ(people[0].personId, report.ids[45]);
    EXPECT_EQ(people[2].personId, report.ids[47]);
    EXPECT_EQ(people[0].influence, 2);
    EXPECT_EQ(catalogue->influenceHistory(kEditor, people[0].id).size(), 1u);

    const auto twin = catalogue->possibleDuplicates(kEditor, load.parties[8]);
    ASSERT_FALSE(twin.empty());
    EXPECT_EQ(twin.front().partyId, report.ids[8]);
}

TEST_F(CatalogueLoadTest, ALoadIsOneEventOnItsOwnSubjectWithItsRowAndAuditRow) {
    const auto report = catalogue->createMany(kEditor, firmsWithPeople(4, 2));
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EVENT"), 1);
    const auto events = eventsOfLoad(report.loadId);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events.front().kind, "party.batch_loaded");
    EXPECT_EQ(events.front().authorId, kEditor);
    const auto& pl = formatterFor(Locale::of("pl"), TimeZone::named("Europe/Warsaw"));
    EXPECT_EQ(eventText(events.front(), pl).title, "Wczytano do katalogu: firmy — 4, osoby — 8");
    EXPECT_NE(eventText(events.front(), pl).body.find("kontakty.csv"), std::string::npos);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY WHERE LOAD_ID = " + std::to_string(report.loadId)), 12);
    EXPECT_EQ(rows("SELECT STATE * 1000 + COMPANIES * 100 + PEOPLE FROM CRM_PARTY_LOAD WHERE ID = " + std::to_string(report.loadId)),
              1408);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_AUDIT WHERE OBJECT_TYPE = 'party_load'"), 1);
}

TEST_F(CatalogueLoadTest, ARowWithAWrongNipIsRefusedWithItsIndexAndTheOthersLoad) {
    auto load = firmsWithPeople(3, 1);
    load.parties[2].taxIds.front().value = "774-00-01-455";  // the second firm: wrong check digit
    const auto report = catalogue->createMany(kEditor, load);

    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_EQ(report.refused.front().index, 2u);
    EXPECT_EQ(report.refused.front().error.field, "nip");
    EXPECT_EQ(report.refused.front().error.problem, FieldProblem::WrongChecksum);
    EXPECT_EQ(report.ids[2], 0);
    // Its person loads; their place in a firm that was not loaded does not.
    ASSERT_EQ(report.refusedEmployments.size(), 1u);
    EXPECT_EQ(report.refusedEmployments.front().index, 1u);
    EXPECT_EQ(report.refusedEmployments.front().error.field, "company");
    EXPECT_EQ(report.companies, 2u);
    EXPECT_EQ(report.people, 3u);
    EXPECT_EQ(report.employments, 2u);
    EXPECT_EQ(catalogue->counts().companies, 2u);
    EXPECT_TRUE(found("stolarka 1").empty());
    EXPECT_EQ(found("stolarka 2"), std::vector<std::int64_t>{report.ids[4]});
}

TEST_F(CatalogueLoadTest, EmploymentsNameExistingCompaniesAndWrongValuesAreRefused) {
    Party firm;
    firm.fullName = "Okna Istniejące";
    const auto existing = catalogue->create(kEditor, firm);
    PartyLoad load;
    Party p;
    p.kind = PartyKind::Person;
    p.fullName = "Ewa Nowa";
    load.parties = {p, p};
    load.employments.push_back({LoadRef::toRow(0), LoadRef::existing(existing.id), {}});
    load.employments.push_back({LoadRef::toRow(1), LoadRef::existing(existing.id), {}});
    load.employments.back().employment.influence = 9;
    load.employments.push_back({LoadRef::toRow(1), LoadRef::toRow(0), {}});  // a person is no company
    load.employments.push_back({LoadRef::toRow(5), LoadRef::existing(existing.id), {}});
    const auto report = catalogue->createMany(kEditor, load);

    EXPECT_EQ(report.employments, 1u);
    ASSERT_EQ(report.refusedEmployments.size(), 3u);
    EXPECT_EQ(report.refusedEmployments[0].index, 1u);
    EXPECT_EQ(report.refusedEmployments[0].error.field, "influence");
    EXPECT_EQ(report.refusedEmployments[1].error.field, "company");
    EXPECT_EQ(report.refusedEmployments[2].index, 3u);
    const auto people = catalogue->employmentsOfCompany(kEditor, existing.id);
    ASSERT_EQ(people.size(), 1u);
    EXPECT_EQ(people.front().personId, report.ids[0]);
}

TEST_F(CatalogueLoadTest, RightsAreTheCallsAndARefusedCallWritesNothing) {
    const auto load = firmsWithPeople(2, 1);
    try {
        catalogue->createMany(kClientUser, load);
        FAIL() << "a client must not load parties";
    } catch (const CatalogueError& e) {
        EXPECT_EQ(e.problem, CatalogueProblem::NotAllowed);
    }
    // A colleague who does not edit the catalogue loads only parties of their own.
    EXPECT_THROW(catalogue->createMany(kColleague, load), CatalogueError);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY_LOAD"), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EVENT"), 0);

    auto own = load;
    for (auto& p : own.parties) p.ownerId = kColleague;
    EXPECT_EQ(catalogue->createMany(kColleague, own).companies, 2u);
}

TEST_F(CatalogueLoadTest, AStoppedLoadKeepsWhatCommittedWithItsEvent) {
    LoadOptions options;
    options.rowsPerTransaction = 4;
    options.progress = [](const LoadProgress& p) { return p.rowsDone < 8; };
    const auto report = catalogue->createMany(kEditor, firmsWithPeople(5, 3), options);

    EXPECT_TRUE(report.cancelled);
    EXPECT_EQ(report.companies + report.people, 8u);
    EXPECT_EQ(report.ids[8], 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 8);
    EXPECT_EQ(rows("SELECT STATE FROM CRM_PARTY_LOAD"), 2);
    const auto events = eventsOfLoad(report.loadId);
    ASSERT_EQ(events.size(), 1u);
    const auto& en = formatterFor(Locale::of("en"), TimeZone::named("Europe/Warsaw"));
    EXPECT_EQ(eventText(events.front(), en).title, "Loaded into the catalogue: 2 companies, 6 people");
}

}  // namespace

TEST_F(CatalogueLoadTest, ALoadChangesStoredPartiesAsUpdateDoesAndRefusesStaleOnes) {
    const auto first = catalogue->createMany(kEditor, firmsWithPeople(3, 1));
    auto firm = *catalogue->get(kEditor, first.ids[0]);
    auto stale = *catalogue->get(kEditor, first.ids[2]);
    auto moved = stale;
    moved.region = "śląskie";
    catalogue->update(kEditor, moved);  // someone else, after `stale` was read

    PartyLoad load = firmsWithPeople(0, 0);
    firm.website = "https://stolarka0.pl";
    firm.tags.insert("import");
    stale.website = "https://stale.pl";
    load.changes = {firm, stale};
    const auto report = catalogue->createMany(kEditor, load);

    EXPECT_EQ(report.changed, std::vector<std::int64_t>{first.ids[0]});
    ASSERT_EQ(report.refusedChanges.size(), 1u);
    EXPECT_EQ(report.refusedChanges[0].index, 1u);
    EXPECT_EQ(report.refusedChanges[0].error.field, "version");
    const auto changed = catalogue->get(kEditor, first.ids[0]);
    EXPECT_EQ(changed->website, "https://stolarka0.pl");
    EXPECT_EQ(changed->version, 2);
    EXPECT_EQ(catalogue->get(kEditor, first.ids[2])->website, "");
    EXPECT_EQ(rows("SELECT CHANGED FROM CRM_PARTY_LOAD WHERE ID = " + std::to_string(report.loadId)), 1);
    // The change is on the company's own timeline; the load's event counts it.
    FeedFilter f;
    f.subject = partySubject(PartyKind::Company, first.ids[0]);
    const auto onCard = store->feed(f, std::nullopt, 10).events;
    ASSERT_FALSE(onCard.empty());
    EXPECT_EQ(onCard.front().kind, "party.changed");
    const auto& pl = formatterFor(Locale::of("pl"), TimeZone::named("Europe/Warsaw"));
    EXPECT_NE(eventText(eventsOfLoad(report.loadId).front(), pl).body.find("Zmienione rekordy: 1"), std::string::npos);
}

TEST_F(CatalogueLoadTest, UndoingALoadRemovesWhatItCreatedAndRestoresWhatItChanged) {
    const auto before = catalogue->createMany(kEditor, firmsWithPeople(2, 1));
    auto existing = *catalogue->get(kEditor, before.ids[0]);
    auto load = firmsWithPeople(3, 2);
    existing.notes = "z importu";
    load.changes = {existing};
    const auto report = catalogue->createMany(kEditor, load);
    ASSERT_EQ(report.people, 6u);
    const auto keysBefore = rows("SELECT COUNT(*) FROM CRM_PARTY_KEY");

    const auto undone = catalogue->undoLoad(kEditor, report.loadId);

    EXPECT_EQ(undone.removed, 9u);
    EXPECT_EQ(undone.restored, 1u);
    EXPECT_TRUE(undone.kept.empty());
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 4);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_EMPLOYMENT"), 2);
    EXPECT_LT(rows("SELECT COUNT(*) FROM CRM_PARTY_KEY"), keysBefore);
    EXPECT_EQ(catalogue->get(kEditor, report.ids[0]), std::nullopt);
    const auto restored = catalogue->get(kEditor, before.ids[0]);
    EXPECT_EQ(restored->notes, "");
    EXPECT_EQ(restored->version, 3);
    EXPECT_TRUE(found("stolarka 2").empty());
    EXPECT_EQ(rows("SELECT STATE FROM CRM_PARTY_LOAD WHERE ID = " + std::to_string(report.loadId)), 3);
    const auto events = eventsOfLoad(report.loadId);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events.front().kind, "party.load_undone");
    const auto& ru = formatterFor(Locale::of("ru"), TimeZone::named("Europe/Moscow"));
    EXPECT_EQ(eventText(events.front(), ru).title, "Отменена загрузка в каталог: удалено — 9, восстановлено — 1");
    EXPECT_THROW(catalogue->undoLoad(kEditor, report.loadId), CatalogueError);
}

TEST_F(CatalogueLoadTest, UndoKeepsWhatWasChangedSinceAndOnlyTheLoaderOrAMergerMayUndo) {
    auto load = firmsWithPeople(2, 1);
    const auto report = catalogue->createMany(kEditor, load);
    auto touched = *catalogue->get(kEditor, report.ids[2]);
    touched.notes = "dzwonić po 15";
    catalogue->update(kEditor, touched);

    try {
        catalogue->undoLoad(kColleague, report.loadId);
        FAIL() << "a colleague who neither loaded nor may merge undid the load";
    } catch (const CatalogueError& e) {
        EXPECT_EQ(e.problem, CatalogueProblem::NotAllowed);
    }
    EXPECT_EQ(rows("SELECT COUNT(*) FROM CRM_PARTY"), 4);

    const auto undone = catalogue->undoLoad(kEditor, report.loadId);
    EXPECT_EQ(undone.removed, 3u);
    EXPECT_EQ(undone.kept, std::vector<std::int64_t>{report.ids[2]});
    EXPECT_EQ(catalogue->get(kEditor, report.ids[2])->notes, "dzwonić po 15");
}

TEST_F(CatalogueLoadTest, LikelySameTrustsMailboxesPhonesTaxIdsAndACompanysNameButNotAPersonsName) {
    const auto load = firmsWithPeople(3, 1);
    const auto report = catalogue->createMany(kEditor, load);
    Party sameMailbox;
    sameMailbox.kind = PartyKind::Person;
    sameMailbox.fullName = "J. Zawadzki";
    sameMailbox.emails.push_back({parseEmail("JAN0@stolarka1.pl"), ""});
    Party namesake;
    namesake.kind = PartyKind::Person;
    namesake.fullName = load.parties[1].fullName;  // the first firm's person, by name only
    Party firmByName;
    firmByName.fullName = "Stolarka 2 Sp. z o.o.";
    Party firmByNip;
    firmByNip.fullName = "Zupełnie inna nazwa";
    firmByNip.taxIds = load.parties[0].taxIds;
    Party stranger;
    stranger.fullName = "Nikt Znany";

    const auto found = catalogue->likelySame(kEditor, {sameMailbox, namesake, firmByName, firmByNip, stranger});

    ASSERT_EQ(found.size(), 5u);
    ASSERT_TRUE(found[0]);
    EXPECT_EQ(found[0]->partyId, report.ids[3]);
    EXPECT_EQ(found[0]->reasons.front(), DuplicateReason::SameEmail);
    EXPECT_FALSE(found[1]) << "two people of one name are namesakes more often than not";
    ASSERT_TRUE(found[2]);
    EXPECT_EQ(found[2]->partyId, report.ids[4]);
    ASSERT_TRUE(found[3]);
    EXPECT_EQ(found[3]->partyId, report.ids[0]);
    EXPECT_EQ(found[3]->reasons.front(), DuplicateReason::SameTaxId);
    EXPECT_FALSE(found[4]);
    const auto forClient = catalogue->likelySame(kClientUser, {sameMailbox});
    ASSERT_EQ(forClient.size(), 1u);
    EXPECT_FALSE(forClient[0]) << "an external client is shown nothing";
}
