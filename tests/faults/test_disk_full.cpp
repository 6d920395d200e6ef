// Fault: the embedded database's disk fills up under ingest. The database lives on a real
// size-limited tmpfs mounted for the test (needs root / CAP_SYS_ADMIN; skipped with a clear
// message otherwise). While the disk is full the writer must keep every event queued (none
// dropped as "bad data"), the host's submit() must not block or refuse, and the error must say
// what is wrong; once an administrator makes room (here: the mount is grown, as resizing a volume
// would) every event must be stored exactly once, attachments intact.
#include "store_test_util.hpp"

#include <conduit/crm/foundation/sha256.hpp>
#include <conduit/crm/timeline/event_store.hpp>

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>
#include <unordered_set>

namespace conduit::crm {
namespace {

using namespace std::chrono_literals;
using testing::at;
using testing::makeEvent;

// A tmpfs of a given size at `dir`, unmounted on destruction.
class SmallDisk {
public:
    explicit SmallDisk(std::filesystem::path dir, std::size_t megabytes) : dir_(std::move(dir)) {
        std::filesystem::create_directories(dir_);
        const std::string options = "size=" + std::to_string(megabytes) + "m,mode=0700";
        if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
            error_ = std::strerror(errno);
            return;
        }
        mounted_ = true;
    }
    ~SmallDisk() {
        if (mounted_ && ::umount2(dir_.c_str(), 0) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }
    // Grows or shrinks the mount (shrinking below what is used fails).
    bool resize(std::size_t kilobytes) {
        const std::string options = "size=" + std::to_string(kilobytes) + "k,mode=0700";
        return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, options.c_str()) == 0;
    }
    std::size_t usedKilobytes() const {
        struct statvfs s{};
        ::statvfs(dir_.c_str(), &s);
        return static_cast<std::size_t>((s.f_blocks - s.f_bfree) * s.f_frsize / 1024);
    }

private:
    std::filesystem::path dir_;
    bool mounted_ = false;
    std::string error_;
};

// 64 KB that no other event shares (attachment content is stored once per SHA-256).
std::string uniqueContent(int i) {
    std::string bytes(64 * 1024, '\0');
    std::uint32_t x = 2166136261u ^ static_cast<std::uint32_t>(i * 16777619);
    for (auto& b : bytes) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b = static_cast<char>(x & 0xff);
    }
    return bytes;
}

Event sheetEvent(int i) {
    auto e = makeEvent("disk:" + std::to_string(i), at(2026, 4, 1) + std::chrono::minutes(i), "note.measurement");
    e.title = "Лист замера №" + std::to_string(i) + " — Pomiar, Łódź";
    Attachment a;
    a.fileName = "pomiar_" + std::to_string(i) + ".pdf";
    a.mediaType = "application/pdf";
    a.content = uniqueContent(i);
    a.size = static_cast<std::int64_t>(a.content.size());
    a.sha256 = sha256Hex(a.content);
    e.attachments.push_back(a);
    return e;
}

