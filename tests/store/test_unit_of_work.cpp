// The one unit of work on a real embedded store: it rolls back unless committed, and its errors
// are mapped once (domain errors keep their type, database errors become StoreError without the
// bound values and still classify as what they were).
#include "store_test_util.hpp"

#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <stdexcept>

using namespace conduit::crm;
using namespace conduit::crm::testing;

namespace {

class UnitOfWorkTest : public StoreTest {
protected:
    Database& db() { return store->database(); }
    void insertMark(soci::session& s, const std::string& name) {
        s << "INSERT INTO CRM_NOTIFY_STATE (NAME) VALUES (:n)", soci::use(name);
    }
    int marks(const std::string& name) {
        return inTransaction(db(), "test", [&](soci::session& s) {
            int n = 0;
            s << "SELECT COUNT(*) FROM CRM_NOTIFY_STATE WHERE NAME = :n", soci::use(name), soci::into(n);
            return n;
        });
    }
};

TEST_F(UnitOfWorkTest, RollsBackUnlessCommitted) {
    {
        UnitOfWork unit(db());
        insertMark(unit.session(), "uow.left");
    }
    EXPECT_EQ(marks("uow.left"), 0);
    {
        UnitOfWork unit(db());
        insertMark(unit.session(), "uow.committed");
        unit.commit();
    }
    EXPECT_EQ(marks("uow.committed"), 1);
}

TEST_F(UnitOfWorkTest, InTransactionCommitsAndReturnsWhatTheWorkReturns) {
    const int answer = inTransaction(db(), "test", [&](soci::session& s) {
        insertMark(s, "uow.returned");
        return 42;
    });
    EXPECT_EQ(answer, 42);
    EXPECT_EQ(marks("uow.returned"), 1);
}

TEST_F(UnitOfWorkTest, ADomainErrorKeepsItsTypeAndNothingIsWritten) {
    EXPECT_THROW(inTransaction(db(), "test",
                               [&](soci::session& s) {
                                   insertMark(s, "uow.domain");
                                   throw std::invalid_argument("the caller's own reason");
                               }),
                 std::invalid_argument);
    EXPECT_EQ(marks("uow.domain"), 0);
}

TEST_F(UnitOfWorkTest, AStoreErrorPassesUnchanged) {
    EXPECT_THROW(inTransaction(db(), "test", [](soci::session&) { throw SchemaTooNewError("newer schema"); }),
                 SchemaTooNewError);
}

TEST_F(UnitOfWorkTest, ADatabaseErrorIsAStoreErrorWithoutTheBoundValues) {
    const std::string secret = "uow.secret-4711-" + std::string(80, 'x');  // longer than the column
    try {
        inTransaction(db(), "notes", [&](soci::session& s) { insertMark(s, secret); });
        FAIL() << "an over-long value was accepted";
    } catch (const ConnectionError& e) {
        FAIL() << "a data error taken for a lost connection: " << e.what();
    } catch (const StoreError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("4711"), std::string::npos) << "a bound value leaked: " << what;
        EXPECT_EQ(what.rfind("notes", 0), 0u) << what;
    }
}

TEST_F(UnitOfWorkTest, AMappedErrorStillClassifiesAsWhatTheDatabaseSaid) {
    inTransaction(db(), "test", [&](soci::session& s) { insertMark(s, "uow.twice"); });
    try {
        inTransaction(db(), "test", [&](soci::session& s) { insertMark(s, "uow.twice"); });
        FAIL() << "a duplicate primary key was accepted";
    } catch (const StoreError& e) {
        EXPECT_FALSE(dynamic_cast<const ConnectionError*>(&e)) << e.what();
        EXPECT_TRUE(isUniqueViolation(e)) << e.what();
        EXPECT_FALSE(isConnectionLost(e)) << e.what();
    }
    EXPECT_EQ(marks("uow.twice"), 1);
}

TEST_F(UnitOfWorkTest, TheSessionGoesBackToThePoolClean) {
    // A unit left open would hand its snapshot and its uncommitted row to the next lease.
    for (int i = 0; i < 8; ++i) {
        UnitOfWork unit(db());
        insertMark(unit.session(), "uow.pool");
    }
    EXPECT_EQ(marks("uow.pool"), 0);
}

}  // namespace
