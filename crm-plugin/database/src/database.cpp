#include <conduit/crm/database/database.hpp>

#include <conduit/sdk/firebird_file.hpp>

#include <ibase.h>
#include <soci/firebird/soci-firebird.h>
#include <soci/soci.h>

#include <algorithm>
#include <exception>

namespace conduit::crm {
namespace {

// Static registration: dlopen'ed SOCI backends crashed on unload inside a plugin (SOCI #1373).
void registerBackendOnce() {
    static const bool registered = [] {
        conduit::sdk::registerFirebirdBackend();
        return true;
    }();
    (void)registered;
}

bool statusHas(const std::exception& e, std::initializer_list<ISC_STATUS> codes) {
    if (const auto* fb = dynamic_cast<const soci::firebird_soci_error*>(&e)) {
        // A status vector is (isc_arg_gds, code, args...)*; look at every code it carries.
        for (const ISC_STATUS s : fb->status_)
            if (std::find(codes.begin(), codes.end(), s) != codes.end()) return true;
        return false;
    }
    // A StoreError made by the unit of work nests the database's own exception.
    const auto* nested = dynamic_cast<const std::nested_exception*>(&e);
    if (!nested || !nested->nested_ptr()) return false;
    try {
        nested->rethrow_nested();
    } catch (const std::exception& cause) {
        return statusHas(cause, codes);
    } catch (...) {
    }
    return false;
}

}  // namespace

bool isConnectionLost(const std::exception& e) {
    if (statusHas(e, {isc_network_error, isc_net_connect_err, isc_net_read_err, isc_net_write_err,
                      isc_lost_db_connection, isc_conn_lost, isc_shutdown, isc_att_shutdown,
                      isc_bad_db_handle, isc_unavailable, isc_io_error}))
        return true;
    // SOCI reports some connection failures as plain soci_error text.
    const std::string what = e.what();
    return what.find("connection") != std::string::npos && what.find("lost") != std::string::npos;
}

bool isUniqueViolation(const std::exception& e) {
    return statusHas(e, {isc_unique_key_violation, isc_no_dup});
}

bool isWriteConflict(const std::exception& e) {
    return statusHas(e, {isc_update_conflict, isc_deadlock, isc_lock_conflict});
}

std::string databaseMessage(const std::exception& e) {
    const auto* soci = dynamic_cast<const soci::soci_error*>(&e);
    if (!soci) return e.what();
    std::string message = soci->get_error_message();
    // SOCI's own length check quotes the value: 'Value "..." is too long (N bytes) to be ...'.
    const std::string quoted = "Value \"", tail = "\" is too long";
    if (message.rfind(quoted, 0) == 0)
        if (const auto end = message.rfind(tail); end != std::string::npos)
            message = "A value" + message.substr(end + 1);
    return message;
}

Database::Database(sdk::DatabaseLocation where, std::size_t maxSessions, std::optional<Durability> durability)
    : where_(std::move(where)), maxSessions_(std::max<std::size_t>(1, maxSessions)) {
    registerBackendOnce();
    try {
        connectString_ = sdk::sociConnectString(where_);
        if (where_.kind == sdk::DatabaseLocation::Kind::Embedded) {
            sdk::createEmbeddedDatabase(where_.file);
            if (durability) {
                applyDurability(where_.file, *durability);
                syncsPerBatch_ = *durability == Durability::SyncPerBatch;
            }
        }
    } catch (const sdk::DatabaseError& e) {
        throw ConnectionError(std::string("CRM database: ") + e.what());
    }
}

bool sessionAlive(soci::session& s) {
    try {
        int one = 0;
        s << "SELECT 1 FROM RDB$DATABASE", soci::into(one);
        s.commit();
        return true;
    } catch (const std::exception& e) {
        return !isConnectionLost(e);
    }
}

Database::~Database() {
    // Idle sessions whose server went away cannot be closed (SOCI's Firebird session throws from
    // its destructor): ask each once, leak the dead ones.
    for (auto& s : idle_)
        if (s && !sessionAlive(*s)) (void)s.release();
}

std::string Database::describe() const { return sdk::describeLocation(where_); }

std::unique_ptr<soci::session> Database::connect() const {
    try {
        return std::make_unique<soci::session>("firebird", connectString_);
    } catch (const std::exception& e) {
        throw ConnectionError("cannot connect to the CRM database (" + describe() + "): " + e.what());
    }
}

Database::Lease Database::acquire() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || out_ < maxSessions_; });
    if (!idle_.empty()) {
        auto s = std::move(idle_.back());
        idle_.pop_back();
        ++out_;
        return Lease(*this, std::move(s));
    }
    ++out_;
    lock.unlock();
    try {
        return Lease(*this, connect());
    } catch (...) {
        lock.lock();
        --out_;
        returned_.notify_one();
        throw;
    }
}

void Database::release(std::unique_ptr<soci::session> s, bool broken) {
    if (!broken) {
        // A lease must end its unit of work; roll back whatever was left so the next user
        // starts with a fresh snapshot.
        try {
            s->rollback();
        } catch (const std::exception&) {
            broken = true;
        }
    }
    // A broken session is leaked, not closed: SOCI's Firebird session throws from its destructor
    // when the attachment is dead (a Firebird server crash: std::terminate of the host, found by
    // tests/faults/test_firebird_restart_sending.cpp). One small object per lost connection.
    if (broken) (void)s.release();
    std::lock_guard lock(mutex_);
    if (s) idle_.push_back(std::move(s));
    --out_;
    returned_.notify_one();
}

Database::Lease::Lease(Database& db, std::unique_ptr<soci::session> s) : db_(&db), session_(std::move(s)) {}

Database::Lease::Lease(Lease&& other) noexcept
    : db_(other.db_), session_(std::move(other.session_)), broken_(other.broken_) {
    other.db_ = nullptr;
}

Database::Lease::~Lease() {
    if (db_ && session_) db_->release(std::move(session_), broken_);
}

}  // namespace conduit::crm