TEST(DiskFull, EventsWaitInTheQueueUntilThereIsRoomThenAllAreStoredOnce) {
    conduit::test::TempDir dir{"faults-disk"};
    SmallDisk disk(dir / "volume", 64);
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "): run as root";

    StoreOptions options;
    options.writer.maxBatch = 20;
    options.writer.retryMin = 50ms;
    options.writer.retryMax = 400ms;
    auto store = EventStore::open(testing::embeddedAt(dir / "volume" / "crm.fdb"), options);
    // Leave ~2 MB free: room for some events, not for the ~19 MB that follow.
    const std::size_t used = disk.usedKilobytes();
    ASSERT_TRUE(disk.resize(used + 2048)) << "cannot shrink the mount to " << used + 2048 << " KB";

    constexpr int kEvents = 300;
    for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(store->writer().submit(sheetEvent(i))) << "the host was refused";

    // The disk fills: the writer fails, backs off and retries, losing nothing.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (store->counts().writer.retries < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    const auto full = store->counts().writer;
    std::cout << "while full: written=" << full.written << " queued=" << full.queued << " failed=" << full.failed
              << " retries=" << full.retries << "\nlastError=" << full.lastError << "\n";
    ASSERT_GE(full.retries, 3u) << "the disk never filled up";
    EXPECT_LT(full.written, static_cast<std::uint64_t>(kEvents));
    EXPECT_EQ(full.failed, 0u) << "an event was dropped as bad data while the disk was full: " << full.lastError;
    EXPECT_FALSE(store->writer().flush(300ms));
    EXPECT_NE(full.lastError.find("No space left on device"), std::string::npos) << full.lastError;
    // The host still gets its events taken without waiting.
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(store->writer().submit(sheetEvent(kEvents)));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 100ms);

    // An administrator makes room.
    ASSERT_TRUE(disk.resize(256 * 1024));
    ASSERT_TRUE(store->writer().flush(120s)) << store->counts().writer.lastError;
    const auto after = store->counts().writer;
    EXPECT_EQ(after.written, static_cast<std::uint64_t>(kEvents + 1));
    EXPECT_EQ(after.failed, 0u);
    EXPECT_TRUE(after.connected);
    store.reset();

    // A fresh open reads every event once, with its attachment intact.
    auto reader = EventStore::open(testing::embeddedAt(dir / "volume" / "crm.fdb"));
    std::unordered_set<std::string> keys;
    std::optional<FeedCursor> cursor;
    do {
        auto page = reader->feed({}, cursor, 1000);
        for (const auto& e : page.events) EXPECT_TRUE(keys.insert(e.idempotencyKey).second) << e.idempotencyKey;
        cursor = page.next;
    } while (cursor);
    EXPECT_EQ(keys.size(), static_cast<std::size_t>(kEvents + 1));
    for (int i : {0, kEvents / 2, kEvents - 1}) {
        const auto expected = sheetEvent(i).attachments.front();
        const auto content = reader->attachmentContent(expected.sha256);
        ASSERT_TRUE(content.has_value()) << i;
        EXPECT_EQ(*content, expected.content) << i;
    }
}

// The same without attachments: the disk fills while plain rows and their index pages are
// written, so the failure comes from the INSERT or the COMMIT rather than a blob.
TEST(DiskFull, PlainEventsToo) {
    conduit::test::TempDir dir{"faults-disk-plain"};
    SmallDisk disk(dir / "volume", 64);
    if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "): run as root";
    StoreOptions options;
    options.writer.maxBatch = 500;
    options.writer.retryMin = 50ms;
    options.writer.retryMax = 400ms;
    auto store = EventStore::open(testing::embeddedAt(dir / "volume" / "crm.fdb"), options);
    ASSERT_TRUE(disk.resize(disk.usedKilobytes() + 1024));

    constexpr int kEvents = 6000;  // ~1 KB of title and body each: several MB with the indices
    auto plain = [](int i) {
        auto e = makeEvent("plain:" + std::to_string(i), at(2026, 4, 1) + std::chrono::seconds(i));
        e.title = "Przesunięcie montażu nr " + std::to_string(i) + " — Перенос монтажа";
        e.body = std::string(900, 'x') + " Zażółć gęślą jaźń " + std::to_string(i);
        return e;
    };
    for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(store->writer().submit(plain(i)));
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (store->counts().writer.retries < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    const auto full = store->counts().writer;
    std::cout << "while full: written=" << full.written << " failed=" << full.failed << " retries=" << full.retries
              << "\nlastError=" << full.lastError << "\n";
    ASSERT_GE(full.retries, 3u) << "the disk never filled up";
    EXPECT_EQ(full.failed, 0u) << full.lastError;
    EXPECT_NE(full.lastError.find("No space left on device"), std::string::npos) << full.lastError;

    ASSERT_TRUE(disk.resize(256 * 1024));
    ASSERT_TRUE(store->writer().flush(120s)) << store->counts().writer.lastError;
    EXPECT_EQ(store->counts().writer.written, static_cast<std::uint64_t>(kEvents));
    EXPECT_EQ(store->counts().writer.failed, 0u);
    store.reset();
    auto reader = EventStore::open(testing::embeddedAt(dir / "volume" / "crm.fdb"));
    std::size_t n = 0;
    std::optional<FeedCursor> cursor;
    do {
        auto page = reader->feed({}, cursor, 1000);
        n += page.events.size();
        cursor = page.next;
    } while (cursor);
    EXPECT_EQ(n, static_cast<std::size_t>(kEvents));
}

}  // namespace
}  // namespace conduit::crm
