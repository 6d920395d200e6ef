#include <conduit/crm/timeline/event_writer.hpp>

#include <conduit/crm/foundation/sha256.hpp>
#include <conduit/crm/foundation/text.hpp>
#include <conduit/crm/timeline/event_rows.hpp>
#include <conduit/crm/database/unit_of_work.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <unordered_set>

namespace conduit::crm {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::chrono::seconds kIdleSync{1};
// Committed batches allowed to wait for the sync: one being synced, one queued behind it. The
// writer inserts the next batch meanwhile; more would only widen what a power cut can take.
constexpr std::size_t kMaxUnsynced = 2;


// Fits an event to the columns without losing text: an over-long body moves whole into a
// "body.txt" attachment and the column keeps its beginning.
void normalize(Event& e, const Clock& clock) {
    if (e.recordedAt == sdk::TimePoint{}) e.recordedAt = clock();
    // Host texts arrive unchecked: the UTF-8 database refuses the whole row for one malformed
    // string or one structured field longer than its column. Replace and cut visibly instead, so
    // the event is kept (tests/fuzz/test_bad_input.cpp).
    for (auto* text : {&e.title, &e.body, &e.crewName, &e.stage, &e.invoiceNumber, &e.extra, &e.sourceModule})
        *text = replaceInvalidUtf8(*text);
    auto cut = [](std::string& s, std::size_t chars) { s = utf8Shorten(s, chars); };
    cut(e.crewName, 100);
    cut(e.stage, 50);
    cut(e.invoiceNumber, 60);
    cut(e.extra, 1000);
    cut(e.sourceModule, 64);
    for (auto& a : e.attachments) {
        a.fileName = replaceInvalidUtf8(a.fileName);
        cut(a.fileName, 255);
        cut(a.mediaType, 127);
    }
    if (utf8Length(e.title) > kMaxTitleChars) e.title = utf8Prefix(e.title, kMaxTitleChars - 1) + "…";
    if (utf8Length(e.body) > kMaxBodyChars) {
        e.attachments.push_back({"body.txt", "text/plain; charset=utf-8", 0, {}, e.body});
        e.body = utf8Prefix(e.body, kMaxBodyChars - 1) + "…";
    }
    for (auto& a : e.attachments) {
        a.size = static_cast<std::int64_t>(a.content.size());
        a.sha256 = sha256Hex(a.content);
    }
}

// Also folds a project or counterparty named in Event::subjects into its column.
std::string validate(Event& e) {
    if (e.idempotencyKey.empty()) return "event without idempotency key";
    if (e.idempotencyKey.size() > kMaxKeyBytes) return "idempotency key longer than 250 bytes: " + e.idempotencyKey.substr(0, 60);
    if (e.kind.empty()) return "event " + e.idempotencyKey + " has no kind";
    return normalizeSubjects(e);
}

// A participant threw: the batch is rolled back and retried (see TransactionParticipant).
struct ParticipantError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace

// The writer thread's session with its prepared statements, rebuilt after a lost connection.
class EventWriter::Connection {
public:
    explicit Connection(Database& db)
        : session_(db.connect()),
          insertEvent_(*session_),
          contentExists_(*session_),
          insertLink_(*session_),
          reserveIds_(*session_) {
        contentExists_ = (session_->prepare << "SELECT COUNT(*) FROM CRM_ATTACHMENT_CONTENT WHERE SHA256 = :h",
                          soci::use(hash_), soci::into(count_));
        insertLink_ = (session_->prepare << "INSERT INTO CRM_EVENT_ATTACHMENT (EVENT_ID, ATTACHMENT_NO, FILE_NAME, MEDIA_TYPE,"
                                            " SIZE_BYTES, SHA256) VALUES (:e, :p, :f, :m, :s, :h)",
                       soci::use(linkEvent_), soci::use(linkPos_), soci::use(linkName_), soci::use(linkType_),
                       soci::use(linkSize_), soci::use(hash_));
        reserveIds_ = (session_->prepare << "SELECT GEN_ID(CRM_EVENT_SEQ, CAST(:n AS BIGINT)) FROM RDB$DATABASE",
                       soci::use(reserveCount_), soci::into(lastId_));
        session_->commit();
    }

    soci::session& session() { return *session_; }

    // Ids for `n` events in one round trip; gaps (duplicates, rollbacks) are harmless.
    long long reserve(long long n) {
        reserveCount_ = n;
        reserveIds_.execute(true);
        return lastId_ - n + 1;
    }

