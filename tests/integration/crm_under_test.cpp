#include "crm_under_test.hpp"

#include <directory_changes.hpp>

#include <directory_changes.hpp>

#include <null_services.hpp>
#include <plugin_settings.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace conduit::itest {

void Logger::log(sdk::LogLevel, std::string_view component, std::string_view message) {
    std::lock_guard lock(mutex_);
    lines_.push_back("[" + std::string(component) + "] " + std::string(message));
}
std::vector<std::string> Logger::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}
long Logger::count(std::string_view needle) const {
    std::lock_guard lock(mutex_);
    long n = 0;
    for (auto& l : lines_) n += l.find(needle) != std::string::npos;
    return n;
}

FileSettings::FileSettings(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object())
        for (auto& [k, v] : j.items())
            if (v.is_string()) values_[k] = v.get<std::string>();
}
std::optional<std::string> FileSettings::get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
}
void FileSettings::set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    values_[std::string(key)] = std::string(value);
    nlohmann::json j = values_;
    const auto tmp = file_.string() + ".tmp";
    std::ofstream(tmp) << j.dump(2);
    std::filesystem::rename(tmp, file_);
}


struct RealHost::Rest {
    test::NullForms forms;
    test::NullMail mail;
};

RealHost::RealHost(const std::filesystem::path& dataDir, std::string locale)
    : settings((std::filesystem::create_directories(dataDir), dataDir / "settings.json")),
      suite(refhost::SuiteOptions{dataDir / "host.fdb"}, logger),
      rest(std::make_unique<Rest>()),
      services{.host = {.name = "reference suite (test)", .version = "1.0", .locale = std::move(locale),
                        .dataDir = dataDir, .headless = true},
               .modules = suite.modules(),
               .mail = rest->mail,
               .forms = rest->forms,
               .directory = suite.directory(),
               .currentUser = suite.currentUser(),
               .database = {.kind = sdk::DatabaseLocation::Kind::Embedded, .file = dataDir / "crm.fdb"},
               .settings = settings,
               .logger = logger,
               .directoryChanges = &suite.directoryChanges()} {}

RealHost::~RealHost() {
    if (std::getenv("CONDUIT_TEST_VERBOSE"))
        for (auto& l : logger.lines()) std::fprintf(stderr, "  log: %s\n", l.c_str());
}

Crm::Crm(sdk::HostServices& services, std::size_t queueCapacity) : services_(services) {
    store_ = crm::EventStore::open(services.database);
    auto* writer = &store_->writer();
    adapters_ = std::make_unique<adapters::ModuleAdapters>(
        services, adapters::submitTo(*writer), queueCapacity);
    adapters_->start(crm::readPluginSettings(services.settings, services.modules.presentModules(), services.host.locale).cursors);
}

Crm::~Crm() { stop(); }

void Crm::stop() {
    if (!store_) return;
    adapters_->stop();
    if (store_->writer().flush(std::chrono::seconds(30))) crm::saveCursors(services_.settings, adapters_->cursors());
    store_->writer().stop();
    adapters_.reset();
    store_.reset();
}

std::vector<crm::Event> storedEvents(crm::EventStore& store, const crm::FeedFilter& filter) {
    std::vector<crm::Event> out;
    std::optional<crm::FeedCursor> after;
    for (;;) {
        auto page = store.feed(filter, after, 1000);
        for (auto& e : page.events) out.push_back(std::move(e));
        if (!page.next) break;
        after = page.next;
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

std::vector<crm::Event> storedEvents(const std::filesystem::path& crmFile) {
    sdk::DatabaseLocation where;
    where.file = crmFile;
    auto store = crm::EventStore::open(where);
    auto events = storedEvents(*store);
    store->writer().stop();
    return events;
}

std::vector<adapters::HostChange> allChanges(sdk::IModuleRegistry& modules) {
    std::vector<adapters::HostChange> out;
    auto add = [&](auto* module) {
        if (!module) return;
        for (auto& c : module->changesSince(0, 1'000'000)) out.push_back(adapters::widen(std::move(c)));
    };
    add(modules.orders());
    add(modules.scheduling());
    add(modules.fgWarehouse());
    add(modules.multiWarehouse());
    add(modules.payments());
    return out;
}

}  // namespace conduit::itest
