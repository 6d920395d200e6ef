#include "store_test_util.hpp"

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/migrations.hpp>
#include <conduit/crm/timeline/event_rows.hpp>

#include <map>

#include <soci/soci.h>

using namespace conduit::crm;
using namespace conduit::crm::testing;

namespace {

int tableCount(soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM RDB$RELATIONS WHERE RDB$RELATION_NAME STARTING WITH 'CRM_'", soci::into(n);
    s.commit();
    return n;
}

}  // namespace

TEST(Migrations, EmbeddedScriptsAreNumberedAndSplit) {
    const auto& all = embeddedMigrations();
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front().version, 1);
    EXPECT_EQ(all.front().name, "001_events");
    const auto statements = splitStatements(all.front().sql);
    EXPECT_GE(statements.size(), 9u);
    for (const auto& st : statements) EXPECT_EQ(st.find("--"), std::string::npos) << st;
}

TEST(Migrations, FromEmptyThenRerunIsIdempotent) {
    conduit::test::TempDir dir("conduit-migr");
    Database db(embeddedAt(dir / "crm.fdb"));
    auto s = db.acquire();
    EXPECT_EQ(Migrations::currentVersion(*s), 0);
    const auto first = Migrations().apply(*s);
    EXPECT_EQ(first.fromVersion, 0);
    EXPECT_EQ(first.toVersion, Migrations().latestVersion());
    EXPECT_EQ(first.applied.size(), embeddedMigrations().size());
    const int tables = tableCount(*s);
    EXPECT_GE(tables, 4);  // schema version, events, attachments, content

    const auto second = Migrations().apply(*s);
    EXPECT_TRUE(second.applied.empty());
    EXPECT_EQ(second.toVersion, first.toVersion);
    EXPECT_EQ(tableCount(*s), tables);
}

TEST(Migrations, ResumesAfterAnInterruptedRun) {
    conduit::test::TempDir dir("conduit-migr");
    Database db(embeddedAt(dir / "crm.fdb"));
    auto s = db.acquire();
    // A migration whose third statement fails, as if the process died there.
    const std::string script = "CREATE TABLE CRM_T1 (A INTEGER);\nCREATE TABLE CRM_T2 (A INTEGER);\nCREATE TABLE CRM_T1 (A INTEGER);\n";
    std::vector<Migration> broken{{1, "001_test", script}};
    EXPECT_THROW(Migrations(broken).apply(*s), StoreError);
    EXPECT_EQ(Migrations::currentVersion(*s), 0);
    const std::string fixed = "CREATE TABLE CRM_T1 (A INTEGER);\nCREATE TABLE CRM_T2 (A INTEGER);\nCREATE TABLE CRM_T3 (A INTEGER);\n";
    std::vector<Migration> repaired{{1, "001_test", fixed}};
    const auto report = Migrations(repaired).apply(*s);  // statements 1-2 are not re-run
    EXPECT_EQ(report.toVersion, 1);
}

TEST(Migrations, NewerDatabaseIsRefusedWithAClearMessage) {
    conduit::test::TempDir dir("conduit-migr");
    const auto where = embeddedAt(dir / "crm.fdb");
    { auto store = EventStore::open(where); }
    {
        Database db(where);
        auto s = db.acquire();
        const int future = Migrations().latestVersion() + 5;
        std::tm now{};
        now.tm_year = 126; now.tm_mday = 1;
        *s << "INSERT INTO CRM_SCHEMA_VERSION (VERSION, NAME, STEPS_DONE, COMPLETED, APPLIED_AT) VALUES (:v, 'future', 1, 1, :t)",
            soci::use(future), soci::use(now);
        s->commit();
    }
    try {
        EventStore::open(where);
        FAIL() << "a newer database must be refused";
    } catch (const SchemaTooNewError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("newer"), std::string::npos) << what;
        EXPECT_NE(what.find(std::to_string(Migrations().latestVersion() + 5)), std::string::npos) << what;
    }
}

TEST(Migrations, StoreOpenTwiceOnOneFileKeepsData) {
    conduit::test::TempDir dir("conduit-migr");
    const auto where = embeddedAt(dir / "crm.fdb");
    {
        auto store = EventStore::open(where);
        store->writer().submit(makeEvent("k1", at(2026, 3, 1)));
        ASSERT_TRUE(store->writer().flush(30s));
    }
    auto store = EventStore::open(where);
    EXPECT_EQ(store->feed({}).events.size(), 1u);
    EXPECT_EQ(store->counts().schemaVersion, Migrations().latestVersion());
}

