// The ingest side of the store: callers enqueue events without blocking; one thread writes them
// in batches (one transaction each, bounded latency), skipping duplicates by idempotency key.
// Participants join each batch's transaction (a transactional outbox); listeners hear of commits.
#pragma once

#include <conduit/crm/foundation/clock.hpp>
#include <conduit/crm/timeline/event.hpp>
#include <conduit/crm/database/database.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace conduit::crm {

struct WriterOptions {
    std::size_t maxBatch = 5000;                  // events per transaction
    std::chrono::milliseconds maxLatency{20};      // an event waits at most this long for its batch
    std::size_t maxQueued = 1'000'000;             // submit() refuses beyond this (counted as rejected)
    std::chrono::milliseconds retryMin{100};       // back-off after a lost connection ...
    std::chrono::milliseconds retryMax{5000};      // ... doubling up to this
    Clock clock = systemClock();                   // stamps recordedAt when the producer left it empty
};

// What one batch did; handed to the batch callback and kept as the last batch's figures.
struct BatchMetrics {
    std::size_t events = 0;        // taken from the queue
    std::size_t written = 0;       // new rows committed
    std::size_t duplicates = 0;    // skipped: key seen in this batch or already stored
    std::size_t failed = 0;        // rejected by the database for their data (see lastError)
    std::size_t attachments = 0;   // attachment rows written
    std::size_t contentStored = 0; // new content blobs
    std::size_t contentReused = 0; // content already stored under the same SHA-256
    std::chrono::microseconds writeTime{0};     // transaction, begin to commit (and the file's sync)
    std::chrono::microseconds syncTime{0};      // of which the sync after commit (Durability::SyncPerBatch)
    std::chrono::microseconds oldestWait{0};    // queue wait of the batch's oldest event
};

struct WriterCounts {
    std::uint64_t submitted = 0, written = 0, duplicates = 0, failed = 0, rejected = 0;
    std::uint64_t batches = 0, retries = 0, attachments = 0, contentStored = 0, contentReused = 0;
    std::uint64_t participantFailures = 0;  // batches rolled back because a participant threw
    std::uint64_t syncs = 0;         // the database file synced (after each batch, and idle once a second)
    std::uint64_t syncFailures = 0;  // the OS refused to sync the database file (lastError says why)
    std::size_t queued = 0;     // submitted, not yet committed (includes a batch in flight)
    bool connected = false;     // the last attempt reached the database
    BatchMetrics lastBatch;
    std::string lastError;      // last connection or data error, empty when none
};

class EventWriter {
public:
    // Called after each committed batch (on the writer thread; with Durability::SyncPerBatch on
    // its sync thread, once the batch is on disk, in commit order; for rows inserted through
    // insertWithin(), on the thread that calls announce()) with the ids of the new rows
    // (the forms' "new events, refresh" signal). Must be quick, must not throw and must not call
    // flush() (flush returns once the listeners of the batches it waits for have run).
    using BatchCallback = std::function<void(const BatchMetrics&, const std::vector<std::int64_t>& newIds)>;
    // Called on the writer thread inside the batch's transaction, after its events are inserted
    // and before commit, with the writer's session and the batch's new events (ids set). What it
    // writes through `session` commits or rolls back with the events (all or nothing). It must
    // not commit or roll back itself. If it throws, the whole batch is rolled back and retried
    // with back-off like a lost connection (counted in participantFailures, lastError says why):
    // events are never written without their outbox rows. Keep it fast: it holds the batch.
    using TransactionParticipant = std::function<void(soci::session& session, const std::vector<const Event*>& newEvents)>;
    using ListenerId = std::uint64_t;

    EventWriter(Database& db, WriterOptions options = {});
    ~EventWriter();  // stop() with a short grace period
    EventWriter(const EventWriter&) = delete;
    EventWriter& operator=(const EventWriter&) = delete;

    // Thread-safe, never blocks on I/O. False when stopped or the queue is full (counted).
    bool submit(Event event);
    // For a producer with its own place to keep events meanwhile (the adapters: their ring, then
    // their journal): while the queue is full this waits for room instead of refusing, until the
    // writer stops or `giveUp` turns true (looked at every 20 ms). False only then.
    bool submitWhenRoom(Event event, const std::atomic<bool>& giveUp);
    // Waits until everything submitted before the call is committed (or skipped/failed).
    // False on timeout, e.g. while the database is unreachable: the events stay queued.
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    // Flushes within `grace`, then stops the thread. Events not written by then stay in memory:
    // takePending() hands them over (e.g. to a journal) instead of losing them.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
    std::vector<Event> takePending();