    // False when the key is already stored (unique violation); rethrows anything else.
    bool insert(const Event& e) {
        try {
            insertEvent_.execute(e);
            return true;
        } catch (const std::exception& ex) {
            if (isUniqueViolation(ex)) return false;
            throw;
        }
    }

    bool contentStored(const std::string& hash) {
        hash_ = hash;
        contentExists_.execute(true);
        return count_ > 0;
    }

    // False when another writer stored the same content meanwhile (the same bytes: fine).
    bool storeContent(const Attachment& a) {
        // The blob must be gone before the transaction ends: SOCI's Firebird blob throws from
        // its destructor on a handle whose transaction is over. For the same reason a blob whose
        // write failed (disk full: tests/faults/test_disk_full.cpp) is leaked, not destroyed:
        // its destructor would throw during unwinding and terminate the host.
        auto blob = std::make_unique<soci::blob>(*session_);
        long long size = a.size;
        try {
            if (!a.content.empty()) blob->append(a.content.data(), a.content.size());
            *session_ << "INSERT INTO CRM_ATTACHMENT_CONTENT (SHA256, SIZE_BYTES, CONTENT) VALUES (:h, :s, :c)",
                soci::use(a.sha256), soci::use(size), soci::use(*blob);
            return true;
        } catch (const std::exception& ex) {
            if (isUniqueViolation(ex)) return false;  // the blob is fine: destroyed normally
            (void)blob.release();
            throw;
        }
    }

    void link(std::int64_t eventId, int position, const Attachment& a) {
        linkEvent_ = eventId;
        linkPos_ = position;
        linkName_ = a.fileName;
        linkType_ = a.mediaType;
        linkSize_ = a.size;
        hash_ = a.sha256;
        insertLink_.execute(true);
    }

private:
    std::unique_ptr<soci::session> session_;
    std::string hash_, linkName_, linkType_;
    long long linkEvent_ = 0, linkSize_ = 0, reserveCount_ = 0, lastId_ = 0;
    int linkPos_ = 0, count_ = 0;
    rows::EventInsert insertEvent_;
    soci::statement contentExists_, insertLink_, reserveIds_;
};

EventWriter::EventWriter(Database& db, WriterOptions options) : db_(db), options_(options) {
    if (db_.syncsPerBatch()) {
        fileSync_ = std::make_unique<FileSync>(db_.location().file);
        syncThread_ = std::thread([this] { syncLoop(); });
    }
    thread_ = std::thread([this] { run(); });
}

EventWriter::~EventWriter() {
    stop(std::chrono::seconds(2));
    // The writer's statements on an attachment that died while it was idle would throw from their
    // destructors (std::terminate): ask the connection once, leak it when dead.
    if (conn_ && !sessionAlive(conn_->session())) (void)conn_.release();
}

bool EventWriter::submit(Event event) {
    std::unique_lock lock(mutex_);
    return enqueue(lock, std::move(event));
}

bool EventWriter::submitWhenRoom(Event event, const std::atomic<bool>& giveUp) {
    std::unique_lock lock(mutex_);
    while (!stopping_ && queue_.size() >= options_.maxQueued && !giveUp.load(std::memory_order_acquire)) {
        ++roomWaiters_;
        room_.wait_for(lock, std::chrono::milliseconds(20));
        --roomWaiters_;
    }
    return enqueue(lock, std::move(event));
}

bool EventWriter::enqueue(std::unique_lock<std::mutex>& lock, Event&& event) {
    if (stopping_ || queue_.size() >= options_.maxQueued) {
        ++counts_.rejected;
        return false;
    }
    const bool wasEmpty = queue_.empty();
    queue_.push_back({std::move(event), SteadyClock::now(), nextSeq_++});
    ++counts_.submitted;
    // Wake the writer only when it has to re-plan: first event (latency timer starts) or a
    // full batch. Every other submit costs a lock and a push.
    if (!wasEmpty && queue_.size() != options_.maxBatch) return true;
    lock.unlock();
    wake_.notify_one();
    return true;
}

bool EventWriter::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = nextSeq_ - 1;
    ++flushWaiters_;
    wake_.notify_one();
    const bool ok = done_.wait_for(lock, timeout, [&] { return doneSeq_ >= target || !thread_.joinable(); }) &&
                    doneSeq_ >= target;
    --flushWaiters_;
    return ok;
}

void EventWriter::stop(std::chrono::milliseconds grace) {
    if (!thread_.joinable()) return;
    flush(grace);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    room_.notify_all();
    thread_.join();
    if (syncThread_.joinable()) {
        // Whatever was committed gets its sync and its listeners before the writer is gone.
        {
            std::lock_guard lock(mutex_);
            syncStopping_ = true;
        }
        syncWake_.notify_all();
        syncThread_.join();
    }
    done_.notify_all();
}