namespace {

// Rows of every CRM_ table but the schema's own bookkeeping, by table name.
std::map<std::string, long long> rowCounts(soci::session& s) {
    std::vector<std::string> tables;
    {
        std::string name;
        soci::statement st = (s.prepare << "SELECT TRIM(RDB$RELATION_NAME) FROM RDB$RELATIONS WHERE RDB$RELATION_NAME STARTING WITH 'CRM_'"
                                           " AND RDB$RELATION_NAME <> 'CRM_SCHEMA_VERSION'",
                              soci::into(name));
        st.execute(false);
        while (st.fetch()) tables.push_back(name);
    }
    std::map<std::string, long long> counts;
    for (const auto& t : tables) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM " + t, soci::into(n);  // names read from the catalogue, not input
        counts[t] = n;
    }
    s.commit();
    return counts;
}

}  // namespace

TEST(Migrations, DatabaseOfThePreviousSchemaOpensAndKeepsEveryRow) {
    conduit::test::TempDir dir("conduit-migr");
    const auto where = embeddedAt(dir / "crm.fdb");
    constexpr int kSubjectsVersion = 5;
    std::map<std::string, long long> before;
    {
        // The schema as the previous release left it, with rows its code wrote.
        Database db(where);
        auto s = db.acquire();
        std::vector<Migration> previous;
        for (const auto& m : embeddedMigrations())
            if (m.version < kSubjectsVersion) previous.push_back(m);
        ASSERT_LT(Migrations(previous).apply(*s).toVersion, kSubjectsVersion);
        // The columns of that schema, as its writer filled them.
        long long id = 0, project = 0;
        std::string key;
        std::tm when{};
        soci::statement insert = (s->prepare << "INSERT INTO CRM_EVENT (ID, IDEMPOTENCY_KEY, OCCURRED_AT, RECORDED_AT, KIND,"
                                                " PROJECT_ID, COUNTERPARTY_ID, IMPORTANCE, TITLE, ATTACHMENT_COUNT)"
                                                " VALUES (:i, :k, :o, :r, 'note.project', :p, 9, 1, :t, 0)",
                                  soci::use(id, "i"), soci::use(key, "k"), soci::use(when, "o"), soci::use(when, "r"),
                                  soci::use(project, "p"), soci::use(key, "t"));
        for (int i = 0; i < 40; ++i) {
            id = i + 1;
            key = "old" + std::to_string(i);
            when = rows::toTm(at(2025, 1, 1) + std::chrono::hours(i));
            project = i % 2 + 1;
            insert.execute(true);
        }
        *s << "UPDATE OR INSERT INTO CRM_READ_WATERMARK (USER_ID, UP_TO_ID, MARKED_AT) VALUES (5, 20, CURRENT_TIMESTAMP) MATCHING (USER_ID)";
        *s << "ALTER SEQUENCE CRM_EVENT_SEQ RESTART WITH 40";
        s->commit();
        before = rowCounts(*s);
    }
    ASSERT_EQ(before.at("CRM_EVENT"), 40);

    auto store = EventStore::open(where);
    EXPECT_EQ(store->counts().schemaVersion, Migrations().latestVersion());
    {
        auto s = store->database().acquire();
        auto after = rowCounts(*s);
        // Tables later migrations add start empty, but for the configuration they seed.
        const std::map<std::string, long long> seeded{{"CRM_HIERARCHY_LEVEL", 4}};
        for (auto it = after.begin(); it != after.end();) {
            if (before.count(it->first)) {
                ++it;
                continue;
            }
            const auto seed = seeded.find(it->first);
            EXPECT_EQ(it->second, seed == seeded.end() ? 0 : seed->second) << it->first << ": new, and nothing backfilled";
            it = after.erase(it);
        }
        EXPECT_TRUE(before.count("CRM_EVENT") && !before.count("CRM_EVENT_SUBJECT") && !before.count("CRM_PARTY"));
        EXPECT_EQ(after, before);
    }
    FeedFilter project;
    project.project = 1;
    const auto page = store->feed(project, std::nullopt, 1000);
    ASSERT_EQ(page.events.size(), 20u);
    EXPECT_EQ(page.events.front().idempotencyKey, "old38");
    EXPECT_TRUE(page.events.front().subjects.empty());

    // The upgraded file takes events of the new subjects beside the old ones.
    Event e = makeEvent("new", at(2026, 1, 1));
    e.projectId = 1;
    e.subjects = {{subject_types::company, 3}};
    store->writer().submit(e);
    ASSERT_TRUE(store->writer().flush(30s)) << store->counts().writer.lastError;
    FeedFilter company;
    company.subject = SubjectRef{subject_types::company, 3};
    const auto companyPage = store->feed(company);
    ASSERT_EQ(companyPage.events.size(), 1u);
    EXPECT_EQ(companyPage.events.front().projectId, 1);
    EXPECT_EQ(store->feed(project, std::nullopt, 1000).events.size(), 21u);
}
