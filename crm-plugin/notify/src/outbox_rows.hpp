// Internal to notify/: how an OutboxRow maps to CRM_NOTIFICATION columns, and small row helpers
// shared by the outbox, the schedulers and the sender.
#pragma once

#include <conduit/crm/foundation/text.hpp>

#include <conduit/crm/notify/outbox.hpp>
#include "sql_util.hpp"

#include <soci/soci.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace conduit::crm::notify::detail {

extern const char* const kOutboxColumns;  // SELECT list matching OutboxColumns::bindInto

struct OutboxColumns {
    long long id = 0, eventId = 0, ruleId = 0, userId = 0, counterpartyId = 0, digestId = 0;
    int offset = 0, external = 0, attempts = 0, late = 0;
    std::string timing, address, name, lang, status, messageId, lastError;
    std::tm created{}, next{}, fire{}, sent{};
    soci::indicator iEvent = soci::i_ok, iName = soci::i_ok, iUser = soci::i_ok, iCp = soci::i_ok, iFire = soci::i_ok,
                    iSent = soci::i_ok, iMessage = soci::i_ok, iError = soci::i_ok, iDigest = soci::i_ok;

    void bindInto(soci::details::prepare_temp_type& p);
    OutboxRow toRow() const;
};

// Inserts outbox rows through one statement prepared once per transaction (a prepare costs
// more than the insert). Ids come from the sequence inside the INSERT.
class OutboxInserter {
public:
    explicit OutboxInserter(soci::session& s);
    bool insert(const OutboxRow& row, const std::string& dedupeKey);  // false: the key exists

private:
    long long eventId_ = 0, ruleId_ = 0, userId_ = 0, cpId_ = 0;
    int offset_ = 0, external_ = 0, late_ = 0, attempts_ = 0;
    std::string key_, timing_, status_, address_, name_, lang_;
    std::tm created_{}, next_{}, fire_{};
    soci::indicator iEvent_ = soci::i_ok, iUser_ = soci::i_ok, iCp_ = soci::i_ok, iName_ = soci::i_ok, iFire_ = soci::i_ok;
    soci::statement st_;
    LeakOnUnwind keep_{st_};
};

// Reads rows by id through one prepared statement.
class OutboxReader {
public:
    explicit OutboxReader(soci::session& s);
    std::optional<OutboxRow> read(std::int64_t id);

private:
    long long key_ = 0;
    OutboxColumns c_;
    soci::statement st_;
    LeakOnUnwind keep_{st_};
};

std::optional<OutboxStatus> statusFromString(std::string_view s);
// A status as an SQL literal ('pending'): a fixed fragment of the statement, so the optimizer
// sees the value and the outbox's indices on STATUS stay usable.
std::string statusSql(OutboxStatus status);
std::optional<OutboxRow> loadRow(soci::session& s, std::int64_t id);
std::vector<std::int64_t> digestItems(soci::session& s, std::int64_t digestId);

}  // namespace conduit::crm::notify::detail