std::vector<Event> EventWriter::takePending() {
    std::lock_guard lock(mutex_);
    std::vector<Event> out;
    if (thread_.joinable()) return out;  // only after stop(): the thread owns the queue's head
    out.reserve(queue_.size());
    for (auto& p : queue_) out.push_back(std::move(p.event));
    queue_.clear();
    return out;
}

EventWriter::ListenerId EventWriter::onBatch(BatchCallback callback) {
    std::lock_guard lock(mutex_);
    if (!callback) {
        listeners_.clear();
        return 0;
    }
    listeners_.emplace_back(nextListenerId_, std::move(callback));
    return nextListenerId_++;
}

void EventWriter::removeBatchListener(ListenerId id) {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [&](const auto& l) { return l.first == id; });
}

EventWriter::ListenerId EventWriter::addParticipant(TransactionParticipant participant) {
    if (!participant) throw std::invalid_argument("EventWriter::addParticipant: empty participant");
    std::lock_guard plock(participantMutex_);
    std::lock_guard lock(mutex_);
    participants_.emplace_back(nextListenerId_, std::move(participant));
    return nextListenerId_++;
}

void EventWriter::removeParticipant(ListenerId id) {
    // Waits for a participant call in progress (write() holds participantMutex_ around them).
    std::lock_guard lock(participantMutex_);
    std::erase_if(participants_, [&](const auto& p) { return p.first == id; });
}

std::optional<std::int64_t> EventWriter::insertWithin(soci::session& session, Event& event) {
    if (auto problem = validate(event); !problem.empty()) throw std::invalid_argument(problem);
    normalize(event, options_.clock);
    // Checked after normalize(): an over-long body becomes an attachment there.
    if (!event.attachments.empty())
        throw std::invalid_argument("EventWriter::insertWithin: event " + event.idempotencyKey + " has attachments");
    long long id = 0;
    session << "SELECT GEN_ID(CRM_EVENT_SEQ, 1) FROM RDB$DATABASE", soci::into(id);
    event.id = id;
    try {
        rows::EventInsert(session).execute(event);
    } catch (const std::exception& ex) {
        if (isUniqueViolation(ex)) return std::nullopt;
        throw;
    }
    std::lock_guard plock(participantMutex_);
    const std::vector<const Event*> written{&event};
    for (const auto& [pid, participant] : participants_) participant(session, written);
    return event.id;
}

void EventWriter::announce(const std::vector<std::int64_t>& newIds) {
    if (newIds.empty()) return;
    BatchMetrics m;
    m.events = m.written = newIds.size();
    std::vector<BatchCallback> callbacks;
    {
        std::lock_guard lock(mutex_);
        for (const auto& l : listeners_) callbacks.push_back(l.second);
    }
    for (const auto& callback : callbacks) callback(m, newIds);
}

WriterCounts EventWriter::counts() const {
    std::lock_guard lock(mutex_);
    WriterCounts c = counts_;
    c.queued = queue_.size() + inFlight_;
    return c;
}

std::size_t EventWriter::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + inFlight_;
}

// The writer thread: drain a batch, write it, account for it, then either hand it to the sync
// thread or report it; a failed batch goes back to the queue and waits out the back-off.
void EventWriter::run() {
    auto backoff = options_.retryMin;
    std::vector<Pending> batch;
    std::vector<std::int64_t> newIds;
    while (drain(batch)) {
        newIds.clear();
        const Attempt attempt = tryWrite(batch, newIds);
        auto callbacks = account(batch, attempt);
        if (!attempt.ok) {
            done_.notify_all();
            waitBeforeRetry(backoff);
            backoff = std::min(backoff * 2, options_.retryMax);
            continue;
        }
        backoff = options_.retryMin;
        if (fileSync_) queueForSync(attempt.metrics, newIds, batch.back().seq, std::move(callbacks));
        else report(attempt.metrics, newIds, batch.back().seq, callbacks);
    }
}

bool EventWriter::drain(std::vector<Pending>& batch) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (stopping_) return false;
        if (!queue_.empty()) {
            if (queue_.size() >= options_.maxBatch || flushWaiters_ > 0) break;
            const auto deadline = queue_.front().enqueued + options_.maxLatency;
            if (SteadyClock::now() >= deadline) break;
            wake_.wait_until(lock, deadline);
        } else {
            wake_.wait(lock);
        }
    }
    const std::size_t n = std::min(queue_.size(), options_.maxBatch);
    batch.clear();
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    inFlight_ = n;
    if (roomWaiters_ > 0) room_.notify_all();
    return true;
}

