#include <conduit/crm/database/identity.hpp>

#include <conduit/crm/database/database.hpp>

#include <soci/soci.h>

namespace conduit::crm {

std::string databaseIdentity(Database& db) {
    auto lease = db.acquire();
    std::string created, file;
    try {
        *lease << "SELECT CAST(MON$CREATION_DATE AS VARCHAR(32)), MON$DATABASE_NAME FROM MON$DATABASE",
            soci::into(created), soci::into(file);
        lease->commit();
    } catch (const std::exception& e) {
        try { lease->rollback(); } catch (const std::exception&) {}
        if (isConnectionLost(e)) lease.discard();
        throw StoreError("reading the identity of " + db.describe() + ": " + databaseMessage(e));
    }
    return created + "|" + file;
}

}  // namespace conduit::crm
