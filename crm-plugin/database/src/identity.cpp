#include <conduit/crm/database/identity.hpp>

#include <conduit/crm/database/database.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

namespace conduit::crm {

std::string databaseIdentity(Database& db) {
    std::string created, file;
    inTransaction(db, "identity of " + db.describe(), [&](soci::session& s) {
        s << "SELECT CAST(MON$CREATION_DATE AS VARCHAR(32)), MON$DATABASE_NAME FROM MON$DATABASE", soci::into(created),
            soci::into(file);
    });
    return created + "|" + file;
}

}  // namespace conduit::crm
