#include <conduit/sdk/plugin_manager.hpp>

#include <boost/dll/import.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <exception>

namespace conduit::sdk {
namespace {

constexpr std::string_view kComponent = "plugins";

bool looksLikeSharedLibrary(const std::filesystem::path& p) {
    const auto name = p.filename().string();
    return p.extension() == ".so" || name.find(".so.") != std::string::npos;
}

std::string describe(std::uint32_t v) {
    return std::to_string(sdkMajor(v)) + "." + std::to_string(sdkMinor(v));
}

}  // namespace

// Field order matters: the plugin object is destroyed before the library handle.
struct PluginManager::Entry {
    boost::dll::shared_library library;
    std::unique_ptr<IPlugin> plugin;
    std::size_t record = 0;
};

PluginManager::PluginManager(ILogger& logger) : log_(logger) {}

PluginManager::~PluginManager() { stopAll(); }

void PluginManager::loadFolder(const std::filesystem::path& folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        log_.log(LogLevel::Warning, kComponent, "plugin folder " + folder.string() + " does not exist; no plugins loaded");
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(folder, ec))
        if (e.is_regular_file() && looksLikeSharedLibrary(e.path())) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load(f);
}

bool PluginManager::load(const std::filesystem::path& file) {
    LoadedPlugin rec;
    rec.file = file;
    auto fail = [&](std::string why) {
        rec.error = std::move(why);
        log_.log(LogLevel::Error, kComponent, "skipping " + file.filename().string() + ": " + rec.error);
        records_.push_back(std::move(rec));
        return false;
    };

    auto entry = std::make_unique<Entry>();
    boost::dll::fs::error_code ec;
    // RTLD_NODELETE keeps the code mapped after the handle closes: signal slots, Qt objects and
    // thread-locals made by the plugin may outlive stop() by a little (boostorg/dll#68).
    const auto mode = static_cast<boost::dll::load_mode::type>(
        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local | RTLD_NODELETE);
    entry->library.load(boost::dll::fs::path(file), ec, mode);
    if (ec) {
        const char* why = dlerror();
        return fail("cannot be loaded as a library (" + (why ? std::string(why) : ec.message()) + ")");
    }
    if (!entry->library.has(CONDUIT_SDK_VERSION_SYMBOL_NAME) ||
        !entry->library.has(CONDUIT_PLUGIN_FACTORY_SYMBOL_NAME))
        return fail("not a Conduit plugin (no " CONDUIT_SDK_VERSION_SYMBOL_NAME " / " CONDUIT_PLUGIN_FACTORY_SYMBOL_NAME
                    " symbol)");
    // Reading a variable runs no plugin code: the version is checked before the factory is called.
    const auto pluginSdk = entry->library.get<const std::uint32_t>(CONDUIT_SDK_VERSION_SYMBOL_NAME);
    if (!sdkCompatible(pluginSdk))
        return fail("built for SDK " + describe(pluginSdk) + ", this host speaks SDK " + describe(kSdkVersion) +
                    "; rebuild the plugin against this SDK");

    try {
        auto& factory = entry->library.get_alias<PluginFactory>(CONDUIT_PLUGIN_FACTORY_SYMBOL_NAME);
        entry->plugin = factory();
        if (!entry->plugin) return fail("factory returned no plugin object");
        rec.info = entry->plugin->info();
    } catch (const std::exception& e) {
        // The exception object lives in the plugin's code; it is read here while the library is mapped.
        return fail(std::string("factory threw: ") + e.what());
    } catch (...) {
        return fail("factory threw an unknown exception");
    }
    if (!sdkCompatible(rec.info.sdkVersion))
        return fail("reports SDK " + describe(rec.info.sdkVersion) + ", this host speaks SDK " + describe(kSdkVersion));
    if (std::any_of(entries_.begin(), entries_.end(),
                    [&](const auto& e) { return records_[e->record].info.id == rec.info.id; }))
        return fail("a plugin with id '" + rec.info.id + "' is already loaded");

    log_.log(LogLevel::Info, kComponent,
             "loaded " + rec.info.id + " " + rec.info.version + " (SDK " + describe(rec.info.sdkVersion) + ") from " +
                 file.filename().string());
    entry->record = records_.size();
    records_.push_back(std::move(rec));
    entries_.push_back(std::move(entry));
    return true;
}

void PluginManager::startAll(HostServices& services) {
    for (auto& e : entries_) {
        auto& rec = records_[e->record];
        if (rec.started || !e->plugin) continue;
        try {
            e->plugin->start(services);
            rec.started = true;
            log_.log(LogLevel::Info, kComponent, "started " + rec.info.id);
        } catch (const std::exception& ex) {
            rec.error = std::string("start failed: ") + ex.what();
        } catch (...) {
            rec.error = "start failed with an unknown exception";
        }
        if (!rec.started) {
            log_.log(LogLevel::Error, kComponent, rec.info.id + ": " + rec.error + "; the host carries on without it");
            // A half-started plugin may have connected signals or added forms: give it the chance to undo.
            try {
                e->plugin->stop();
            } catch (...) {
            }
        }
    }
}

void PluginManager::stopAll() {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        auto& e = **it;
        auto& rec = records_[e.record];
        if (!rec.started) continue;
        try {
            e.plugin->stop();
            log_.log(LogLevel::Info, kComponent, "stopped " + rec.info.id);
        } catch (const std::exception& ex) {
            log_.log(LogLevel::Error, kComponent, rec.info.id + ": stop threw: " + ex.what());
        } catch (...) {
            log_.log(LogLevel::Error, kComponent, rec.info.id + ": stop threw an unknown exception");
        }
        rec.started = false;
    }
    // Destroy plugin objects (their code is still mapped) before the handles, newest first.
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) (*it)->plugin.reset();
    entries_.clear();
}

std::size_t PluginManager::startedCount() const {
    return static_cast<std::size_t>(std::count_if(records_.begin(), records_.end(), [](auto& r) { return r.started; }));
}

}  // namespace conduit::sdk