EventWriter::Attempt EventWriter::tryWrite(std::vector<Pending>& batch, std::vector<std::int64_t>& newIds) {
    Attempt a;
    try {
        a.metrics = write(batch, newIds);
        a.ok = true;
    } catch (const ParticipantError& e) {
        // Not the connection's fault, but its transaction is rolled back: start clean.
        conn_.reset();
        a.participantFailed = true;
        a.error = e.what();  // made of databaseMessage() where it was thrown
    } catch (const std::exception& e) {
        // Whatever broke, this connection is suspect: reconnect on the next attempt. The batch
        // goes back to the head of the queue, in order; replays are deduplicated. A dead
        // connection's statements are leaked on purpose: SOCI's Firebird statement frees itself
        // in its destructor and throws when the attachment is gone.
        if (isConnectionLost(e)) (void)conn_.release();
        else conn_.reset();
        a.error = databaseMessage(e);
    }
    return a;
}

std::vector<EventWriter::BatchCallback> EventWriter::account(std::vector<Pending>& batch, const Attempt& a) {
    std::vector<BatchCallback> callbacks;
    std::lock_guard lock(mutex_);
    inFlight_ = 0;
    counts_.connected = a.ok;
    if (!a.ok) {
        ++counts_.retries;
        if (a.participantFailed) ++counts_.participantFailures;
        counts_.lastError = a.error;
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        return callbacks;
    }
    const BatchMetrics& m = a.metrics;
    ++counts_.batches;
    counts_.written += m.written;
    counts_.duplicates += m.duplicates;
    counts_.failed += m.failed;
    counts_.attachments += m.attachments;
    counts_.contentStored += m.contentStored;
    counts_.contentReused += m.contentReused;
    counts_.lastBatch = m;
    callbacks.reserve(listeners_.size());
    for (const auto& l : listeners_) callbacks.push_back(l.second);
    return callbacks;
}

// Written means on disk: the sync thread hands the batch to flush() and the listeners once the
// file is synced; this thread goes on with the next batch.
void EventWriter::queueForSync(const BatchMetrics& metrics, const std::vector<std::int64_t>& newIds, std::uint64_t lastSeq,
                               std::vector<BatchCallback> callbacks) {
    std::unique_lock lock(mutex_);
    syncWake_.wait(lock, [&] { return unsynced_.size() < kMaxUnsynced; });
    unsynced_.push_back({metrics, newIds, lastSeq, std::move(callbacks)});
    lock.unlock();
    syncWake_.notify_all();
}

// Listeners first, then flush() returns: a caller that flushed sees the listeners' effects (the
// forms' refresh, a test's counters).
void EventWriter::report(const BatchMetrics& metrics, const std::vector<std::int64_t>& newIds, std::uint64_t lastSeq,
                         const std::vector<BatchCallback>& callbacks) {
    for (const auto& callback : callbacks) callback(metrics, newIds);
    {
        std::lock_guard lock(mutex_);
        doneSeq_ = lastSeq;
    }
    done_.notify_all();
}

void EventWriter::waitBeforeRetry(std::chrono::milliseconds backoff) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, backoff, [&] { return stopping_; });
}

void EventWriter::syncFile() {
    const std::string problem = fileSync_->sync();
    std::lock_guard lock(mutex_);
    if (problem.empty()) {
        ++counts_.syncs;
    } else {
        // Not retried: the batch is committed and in the OS's cache (a crash of the process
        // loses nothing), and after a failed fsync Linux may report the next one clean
        // regardless. The disk is failing: say so where the host's status shows it.
        ++counts_.syncFailures;
        counts_.lastError = problem;
    }
}

void EventWriter::syncLoop() {
    for (;;) {
        std::size_t taken = 0;
        {
            std::unique_lock lock(mutex_);
            // Idle, it still syncs once a second: commits of other sessions (read marks, rules,
            // the sender's rows) reach the disk within a second even when no batch comes.
            syncWake_.wait_for(lock, kIdleSync, [&] { return !unsynced_.empty() || syncStopping_; });
            if (unsynced_.empty() && syncStopping_) return;
            taken = unsynced_.size();  // one sync covers every batch committed before it starts
        }
        const auto started = SteadyClock::now();
        syncFile();
        const auto took = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started);
        for (std::size_t i = 0; i < taken; ++i) {
            Unsynced* u = nullptr;
            {
                std::lock_guard lock(mutex_);
                u = &unsynced_[i];  // a deque keeps addresses while the writer appends
            }
            u->metrics.syncTime = took;
            u->metrics.writeTime += took;
            for (const auto& callback : u->callbacks) callback(u->metrics, u->newIds);
        }
        {
            std::lock_guard lock(mutex_);
            if (taken > 0) {
                doneSeq_ = unsynced_[taken - 1].lastSeq;
                counts_.lastBatch.syncTime = took;
                unsynced_.erase(unsynced_.begin(), unsynced_.begin() + static_cast<std::ptrdiff_t>(taken));
            }
        }
        syncWake_.notify_all();
        done_.notify_all();
    }
}