    // Adds a listener for committed batches; several may be registered. An empty callback
    // removes every listener added this way (what a single-callback caller used to do).
    ListenerId onBatch(BatchCallback callback);
    void removeBatchListener(ListenerId id);
    // Adds a participant in every batch's transaction (see TransactionParticipant). Participants
    // run in the order added. After removeParticipant() returns, the participant is not running
    // and is never called again (it waits for a call in progress), so what it references may go.
    ListenerId addParticipant(TransactionParticipant participant);
    void removeParticipant(ListenerId id);

    // For a component that records its own rows and an event about them at once (the
    // notification sender's outcome and its notification.failed): inserts `event` through the
    // caller's session, inside the caller's transaction, and runs the participants there, so the
    // event, the participants' rows and the caller's rows commit or roll back together. Returns
    // the new id, or nullopt when the idempotency key is already stored. Throws
    // std::invalid_argument for an event the writer would refuse or one with attachments (their
    // content goes through submit()), and what a participant or the database throws. After its
    // commit the caller passes the ids to announce().
    std::optional<std::int64_t> insertWithin(soci::session& session, Event& event);
    // Tells the batch listeners (the feed's live updates, the notification service) of rows
    // insertWithin() wrote, once their transaction committed.
    void announce(const std::vector<std::int64_t>& newIds);
    WriterCounts counts() const;
    std::size_t queued() const;

private:
    struct Pending {
        Event event;
        std::chrono::steady_clock::time_point enqueued;
        std::uint64_t seq;
    };
    class Connection;
    // A committed batch waiting for the file's sync before flush() and the listeners see it.
    struct Unsynced {
        BatchMetrics metrics;
        std::vector<std::int64_t> newIds;
        std::uint64_t lastSeq = 0;
        std::vector<BatchCallback> callbacks;
    };
    void syncLoop();
    void syncFile();  // counts the sync, or its failure in lastError

    // One try at writing a batch: its figures, or why it must be retried.
    struct Attempt {
        bool ok = false;
        bool participantFailed = false;
        BatchMetrics metrics;
        std::string error;
    };

    void run();
    bool enqueue(std::unique_lock<std::mutex>& lock, Event&& event);  // submit() with mutex_ held
    bool drain(std::vector<Pending>& batch);  // waits for the next batch; false once stopping
    Attempt tryWrite(std::vector<Pending>& batch, std::vector<std::int64_t>& newIds);
    // Counts the attempt; a failed batch goes back to the queue's head. The listeners to tell.
    std::vector<BatchCallback> account(std::vector<Pending>& batch, const Attempt& attempt);
    void queueForSync(const BatchMetrics& metrics, const std::vector<std::int64_t>& newIds, std::uint64_t lastSeq,
                      std::vector<BatchCallback> callbacks);
    void report(const BatchMetrics& metrics, const std::vector<std::int64_t>& newIds, std::uint64_t lastSeq,
                const std::vector<BatchCallback>& callbacks);
    void waitBeforeRetry(std::chrono::milliseconds backoff);

    BatchMetrics write(std::vector<Pending>& batch, std::vector<std::int64_t>& newIds);
    std::vector<const Event*> insertBatch(std::vector<Pending>& batch, BatchMetrics& m, std::vector<std::int64_t>& newIds,
                                          std::string& dataError);
    bool insertEvent(const Event& row, BatchMetrics& m, std::unordered_set<std::string>& contentThisBatch,
                     std::string& dataError);
    void runParticipants(const std::vector<const Event*>& written);

    Database& db_;
    const WriterOptions options_;
    std::unique_ptr<Connection> conn_;  // the writer thread's own session and prepared statements
    std::unique_ptr<FileSync> fileSync_;  // Durability::SyncPerBatch: the embedded file, synced per commit

    mutable std::mutex mutex_;
    std::condition_variable wake_, done_, room_;
    std::deque<Pending> queue_;
    std::uint64_t nextSeq_ = 1, doneSeq_ = 0;
    std::size_t inFlight_ = 0;
    int flushWaiters_ = 0, roomWaiters_ = 0;
    bool stopping_ = false;
    WriterCounts counts_;
    std::vector<std::pair<ListenerId, BatchCallback>> listeners_;
    std::mutex participantMutex_;  // guards participants_; held while they run
    std::vector<std::pair<ListenerId, TransactionParticipant>> participants_;
    ListenerId nextListenerId_ = 1;
    // Durability::SyncPerBatch: the sync thread makes committed batches durable while the writer
    // thread goes on with the next one (at most kMaxUnsynced committed batches wait; under mutex_).
    std::deque<Unsynced> unsynced_;
    std::condition_variable syncWake_;
    bool syncStopping_ = false;
    std::thread syncThread_;
    std::thread thread_;
};

}  // namespace conduit::crm