// One transaction: the batch's events, then the participants' rows, then the commit.
BatchMetrics EventWriter::write(std::vector<Pending>& batch, std::vector<std::int64_t>& newIds) {
    const auto started = SteadyClock::now();
    BatchMetrics m;
    m.events = batch.size();
    m.oldestWait = std::chrono::duration_cast<std::chrono::microseconds>(started - batch.front().enqueued);

    if (!conn_) conn_ = std::make_unique<Connection>(db_);
    std::string dataError;
    {
        UnitOfWork unit(conn_->session());
        const std::vector<const Event*> written = insertBatch(batch, m, newIds, dataError);
        if (!written.empty()) runParticipants(written);
        unit.commit();
    }
    if (!dataError.empty()) {
        std::lock_guard lock(mutex_);
        counts_.lastError = dataError;
    }
    m.writeTime = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started);
    return m;
}

// The batch's new events (ids set); duplicates and refused rows are counted and left out.
std::vector<const Event*> EventWriter::insertBatch(std::vector<Pending>& batch, BatchMetrics& m,
                                                   std::vector<std::int64_t>& newIds, std::string& dataError) {
    auto& c = *conn_;
    std::vector<const Event*> written;
    long long nextId = c.reserve(static_cast<long long>(batch.size()));
    std::unordered_set<std::string> keys, contentThisBatch;
    keys.reserve(batch.size() * 2);
    for (auto& p : batch) {
        Event& e = p.event;  // the batch owns it; a retry re-normalizes harmlessly
        if (!keys.insert(e.idempotencyKey).second) {
            ++m.duplicates;
            continue;
        }
        if (auto problem = validate(e); !problem.empty()) {
            ++m.failed;
            dataError = problem;
            continue;
        }
        normalize(e, options_.clock);
        e.id = nextId++;
        if (!insertEvent(e, m, contentThisBatch, dataError)) continue;
        ++m.written;
        newIds.push_back(e.id);
        written.push_back(&e);
    }
    return written;
}

// An event and its attachments go in together or not at all; the savepoint costs a round trip,
// so only events with attachments pay it. False when it was a duplicate or refused.
bool EventWriter::insertEvent(const Event& row, BatchMetrics& m, std::unordered_set<std::string>& contentThisBatch,
                              std::string& dataError) {
    auto& c = *conn_;
    const bool guarded = !row.attachments.empty();
    try {
        if (guarded) c.session() << "SAVEPOINT CRM_EVENT_ROW";
        if (!c.insert(row)) {
            ++m.duplicates;
            return false;
        }
        for (std::size_t i = 0; i < row.attachments.size(); ++i) {
            const Attachment& a = row.attachments[i];
            if (contentThisBatch.count(a.sha256) || c.contentStored(a.sha256) || !c.storeContent(a)) ++m.contentReused;
            else ++m.contentStored;
            contentThisBatch.insert(a.sha256);
            c.link(row.id, static_cast<int>(i), a);
            ++m.attachments;
        }
    } catch (const std::exception& ex) {
        if (isConnectionLost(ex)) throw;
        if (guarded) c.session() << "ROLLBACK TO SAVEPOINT CRM_EVENT_ROW";
        // The database refused this event's data (too long, bad value): Firebird undid just that
        // statement; the rest of the batch goes on.
        ++m.failed;
        dataError = "event " + row.idempotencyKey + ": " + databaseMessage(ex);
        return false;
    }
    return true;
}

void EventWriter::runParticipants(const std::vector<const Event*>& written) {
    std::lock_guard plock(participantMutex_);
    for (const auto& [id, participant] : participants_) {
        try {
            participant(conn_->session(), written);
        } catch (const std::exception& ex) {
            if (isConnectionLost(ex)) throw;
            throw ParticipantError("batch rolled back, a transaction participant failed: " + databaseMessage(ex));
        }
    }
}

}  // namespace conduit::crm
